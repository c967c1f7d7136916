"""Interviews written as questions and answers: the answers are the interviewee's claims."""

from __future__ import annotations

from claims.nlp import extract

ENGLISH = """'We will not cut the health budget': Interview with Malaysia's health minister

Malaysia's Health Minister Dzulkefly Ahmad sat down with our correspondent to discuss dengue.

Q: Dengue cases have been rising sharply this year. How bad is the situation?

Dzulkefly: We recorded about 42,000 cases between January and June 2025. Cases have come down by nearly half.

Q: Critics say the government is cutting health spending.

Dzulkefly: The health ministry's allocation for 2025 is RM45.3 billion, the highest in our history.

This interview was conducted in Putrajaya on September 15, 2025.
"""

INDONESIAN = """Wawancara Kapolres Sikka soal Senjata Api Rakitan

Jakarta - Peredaran senjata api rakitan di NTT menjadi sorotan. detikcom mewawancarai Kapolres Sikka AKBP Moh Mukhson soal langkah kepolisian.

Tanya: Berapa banyak senjata api rakitan yang sudah disita tahun ini?

Jawab: Sepanjang Januari sampai September 2025, kami menyita 37 pucuk senjata api rakitan dan 412 butir amunisi.

Tanya: Bagaimana dengan anggaran operasi?

Jawab: Untuk operasi tahun ini kami hanya dapat sekitar Rp 450 juta.
"""


def test_answers_are_the_named_interviewees_and_questions_are_no_claims():
    claims = extract(ENGLISH)
    texts = [c.text for c in claims]
    assert not any("Q:" in t or "How bad" in t or "Critics say" in t for t in texts)
    answers = [c for c in claims if "42,000" in c.text or "RM45.3" in c.text or "nearly half" in c.text]
    assert len(answers) == 3
    assert {c.speaker for c in answers} == {"Dzulkefly Ahmad"}
    assert all(c.attribution != "the outlet" and not c.text.startswith("Dzulkefly") for c in answers)
    # The note on when the interview was done is furniture.
    assert not any("conducted in Putrajaya" in t for t in texts)


def test_a_plain_jawab_is_the_person_the_introduction_says_was_interviewed():
    claims = extract(INDONESIAN)
    answers = [c for c in claims if "37 pucuk" in c.text or "Rp 450 juta" in c.text]
    assert len(answers) == 2
    assert {(c.speaker, c.speaker_role) for c in answers} == {("Moh Mukhson", "Kapolres Sikka")}
    assert all(c.text.startswith(("Sepanjang", "Untuk")) for c in answers)
    assert not any(c.text.startswith(("Tanya", "Berapa", "Bagaimana")) for c in claims)


def test_a_name_and_a_colon_outside_an_interview_is_no_answer():
    # No question lines: "Claim:" and "Fakta:" labels are not someone's answers.
    claims = extract(
        "Klaim Vaksin Campak Sebabkan Kematian\n\n"
        "Jakarta - Sebuah unggahan beredar di Facebook.\n\n"
        "Klaim: 45 anak di Sikka meninggal setelah disuntik vaksin campak.\n\n"
        "Fakta: Dinas Kesehatan mencatat tidak ada kematian terkait vaksin campak pada 2025.\n"
    )
    assert all(c.speaker not in ("Klaim", "Fakta") for c in claims)
