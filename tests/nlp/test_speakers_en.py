"""English speakers and roles as an editor reads them: who speaks, and in what capacity.

Each case is a sentence shape from the shared BBC articles that once gave a speaker
such as "A BBC spokesman", "By contrast" or "February".
"""

from claims.nlp import extract


def _speaker(text: str) -> tuple[str | None, str | None]:
    [claim] = extract(text, "en")
    return claim.speaker, claim.speaker_role


def test_an_organisations_spokesman_speaks_for_the_organisation():
    assert _speaker('A BBC spokesman said: "He took his seat as the show began at 8pm."') == (
        "BBC",
        "spokesman",
    )


def test_a_leading_conjunction_is_not_part_of_the_speaker():
    speaker = _speaker("But a UKIP spokesman said that would be impossible within 70 days.")
    assert speaker == ("UK Independence Party", "spokesman")


def test_a_party_spokesman_resolves_to_the_party():
    speaker = _speaker("A Liberal Democrat spokesman said the party would raise the pension by 10%.")
    assert speaker == ("Liberal Democrats", "spokesman")


def test_a_spokesman_for_someone_speaks_for_them():
    text = '"This machine is for small businesses and costs $299," a spokesman for Dell said.'
    assert _speaker(text) == ("Dell", "spokesman")


def test_a_role_has_no_leading_article():
    text = '"We cancelled 77 flights," Michael Lamberty, a Lufthansa spokesman told the BBC.'
    assert _speaker(text) == ("Michael Lamberty", "Lufthansa spokesman")
    text = 'The Shadow Secretary of State for the Family, Theresa May, said: "The plan costs £500m."'
    assert _speaker(text) == ("Theresa May", "Shadow Secretary of State for the Family")


def test_an_article_alone_is_no_role():
    speaker, role = _speaker("The Tories dismissed the £300m maternity pay plan as desperate.")
    assert speaker == "Conservative Party"
    assert role is None


def test_the_clause_before_the_speaker_is_not_his_role():
    speaker, role = _speaker("Unions oppose the plans but Mr Brown said £2bn savings had already been made.")
    assert speaker == "Gordon Brown"
    assert role is None


def test_a_sentence_adverbial_is_no_speaker_and_the_inverted_speaker_is():
    text = "Gavin Cox reviewed both machines. By contrast, says Mr Cox, the Mac mini costs £339."
    claims = extract(text, "en")
    assert [c.speaker for c in claims if "By contrast" in c.text] == ["Gavin Cox"]


def test_a_sentence_adverbial_with_no_speaker_gives_none():
    assert _speaker("By contrast, says the report, the Mac mini costs £339.")[0] is None


def test_a_month_is_not_a_speaker():
    text = (
        "The odds now favour a further boost to rates at the next meeting in early February, economists said."
    )
    assert _speaker(text)[0] is None


def test_unnamed_reports_are_not_a_speaker():
    text = "Further reports had suggested that Euronext could offer more than 533p a share."
    assert _speaker(text)[0] is None


def test_a_passive_reporting_verb_has_no_speaker():
    assert _speaker("Santa Monica-based Activision is said to be one of 5 firms on its list.")[0] is None


def test_adverbs_and_auxiliaries_between_subject_and_verb_are_not_the_speaker():
    text = "Muslim groups have repeatedly claimed that 12.5% of searches were on Asian people."
    assert _speaker(text)[0] == "Muslim groups"


def test_an_unnamed_official_is_no_speaker_name():
    text = (
        "Muslims should accept that 4.7% of people are stopped more often, a Home Office minister has said."
    )
    assert _speaker(text)[0] is None


def test_indonesian_filler_pihak_gives_the_institution():
    [claim] = extract("Pihak kepolisian mengimbau agar 1.743 peserta aksi menjaga ketertiban.", "id")
    assert claim.speaker == "Kepolisian Negara Republik Indonesia"
