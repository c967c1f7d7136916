"""English speakers and roles as an editor reads them: who speaks, and in what capacity.

Each case is a sentence shape from the shared BBC articles that once gave a speaker
such as "A BBC spokesman", "By contrast" or "February".
"""

from claims.nlp import extract
from tests.nlp.cases import read_each


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
    # The economists said it: a group the text does not name, not "February".
    assert _speaker(text)[0] == "Economists"


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


def _speakers(text: str, language: str = "en") -> dict[str, tuple[str | None, str | None, str | None]]:
    """Each claim's first words -> (speaker, role, attribution)."""
    return {
        " ".join(c.text.split()[:3]): (c.speaker, c.speaker_role, c.attribution)
        for c in extract(text, language)
    }


def test_an_organisation_name_is_kept_whole():
    text = "Greater Manchester Police said people near the car had also been hit by the waste."
    assert _speaker(text) == ("Greater Manchester Police", None)
    assert (
        _speaker("But Salford City Council said the road would close on 4 May.")[0] == "Salford City Council"
    )


def test_he_never_stands_for_an_organisation():
    text = "Greater Manchester Police said two people were hurt. He said he would press charges."
    assert _speakers(text)["He said he"][0] is None


def test_they_may_stand_for_an_organisation():
    text = "Greater Manchester Police said two people were hurt. They said no arrests had been made."
    assert _speakers(text)["They said no"][0] == "Greater Manchester Police"


def test_he_is_the_person_the_previous_sentences_are_about():
    text = (
        "Euro MP Robert Kilroy-Silk was hit by slurry in Manchester. "
        "Greater Manchester Police said people near him had also been hit. "
        "Mr Kilroy-Silk, an MEP for the East Midlands, resigned the party whip in October. "
        "However, he remains a member of the party. "
        "He said on Friday he hoped to be elected party leader."
    )
    assert _speakers(text)["He said on"][0] == "Robert Kilroy-Silk"


def test_he_is_the_subject_of_the_last_sentence_not_the_last_speaker():
    text = (
        "The host, Jonathan Dimbleby, told the audience that Robert Kilroy-Silk was covered. "
        "Mr Kilroy-Silk was still able to appear on the show. "
        "He told reporters he was very angry."
    )
    assert _speakers(text)["He told reporters"][0] == "Robert Kilroy-Silk"


def test_the_person_quoted_is_the_speaker_and_the_paper_the_medium():
    text = (
        "According to the Financial Times, chief operating officer Peter Chernin said the firm was"
        ' looking at 3 studios. Video games are "big business", the paper quoted Mr Chernin as saying.'
    )
    speakers = _speakers(text)
    assert speakers["According to the"] == ("Peter Chernin", "chief operating officer", "via Financial Times")
    assert speakers["Video games are"] == ("Peter Chernin", "chief operating officer", "via Financial Times")


def test_quoted_as_saying_after_a_quote_and_in_the_passive():
    text = '"Video games are a $20bn business," the paper quoted Mr Chernin as saying.'
    assert extract(text, "en")[0].speaker == "Chernin"
    text = "Mr Dixon was quoted by Reuters as saying the carrier could no longer afford 7,000 jobs."
    [claim] = extract(text, "en")
    assert (claim.speaker, claim.attribution) == ("Dixon", "via Reuters")


def test_indonesian_dia_never_stands_for_an_organisation():
    text = "Badan Pusat Statistik menyatakan inflasi naik 2%. Dia menyebut harga beras naik 5%."
    assert _speakers(text, "id")["Dia menyebut harga"][0] is None
    text = "Kepala BPS Amalia Adininggar menyatakan inflasi naik 2%. Badan Pusat Statistik mencatat ekspor turun 3%. Dia menyebut harga beras naik 5%."
    assert _speakers(text, "id")["Dia menyebut harga"][0] == "Amalia Adininggar"


def test_say_in_the_present_names_the_speaker():
    text = (
        "Greater Manchester Police said two people were hurt.\n\n"
        "Police say the suspect ran off towards Wilmslow Road."
    )
    assert [c.speaker for c in extract(text, "en")] == ["Greater Manchester Police"] * 2
    [claim] = extract("Critics say the tax rise will cost 2,000 jobs.", "en")
    assert claim.speaker == "Critics"


def test_say_after_to_or_a_modal_reports_nobody():
    [claim] = extract("It is fair to say the economy grew by 2% last year.", "en")
    assert claim.speaker is None
    [claim] = extract("Analysts would say the deficit doubled in 2004.", "en")
    assert claim.speaker is None


def test_more_reporting_verbs_name_the_speaker_for_the_he_that_follows():
    text = (
        "Mike Prettejohn, president of Netcraft, speculated that the blocking decision was taken"
        " to cut costs. He said the site may see no reason to serve 300 million people abroad."
    )
    assert [(c.speaker, c.speaker_role) for c in extract(text, "en")] == [
        ("Mike Prettejohn", "president of Netcraft")
    ] * 2
    [claim] = extract("Analysts have forecast full-year profit will rise about 11%.", "en")
    assert claim.speaker == "Analysts"


