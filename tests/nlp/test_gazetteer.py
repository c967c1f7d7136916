"""The per-language gazetteers: well-formed files, and names resolved as a reader expects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.nlp import extract

PATTERNS = Path(__file__).resolve().parents[2] / "claims" / "nlp" / "patterns"
LANGUAGES = ("en", "id")
LABELS = {"PERSON", "ORG", "GPE", "LOC"}


def rows(language: str) -> list[dict]:
    path = PATTERNS / language / "gazetteer.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines, f"{path} is empty"
    parsed = []
    for number, line in enumerate(lines, 1):
        assert line.strip(), f"{language} line {number} is blank"
        row = json.loads(line)
        assert set(row) == {"canonical", "label", "aliases"}, f"{language} line {number}: {sorted(row)}"
        parsed.append(row)
    return parsed


def names(text: str, language: str) -> dict[str, str]:
    """Surface text -> canonical name of every name entity in the claims of ``text``."""
    return {
        e.text: e.canonical
        for c in extract(text, language, title="")
        for e in c.entities
        if e.label in LABELS
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_line_is_a_valid_entry(language):
    for row in rows(language):
        where = f"{language}: {row['canonical']!r}"
        assert isinstance(row["canonical"], str) and row["canonical"].strip() == row["canonical"] != "", where
        assert row["label"] in LABELS, where
        assert isinstance(row["aliases"], list) and row["aliases"], where
        for alias in row["aliases"]:
            assert isinstance(alias, str) and alias.strip() == alias != "", where
        assert len(set(row["aliases"])) == len(row["aliases"]), f"{where}: repeated alias"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_alias_or_canonical_names_two_entries(language):
    owner: dict[str, str] = {}
    canonicals: set[str] = set()
    for row in rows(language):
        assert row["canonical"] not in canonicals, f"{language}: {row['canonical']!r} listed twice"
        canonicals.add(row["canonical"])
        for alias in row["aliases"]:
            assert owner.setdefault(alias, row["canonical"]) == row["canonical"], (
                f"{language}: {alias!r} is an alias of both {owner[alias]!r} and {row['canonical']!r}"
            )


def test_a_canonical_name_has_one_label_in_every_language():
    labels: dict[str, str] = {}
    for language in LANGUAGES:
        for row in rows(language):
            assert labels.setdefault(row["canonical"], row["label"]) == row["label"], row["canonical"]


def test_ministry_short_and_official_names_are_one_entity():
    found = names(
        "Kemhan menyebut anggaran Kementerian Pertahanan naik 20 persen menjadi Rp 165 triliun pada 2025.",
        "id",
    )
    assert found["Kemhan"] == found["Kementerian Pertahanan"] == "Kementerian Pertahanan"


def test_indonesian_state_bodies_parties_and_countries():
    found = names(
        "TNI AD dan BNPB mengerahkan 1.500 personel, sementara OJK mencatat kredit tumbuh 10 persen "
        "dan Gerindra meraih 86 kursi, Senin (3/3/2025). Amerika Serikat, Tiongkok dan Uni Eropa "
        "membahas tarif 25 persen di Laut China Selatan.",
        "id",
    )
    assert found["TNI AD"] == "TNI Angkatan Darat"
    assert found["BNPB"] == "Badan Nasional Penanggulangan Bencana"
    assert found["OJK"] == "Otoritas Jasa Keuangan"
    assert found["Gerindra"] == "Partai Gerakan Indonesia Raya"
    assert found["Amerika Serikat"] == "United States"
    assert found["Tiongkok"] == "China"
    assert found["Uni Eropa"] == "European Union"
    # The sea is one place, not a mention of China.
    assert found["Laut China Selatan"] == "South China Sea"


def test_spokesperson_of_a_ministry_short_name():
    claims = extract(
        '"Sebanyak 500 WNI telah dievakuasi dari Lebanon," ujar Juru bicara Kemlu Roy Soemirat, '
        "Senin (7/10/2024).",
        "id",
        title="",
    )
    assert claims
    assert claims[0].speaker == "Roy Soemirat"
    assert "Kemlu" in (claims[0].speaker_role or "")


def test_us_and_the_us_party_are_not_the_indonesian_party():
    found = names(
        "Partai Demokrat AS kehilangan 10 kursi pada 2024, sementara Partai Demokrat meraih 44 kursi DPR.",
        "id",
    )
    assert found["Partai Demokrat AS"] == "Democratic Party"
    assert found["Partai Demokrat"] == "Partai Demokrat"


def test_case_matters_for_short_aliases():
    found = names("Ekspor ke AS naik 12 persen, sama halnya dengan impor sebesar 5 persen pada 2024.", "id")
    assert found == {"AS": "United States"}


def test_english_institutions_and_alliances():
    found = names(
        "The Treasury said the UK would spend 2.5% of GDP on defence by 2027, as NATO allies met "
        "at the Pentagon and the Home Office cut 3,000 jobs.",
        "en",
    )
    assert found["Treasury"] == "HM Treasury"
    assert found["NATO"] == "North Atlantic Treaty Organization"
    assert found["Pentagon"] == "United States Department of Defense"
    assert found["Home Office"] == "Home Office"


def test_us_treasury_securities_are_not_the_uk_treasury():
    found = names("The 10-year Treasury yield rose to 4.5% on Monday, the highest since 2007.", "en")
    assert found["Treasury yield"] == "United States Department of the Treasury"


def test_an_organisation_speaker_is_named_canonically():
    claims = extract("The World Health Organization said 3,000 cases were reported in 2024.", "en", title="")
    assert claims
    assert "World Health Organization" in {e.canonical for e in claims[0].entities}


def test_a_nationality_is_its_country():
    """An editor following Russia finds "Russian forces" too, and "Russian authorities" are
    the actor the claim is about."""
    found = names("Russian forces fired 40 missiles at Ukrainian cities on Monday.", "en")
    assert found == {"Russian": "Russia", "Ukrainian": "Ukraine"}
    # The Indian Ocean is a sea, not India.
    assert names("The Indian Ocean tsunami hit 12 countries in 2004.", "en") == {"Indian Ocean": "Indian Ocean"}


def test_an_associations_short_name_before_a_person_is_not_their_first_name():
    """'Ketua Umum Perpadi Sutarto Alimoeso': Perpadi is the rice millers' association."""
    [claim] = extract("Namun, Ketua Umum Perpadi Sutarto Alimoeso menilai stok beras 1,7 juta ton tidak cukup.", "id", title="")
    assert (claim.speaker, claim.speaker_role) == ("Sutarto Alimoeso", "Ketua Umum Perpadi")
    found = names("Apindo, Kadin dan Indef menilai UMP naik 6,5 persen pada 2025 terlalu tinggi.", "id")
    assert set(found.values()) == {
        "Asosiasi Pengusaha Indonesia",
        "Kamar Dagang dan Industri Indonesia",
        "Institute for Development of Economics and Finance",
    }


