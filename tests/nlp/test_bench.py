"""`make bench` keeps working: per language and for all, articles per second per core of
bare spaCy, `extract` and the whole job, the ratios to bare, and peak memory; per
language, where the whole job's time goes and how many claims its models read.

Only what it prints is checked here; how fast is for `make bench` to measure, not a test.
"""

from claims.nlp import bench


def _datasets(tmp_path):
    (tmp_path / "articles-id").mkdir()
    (tmp_path / "articles-en").mkdir()
    (tmp_path / "articles-id" / "a.txt").write_text(
        "Inflasi naik\nJAKARTA - Inflasi Maret 2025 sebesar 1,2 persen, kata Sri Mulyani.\n", encoding="utf-8"
    )
    (tmp_path / "articles-en" / "b.txt").write_text(
        "Prices rise\nLONDON - Inflation rose to 3% in March, the Treasury said.\n", encoding="utf-8"
    )
    return tmp_path


def test_bench_prints_each_language_all_and_memory(tmp_path, capsys):
    assert bench.main([str(_datasets(tmp_path))]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert "articles: 2 (id: 1, en: 1)" in lines
    top = next(i for i, line in enumerate(lines) if "bare spaCy" in line and "whole job" in line)
    assert lines[top].split() == ["articles", "bare", "spaCy", "extract", "ratio", "whole", "job", "ratio"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[top + 1:top + 4]}
    assert set(rows) == {"id", "en", "all"}
    for name, cells in rows.items():
        articles, bare, first, first_ratio, whole, whole_ratio = (float(c) for c in cells)
        assert articles == (2 if name == "all" else 1)
        assert bare > 0 and first > 0 and whole > 0
        assert abs(first_ratio - first / bare) < 0.02
        assert abs(whole_ratio - whole / bare) < 0.02
    assert any(line.startswith("whole job: extract, then refine") for line in lines)
    assert any(line.startswith("peak memory:") for line in lines)
    assert any(line.startswith("goal: whole job >= 20 articles/s per core") for line in lines)


def test_bench_says_when_pytorch_inflates_the_peak_memory(tmp_path, capsys, monkeypatch):
    import sys
    import types

    datasets = str(_datasets(tmp_path))
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    assert bench.main([datasets]) == 0
    assert "PyTorch is loaded" not in capsys.readouterr().out
    monkeypatch.setitem(sys.modules, "torch", types.ModuleType("torch"))
    assert bench.main([datasets]) == 0
    assert "(PyTorch is loaded: spaCy imports it wherever it is installed" in capsys.readouterr().out


def test_bench_says_where_the_time_goes_and_what_the_models_read(tmp_path, capsys):
    from claims.nlp import vectors

    assert bench.main([str(_datasets(tmp_path))]) == 0

    lines = capsys.readouterr().out.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("where the whole job's time goes"))
    assert lines[top + 1].split() == ["extract", "refine", "matching_vectors", "claims", "read", "vectors"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[top + 2:top + 4]}
    assert set(rows) == {"id", "en"}
    for cells in rows.values():
        extract_ms, refine_ms, vectors_ms = (float(c) for c in cells[:3])
        claims, read, vectorised = (int(c) for c in cells[3:])
        assert extract_ms > 0 and refine_ms >= 0 and vectors_ms >= 0
        # Each article has a claim worth checking; the encoder reads it, and the queue
        # shows it, so it gets a vector (at most three an article).
        assert claims >= 1 and 1 <= read <= claims
        assert vectorised == (1 if vectors.load_default() is not None else 0)


def test_the_whole_job_runs_every_pass_the_job_runs(tmp_path, monkeypatch, capsys):
    seen = []

    def extra_pass(claims):
        seen.append(len(claims))
        return claims

    monkeypatch.setattr(bench, "JOB_PASSES", (*bench.JOB_PASSES, extra_pass))
    assert bench.main([str(_datasets(tmp_path))]) == 0
    assert seen and "then refine, matching_vectors, extra_pass" in capsys.readouterr().out


def test_bench_says_so_when_there_are_no_datasets(monkeypatch, capsys):
    monkeypatch.setattr(bench, "datasets_dir", lambda: None)
    assert bench.main([]) == 1
    assert "FACTCHECK_DATASETS" in capsys.readouterr().err


def test_the_bench_vectorises_the_claims_the_queue_shows():
    from types import SimpleNamespace

    from claims import selectors

    assert bench.ATTRIBUTED_BONUS == selectors.ATTRIBUTED_BONUS

    def claim(score, speaker=None, kind=None):
        return SimpleNamespace(score=score, speaker=speaker, speaker_role=None, speaker_kind=kind)

    narration, quoted, group, low = claim(0.95), claim(0.9, "Sri Mulyani", "person"), claim(0.93, "analis", "group"), claim(0.4, "Budi")
    others = [claim(0.6), claim(0.55)]
    assert bench.queue_shown([narration, quoted, group, low, *others]) == [quoted, narration, group]