def test_a_very_long_article_remembers_its_speakers_from_piece_to_piece():
    """Texts over MAX_CHUNK_CHARS are extracted in pieces; the speakers carry over."""
    from claims.nlp.pipeline import MAX_CHUNK_CHARS

    filler = "The committee met again on Tuesday to discuss the schedule for the hearings.\n\n"
    head = "Finance minister John Carter said inflation rose to 5 percent in March.\n\n"
    tail = "Carter said wages fell by 2 percent in the same month.\n\nHe added that 300 jobs were lost."
    text = head + filler * (MAX_CHUNK_CHARS // len(filler) + 10) + tail
    assert len(text) > MAX_CHUNK_CHARS

    claims = extract(text, "en")
    last_two = [(c.speaker, c.speaker_role) for c in claims[-2:]]
    assert last_two == [("John Carter", "Finance minister")] * 2
    assert claims[0].speaker == "John Carter"


def test_urging_and_calling_for_are_said_by_someone():
    text = (
        "Charity boss Gordon Lishman said 69% of over-55s always vote.\n\n"
        "Mr Lishman urged the next government to boost the state pension by 5%. "
        "He also called for measures to combat ageism."
    )
    assert [c.speaker for c in extract(text, "en")] == ["Gordon Lishman"] * 3


def test_an_opener_before_the_comma_is_nobodys_name():
    [claim] = extract("Later, the prime minister's official spokesman urged people to read all 40 pages.", "en")
    assert claim.speaker != "Later"


def test_according_to_at_the_end_or_between_commas_names_the_source():
    """'..., according to X.' is X's word, as 'According to X, ...' is; 'ranked according
    to' is no one's."""
    assert _speaker("Unemployment rose to 5.2% in March, according to the Office for National Statistics.") == (
        "Office for National Statistics",
        None,
    )
    assert _speaker("A good basic PC that, according to PC Pro, has superb upgrade potential.")[0] == "PC Pro"
    assert _speaker("Inflation, according to the Bank of England, will rise to 3% next year.")[0] == "Bank of England"
    assert _speaker("The schools were ranked according to their exam results in 2004.")[0] is None


def test_a_person_who_said_it_keeps_the_claim_when_a_paper_reported_it():
    [claim] = extract("Mr Brown said the deficit would fall to £20bn, according to the Financial Times.", "en")
    assert claim.speaker == "Gordon Brown"
    assert claim.attribution == "via Financial Times"


def test_the_company_after_an_opener_still_speaks():
    # No company was introduced: "the company" is all the text says.
    assert _speaker("However, the company said profits rose 8% in the third quarter.")[0] == "the company"
    assert _speaker("But the company said profits rose 8% in the third quarter.")[0] == "the company"
    # Plural people after an opener are a group the text does not name, as "Critics say" is.
    [claim] = extract("Meanwhile, analysts said profits rose 8% in the third quarter.", "en")
    assert (claim.speaker, claim.speaker_kind) == ("Analysts", "group")
    # Any other subject with no article after an opener is nobody in particular.
    assert _speaker("Meanwhile, further reports said profits rose 8% in the third quarter.")[0] is None


def test_someone_known_only_by_role_speaks_in_that_role():
    text = (
        "Searches will target Muslims more often, a Home Office minister has said.\n\n"
        "Later, the prime minister's official spokesman urged people to read all 40 pages. "
        "The plans were not aimed at one community, the spokesman said.\n\n"
        '"It is not police policy to aim these powers at one community," he added.'
    )
    minister, *spokesman = [(c.speaker, c.speaker_role) for c in extract(text, "en")]
    assert minister == (None, "Home Office minister")
    assert spokesman == [(None, "prime minister's official spokesman")] * 3


def test_a_role_named_before_stands_for_its_holder():
    text = (
        "Chancellor Gordon Brown announced 84,000 job cuts in the civil service in 2004.\n\n"
        "In his Budget statement, the chancellor said the first 12,500 jobs had been cut."
    )
    assert [(c.speaker, c.speaker_role) for c in extract(text, "en")][-1] == ("Gordon Brown", "Chancellor")


def test_an_age_after_the_name_is_not_the_speaker():
    text = (
        "Viktor Makarov, 50, claims he has been betrayed by the British authorities.\n\n"
        "But despite a £65,000 settlement four years ago, he says he has been denied a pension."
    )
    assert [c.speaker for c in extract(text, "en")] == ["Viktor Makarov"] * 2


def test_a_speaker_set_off_by_commas_is_not_the_sentence_subject():
    assert _speaker("The plan, said Mr Smith, would cost £5bn in 2005.")[0] == "Smith"



def test_a_programme_of_a_broadcaster_is_reported_via_the_broadcaster():
    [claim] = extract("Paid leave will rise to nine months by 2007, Ms Hewitt told GMTV's Sunday programme.", "en")
    assert claim.attribution == "via GMTV"


def test_a_surname_that_begins_a_place_name_is_still_a_name():
    """'White' begins 'White House', and is Jack White's surname all the same."""
    assert _speaker("Chief executive Jack White said profits rose 8% in 2004.") == ("Jack White", "Chief executive")


def test_the_company_is_the_company_the_text_introduced():
    text = (
        "German airline Aerolux may sue federal agencies after Air Force One landed in Frankfurt.\n\n"
        "The company said that it had to cancel 77 flights, affecting about 5,000 passengers.\n\n"
        "However, the airline said long-haul flights were not disrupted on Wednesday."
    )
    assert [c.speaker for c in extract(text, "en")] == [None, "Aerolux", "Aerolux"]


def test_the_company_is_the_one_that_spoke_not_the_last_named():
    text = (
        "Shares in oil giant Yukos fell 5% on Monday.\n\n"
        "Yukos says a US court was entitled to declare it bankrupt in December.\n\n"
        "Its unit was sold to state-controlled oil company Petrolex for $9.4bn.\n\n"
        "The company said it would seek $20bn in damages from Petrolex."
    )
    assert extract(text, "en")[-1].speaker == "Yukos"


def test_the_airline_is_never_a_company_of_another_kind():
    text = (
        "Media giant TimeWarner said profits rose 76% in the fourth quarter.\n\n"
        "The airline said it would cut 7,000 jobs in 2005."
    )
    assert extract(text, "en")[-1].speaker == "The airline"


def test_indonesian_perseroan_is_the_company_named_before():
    text = (
        "PT Sinar Tekstil mencatat kerugian Rp 1,2 triliun pada 2024, naik 15 persen.\n\n"
        "Perseroan menyatakan kredit sebesar Rp 3,5 triliun sudah dilunasi pada Maret 2025.\n\n"
        "Pihak perusahaan mengatakan 10.000 karyawan tetap bekerja."
    )
    # The company that records its own loss is the source of the figure, under its full name.
    assert [c.speaker for c in extract(text, "id", title="")] == ["PT Sinar Tekstil"] * 3


def test_a_wire_dateline_names_the_agency_not_the_city():
    [claim] = extract("WASHINGTON (Reuters) - The Pentagon will buy 500 missiles in 2024.", "en", title="")
    assert (claim.text, claim.speaker, claim.attribution) == (
        "The Pentagon will buy 500 missiles in 2024.", "Reuters", "the outlet"
    )
    [claim] = extract("LONDON, Nov 25 (AP) - Inflation rose to 3.2% in October.", "en", title="")
    assert (claim.text, claim.speaker) == ("Inflation rose to 3.2% in October.", "AP")
    # A place alone is where, not who: the outlet stays unnamed.
    [claim] = extract("LONDON - Inflation rose to 3.2% in October.", "en", title="")
    assert (claim.text, claim.speaker, claim.attribution) == ("Inflation rose to 3.2% in October.", None, "the outlet")


def test_an_indonesian_dateline_names_the_site():
    for lead, outlet in (
        ("JAKARTA, KOMPAS.com - ", "KOMPAS.com"),
        ("Jakarta, CNN Indonesia -- ", "CNN Indonesia"),
        ("TEMPO.CO, Jakarta - ", "TEMPO.CO"),
        ("Jakarta (ANTARA) - ", "ANTARA"),
    ):
        [claim] = extract(lead + "Inflasi naik menjadi 2,9 persen pada Oktober 2025.", "id", title="")
        assert (claim.text, claim.speaker) == ("Inflasi naik menjadi 2,9 persen pada Oktober 2025.", outlet)


def test_a_military_rank_is_part_of_the_name_not_the_role():
    assert _speaker("Pentagon spokesman Brigadier General Pat Ryder said Russia bought 500 shells.") == (
        "Pat Ryder",
        "Pentagon spokesman",
    )
    # "General" of a title stays.
    assert _speaker("UN Secretary General Kofi Annan said 40 countries had sent troops.") == (
        "Kofi Annan",
        "UN Secretary General",
    )


def test_someone_who_wrote_it_said_it_and_he_is_them():
    text = (
        "Labour's shadow defence secretary John Healey wrote on X that the figures were 20% too high.\n\n"
        '"We have cut the army to its smallest size since 1800," he told Sky News.'
    )
    assert [c.speaker for c in extract(text, "en", title="")] == ["John Healey", "John Healey"]


def test_told_an_outlet_is_the_medium_told_a_person_is_not():
    quote = '"We have cut the army by 20% since 2010," '
    for tail, medium in (
        ("he told the BBC on Monday.", "via BBC"),
        ("Mr Healey told Sky News.", "via Sky News"),
        ("Mr Healey told John Smith.", None),
    ):
        [claim] = extract(quote + tail, "en", title="")
        assert claim.attribution == medium, tail
    [claim] = extract('"Inflasi 2 persen," kata Budi kepada Kompas.com.', "id", title="")
    assert claim.attribution == "via Kompas.com"
    [claim] = extract("Bank memberi kredit Rp 3 triliun kepada PT Sritex pada 2020.", "id", title="")
    assert claim.attribution == "the outlet"


def test_people_no_one_names_are_a_group_not_a_person_or_an_organisation():
    kinds = {}
    for text in (
        "Critics say the pledge was never realistic and cost 5 billion dollars.",
        "Western officials said Russia had fired 10,000 shells a day.",
        "Residents said the army shelled the village on Monday.",
        "Muslim groups said the law targeted 300 mosques.",
        "German airline Lufthansa said it had to cancel 77 flights on Wednesday.",
        "Defence Minister Rustem Umerov said Ukraine fires 2,000 shells a day.",
    ):
        [claim] = extract(text, "en")
        kinds[claim.speaker] = claim.speaker_kind
    assert kinds == {
        "Critics": "group",
        "Western officials": "group",
        "Residents": "group",
        "Muslim groups": "group",
        "Lufthansa": "organisation",
        "Rustem Umerov": "person",
    }
    [claim] = extract("Sejumlah warga mengatakan harga beras naik 10 persen.", "id")
    assert (claim.speaker, claim.speaker_kind) == ("Sejumlah warga", "group")


def test_what_experts_expect_is_theirs_and_adverbs_are_not_their_name():
    [claim] = extract("Experts now widely expect a bidding war for the £1.4 trillion market.", "en")
    assert (claim.speaker, claim.speaker_kind) == ("Experts", "group")
    [claim] = extract("The Fed estimates that inflation will fall to 2% next year.", "en")
    assert claim.speaker == "Federal Reserve"


def test_it_said_is_the_organisation_that_spoke_never_a_person():
    text = (
        'China\'s foreign ministry spokesman Lin Jian said Beijing "firmly opposes" the sale of 400 missiles.\n\n'
        "Taiwan's defence ministry thanked Washington, saying the missiles would arrive in 2028.\n\n"
        "It said the first 20 systems could be delivered in 2028."
    )
    speakers = [(c.speaker, c.speaker_kind) for c in extract(text, "en", title="")]
    assert speakers == [
        ("Lin Jian", "person"),
        ("Taiwan's defence ministry", "organisation"),
        ("Taiwan's defence ministry", "organisation"),
    ]
    [alone] = extract("Lin Jian said 400 missiles were sold. It said 20 would arrive in 2028.", "en", title="")[1:]
    assert alone.speaker is None


def test_what_comes_before_said_and_a_name_is_what_was_said_not_the_speaker():
    cases = {
        "Inflation will hit 5%, said the Bank of England.": "Bank of England",
        "Inflation will hit 5%, said a spokesman for the Bank of England.": "Bank of England",
        "Inflation will hit 5%, said the minister.": None,
        "Inflation will hit 5%, said one official.": None,
        "Arms sales topped $18bn, according to the Forum on Global Security.": "Forum on Global Security",
        "Mr Brown, the chancellor, said Labour won 300 seats.": "Gordon Brown",
    }
    assert {text: extract(text, "en", title="")[0].speaker for text in cases} == cases


def test_a_us_representative_is_a_title_before_the_name():
    [claim] = extract(
        '"Taiwan needs 400 missiles now," said Representative Mike Gallagher, who chairs the committee.', "en"
    )
    assert (claim.speaker, claim.speaker_role, claim.speaker_kind) == ("Mike Gallagher", "Representative", "person")


def test_a_quoted_phrase_inside_a_sentence_is_not_the_claim_nor_the_last_speakers_words():
    text = (
        "The Treasury said the extra £2.2bn would come from cuts to the aid budget. "
        "Aid charities called the move \"a betrayal of the world's poorest\"."
    )
    treasury, charities = extract(text, "en", title="")
    assert treasury.speaker == "HM Treasury"
    assert charities.text == "Aid charities called the move \"a betrayal of the world's poorest\"."
    assert charities.speaker != "HM Treasury"
    # A quote that is the sentence's speech is still cut out of its attribution.
    [speech] = extract('"We will double our artillery ammunition production by 2026," Healey said.', "en", title="")
    assert speech.text == "We will double our artillery ammunition production by 2026"


def test_a_quote_after_said_colon_is_the_claim_and_the_appositive_is_the_role():
    text = (
        'Dr Vanessa Saliba, a consultant epidemiologist at UKHSA, said: "Measles is not a mild illness. '
        'One in five children who catch it will end up in hospital."'
    )
    first, second = extract(text, "en", title="")
    assert first.text == "Measles is not a mild illness."
    assert [(c.speaker, c.speaker_role) for c in (first, second)] == [
        ("Vanessa Saliba", "consultant epidemiologist at UKHSA")
    ] * 2


def test_a_spokesperson_for_an_organisation_the_gazetteer_lacks_is_no_person_named_after_it():
    text = (
        "A Department of Health spokesperson said the government would spend 10 million pounds. "
        "He added that 300 nurses were hired. "
        "The Department of Health also said 20 clinics opened."
    )
    claims = extract(text, "en", title="")
    assert [(c.speaker, c.speaker_role, c.speaker_kind) for c in claims] == [
        ("Department of Health", "spokesperson", "representative"),
        ("Department of Health", "spokesperson", "representative"),
        ("Department of Health", None, "organisation"),
    ]
    assert not [e for c in claims for e in c.entities if e.label == "PERSON"]


def test_figures_data_and_polls_are_their_publishers_word():
    cases = {
        "Uptake fell to 83.9%, according to NHS figures.": "NHS",
        "Inflation rose to 3.2% in October, according to ONS data.": "Office for National Statistics",
        "Inflation rose to 3.2%, according to a Reuters poll of economists.": "Reuters",
        "According to Bank of England figures, inflation rose to 3.2%.": "Bank of England",
        "Uptake fell to 83.9%, according to official figures.": None,
    }
    assert {text: extract(text, "en", title="")[0].speaker for text in cases} == cases
    [claim] = extract("Berdasarkan data Kementerian Keuangan, defisit mencapai 2,5 persen.", "id", title="")
    assert claim.speaker == "Kementerian Keuangan"


def test_an_interview_with_a_medium_is_the_medium_not_the_speaker():
    [claim] = extract("In an interview with CNN, co-author Wei Min said the team had tested 25 litres.", "en")
    assert (claim.speaker, claim.speaker_role, claim.attribution) == ("Wei Min", "co-author", "via CNN")
    [claim] = extract("In an interview with the BBC, the minister said 25 people died.", "en")
    assert claim.speaker != "BBC" and claim.attribution == "via BBC"
    [claim] = extract("Mike Prettejohn, president of Netcraft, speculated the blocking cost 5 sites.", "en")
    assert (claim.speaker, claim.speaker_role) == ("Mike Prettejohn", "president of Netcraft")
    [claim] = extract('"This is a wake-up call for 90% of us," lead author Naixin Qian told AFP news agency.', "en")
    assert (claim.speaker, claim.speaker_role, claim.attribution) == ("Naixin Qian", "lead author", "via AFP")


def test_an_organisation_with_of_on_or_for_in_its_name_is_named_whole():
    cases = {
        "The Forum on Global Security said 18 deals were signed.": "Forum on Global Security",
        "The Council on Foreign Relations said 18 deals were signed.": "Council on Foreign Relations",
        "The Institute for Fiscal Studies said taxes rose 5%.": "Institute for Fiscal Studies",
        "The Pentagon on Friday announced a new $500 million weapons package.": "United States Department of Defense",
        "Mr Brown last week said the deficit was £20bn.": "Gordon Brown",
        "Secretary of State Antony Blinken said 5 ships were sent.": "Antony Blinken",
    }
    assert {text: extract(text, "en", title="")[0].speaker for text in cases} == cases


def test_officials_and_economists_in_lower_case_are_a_group():
    [claim] = extract("Meanwhile, officials said Congress would vote on a $61 billion package.", "en", title="")
    assert (claim.speaker, claim.speaker_kind) == ("Officials", "group")
    [claim] = extract("The odds favour a further boost to rates in February, economists said.", "en", title="")
    assert (claim.speaker, claim.speaker_kind) == ("Economists", "group")


def test_an_anonymous_official_speaks_and_what_they_said_is_never_the_speaker():
    text = "A senior defence official, speaking on condition of anonymity, said 12 jets would arrive in 2026."
    [claim] = extract(text, "en", title="")
    assert (claim.speaker, claim.speaker_role) == (None, "senior defence official")
    [claim] = extract("Officials met on Monday, and said 12 jets would arrive in 2026.", "en", title="")
    assert claim.speaker is None or not claim.speaker[:1].isdigit()
    # '," tulis dokumen tersebut': a lower-case speaker after the verb is still a speaker.
    text = '"Penyesuaian iuran dapat dilakukan secara bertahap sebesar 5 persen," tulis dokumen tersebut.'
    [claim] = extract(text, "id", title="")
    assert claim.speaker == "dokumen tersebut"


def test_he_after_a_group_is_the_last_person_not_the_group():
    text = "John Smith said taxes rose 5%. Critics say the plan cost 5 billion dollars. He added that 300 jobs were lost."
    assert [c.speaker for c in extract(text, "en", title="")] == ["John Smith", "Critics", "John Smith"]


def test_estimates_by_or_figures_from_someone_are_that_ones_word():
    cases = {
        "Russia fires up to 10,000 shells a day, according to estimates by the Estonian defence ministry.": (
            "Estonian defence ministry"
        ),
        "According to a report by the Institute for Fiscal Studies, taxes will rise by 3%.": (
            "Institute for Fiscal Studies"
        ),
        "Taxes rose 3%, according to a survey of 2,000 adults by YouGov.": "YouGov",
        "According to the IMF's latest forecast, growth will be 3%.": "International Monetary Fund",
        "According to Mr Smith's analysis, taxes rose 5%.": "Smith",
        "According to figures from the Ministry of Defence, 300 soldiers died.": "Ministry of Defence",
        # A source that names no one is the outlet's report, not a speaker called "a poll".
        "Taxes rose 3%, according to a poll of voters.": None,
        "According to data from last year, taxes rose 3%.": None,
    }
    assert {text: extract(text, "en", title="")[0].speaker for text in cases} == cases


def test_a_country_that_owns_a_company_is_not_part_of_its_name():
    cases = {
        "Germany's Rheinmetall said it would build a plant producing 200,000 shells a year.": "Rheinmetall",
        "Germany's Siemens Energy said profits rose 20%.": "Siemens Energy",
        "France's TotalEnergies said profits rose 20% to $5bn.": "TotalEnergies",
    }
    assert {text: extract(text, "en", title="")[0].speaker for text in cases} == cases
    [claim] = extract("Germany's Rheinmetall said it would build a plant.", "en", title="")
    assert claim.speaker_kind == "organisation"


def test_groups_that_warn_predict_or_argue_are_speakers():
    for text, group in (
        ("Analysts warn that the shortfall could cost Kyiv 20 villages.", "Analysts"),
        ("Economists predict inflation will reach 5% next year.", "Economists"),
        ("Critics argue the scheme cost £2bn.", "Critics"),
    ):
        [claim] = extract(text, "en", title="")
        assert (claim.speaker, claim.speaker_kind) == (group, "group")


def test_the_writers_own_i_or_we_is_the_outlet_not_a_speaker_called_i():
    for text, language in (
        ("I think taxes rose 5% last year.", "en"),
        ("We said it would cost £5m.", "en"),
        ("Kami memperkirakan inflasi mencapai 5 persen tahun depan.", "id"),
    ):
        [claim] = extract(text, language, title="")
        assert (claim.speaker, claim.attribution) == (None, "the outlet")
    # Inside a quote, "I" is still the one quoted.
    text = 'Mr Smith spoke in Leeds. "I said it would cost £5m," he said.'
    assert extract(text, "en", title="")[-1].speaker == "Smith"


def test_what_a_report_or_study_found_is_its_publishers_word():
    cases = {
        "The report, published by Amnesty International, found 300 cases of torture.": "Amnesty International",
        "An Amnesty International report found 300 cases of torture.": "Amnesty International",
        "A study by Oxford University found that 30% of bees had died.": "Oxford University",
        "Scientists found that 30% of bees had died.": "Scientists",
        # A study or report no one is named for is the outlet's report, not a speaker.
        "The study found that 30% of bees had died.": None,
        "The report said 300 people died.": None,
        "He was found guilty of fraud in 2019.": None,
    }
    assert {text: extract(text, "en", title="")[0].speaker for text in cases} == cases


def test_how_or_where_someone_spoke_is_not_their_role():
    [claim] = extract('"We have sent 300 tanks," said Mr Biden, speaking in Warsaw.', "en", title="")
    assert (claim.speaker, claim.speaker_role) == ("Joe Biden", None)
    [claim] = extract('"We have sent 300 tanks," said John Smith, a defence analyst.', "en", title="")
    assert (claim.speaker, claim.speaker_role) == ("John Smith", "defence analyst")


def test_who_confirmed_or_announced_something_in_the_passive_is_the_speaker():
    cases = {
        "The figures were confirmed by a spokeswoman for the Home Office.": ("Home Office", "representative"),
        "The deal, worth $5bn, was announced by the Pentagon on Friday.": (
            "United States Department of Defense",
            "organisation",
        ),
        "The report was published by Amnesty International in May.": ("Amnesty International", "organisation"),
        # Media in general are where it was reported, not a speaker.
        "The attack, which killed 30 people, was reported by local media.": (None, None),
    }
    assert read_each(cases, "en", "speaker", "speaker_kind") == cases


def test_english_hedges_are_kept_on_the_claim():
    cases = {
        "Russia has reportedly sent 300 tanks to the front.": "reportedly",
        "The minister allegedly took a $2m bribe.": "allegedly",
        "North Korea is believed to have sent a million shells.": "is believed to",
        "North Korea may have sent a million shells.": "may have",
        "North Korea appears to have sent a million shells.": "appears to",
        "The alleged bribe was worth $2m.": "alleged",
        "Russia is expected to send 300 tanks.": "is expected to",
        "North Korea sent a million shells in 2023.": None,
    }
    assert {text: extract(text, "en", title="")[0].hedge for text in cases} == cases


def test_a_boss_or_an_activist_is_a_role():
    [claim] = extract("NatWest boss Paul Thwaite said profits rose 10%.", "en", title="")
    assert (claim.speaker, claim.speaker_role) == ("Paul Thwaite", "NatWest boss")
    [claim] = extract("Climate activist Greta Thunberg said 300 species were lost.", "en", title="")
    assert (claim.speaker, claim.speaker_role) == ("Greta Thunberg", "Climate activist")


def test_what_a_publishers_figures_show_is_the_publishers_word():
    cases = {
        "The waiting list fell to 7.5 million, NHS England figures show.": "NHS England",
        "ONS data suggests inflation rose to 3%.": "Office for National Statistics",
        "Reuters calculations show 300 jobs were lost.": "Reuters",
        # Figures no one is named for: the outlet reports them.
        "Official figures show inflation rose to 3%.": None,
        "The figures show inflation rose to 3%.": None,
    }
    assert {text: extract(text, "en", title="")[0].speaker for text in cases} == cases


def test_what_someone_did_not_say_or_confirm_is_not_their_statement():
    for text, language in (
        ("His rivals, Anies Baswedan and Ganjar Pranowo, have not conceded.", "en"),
        ("The ministry did not confirm that 300 soldiers had died.", "en"),
        ("Mr Smith never said taxes would rise by 5%.", "en"),
        ("Kemhan tidak menyebut berapa jumlah jet yang dibeli pada 2024.", "id"),
    ):
        [claim] = extract(text, language, title="")
        assert (claim.speaker, claim.attribution) == (None, "the outlet"), text


def test_a_consortium_a_navy_or_a_watch_is_an_organisation_not_a_person():
    for text, name in (
        ("Bread prices rose by a third, according to the British Retail Consortium.", "British Retail Consortium"),
        ("The Royal Navy said 12 ships were ready.", "Royal Navy"),
        ("Transparency International said 300 officials were corrupt.", "Transparency International"),
    ):
        [claim] = extract(text, "en", title="")
        assert (claim.speaker, claim.speaker_kind) == (name, "organisation")


def test_an_institute_for_the_study_of_something_is_named_whole_and_moscow_denies():
    [claim] = extract("The Institute for the Study of War (ISW) said Russian forces had advanced 3km.", "en", title="")
    assert (claim.speaker, claim.speaker_kind) == ("Institute for the Study of War", "organisation")
    [claim] = extract("Moscow denies targeting civilians in Kharkiv in 2024.", "en", title="")
    assert claim.speaker == "Russia"


def test_and_inside_an_organisations_name_keeps_it_whole_but_joins_no_two_people():
    text = "About $3 trillion of trade passes through the sea every year, according to estimates by the Center for Strategic and International Studies."
    [claim] = extract(text, "en", title="")
    assert (claim.speaker, claim.speaker_kind) == ("Center for Strategic and International Studies", "organisation")
    [claim] = extract("John Smith and Jane Doe said trade rose 3% in 2024.", "en", title="")
    assert claim.speaker == "Jane Doe"


def test_the_role_a_story_gives_someone_it_names_is_theirs_later():
    text = "Critics have accused outgoing President Joko Widodo of tilting the field. The president denied any wrongdoing."
    assert [(c.speaker, c.speaker_role) for c in extract(text, "en", title="")][-1] == ("Joko Widodo", "President")
    # A speaker introduced with a role earlier keeps it when quoted later.
    text = (
        "Euro MP Robert Kilroy-Silk has had a bucket of slurry thrown over him. "
        'Mr Kilroy-Silk said 300 people had watched. "I was totally covered," he said.'
    )
    assert {(c.speaker, c.speaker_role) for c in extract(text, "en", title="")[1:]} == {("Robert Kilroy-Silk", "Euro MP")}


def test_who_said_it_set_off_at_the_end_outranks_a_subject_that_reported_or_added():
    cases = {
        "Birmingham has reported 216 confirmed cases since October, the UKHSA said.": (
            "UK Health Security Agency",
            "organisation",
        ),
        "The U.S. economy added 275,000 jobs in February, the Labor Department said.": (
            "Labor Department",
            "organisation",
        ),
        # Adding jobs is no way of speaking.
        "The U.S. economy added 275,000 jobs in February.": (None, None),
        # Adding what was said still is.
        "Mr Smith added that 275,000 jobs were created in February.": ("Smith", "person"),
        "Ukraine is firing roughly 2,000 shells a day, officials familiar with the matter said.": (
            "Officials familiar with the matter",
            "group",
        ),
        "The plant is behind schedule, according to two people with knowledge of the project.": (
            "Two people with knowledge of the project",
            "group",
        ),
    }
    assert read_each(cases, "en", "speaker", "speaker_kind") == cases


def test_a_role_closing_the_sentence_a_pollster_before_its_poll_and_a_company_described_before_its_name():
    cases = {
        "Measles cases have risen to 216, said Hans Kluge, WHO regional director for Europe.": (
            "Hans Kluge",
            "WHO regional director for Europe",
            "person",
        ),
        "Shell output will double by 2025, said Christian Moelling, a defence analyst at the DGAP.": (
            "Christian Moelling",
            "defence analyst at the DGAP",
            "person",
        ),
        "Labour's lead has narrowed to 15 points, according to the latest Opinium poll for the Observer.": (
            "Opinium",
            None,
            "organisation",
        ),
        "The company behind the mine, West Cumbria Mining, said it would appeal the 2024 ruling.": (
            "West Cumbria Mining",
            None,
            "organisation",
        ),
    }
    assert read_each(cases, "en", "speaker", "speaker_role", "speaker_kind") == cases


def test_an_executive_or_official_at_an_organisation_speaks_for_it():
    cases = {
        "The Telegraph quoted an unnamed executive at Euronext as saying it would bid 3bn euros.": (
            "Euronext",
            "executive",
            "representative",
        ),
        "Prices will rise 5%, said an official at the Treasury.": ("HM Treasury", "official", "representative"),
    }
    assert read_each(cases, "en", "speaker", "speaker_role", "speaker_kind") == cases


def test_a_document_no_one_is_named_for_is_the_outlets_report():
    [claim] = extract(
        "The package also includes upgrade kits for 79 of Turkey's F-16s, according to a notice sent to Congress.",
        "en",
        title="",
    )
    assert claim.speaker is None


def test_the_agency_said_later_in_the_same_sentence_is_the_department_named_at_its_start():
    text = "The U.S. State Department has approved the sale of 40 F-16 fighter jets to Turkey, the agency said Friday."
    [claim] = extract(text, "en", title="")
    assert (claim.speaker, claim.speaker_kind) == ("United States Department of State", "organisation")


def test_names_with_what_they_are_lists_and_people_of_an_organisation():
    cases = {
        '"The Fed is behind the curve," Senator Elizabeth Warren, Democrat of Massachusetts, said in 2024.': (
            "Elizabeth Warren",
            "Senator, Democrat of Massachusetts",
            "person",
        ),
        "Professor Trudie Lang of the University of Oxford told Sky News that 10 million doses were needed.": (
            "Trudie Lang",
            "Professor, University of Oxford",
            "person",
        ),
        "Rheinmetall, Germany's largest arms maker, said it would build 700,000 shells in 2025.": (
            "Rheinmetall",
            None,
            "organisation",
        ),
        "Władysław Kosiniak-Kamysz, Poland's defence minister, said 20 tanks would arrive in 2025.": (
            "Władysław Kosiniak-Kamysz",
            "Poland's defence minister",
            "person",
        ),
        "The United Kingdom, France and Germany announced they would cancel 3 air agreements with Iran.": (
            "United Kingdom, France and Germany",
            None,
            "organisation",
        ),
        "Iran has sent more than 200 missiles to Russia, United States and European officials have said.": (
            "United States and European officials",
            None,
            "group",
        ),
        "The case was investigated by the Attorney-General's Office, which said 4,200 documents were seized.": (
            "Attorney-General's Office",
            None,
            "organisation",
        ),
        "The former minister may face 2 more charges, a source in the Attorney-General's Office said.": (
            "Attorney-General's Office",
            "source",
            "representative",
        ),
        "Economists at Capital Economics said the target would be missed by at least £10 billion.": (
            "Capital Economics",
            "economists",
            "representative",
        ),
        "Mr Prabowo's spokesman said the president-elect would jail 100 officials.": (
            "Prabowo Subianto",
            "spokesman",
            "representative",
        ),
        '"Every zloty spent in Changwon is a zloty not spent in Europe," said one senior EU official.': (
            "European Union",
            "official",
            "representative",
        ),
        "A survey by pollster Indikator Politik Indonesia showed that 64 per cent of voters backed the plan.": (
            "Indikator Politik Indonesia",
            None,
            "organisation",
        ),
        # Figures no one is named for are the outlet's report.
        "Figures showed that Asians were 1.9 times as likely to be stopped in 2004.": (None, None, None),
    }
    assert read_each(cases, "en", "speaker", "speaker_role", "speaker_kind") == cases


def test_a_post_on_x_or_an_interview_with_al_jazeera_is_the_medium():
    [post] = extract("Prices will rise 20% next year, Mel Stride wrote on X.", "en", title="")
    assert (post.speaker, post.attribution) == ("Mel Stride", "via X")
    [interview] = extract(
        "A senior Iranian official, speaking on condition of anonymity, told Al Jazeera that 200 missiles were sent.",
        "en",
        title="",
    )
    assert interview.attribution == "via Al Jazeera"
    [dated] = extract("Mr Smith wrote on Monday that prices rose 20%.", "en", title="")
    assert dated.attribution != "via Monday"


def test_an_anonymous_source_is_cut_at_the_clause_about_them_and_unowned_figures_are_no_ones():
    text = (
        "Turkish officials hoped to receive 40 jets sooner, according to a person briefed on the talks "
        "who spoke on condition of anonymity because they were not authorized to discuss the matter."
    )
    [claim] = extract(text, "en", title="")
    assert (claim.speaker, claim.speaker_kind) == ("Person briefed on the talks", "group")
    [figures] = extract("Poland spends about 4.1 per cent of GDP on defence, according to alliance figures.", "en", title="")
    assert figures.speaker is None


def test_agencies_named_with_and_a_passive_past_still_and_our_own_surveys():
    cases = {
        "The National Research and Innovation Agency (BRIN) said 38 percent of reefs were damaged.": (
            "Badan Riset dan Inovasi Nasional"
        ),
        "The Maritime Affairs and Fisheries Ministry said 2,000 boats were inspected in 2024.": (
            "Maritime Affairs and Fisheries Ministry"
        ),
        "Blast fishing is still reported in parts of Sulawesi, where 40 percent of reefs are damaged.": None,
        "Our surveys in 2024 found that about 38 percent of reefs were bleached.": None,
    }
    assert {text: extract(text, "en", title="")[0].speaker for text in cases} == cases
    [no_comment] = extract("The ministry did not respond to a request for comment on the 2,000 boats.", "en", title="")
    assert any(r.startswith("about the statement or event") for r in no_comment.reasons)


def test_organisations_with_links_in_their_names_posts_and_ranks_with_points():
    cases = {
        "Data from the Office for National Statistics showed that net migration was 431,000 in 2024.": (
            "Office for National Statistics",
            None,
        ),
        "Congress has appropriated about $175 billion for Ukraine, according to the Council on Foreign Relations.": (
            "Council on Foreign Relations",
            None,
        ),
        "A spokesperson for the Department of Health and Social Care said 7.5 million people were waiting.": (
            "Department of Health and Social Care",
            "spokesperson",
        ),
        "The Pentagon has sent 3 million 155mm rounds, Defense Department spokesman Maj. Gen. Pat Ryder said.": (
            "Pat Ryder",
            "Defense Department spokesman",
        ),
        "Rep. Marjorie Taylor Greene, a Georgia Republican, posted on X that the US had sent $200 billion.": (
            "Marjorie Taylor Greene",
            "Georgia Republican",
        ),
        "A post shared 20,000 times on Facebook claims 2.7 million votes were deleted in Pennsylvania.": (
            "Post on Facebook",
            None,
        ),
        # A company that posted a profit said nothing.
        "For the full year, TimeWarner posted a profit of $3.36bn, up 27%.": (None, None),
    }
    assert read_each(cases, "en", "speaker", "speaker_role") == cases


def test_a_fact_checks_claim_label_is_no_part_of_the_role():
    [claim] = extract(
        "Claim: Health Secretary Wes Streeting said NHS waiting lists have fallen by more than 200,000.", "en", title=""
    )
    assert (claim.speaker, claim.speaker_role) == ("Wes Streeting", "Health Secretary")


def test_a_quote_that_a_post_reads_is_the_posts_not_the_last_speakers():
    text = (
        "State election officials said the count was accurate.\n\n"
        'A post shared more than 40,000 times on Facebook reads: "BREAKING: 2.7 million votes DELETED '
        'in Pennsylvania. The election was RIGGED."'
    )
    officials, deleted, rigged = extract(text, "en", title="")
    assert officials.speaker == "State election officials"
    assert deleted.speaker == rigged.speaker == "Post on Facebook"


def test_party_tags_reporters_places_and_sentence_openers_are_not_the_speaker():
    cases = {
        "Sen. Roger Wicker, R-Miss., chairman of the Senate Armed Services Committee, said the Army "
        "needs $3 billion more.": ("Roger Wicker", "chairman of the Senate Armed Services Committee"),
        "Sen. Elizabeth Warren, D-Mass., said the contract was worth $1.2 billion.": ("Elizabeth Warren", None),
        # Where a reporter speaks from is no one's name; "Morgan" is a surname as well as a bank's.
        "Al Jazeera's Hiba Morgan, reporting from Khartoum, said at least 40 people were killed.": (
            "Hiba Morgan",
            None,
        ),
        # The outlet's own correspondent is the outlet.
        "Our correspondent in Cebu says queues are still long at 300 polling stations.": (None, None),
        "Yesterday Bush said 40 troops died.": ("George W. Bush", None),
    }
    assert read_each(cases, "en", "speaker", "speaker_role") == cases


def test_a_surname_the_gazetteer_knows_is_the_person_the_article_named():
    claims = extract(
        "Douglas Bush, the Army's former acquisition chief, told Defense News that production reached "
        '40,000 shells a month. "We have more than tripled production since 2022," Bush said.\n\n'
        "Bush said 4 plants were new.",
        "en",
        title="",
    )
    assert [c.speaker for c in claims] == ["Douglas Bush"] * 3
    people = {e.text: e.canonical for c in claims for e in c.entities if e.label == "PERSON"}
    assert people == {"Douglas Bush": "Douglas Bush", "Bush": "Douglas Bush"}


def test_city_officials_groups_of_places_and_a_role_without_its_clause():
    cases = {
        "Philadelphia City Commissioner Omar Sabir said 300 ballots were rejected.": (
            "Omar Sabir",
            "Philadelphia City Commissioner",
        ),
        "Officials in Pennsylvania, California and Texas said 2 million ballots were uncounted.": (
            "Pennsylvania, California and Texas",
            "officials",
        ),
        "Thierry Breton, the former internal market commissioner who championed the plan, said output "
        "would reach 1m rounds.": ("Thierry Breton", "former internal market commissioner"),
    }
    assert read_each(cases, "en", "speaker", "speaker_role") == cases


def test_an_estimate_is_a_hedge():
    [claim] = extract("An estimated 7.36 million people are waiting for treatment, NHS England said.", "en", title="")
    assert claim.hedge == "An estimated"


def test_a_post_named_by_its_platform_and_a_verdict_on_a_post():
    cases = {
        "An Instagram post claimed gas hit $6 a gallon everywhere in America.": ("Instagram post", None),
        "A viral post on Facebook says 45 children died after the vaccine.": ("Post on Facebook", None),
        "A Facebook post by the account Healthy Mums claims 45 children died after the vaccine.": (
            "Healthy Mums",
            "account",
        ),
        "A post shared on Facebook claiming 45 children died after the vaccine is false.": (None, None),
    }
    assert read_each(cases, "en", "speaker", "speaker_role") == cases


def test_a_press_releases_said_colon_line_gives_the_paragraph_after_it_its_speaker():
    text = (
        "UK signs missile deal\n\n"
        "A new £1.6 billion deal will see 5,000 missiles made in Belfast.\n\n"
        "Defence Secretary John Healey MP said:\n\n"
        "This landmark deal is vital for strengthening Ukraine's defences.\n\n"
        "Thales UK CEO Alex Cresswell said:\n\n"
        "We are proud to be supporting Ukraine with this contract.\n\n"
        "Our Belfast team has been working around the clock since 2022.\n\n"
        "The UK has committed £12.8 billion to Ukraine since February 2022.\n"
    )
    speakers = [(c.text[:12], c.speaker, c.speaker_role) for c in extract(text, "en")]
    assert speakers == [
        ("A new £1.6 b", None, None),
        ("This landmar", "John Healey", "Defence Secretary"),
        ("We are proud", "Alex Cresswell", "Thales UK CEO"),
        # A further paragraph in the first person is still his; a third-person one is not.
        ("Our Belfast ", "Alex Cresswell", "Thales UK CEO"),
        ("The UK has c", None, None),
    ]


def test_letters_after_a_name_are_no_part_of_it():
    cases = {
        "Pengacara Budi Santoso, S.H., M.H., mengatakan 12 saksi dihadirkan.": ("Budi Santoso", "Pengacara"),
    }
    assert read_each(cases, "id", "speaker", "speaker_role") == cases


def test_he_is_the_titled_person_the_paragraph_before_was_about():
    text = (
        "Japan bids for frigates\n\n"
        'Yoji Koda, a retired vice admiral, said "Japanese shipyards have never built warships for a foreign navy."\n\n'
        "Australia's Deputy Prime Minister Richard Marles visited the shipyard in Nagasaki in June. "
        "He said at the time that Canberra would decide by the end of 2024.\n"
    )
    [*_, marles] = extract(text, "en")
    assert (marles.speaker, marles.speaker_role) == ("Richard Marles", "Australia's Deputy Prime Minister")


def test_a_question_and_who_asked_it_particles_in_names_and_allegations():
    claims = extract(
        'Amanda Pritchard said 1.6 million patients waited 12 hours. "This is not an isolated case, is it?" '
        "Ms Moran asked. Dr Diego Lopes da Silva, senior researcher at SIPRI, cautioned that 5 increases "
        "alone would not help. Prosecutors allege that Samuel Kiprono received the money in 14 instalments. "
        "The colonel accepted bribes totalling $2.3 million, a Nairobi court heard.",
        "en",
        title="",
    )
    found = {c.text[:12]: (c.speaker, c.hedge) for c in claims}
    assert found["This is not "] == ("Moran", None)
    assert found["Dr Diego Lop"] == ("Diego Lopes da Silva", None)
    assert found["Prosecutors "] == ("Prosecutors", "allege")
    assert found["The colonel "][1] == "court heard"


def test_an_adverb_between_commas_is_no_speaker_and_what_was_said_is_no_name():
    cases = {
        "Its chairman, Alex Lam Chi-yau, called on the government to fund 500 beds.": ("Alex Lam Chi-yau", "Its chairman"),
        "Mr Smith, however, said 3 plants would close.": ("Smith", None),
        # "said the sample ..." is what was said: no speaker called "the sample".
        "Poll watchdog Kontra Daya, however, said the sample of 3 machines was too small.": (None, None),
    }
    assert read_each(cases, "en", "speaker", "speaker_role") == cases


def test_court_titles_are_roles_and_a_state_after_of_is_where_a_person_is_from():
    cases = {
        "Rep. Adam Smith of Washington, the top Democrat on the House Armed Services Committee, said the gap "
        "leaves 3 suppliers.": ("Adam Smith", "top Democrat on the House Armed Services Committee"),
        "Lawyer Emil Maranon said 3 protests were filed.": ("Emil Maranon", "Lawyer"),
        "ICC Deputy Prosecutor Nazhat Shameem Khan said 12 warrants were issued.": (
            "Nazhat Shameem Khan",
            "ICC Deputy Prosecutor",
        ),
        "Chief Magistrate Victor Wakumile said 3 documents were admissible.": ("Victor Wakumile", "Chief Magistrate"),
        "Judge Sarah Netburn ruled that 4 counts would proceed.": ("Sarah Netburn", "Judge"),
        # A spokesman for a capital speaks for its government.
        "A spokesman for Washington said 3 envoys left.": ("United States", "spokesman"),
    }
    assert read_each(cases, "en", "speaker", "speaker_role") == cases


def test_a_verb_inside_the_opening_circumstance_has_no_subject():
    cases = {
        "In a statement posted on Telegram, the RSF said 12 fighters were killed.": ("RSF", "via Telegram"),
        "In a statement posted on Telegram, the group described the warrant as politically motivated "
        "and said 12 fighters were killed.": (None, "via Telegram"),
    }
    assert read_each(cases, "en", "speaker", "attribution") == cases


def test_a_fact_checks_claim_label_before_a_viral_message():
    cases = {
        "Claim: A message circulating on WhatsApp and a TikTok video claim that the government signed a "
        "$15-billion arms deal.": ("Message on WhatsApp", "organisation"),
        "Claim: Health Secretary Wes Streeting said 3 hospitals closed.": ("Wes Streeting", "person"),
    }
    assert read_each(cases, "en", "speaker", "speaker_kind") == cases
    [claim] = extract("Klaim: Pesan berantai di WhatsApp menyebut iuran BPJS naik jadi Rp 250.000.", "id", title="")
    assert claim.speaker == "Pesan berantai di WhatsApp"


def test_another_source_is_not_the_one_before_nor_an_organisation_called_another():
    claims = extract(
        "Deal\n\nA Pentagon spokesman said 12 jets would follow. Another official said 4 ships were ordered. "
        "A second source said 3 subs were ordered. Other analysts said 2 more were due.\n",
        "en",
    )
    assert [(c.speaker, c.speaker_role) for c in claims] == [
        ("United States Department of Defense", "spokesman"),
        (None, "official"),
        (None, "source"),
        ("Other analysts", None),
    ]
    claims = extract(
        "Jual Beli Jet\n\nJakarta - Seorang sumber di Kementerian Pertahanan yang enggan disebutkan namanya "
        "mengatakan kontrak Rp 5 triliun sudah diteken.\n\nSumber lain yang mengetahui masalah tersebut "
        "menyebut kontrak itu mencakup alih teknologi 30 persen.\n",
        "id",
    )
    assert [(c.speaker, c.speaker_role) for c in claims] == [
        ("Kementerian Pertahanan", "sumber"),
        (None, "Sumber lain"),
    ]