def test_indonesian_provinces_cities_and_universities_are_resolved():
    found = names(
        "Polisi menyita 1.200 butir amunisi di Jayapura, Papua, sementara di Jatim dan NTT polisi "
        "menangkap 12 orang di Surabaya dan Kupang, kata pengamat dari Institut Teknologi Bandung.",
        "id",
    )
    assert found["Papua"] == "Papua"
    assert found["Jatim"] == "East Java"
    assert found["NTT"] == "East Nusa Tenggara"
    assert found["Jayapura"] == "Jayapura" and found["Kupang"] == "Kupang"
    # A city inside a university's name is the university, not the city.
    assert found["Institut Teknologi Bandung"] == "Institut Teknologi Bandung"
    assert "Bandung" not in found


def test_a_longer_name_that_ends_like_a_known_person_is_someone_else():
    text = "Kabid Humas Polda Papua Kombes Pol Ignatius Benny Ady Prabowo mengatakan 1.200 butir amunisi disita."
    [claim] = extract(text, "id", title="")
    assert claim.speaker == "Ignatius Benny Ady Prabowo"
    assert "Prabowo Subianto" not in {e.canonical for e in claim.entities}
    # The known person still is himself after a title, a role, a party or at the start.
    text = "Presiden Prabowo, Ketua Umum Gerindra Prabowo dan Pak Prabowo menyebut 300 jet dibeli."
    assert [e.canonical for e in extract(text, "id", title="")[0].entities if e.label == "PERSON"] == [
        "Prabowo Subianto"
    ] * 3
    text = "When Putin met Kim Jong Un, Mr Putin said 300 shells were sent."
    people = [e.canonical for e in extract(text, "en", title="")[0].entities if e.label == "PERSON"]
    assert people == ["Vladimir Putin", "Kim Jong Un", "Vladimir Putin"]


