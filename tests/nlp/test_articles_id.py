"""The twenty Indonesian articles: no boilerplate or headline as a claim, every quote a speaker."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claims.nlp import extract, extract_many

BOILERPLATE = re.compile(
    r"^(Simak|Lihat|Tonton|Saksikan|Baca) juga|^Saksikan Live|^SCROLL TO CONTINUE|"
    r"^ADVERTISEMENT|^\[Gambas:"
)
QUOTED_SPEECH = re.compile(r"[\"\u201c]([^\"\u201c\u201d]+)")


@pytest.fixture(scope="module")
def articles(datasets: Path) -> list[tuple[str, str]]:
    paths = sorted((datasets / "articles-id").glob("*.txt"))
    assert len(paths) == 20
    return [(p.name, p.read_text(encoding="utf-8")) for p in paths]


@pytest.fixture(scope="module")
def extracted(articles):
    return extract_many([text for _, text in articles])


def test_no_boilerplate_line_is_a_claim(articles, extracted):
    for (name, text), claims in zip(articles, extracted, strict=True):
        boilerplate = [
            (m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if BOILERPLATE.match(m.group().strip())
        ]
        for claim in claims:
            assert not any(s <= claim.start < e for s, e in boilerplate), (name, claim.text)


def test_no_headline_is_a_claim(articles, extracted):
    for (name, text), claims in zip(articles, extracted, strict=True):
        headline_end = text.index("\n")
        assert all(c.start > headline_end for c in claims), name


def test_every_quote_has_a_speaker(articles, extracted):
    for (name, text), claims in zip(articles, extracted, strict=True):
        for claim in claims:
            line_start = text.rfind("\n", 0, claim.start) + 1
            line_end = text.find("\n", claim.end)
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            inside_quote = any(
                len(m.group(1).split()) >= 3
                and line_start + m.start(1) <= claim.start < line_start + m.end(1)
                for m in QUOTED_SPEECH.finditer(line)
            )
            if inside_quote:
                assert claim.speaker, (name, claim.text)


def test_spans_are_exact(articles, extracted):
    for (_, text), claims in zip(articles, extracted, strict=True):
        for claim in claims:
            assert text[claim.start : claim.end] == claim.text
            assert 0.0 <= claim.score <= 1.0
            assert claim.language == "id"


def test_detik_style_dateline_and_video_teasers_are_not_claim_text():
    from claims.nlp import extract

    text = (
        "Harga Beras Naik 12 Persen\n\n"
        "Jakarta - Badan Pangan Nasional mencatat harga beras naik 12 persen menjadi Rp 14.500 per kilogram.\n\n"
        'Simak Video "Video: Harga Beras Naik Lagi 5 Persen"\n\n'
        "[Gambas:Video 20detik]"
    )
    [claim] = extract(text, "id")
    assert claim.text.startswith("Badan Pangan Nasional mencatat")
    # The agency that recorded the figure is its source; the place before the dash is not.
    assert claim.speaker == "Badan Pangan Nasional"


def test_kompas_and_antara_closing_lines_are_not_claims():
    from claims.nlp import extract

    text = (
        "Indonesia Beli 2 Kapal Selam\n\n"
        "JAKARTA, KOMPAS.com - Indonesia resmi membeli dua kapal selam Scorpene senilai Rp 27 triliun.\n\n"
        "Simak breaking news dan berita pilihan kami langsung di ponselmu.\n\n"
        "Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com.\n\n"
        "Ikuti berita terkini dari kami di Google News dan saluran WhatsApp."
    )
    [claim] = extract(text, "id")
    assert claim.text.startswith("Indonesia resmi membeli")
    assert "arms-deals" in claim.topics


def test_follow_us_photo_credits_bylines_and_update_times_are_not_claims():
    furniture = [
        "Ikuti kami di Instagram dan TikTok.",
        "Klik di sini untuk berita lainnya.",
        "(Foto: ANTARA/Aditya Pradana Putra)",
        "Diperbarui 2 jam lalu",
        "Jangan lewatkan berita terbaru hanya di detikcom.",
        "Laporan wartawan Tribunnews.com, Ilham Rian Pratama",
        "Oleh: Budi Santoso",
        "Pewarta: Sanya Dinda Susanti",
        "COPYRIGHT © ANTARA 2025",
        "Pilihan Editor: Menkes Budi Sebut 9 dari 10 Dokter Spesialis Menumpuk di Jawa",
        # A list of links under its own header line: each title is a link.
        "Baca juga:\nKPK Geledah Rumah Eks Mentan, Sita Mobil Mewah\nEks Pejabat Kemenkeu Divonis 10 Tahun Penjara",
    ]
    story = [
        "Badan Pusat Statistik mencatat inflasi Oktober 2024 sebesar 1,71 persen.",
        # Sentences that start the same way are still the story's.
        "Ikuti perkembangan harga, pemerintah menambah subsidi Rp 5 triliun.",
        "Laporan keuangan Pertamina mencatat laba Rp 50 triliun pada 2024.",
    ]
    text = "Inflasi Turun\n\n" + "\n\n".join(story[:1] + furniture + story[1:])
    assert [c.text for c in extract(text, "id")] == story


def test_a_detik_channel_in_the_dateline_is_the_outlet_and_no_part_of_the_claim():
    text = (
        "KPK Tetapkan Tersangka\n\nJakarta, detikNews - Komisi Pemberantasan Korupsi (KPK) menetapkan "
        "mantan Direktur Utama PT Asabri sebagai tersangka korupsi senilai Rp 1,2 triliun."
    )
    [claim] = extract(text, "id")
    assert claim.text.startswith("Komisi Pemberantasan Korupsi")
    assert claim.speaker == "detikNews"


def test_captions_credits_share_buttons_and_teasers_are_furniture_and_the_dateline_still_found():
    story = [
        "Majelis hakim menjatuhkan vonis 8 tahun penjara kepada mantan Kadivre Bulog, kata jaksa.",
        "Hubungi call center polisi di +62 811 1516 7791 untuk melapor 3 kasus.",
    ]
    furniture = [
        "Terdakwa Hendra Saputra (tengah) mendengarkan pembacaan vonis di Pengadilan Tipikor Makassar.",
        "(ANTARA FOTO/Arnas Padda)",
        "Ilustrasi pelayanan peserta BPJS Kesehatan.",
        "[Suara.com/Alfian Winanto]",
        "(Istimewa)",
        "Rep: Dedy Darmawan Nasution",
        "TIM CEK FAKTA TEMPO",
        "Facebook Twitter WhatsApp Telegram",
        "Nikmati Konten Premium Untuk Informasi Yang Lebih Dalam",
        "Punya klaim yang ingin Anda cek? Hubungi ChatBot Tempo Media di WhatsApp +62 811 1516 7791",
        "Next Article\nPrabowo Pamer Rafale Pertama Tiba di Pekanbaru",
        "Baca Lagi\nJokowi Resmikan Kapal Perang Buatan PT PAL",
    ]
    text = (
        "Eks Kadivre Bulog Divonis 8 Tahun\n\n"
        + "\n\n".join(furniture[:2])
        + "\n\nMAKASSAR, KOMPAS.com - "
        + "\n\n".join(story + furniture[2:])
    )
    claims = extract(text)
    assert [c.text for c in claims] == story
    # A phone number is no figure.
    assert [e.text for e in claims[1].entities] == ["3 kasus"]
