"""Who said it, and what hedges it: cases from real articles that once went wrong."""

from claims.nlp import extract
from tests.nlp.cases import read_each


def test_two_articles_extracted_at_once_keep_their_own_speakers(monkeypatch):
    """Threads of one web process share the pipeline: an article extracted in between
    (here, while the first is half-way through its sentences) must not lend or take
    speakers."""
    from claims.nlp.attribution import Attributor

    first = (
        "Finance minister John Carter said inflation rose to 5 percent in March.\n\n"
        "Carter said wages fell by 2 percent in the same month."
    )
    second = "Trade official Mary Jones said exports grew by 3 percent in 2024."
    alone = [(c.speaker, c.speaker_role) for c in extract(first, "en")]
    assert alone == [("John Carter", "Finance minister"), ("John Carter", "Finance minister")]

    original = Attributor._reported_speaker
    interleaved = []

    def reported_speaker(self, sentence):
        # The other article runs when the first reaches its second sentence.
        if sentence.startswith("Carter") and not interleaved:
            interleaved.append(None)
            interleaved[0] = extract(second, "en")
        return original(self, sentence)

    monkeypatch.setattr(Attributor, "_reported_speaker", reported_speaker)
    both = [(c.speaker, c.speaker_role) for c in extract(first, "en")]
    assert both == alone
    assert [c.speaker for c in interleaved[0]] == ["Mary Jones"]


def test_a_researcher_at_an_election_watchdog_is_named_without_the_watchdog():
    [claim] = extract(
        "Peneliti Perludem Heroik Pratama menilai partisipasi 68 persen harus menjadi alarm bagi KPU.", "id"
    )
    assert (claim.speaker, claim.speaker_role) == ("Heroik Pratama", "Peneliti Perludem")
    assert "Perkumpulan untuk Pemilu dan Demokrasi" in {e.canonical for e in claim.entities}


def test_the_word_after_a_university_is_its_name_not_the_experts_first_name():
    [claim] = extract("Namun, epidemiolog Universitas Griffith Dicky Budiman menilai langkah itu belum cukup.", "id", title="")
    assert (claim.speaker, claim.speaker_role) == ("Dicky Budiman", "epidemiolog Universitas Griffith")
    # "minggu ke-17" is an ordinal, no figure.
    text = "Kasus DBD mencapai 88.593 kasus hingga minggu ke-17 tahun 2024, kata Kemenkes."
    numbers = {e.text for e in extract(text, "id", title="")[0].entities if e.label == "QUANTITY"}
    assert numbers == {"88.593 kasus"}


def test_army_and_police_ranks_and_corps_are_not_the_name_and_casualties_are_reported_fact():
    text = (
        "Kapendam XVII/Cenderawasih Letkol Inf Candra Kurniawan mengatakan 3 prajurit tewas "
        "dalam kontak tembak di Intan Jaya.\n\n"
        "Kapolsek Sugapa Iptu Bambang Sutrisno mengatakan 2 warga terluka."
    )
    soldiers, police = extract(text, "id", title="")
    assert (soldiers.speaker, soldiers.speaker_role) == ("Candra Kurniawan", "Kapendam XVII/Cenderawasih")
    assert "factual verb 'tewas'" in soldiers.reasons
    assert ("GPE", "Intan Jaya") in {(e.label, e.canonical) for e in soldiers.entities}
    assert (police.speaker, police.speaker_role) == ("Bambang Sutrisno", "Kapolsek Sugapa")
    # "Jaya" of a regency's name is still a word of a person's name.
    [lawyer] = extract("Pengacara Ridwan Kamil, Muslim Jaya Butar Butar, mengatakan 3 saksi diperiksa.", "id", title="")
    assert lawyer.speaker == "Muslim Jaya Butar Butar"


def test_a_surveys_publisher_after_a_modifier_and_a_medium_read_on_its_website():
    [survey] = extract(
        "Hasil survei terbaru Lembaga Survei Indonesia (LSI) menunjukkan pasangan nomor urut 01 unggul 41,6 persen.",
        "id",
        title="",
    )
    assert survey.speaker == "Lembaga Survei Indonesia"
    [website] = extract("Dikutip dari laman resmi WHO, Indonesia termasuk 30 negara dengan kasus DBD tertinggi.", "id", title="")
    assert website.attribution == "via World Health Organization"
    assert "health" in website.topics


