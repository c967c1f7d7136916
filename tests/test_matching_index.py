"""Claim matching at scale: the fact-checks' vectors searched in one index file that every
process maps, with what changed since it was built searched exactly."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone

from claims import matching
from claims.models import FactCheck
from claims.nlp import vectors
from claims.nlp.ann import VectorFile
from claims.nlp.matching import Matcher

DIMENSIONS = 384


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    # Like a sentence encoder's vectors: most of the spread in a few directions.
    scale = np.arange(1, DIMENSIONS + 1, dtype=np.float32) ** -0.75
    out = rng.standard_normal((n, DIMENSIONS), dtype=np.float32) * scale
    return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture
def indexed(settings, tmp_path, db):
    """1,200 fact-checks with vectors, changed an hour ago, and an index file of them."""
    if vectors.load_default() is None:
        pytest.skip("no encoder shipped")
    settings.DATA_DIR = tmp_path
    settings.FACTCHECK_MATCH_INDEX_MIN = 1000
    rng = np.random.default_rng(7)
    block = _unit(rng, 1200)
    FactCheck.objects.bulk_create(
        FactCheck(url=f"https://cekfakta.example/{i}", claim_reviewed=f"Klaim nomor {i} tentang hal {i % 37}",
                  vector=matching.vector_pack(block[i]), vector_encoder=matching.encoder_version())
        for i in range(1200))
    FactCheck.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    call_command("matching_index_build")
    matching.indexes_reset()
    return block


def _top(text: str, vector: np.ndarray, k: int = 10) -> list[tuple[str, int]]:
    return [key for key, _ in matching.FACTCHECKS.search(text, vector=vector, k=k)]


def test_the_index_finds_what_exact_search_finds(indexed, settings, tmp_path):
    rng = np.random.default_rng(8)
    queries = indexed[rng.integers(0, len(indexed), 40)] + 0.5 * _unit(rng, 40)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    found = [_top("klaim", q) for q in queries]
    assert matching.FACTCHECKS.file is not None and len(matching.FACTCHECKS.file) == 1200
    assert matching.FACTCHECKS._matcher.held == 0  # no vector copied into this process

    settings.DATA_DIR = tmp_path / "none"  # the same rows, searched exactly
    matching.indexes_reset()
    exact = [_top("klaim", q) for q in queries]
    assert matching.FACTCHECKS.file is None
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, exact, strict=True)])
    assert recall >= 0.95
    assert sum(a[0] == b[0] for a, b in zip(found, exact, strict=True)) >= 38


def test_a_fact_check_added_after_the_index_was_built_is_found_at_once(indexed):
    _top("klaim", indexed[0])
    assert matching.FACTCHECKS.file is not None
    rng = np.random.default_rng(9)
    (fresh,) = _unit(rng, 1)
    new = FactCheck.objects.create(url="https://cekfakta.example/baru", claim_reviewed="Klaim baru sekali",
                                   vector=matching.vector_pack(fresh), vector_encoder=matching.encoder_version())
    assert _top("klaim baru", fresh)[0] == ("factcheck", new.pk)
    assert matching.FACTCHECKS._matcher.held == 1  # only the new one is held in memory

    # A fact-check changed since the build is answered with its new vector, not the indexed one.
    old = FactCheck.objects.get(url="https://cekfakta.example/5")
    old.vector = matching.vector_pack(-indexed[5])
    old.save()
    assert ("factcheck", old.pk) not in _top("klaim", indexed[5], k=20)
    assert _top("klaim", -indexed[5])[0] == ("factcheck", old.pk)


def test_a_rebuilt_index_is_taken_up_and_a_small_one_is_not_used(indexed, settings):
    _top("klaim", indexed[0])
    first = matching.FACTCHECKS.file
    FactCheck.objects.filter(url__in=[f"https://cekfakta.example/{i}" for i in range(300)]).delete()
    call_command("matching_index_build")  # 900 left: fewer than the minimum, the file is removed
    _top("klaim", indexed[400])
    assert first is not None and matching.FACTCHECKS.file is None
    assert matching.FACTCHECKS._matcher.held == 900
    call_command("matching_index_build", force=True)  # built, but too small to be used
    assert _top("klaim", indexed[400])[0][1] == FactCheck.objects.get(url="https://cekfakta.example/400").pk
    assert matching.FACTCHECKS.file is None


def test_an_index_of_another_encoders_vectors_is_not_used_and_its_rows_are_made_again(indexed, caplog):
    # An upgrade shipped a new matching encoder: the file and the stored vectors are the old one's.
    pointer = matching.FACTCHECKS.pointer_path
    raw = json.loads(pointer.read_text())
    assert raw["encoder"] == matching.encoder_version()
    pointer.write_text(json.dumps({**raw, "encoder": "e5-older"}))
    FactCheck.objects.filter(url__in=[f"https://cekfakta.example/{i}" for i in range(10)]).update(
        vector_encoder="e5-older")
    matching.indexes_reset()
    with caplog.at_level(logging.WARNING, logger="claims.nlp.ann"):
        found = _top("klaim", indexed[20])
    assert matching.FACTCHECKS.file is None
    assert any("e5-older" in record.getMessage() for record in caplog.records)
    assert found[0] == ("factcheck", FactCheck.objects.get(url="https://cekfakta.example/20").pk)
    # The old vectors are never compared with the new encoder's: those rows wait to be made again.
    assert ("factcheck", FactCheck.objects.get(url="https://cekfakta.example/3").pk) not in _top("klaim", indexed[3])
    call_command("matching_index_build")  # beat's rebuild makes them again first, then the file
    assert FactCheck.objects.exclude(vector_encoder=matching.encoder_version()).count() == 0
    assert json.loads(pointer.read_text())["encoder"] == matching.encoder_version()
    matching.indexes_reset()
    remade = FactCheck.objects.get(url="https://cekfakta.example/3")
    found = [key for key, _ in matching.FACTCHECKS.search(remade.claim_reviewed, k=10)]
    assert ("factcheck", remade.pk) in found  # by its new vector, searched exactly until the next build
    assert matching.FACTCHECKS.file is not None and len(matching.FACTCHECKS.file) == 1190


@pytest.mark.parametrize("damage", ["garbage", "truncated", "missing", "pointer"])
def test_a_damaged_index_file_means_exact_search_and_a_log_line(indexed, settings, tmp_path, caplog, damage):
    pointer = tmp_path / "matching" / "factchecks.json"
    (index_file,) = (tmp_path / "matching").glob("factchecks-*.usearch")
    if damage == "garbage":
        index_file.write_bytes(b"not an index" * 1000)
    elif damage == "truncated":
        index_file.write_bytes(index_file.read_bytes()[: index_file.stat().st_size // 2])
    elif damage == "missing":
        index_file.unlink()
    else:
        pointer.write_text("{not json")
    with caplog.at_level(logging.WARNING, logger="claims.nlp.ann"):
        found = _top("klaim", indexed[3])
    assert found[0] == ("factcheck", FactCheck.objects.get(url="https://cekfakta.example/3").pk)
    assert matching.FACTCHECKS.file is None
    assert any("searching exactly" in record.getMessage() for record in caplog.records)


def test_a_matcher_with_an_index_scores_like_one_without(tmp_path):
    """The fused score of a document the index holds is the one exact search gives it."""
    rng = np.random.default_rng(10)
    block = _unit(rng, 500)
    texts = [f"dokumen {i} tentang {i % 11}" for i in range(500)]
    pointer = tmp_path / "x.json"
    VectorFile.build(pointer, keys=np.arange(500, dtype=np.uint64), vectors=block, covers_until=0)
    file = VectorFile.open(pointer, dimensions=DIMENSIONS)

    class Source:
        def nearest(self, vector, count):
            keys, cosines = file.nearest(vector, count)
            return list(zip(keys.tolist(), cosines.tolist(), strict=True))

        def cosines(self, positions, vector):
            return file.cosines(positions, vector).tolist()

    exact = Matcher(embed=lambda texts: None, dimensions=DIMENSIONS, lexical_weight=0.2)
    exact.add(texts, vectors=block)
    approximate = Matcher(embed=lambda texts: None, dimensions=DIMENSIONS, lexical_weight=0.2)
    approximate.add(texts, held=False)
    approximate.source = Source()
    query = block[42]
    a = approximate.search("dokumen 7", query_vector=query, k=5)
    b = exact.search("dokumen 7", query_vector=query, k=5)
    assert [h.position for h in a] == [h.position for h in b]
    assert [round(h.score, 3) for h in a] == [round(h.score, 3) for h in b]  # float16 stored: 3 places


def test_a_build_that_finds_another_running_is_skipped(indexed):
    import fcntl

    from claims.services.matching import factcheck_index_build

    folder = matching.FACTCHECKS.pointer_path.parent
    with open(folder / "build.lock", "w") as running:
        fcntl.flock(running, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another build holds the machine's lock
        skipped = factcheck_index_build(force=True)
    assert not skipped.built and "another build" in skipped.message
    assert factcheck_index_build(force=True).built  # once it is done, builds run again
