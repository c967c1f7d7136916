"""`manage.py import_articles`: what a newsroom sees when it loads a folder of files."""

import os
import resource
import socket
import threading
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.choices import JobStatus
from claims.models import Article, Claim, ExtractionJob
from tests.conftest import SEED

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args) -> str:
    out = StringIO()
    call_command("import_articles", *map(str, args), "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_imports_the_seeds_and_extracts_their_claims():
    output = run(SEED.parent)
    article = Article.objects.get()
    assert article.title.startswith("Pertemuan Putin dan Kim Jong-un")
    assert article.body.startswith("RIAU24.COM - ")
    assert article.language == "id"
    assert ExtractionJob.objects.get().status == JobStatus.SUCCEEDED
    assert Claim.objects.filter(article=article).count() > 0
    assert "1 imported, 0 already there, 0 failed" in output


def test_running_it_twice_duplicates_nothing():
    run(SEED.parent)
    claims = Claim.objects.count()
    output = run(SEED.parent)
    assert "already there" in output
    assert (Article.objects.count(), ExtractionJob.objects.count(), Claim.objects.count()) == (1, 1, claims)


def test_bad_files_get_clear_messages_and_do_not_stop_the_others(tmp_path: Path):
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (tmp_path / "c_latin1.txt").write_bytes(
        "Harga kopi naik\n\nHarga kopi arabika naik 20 persen tahun ini, kata pedagang café.".encode("latin-1")
    )
    (tmp_path / "d_huge.txt").write_bytes(b"Judul\n\n" + b"Harga naik. " * (5 * 1024 * 1024 // 12))
    (tmp_path / "e_good.txt").write_text(
        "Inflasi naik\n\nBadan Pusat Statistik mencatat inflasi Maret 2025 sebesar 1,2 persen.",
        encoding="utf-8",
    )
    (tmp_path / "f_notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "g_page.html").write_text(
        "<html><head><title>Anggaran pertahanan</title></head><body><article>"
        "<p>Anggaran pertahanan tahun 2025 mencapai Rp 165 triliun, kata Menteri Keuangan.</p>"
        "<p>Angka itu naik 20 persen dibanding tahun sebelumnya menurut dokumen APBN.</p>"
        "</article></body></html>", encoding="utf-8",
    )

    output = run(tmp_path / "a_empty.txt", tmp_path / "b_binary.txt", tmp_path / "c_latin1.txt",
                 tmp_path / "d_huge.txt", tmp_path / "e_good.txt", tmp_path / "f_notes.pdf",
                 tmp_path / "g_page.html", tmp_path / "missing.txt")

    lines = {line.split(":")[0].rsplit("/", 1)[-1]: line for line in output.splitlines() if ":" in line}
    assert "the file is empty" in lines["a_empty.txt"]
    assert "binary" in lines["b_binary.txt"]
    assert "read as" in lines["c_latin1.txt"] and "article" in lines["c_latin1.txt"]
    assert "too large (5.0 MB" in lines["d_huge.txt"]
    assert "extraction succeeded" in lines["e_good.txt"]
    assert "unsupported file type .pdf" in lines["f_notes.pdf"]
    assert "extraction succeeded" in lines["g_page.html"]
    assert "3 imported, 0 already there, 5 failed." in output
    assert set(Article.objects.values_list("source_name", flat=True)) == {
        "c_latin1.txt", "e_good.txt", "g_page.html"
    }
    assert Article.objects.get(source_name="c_latin1.txt").body.endswith("kata pedagang café.")
    assert Article.objects.get(source_name="g_page.html").title == "Anggaran pertahanan"


def test_it_fails_when_nothing_could_be_imported(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError, match="nothing could be imported"):
        run(tmp_path / "empty.txt")


def test_it_walks_folders(tmp_path: Path):
    nested = tmp_path / "2025" / "maret"
    nested.mkdir(parents=True)
    (nested / "one.txt").write_text("Satu\n\nInflasi Maret 2025 sebesar 1,2 persen.", encoding="utf-8")
    (tmp_path / "two.txt").write_text("Dua\n\nHarga beras naik 12 persen pada April.", encoding="utf-8")
    output = run(tmp_path)
    assert "2 imported" in output


def _run_bounded(*args, seconds: float = 60) -> str:
    """The command in a thread, so that a read that blocks (a FIFO) fails the test instead
    of hanging it; a blocked reader is released by opening the FIFO for writing."""
    result: dict[str, object] = {}

    def target() -> None:
        try:
            result["output"] = run(*args)
        except BaseException as exc:  # noqa: BLE001 - reported below
            result["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        for path in args:
            if Path(path).is_fifo():
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(seconds)
        pytest.fail("import_articles blocked on a file that is not a regular file")
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["output"]  # type: ignore[return-value]


@contextmanager
def _memory_capped(extra: int = 1024**3):
    """A MemoryError instead of the machine's memory if the command reads without end."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as fh:
        in_use = int(fh.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (in_use + extra, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_devices_fifos_and_sockets_are_refused_and_the_others_imported(tmp_path: Path):
    (tmp_path / "a_zero.txt").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "b_pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "c_socket.txt"))
    (tmp_path / "real.txt").write_text("Inflasi naik\n\nBadan Pusat Statistik mencatat inflasi 1,2 persen.",
                                       encoding="utf-8")
    (tmp_path / "e_link.txt").symlink_to(tmp_path / "real.txt")
    names = ["a_zero.txt", "b_pipe.txt", "c_socket.txt", "e_link.txt"]
    try:
        with _memory_capped():
            output = _run_bounded(*(tmp_path / name for name in names))
    finally:
        sock.close()
    lines = {line.split(":")[0].rsplit("/", 1)[-1]: line for line in output.splitlines() if ":" in line}
    assert "a character device" in lines["a_zero.txt"]
    assert "a named pipe" in lines["b_pipe.txt"]
    assert "a socket" in lines["c_socket.txt"]
    assert "extraction succeeded" in lines["e_link.txt"]
    assert "1 imported, 0 already there, 3 failed." in output
    assert list(Article.objects.values_list("source_name", flat=True)) == ["e_link.txt"]


def test_a_folder_lists_the_special_files_it_refuses(tmp_path: Path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "pipe.html")
    (tmp_path / "good.txt").write_text("Dua\n\nHarga beras naik 12 persen pada April.", encoding="utf-8")
    with _memory_capped():
        output = _run_bounded(tmp_path)
    assert "1 imported, 0 already there, 2 failed." in output
    assert "not a regular file" in output


def test_a_file_larger_than_its_stated_size_is_read_only_to_the_limit(tmp_path: Path, settings):
    # Files under /proc say they are empty and are not.
    settings.FACTCHECK_IMPORT_MAX_BYTES = 100
    (tmp_path / "maps.txt").symlink_to("/proc/self/maps")
    (tmp_path / "good.txt").write_text("Dua\n\nHarga beras naik 12 persen.", encoding="utf-8")
    output = _run_bounded(tmp_path / "maps.txt", tmp_path / "good.txt")
    assert "maps.txt: not imported: the file is too large" in output
    assert "1 imported, 0 already there, 1 failed." in output