def test_a_minister_after_the_office_and_a_one_word_name_after_a_title_are_people_of_the_claim():
    text = (
        "Menteri Pertahanan Sjafrie Sjamsoeddin menegaskan pembelian 42 jet Rafale tetap berjalan.\n\n"
        "Kapuspen TNI Mayjen TNI Hariyanto menyebut 12 prajurit dikirim ke Lebanon.\n\n"
        "Vice President Corporate Communication Pertamina Fadjar Djoko Santoso menegaskan stok BBM aman 20 hari."
    )
    minister, spokesman, company = extract(text, "id", title="")
    # "Pertahanan" is the office's word, not the first word of a longer name.
    assert ("PERSON", "Sjafrie Sjamsoeddin") in {(e.label, e.text) for e in minister.entities}
    assert ("PERSON", "Hariyanto") in {(e.label, e.text) for e in spokesman.entities}
    assert (company.speaker, company.speaker_role) == (
        "Fadjar Djoko Santoso",
        "Vice President Corporate Communication Pertamina",
    )


def test_hal_itu_disampaikan_gives_the_sentence_before_it_its_speaker():
    text = (
        "Mahkamah Konstitusi (MK) menerima 206 permohonan sengketa Pilkada 2024.\n\n"
        "Hal itu disampaikan Juru Bicara MK Fajar Laksono di Jakarta, Senin (6/1/2025)."
    )
    count, said = extract(text, "id", title="")
    assert count.speaker == said.speaker == "Fajar Laksono"
    # "Konstitusi" of the court's name makes no rule of a count.
    assert count.claim_type == "quantity"


def test_a_news_agencys_report_is_its_word_via_it_and_no_response_is_no_claim():
    [report] = extract(
        "Nilai ekspor nikel mencapai US$ 33 miliar, menurut laporan Reuters yang dirilis Senin (20/1/2025).",
        "id",
        title="",
    )
    assert (report.speaker, report.speaker_kind, report.attribution) == ("Reuters", "organisation", "via Reuters")
    [silence] = extract(
        "Hingga berita ini diturunkan, Kedutaan Besar China di Jakarta belum memberikan tanggapan.", "id", title=""
    )
    assert silence.score < 0.5
    [suspects] = extract("Polisi menangkap tiga orang berinisial RH (34), AS (27) dan MT (41).", "id", title="")
    # Initials and ages: no country, no figures but the count.
    assert {(e.label, e.text) for e in suspects.entities} == {("QUANTITY", "tiga orang")}


def test_a_suspects_initials_are_theirs_not_a_country_and_anonymous_sources_speak_for_their_ministry():
    claims = extract(
        "Polisi menangkap tersangka AS dan MR. Dalam pemeriksaan, AS mengaku tidak tahu isi kardus berisi "
        '500 butir amunisi. "Saya cuma disuruh antar 500 butir," kata tersangka AS (42).',
        "id",
        title="",
    )
    assert [(c.speaker, c.speaker_kind) for c in claims[1:]] == [("AS", "person"), ("AS", "person")]
    assert not [e for c in claims for e in c.entities if e.canonical == "United States"]
    [us] = extract("Pemerintah AS menjual 12 jet ke Indonesia, kata juru bicara Departemen Luar Negeri AS.", "id", title="")
    assert "United States" in {e.canonical for e in us.entities}
    cases = {
        "Saksi kedua, staf PT Dini Nusa Kusuma berinisial RS, menyebut 3 kali transfer.": (
            "RS",
            "staf PT Dini Nusa Kusuma",
            "person",
            None,
        ),
        "Seorang sumber di Kementerian Pertahanan yang enggan disebutkan namanya mengatakan kontrak Rp 5 "
        "triliun sudah diteken.": ("Kementerian Pertahanan", "sumber", "representative", "enggan disebutkan namanya"),
        "Pejabat Kemenkeu yang tidak bersedia disebutkan identitasnya mengatakan 3 usulan belum diterima.": (
            "Kementerian Keuangan",
            "Pejabat",
            "representative",
            "tidak bersedia disebutkan",
        ),
    }
    assert read_each(cases, "id", "speaker", "speaker_role", "speaker_kind", "hedge") == cases