def test_indonesian_pollsters_are_organisations_and_their_founders_people():
    [claim] = extract("Survei Litbang Kompas mencatat 60 persen responden puas.", "id", title="")
    assert (claim.speaker, claim.speaker_kind) == ("Litbang Kompas", "organisation")
    [claim] = extract("Pendiri SMRC Saiful Mujani mengatakan 60 persen responden puas.", "id", title="")
    assert (claim.speaker, claim.speaker_kind, claim.speaker_role) == ("Saiful Mujani", "person", "Pendiri SMRC")


def test_the_wars_cities_and_regions_are_places_in_both_languages():
    found = names("Russia fired 30 missiles at Kharkiv and Odesa, and 12 drones at Zaporizhzhia and Crimea, officials said.", "en")
    assert {found[n] for n in ("Kharkiv", "Odesa", "Zaporizhzhia", "Crimea")} == {"Kharkiv", "Odesa", "Zaporizhzhia", "Crimea"}
    found = names("Rusia menembakkan 30 rudal ke Kharkiv dan Krimea, kata pejabat Ukraina di Brussel.", "id")
    assert (found["Krimea"], found["Brussel"]) == ("Crimea", "Brussels")


def test_people_one_language_knows_are_known_in_the_other():
    text = "His rivals, Anies Baswedan and Ganjar Pranowo, won 25% and 17% of the vote, officials said."
    people = {e.canonical for c in extract(text, "en", title="") for e in c.entities if e.label == "PERSON"}
    assert {"Anies Baswedan", "Ganjar Pranowo"} <= people
    # An organisation's acronym is the same in both: "KPU" in an English story.
    text = "Turnout was about 80%, according to the KPU."
    assert extract(text, "en", title="")[0].speaker == "Komisi Pemilihan Umum"
    # Places are the language's own words: "Rusia" is no English alias.
    assert "Russia" not in {e.canonical for c in extract("Rusia fired 300 shells, officials said.", "en", title="") for e in c.entities}


def test_gazetteer_matches_are_spacy_spans_with_the_canonical_name_as_id():
    """The gazetteer is a spaCy SpanRuler: a doc run through the pipeline carries every
    alias found in doc.spans["gazetteer"], labelled, with the canonical name as its id."""
    from claims.nlp.pipeline import pipeline_for

    doc = pipeline_for("en")("Officials in Washington and the U.K. said on Monday that talks would go on.")
    found = {(span.text, span.label_, span.id_) for span in doc.spans["gazetteer"]}
    assert ("Washington", "GPE", "United States") in found
    assert ("U.K.", "GPE", "United Kingdom") in found


def test_an_alias_two_fallback_entries_share_reads_as_the_later_entry():
    """The fallback pipeline merges every language's list, where "Jakarta" is both the city
    and Indonesia: it is read as Indonesia, the later entry, every time."""
    from claims.nlp.pipeline import pipeline_for

    nlp = pipeline_for("xx")
    finder = nlp.get_pipe("factcheck_entities").finder
    entities = finder.find(nlp.make_doc("Hujan di Jakarta. Jakarta banjir lagi."))
    assert [(e.text, e.canonical) for e in entities if e.label == "GPE"] == [("Jakarta", "Indonesia")] * 2
