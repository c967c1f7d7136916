import pytest

from claims.ingest import IngestError, bytes_decode, content_hash, html_to_article, plain_to_article


def test_it_reads_utf8_with_and_without_bom():
    assert bytes_decode(b"Harga naik 5%") == ("Harga naik 5%", "utf-8")
    assert bytes_decode(b"\xef\xbb\xbfHarga") == ("Harga", "utf-8")


def test_it_falls_back_to_latin1_for_non_utf8_text():
    text, encoding = bytes_decode("Café société à Jakarta".encode("latin-1"))
    assert text == "Café société à Jakarta"
    assert encoding in {"windows-1252", "latin-1"}


def test_it_reads_utf16_with_bom():
    assert bytes_decode("Jakarta, kata dia".encode("utf-16")) == ("Jakarta, kata dia", "utf-16")


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"   \n\t ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (bytes(range(1, 32)) * 50, "binary"),
])
def test_it_refuses_empty_and_binary_data(data, message):
    with pytest.raises(IngestError, match=message):
        bytes_decode(data)


@pytest.mark.parametrize("text", ["\u200b\u200c\u200d", "\ufeff\u2060\n\u200b", " \u00a0\u3000\n\t", "\u2800\u3164"])
def test_a_text_of_only_invisible_characters_is_empty(text):
    with pytest.raises(IngestError, match="empty"):
        plain_to_article(text)


def test_plain_text_first_line_is_title():
    article = plain_to_article("Judul berita\r\nBaris pertama.\r\n\r\n\r\n\r\nBaris kedua.")
    assert article.title == "Judul berita"
    assert article.body == "Baris pertama.\n\nBaris kedua."


def test_plain_text_drops_control_characters():
    assert plain_to_article("Judul\nIsi\x00 berita\x07.").body == "Isi berita."


def test_html_gives_main_text_and_title():
    html = """<html><head><title>Harga beras naik</title></head><body>
    <nav>Beranda | Ekonomi | Politik</nav>
    <article><h1>Harga beras naik</h1>
    <p>Harga beras di Jakarta naik 12 persen pada Maret 2025, kata Badan Pusat Statistik.</p>
    <p>Kenaikan itu adalah yang tertinggi sejak 2019, menurut data BPS yang dirilis Senin.</p>
    <p>Pemerintah menyatakan akan menambah impor beras sebanyak 500 ribu ton bulan depan.</p>
    </article><footer>Hak cipta 2025</footer></body></html>"""
    article = html_to_article(html)
    assert article.title == "Harga beras naik"
    assert "naik 12 persen" in article.body
    assert "<p>" not in article.body
    assert "Beranda | Ekonomi" not in article.body


def test_broken_html_without_text_is_refused():
    with pytest.raises(IngestError, match="no article text"):
        html_to_article("<html><body><div><script>alert(1)</script></div")


def test_same_text_with_different_line_endings_hashes_the_same():
    assert content_hash("Satu.\r\nDua.\r\n") == content_hash("Satu.\nDua.")
