"""Who said it, and what hedges it: cases from real articles that once went wrong."""

from claims.nlp import extract


def test_the_person_with_the_reporting_verb_is_the_speaker_not_the_report():
    text = "Menurut laporan itu, 40 persen amunisi yang dikirim ke garis depan rusak, ujar analis militer Andi Wijaya."
    [claim] = extract(text, "id")
    assert claim.speaker == "Andi Wijaya"
    assert claim.speaker_role == "analis militer"


def test_a_named_person_after_menurut_is_the_speaker():
    [claim] = extract("Menurut Sri Mulyani, inflasi Maret 2025 sebesar 1,2 persen.", "id")
    assert claim.speaker.startswith("Sri Mulyani")


def test_a_complaint_filed_with_the_police_is_not_a_hedge():
    [claim] = extract("Kasus penipuan senilai Rp 2 miliar itu dilaporkan ke Polda Metro Jaya pada Senin.", "id")
    assert claim.hedge is None
    [hedged] = extract("Rusia dilaporkan setuju untuk mempersenjatai Iran dengan jet tempur.", "id")
    assert hedged.hedge == "dilaporkan"
