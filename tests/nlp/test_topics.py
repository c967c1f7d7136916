"""Topics: the shipped file's shape, and editors' own keywords."""

from __future__ import annotations

import json

from claims.nlp import extract
from claims.nlp.lexicon import PATTERNS_DIR

SLUGS = {"arms-deals", "ammunition", "economy-inflation", "health", "elections", "law-courts", "diplomacy"}


def test_shipped_topics_have_the_shape_the_data_migration_loads():
    topics = json.loads((PATTERNS_DIR / "topics.json").read_text(encoding="utf-8"))
    assert {t["slug"] for t in topics} == SLUGS
    for topic in topics:
        assert set(topic["name"]) == {"en", "id"}
        assert set(topic["keywords"]) == {"en", "id"}
        assert all(isinstance(k, str) and k for k in topic["keywords"]["id"])


def test_given_topics_replace_the_defaults_and_match_phrases_case_insensitively():
    text = "Harga Beras Premium naik 10 persen di Jakarta pekan ini."
    topics = {"food-prices": {"id": ["beras premium"], "en": ["rice"]}}
    [claim] = extract(text, "id", title="", topics=topics)
    assert claim.topics == ("food-prices",)


def test_inflected_keywords_match():
    [claim] = extract("Jumlah pelurunya terbatas menurut militer Rusia.", "id", title="")
    assert "ammunition" in claim.topics


def test_business_meetings_and_talks_are_not_diplomacy():
    """'meeting or exceeding', a central bank's meeting and merger talks once filed
    business news under diplomacy."""
    for text in (
        "Our performance was strong, meeting or exceeding all of our objectives for 2004.",
        "Rates rose to 2.25% at the Fed's December meeting.",
        "Euronext held private talks with the LSE about a bid worth £1.6bn.",
    ):
        [claim] = extract(text, "en", title="")
        assert "diplomacy" not in claim.topics, text
    [claim] = extract("The two countries resumed peace talks in Geneva in March 2004.", "en", title="")
    assert "diplomacy" in claim.topics


def test_everyday_indonesian_words_do_not_file_a_claim_under_a_topic():
    """'sidang kabinet' is no court, 'Pasalnya' ('the reason is') no article of law, 'buka
    suara' ('speaks up') no vote, 'calon investor' no candidate, 'kerja sama antardaerah'
    no diplomacy."""
    cases = {
        "Dalam sidang kabinet, Presiden mengapresiasi inflasi 2 persen pada 2025.": "law-courts",
        "Pasalnya setiap pekan tim BPS memantau harga 20 bahan pokok.": "law-courts",
        "Setelah penetapan tersangka itu, pihak Ridwan Kamil pun buka suara pada Senin.": "elections",
        "Kami ingin memahami siapa calon investor untuk 30 proyek itu.": "elections",
        "Biasanya kami dorong kerja sama antardaerah untuk 12 komoditas.": "diplomacy",
    }
    for text, topic in cases.items():
        [claim] = extract(text, "id", title="")
        assert topic not in claim.topics, text
    [claim] = extract("Majelis hakim menunda persidangan kasus korupsi itu hingga 3 Maret 2025.", "id", title="")
    assert "law-courts" in claim.topics


def test_a_weak_keyword_counts_only_in_a_text_on_the_topic():
    """'~campaign' is an election campaign in an election story, not a campaign to destroy
    a company; '~virus' is no health story in one about computers."""
    yukos = "Russia imposed a $27.5bn tax bill as part of a campaign to destroy Yukos, it said in 2004."
    [claim] = extract(yukos, "en", title="")
    assert "elections" not in claim.topics
    [claim] = extract("Apple computers offer better network security, which means fewer viruses in 2005.", "en", title="")
    assert "health" not in claim.topics
    claims = extract(
        "Labour launched its campaign poster on Tuesday, 100 days before the general election.\n\n"
        "The campaign will cost £20m, the party said.",
        "en",
        title="",
    )
    assert [c.topics for c in claims] == [("elections",), ("elections",)]


def test_editors_mark_their_own_keywords_weak_with_a_tilde():
    topics = {"football": {"en": ["football", "~goal"]}}
    [claim] = extract("The government missed its goal of 2% inflation in 2004.", "en", title="", topics=topics)
    assert claim.topics == ()
    [claim] = extract("The striker scored the goal that won the football final in 2004.", "en", title="", topics=topics)
    assert claim.topics == ("football",)


def test_a_state_loss_or_a_bribe_is_law_and_artillery_shells_are_ammunition():
    [loss] = extract("Kerugian negara dalam kasus ini diperkirakan mencapai Rp 300 miliar.", "id", title="")
    assert "law-courts" in loss.topics
    [bribe] = extract("The minister was convicted of taking a $2m bribe in 2019.", "en", title="")
    assert "law-courts" in bribe.topics
    [shells] = extract("Ukraine fires 2,000 artillery shells a day, a fifth of Russia's 10,000.", "en", title="")
    assert "ammunition" in shells.topics
    # "shell" alone is weak: a shell company is no ammunition.
    [company] = extract("The firm moved $5m through a shell company in 2019.", "en", title="")
    assert "ammunition" not in company.topics


def test_household_bills_and_mortgages_are_the_economy_and_a_regulator_alone_is_no_court():
    text = "Household energy bills dropped by 12% after the regulator Ofgem cut its price cap."
    [bills] = extract(text, "en", title="")
    assert bills.topics == ("economy-inflation",)
    [mortgages] = extract("Families pay £1,200 more a year for their mortgages than in 2021.", "en", title="")
    assert "economy-inflation" in mortgages.topics
    # In a text about a case, the regulator is still part of it.
    text = "The court fined the bank £5m. The regulator said 300 customers were misled."
    assert "law-courts" in extract(text, "en", title="")[-1].topics


def test_deflation_and_social_aid_are_the_economy_in_indonesian():
    text = "Komoditas penyumbang deflasi terbesar adalah cabai merah dengan andil 0,07 persen."
    assert "economy-inflation" in extract(text, "id", title="")[0].topics
    text = "Pemerintah menambah bantuan sosial senilai Rp 20 triliun menjelang akhir tahun."
    assert "economy-inflation" in extract(text, "id", title="")[0].topics
