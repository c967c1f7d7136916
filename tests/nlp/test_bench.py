"""`make bench` keeps working: it prints throughput next to the bare pipeline's, and the ratio.

Only what it prints is checked here; how fast is for `make bench` to measure, not a test.
"""

from claims.nlp import bench


def test_bench_prints_both_pipelines_the_ratio_and_memory(tmp_path, capsys):
    (tmp_path / "articles-id").mkdir()
    (tmp_path / "articles-en").mkdir()
    (tmp_path / "articles-id" / "a.txt").write_text(
        "Inflasi naik\nJAKARTA - Inflasi Maret 2025 sebesar 1,2 persen, kata Sri Mulyani.\n", encoding="utf-8"
    )
    (tmp_path / "articles-en" / "b.txt").write_text(
        "Prices rise\nLONDON - Inflation rose to 3% in March, the Treasury said.\n", encoding="utf-8"
    )

    assert bench.main([str(tmp_path)]) == 0

    out = capsys.readouterr().out
    assert "articles: 2 (id: 1, en: 1)" in out
    assert "bare spacy.blank+sentencizer:" in out
    assert "extract:" in out
    assert "ratio extract/bare (articles/s):" in out
    assert "  id: ratio" in out and "  en: ratio" in out
    assert "peak memory:" in out


def test_bench_says_so_when_there_are_no_datasets(monkeypatch, capsys):
    monkeypatch.setattr(bench, "datasets_dir", lambda: None)
    assert bench.main([]) == 1
    assert "FACTCHECK_DATASETS" in capsys.readouterr().err
