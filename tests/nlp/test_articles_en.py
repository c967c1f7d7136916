"""The twenty English BBC stories: no headline is a claim, however it ends."""

from __future__ import annotations

from pathlib import Path

from claims.nlp import extract, extract_many


def test_no_headline_is_a_claim(datasets: Path):
    paths = sorted((datasets / "articles-en").glob("*.txt"))
    assert len(paths) == 20
    texts = [p.read_text(encoding="utf-8") for p in paths]
    for path, text, claims in zip(paths, texts, extract_many(texts), strict=True):
        headline_end = text.index("\n")
        assert all(c.start > headline_end for c in claims), path.name


def test_a_headline_cut_off_with_an_ellipsis_is_still_a_headline():
    for ending in ("...", "\u2026"):
        text = f"Rivals of the £400 Apple{ending}\n\nThe Mac mini is the cheapest Apple computer ever, at £339."
        assert [c.text for c in extract(text, "en")] == ["The Mac mini is the cheapest Apple computer ever, at £339."]


def test_every_quote_has_a_speaker_or_their_role(datasets: Path):
    paths = sorted((datasets / "articles-en").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    quoted = 0
    for path, claims in zip(paths, extract_many(texts, "en"), strict=True):
        for claim in claims:
            if "quoted speech" in claim.reasons:
                quoted += 1
                assert claim.speaker or claim.speaker_role, (path.name, claim.text)
    assert quoted > 50


def test_bylines_captions_and_follow_us_lines_are_not_claims():
    furniture = [
        "By Faisal Islam, Economics editor",
        "Published 2 hours ago",
        "Media caption, The chancellor speaks",
        "Follow BBC News on Twitter",
        "Listen to the latest episode of our podcast",
        "Additional reporting by John Smith",
        "Get in touch: news@bbc.co.uk",
        "More on this story",
        "This article was amended on 3 May to correct the figure.",
        "By Maria Sheahan and John O'Donnell",
        "Photo: Workers inspect 155mm shells at the Rheinmetall plant in Unterluess, Germany, in 2023.",
        "Associated Press writer Suzan Fraser in Ankara contributed to this report.",
        "Related Topics: Defence, Rishi Sunak, Nato",
        "Defence correspondent, BBC News",
        "By Raphael Minder in Warsaw and Song Jung-a in Seoul",
        "By Sky News health correspondent Thomas Moore",
        "Sign up for our Europe Express newsletter",
        "Follow Al Jazeera's live coverage of the Russia-Ukraine war here.",
        "Watch Sky News live on Freeview channel 233",
        "SOURCE: AL JAZEERA AND NEWS AGENCIES",
        "This story has been updated.",
        "Jeanna Smialek covers the Federal Reserve and the economy for The Times.",
        "Image: Getty Images",
    ]
    story = [
        "Inflation fell to 2.3% in April, official figures show.",
        # Sentences that start the same way are still the story's.
        "By 2030, the UK will spend 2.5% of GDP on defence.",
        "Published figures show inflation rose to 3% in May, the ONS said.",
    ]
    text = "Inflation falls\n\n" + "\n\n".join(story[:1] + furniture + story[1:])
    assert [c.text for c in extract(text, "en")] == story


def test_a_wire_dateline_after_a_byline_is_still_the_dateline():
    text = (
        "Rheinmetall to double shell output\n\nBy Maria Sheahan and John O'Donnell\n\n"
        "BERLIN, March 14 (Reuters) - Rheinmetall will produce 700,000 artillery shells a year by 2025, "
        "Chief Executive Armin Papperger said on Thursday."
    )
    [claim] = extract(text, "en")
    assert claim.text.startswith("Rheinmetall will produce")
    assert (claim.speaker, claim.speaker_role) == ("Armin Papperger", "Chief Executive")
    assert not any(e.text == "14" for e in claim.entities)


def test_a_cnn_dateline_is_the_outlet_and_figures_published_by_the_ons_are_its_word():
    text = (
        "UK borrowing overshoots\n\n(CNN) \u2014 Britain borrowed \u00a3120.7 billion in the last financial year, "
        "\u00a36.6 billion more than forecasters expected, figures published by the Office for National "
        "Statistics on Tuesday showed."
    )
    [claim] = extract(text, "en")
    assert claim.text.startswith("Britain borrowed")
    assert claim.speaker == "Office for National Statistics"


def test_a_short_year_range_is_no_figure_and_the_agency_is_the_organization_named_before():
    [imports] = extract("Arms imports rose 94% between 2019-23 and the previous period.", "en", title="")
    assert {(e.label, e.text, e.value) for e in imports.entities} == {
        ("PERCENT", "94%", "94"),
        ("DATE", "2019-23", "2019/2023"),
    }
    text = (
        "The World Health Organization declared an emergency in August. "
        "More than 15,600 cases and 537 deaths have been reported this year, the agency said."
    )
    assert extract(text, "en", title="")[-1].speaker == "World Health Organization"


def test_a_press_releases_wire_dateline_about_section_and_contacts_are_not_the_story():
    text = (
        "NBE Secures US$450 Million for Battery Plant\n\n"
        "JAKARTA, 12 March 2025 /PRNewswire/ -- PT Nusantara Baterai Energi today announced it has "
        "secured US$450 million to build a battery plant in Central Java.\n"
        "The Company reported revenue of Rp 2.9 trillion in 2024, up 64 percent.\n"
        "About PT Nusantara Baterai Energi\n"
        "PT Nusantara Baterai Energi is a battery maker founded in 2019 with 3,000 staff.\n"
        "Media contact:\n"
        "Phone: +62 21 5088 1234\n"
    )
    claims = extract(text, "en")
    assert [c.text[:24] for c in claims] == ["PT Nusantara Baterai Ene", "The Company reported rev"]
    # The newswire carries the release; the company, not PR Newswire, says it.
    assert claims[0].speaker == "PT Nusantara Baterai Energi"
    assert claims[1].speaker != "PRNewswire"


def test_wire_and_fact_check_footers_are_furniture():
    story = ["Germany will spend 2% of GDP on defence in 2024, the finance ministry said."]
    furniture = [
        "To contact the reporters on this story: Natalia Drozdiak in Brussels at ndrozdiak@bloomberg.net",
        "\u00a92024 Bloomberg L.P.",
        "--With assistance from Alberto Nardelli.",
        "This article was produced by the Reuters Fact Check team.",
        "Full Fact is a registered charity.",
        "Our Standards: The Thomson Reuters Trust Principles.",
        "06/12/2024 05:01 PM EDT",
    ]
    text = "Germany hits target\n\n" + "\n\n".join(story + furniture)
    assert [c.text for c in extract(text, "en")] == story


def test_reporter_lines_bios_photo_credits_and_fact_check_boxes_are_furniture():
    story = [
        "Singapore will spend $23.4 billion on defence in 2026, the ministry said.",
        "Dr Ng said 12 jets would arrive in 2026.",
    ]
    furniture = [
        "Jakarta Post reporter Dio Suhenda",
        "Jakarta | Thu, October 2, 2025",
        "(Reporting by Ananda Teresia; Additional reporting by Stanley Widianto; Editing by Kate Mayberry)",
        "Jennifer Rankin is a Guardian correspondent in Brussels",
        "About the author: Jen Judson is an award-winning journalist covering land warfare for Defense News.",
        "The RSAF's F-15SG fighter jets at the Paya Lebar Air Base. PHOTO: ST FILE",
        # A caption above its credit line, and the credit.
        "A Leopard 2SG tank during an exercise in 2024.\nPHOTO: MINDEF",
        "RELATED: Fact-checking claims about inflation under Trump",
        "If Your Time is short",
        "This article is part of our work fact checking potentially false pictures on Facebook.",
        "Full Fact fights bad information.",
    ]
    text = "Singapore raises defence budget\n\n" + "\n\n".join(story[:1] + furniture + story[1:])
    assert [c.text for c in extract(text, "en")] == story


def test_a_live_blogs_entry_times_are_no_part_of_the_entry_and_no_figure():
    text = (
        "Philippines election live\n\n"
        "7.45pm \u2013 Comelec chair George Garcia says turnout could exceed 80%.\n\n"
        "7.12pm \u2013 Polls have now closed in most of the country, and counting starts at 8 a.m.\n"
    )
    claims = extract(text, "en")
    assert [c.text[:12] for c in claims] == ["Comelec chai", "Polls have n"]
    assert claims[0].speaker == "George Garcia"
    assert not [e for c in claims for e in c.entities if e.label == "QUANTITY"]


def test_timestamps_corrections_contacts_and_more_bios_are_furniture():
    story = ["Japan's defense budget for fiscal 2024 stands at a record 7.95 trillion yen, officials said."]
    furniture = [
        "September 2, 2024 18:45 JST",
        "Posted Tue 5 Nov 2024 at 2:30pm, updated Tue 5 Nov 2024 at 4:45pm",
        "Finance & economics | Jul 18th 2024 | Bangkok, Jakarta and Manila",
        "Correction, 16 January 2025: An earlier version of this article described Layla Moran as a Labour MP.",
        "For information and interview requests contact SIPRI Media (media@sipri.org, +46 766 286 133).",
        'This article appeared in the Finance & economics section of the print edition under the headline "Jay"',
        "Screenshot of the misleading TikTok video, taken on 8 October 2024",
        "AFP has previously debunked other false claims about vaccines here and here.",
        "Dwight de Leon is a multimedia reporter who covers the Commission on Elections.",
        "Read next\nJapan, Philippines sign defense pact allowing troop deployments",
    ]
    text = "Tokyo eyes warship sale\n\n" + "\n\n".join(story + furniture)
    assert [c.text for c in extract(text, "en")] == story


def test_dates_with_times_and_bracketed_photo_credits_are_furniture_in_both_languages():
    text = (
        "Drone deal stalls\n\n"
        "August 15, 2024 12:07 PM GMT+7 Updated 3 hours ago\n\n"
        "Indonesia will buy 12 drones, officials said.\n\n"
        "(Photo: Courtesy of Laredo Police Department)\n\n"
        "Wednesday 11 September 2024 18:40 BST\n\n"
        "June 18, 2024 | 6:12 PM\n"
    )
    assert [c.text for c in extract(text, "en")] == ["Indonesia will buy 12 drones, officials said."]
    text = "Harga Beras Naik\n\nSelasa, 21 Okt 2025 14:05 WIB\n\nJakarta - Harga beras naik 5 persen, kata Budi.\n"
    assert [c.text for c in extract(text, "id")] == ["Harga beras naik 5 persen, kata Budi."]
