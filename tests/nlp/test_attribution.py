"""Who said it, where the sentence names both a source document and a speaker."""

from claims.nlp import extract


def test_the_person_with_the_reporting_verb_is_the_speaker_not_the_report():
    text = "Menurut laporan itu, 40 persen amunisi yang dikirim ke garis depan rusak, ujar analis militer Andi Wijaya."
    [claim] = extract(text, "id")
    assert claim.speaker == "Andi Wijaya"
    assert claim.speaker_role == "analis militer"


def test_a_named_person_after_menurut_is_the_speaker():
    [claim] = extract("Menurut Sri Mulyani, inflasi Maret 2025 sebesar 1,2 persen.", "id")
    assert claim.speaker.startswith("Sri Mulyani")
