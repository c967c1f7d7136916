"""Who said it, and what hedges it: cases from real articles that once went wrong."""

from claims.nlp import extract
from tests.nlp.cases import read_each


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


def test_menurut_at_the_end_of_a_sentence_names_the_source():
    [claim] = extract("Harga beras naik 10 persen pada Oktober, menurut Badan Pusat Statistik.", "id")
    assert claim.speaker == "Badan Pusat Statistik"


def test_kata_x_set_off_by_commas_names_the_speaker():
    text = (
        "Menteri Pendidikan Abdul Mu'ti meninjau dapur MBG di Jakarta pada Senin.\n\n"
        "Program MBG itu, kata Mu'ti, tetap menjadi prioritas Presiden dengan dana Rp 71 triliun."
    )
    assert extract(text, "id")[-1].speaker == "Abdul Mu'ti"


def test_katanya_set_off_by_commas_is_the_last_speaker():
    text = (
        '"Klien kami dirugikan Rp 2 miliar," kata kuasa hukum Suci, Dadang Aprianto.\n\n'
        "Selain itu, katanya, AL juga diduga menyebarkan data pribadi Suci pada Juli 2025."
    )
    assert [c.speaker for c in extract(text, "id")] == ["Dadang Aprianto"] * 2


def test_menurut_dia_with_no_speaker_before_is_the_person_named_before():
    text = (
        "Wartawan menemui Sri Mulyani di Jakarta pada Senin pagi.\n\n"
        "Menurut dia, anggaran kesehatan naik 10 persen pada 2026."
    )
    assert extract(text, "id")[-1].speaker == "Sri Mulyani Indrawati"


def test_hal_itu_disampaikan_x_names_who_said_it():
    text = (
        "Kementerian Keuangan memastikan tidak ada kenaikan iuran BPJS Kesehatan pada 2026.\n\n"
        "Demikian disampaikan oleh Direktur Jenderal Anggaran Kementerian Keuangan Luky Alfirman "
        "di Jakarta, Senin (3/11/2025).\n\n"
        "Luky menjelaskan anggaran kesehatan naik Rp 25 triliun."
    )
    said = [(c.speaker, c.speaker_role) for c in extract(text, "id")][1:]
    assert said == [("Luky Alfirman", "Direktur Jenderal Anggaran Kementerian Keuangan")] * 2


def test_a_rank_before_the_name_is_not_part_of_the_role():
    text = '"Ada 1.743 personel gabungan yang kami siagakan," kata Kapolres Metro Jakarta Pusat Kombes Susatyo Purnomo Condro.'
    [claim] = extract(text, "id")
    assert (claim.speaker, claim.speaker_role) == ("Susatyo Purnomo Condro", "Kapolres Metro Jakarta Pusat")


def test_an_unnamed_official_speaks_in_their_role():
    """'seorang pejabat senior': no name, but not the outlet's own word either."""
    [claim] = extract("Seorang pejabat senior mengatakan Korea Utara mengirim 1 juta peluru ke Rusia.", "id")
    assert (claim.speaker, claim.speaker_role) == (None, "pejabat senior")
    [claim] = extract('"Anggaran naik 20 persen," kata seorang pejabat Kementerian Keuangan.', "id")
    assert (claim.speaker, claim.speaker_role) == ("Kementerian Keuangan", "pejabat")


def test_a_name_that_begins_an_organisation_name_is_still_a_name():
    [claim] = extract('"Harga beras naik 5 persen," kata Uni Lubis, pengamat ekonomi.', "id")
    assert (claim.speaker, claim.speaker_role) == ("Uni Lubis", "pengamat ekonomi")


def test_ujarnya_after_an_unnamed_official_is_that_official():
    text = (
        "Seorang pejabat senior mengatakan Korea Utara mengirim 1 juta peluru ke Rusia.\n\n"
        '"Jumlahnya bisa mencapai 2 juta pada 2024," ujarnya.'
    )
    assert [c.speaker_role for c in extract(text, "id")] == ["pejabat senior"] * 2


def test_a_role_with_dari_before_the_name_still_gives_the_speaker():
    [claim] = extract(
        "Menurut pengamat militer dari Institute for Security and Strategic Studies (ISESS) Khairul Fahmi, "
        "harga 8,1 miliar dolar AS tergolong mahal.",
        "id",
        title="",
    )
    assert (claim.speaker, claim.speaker_role) == (
        "Khairul Fahmi",
        "pengamat militer dari Institute for Security and Strategic Studies",
    )


def test_questioning_is_speaking_and_tb_is_a_title():
    claims = extract(
        "Anggota Komisi I DPR TB Hasanuddin mempertanyakan skema pembiayaan kontrak senilai Rp 5 triliun itu. "
        '"Apakah pakai pinjaman luar negeri? Itu harus jelas," tegasnya.',
        "id",
        title="",
    )
    assert {(c.speaker, c.speaker_role) for c in claims} == {("Hasanuddin", "Anggota Komisi I DPR")}


def test_the_name_after_an_organisations_short_form_is_the_speaker():
    for text in (
        "Ekonom Center of Reform on Economics (CORE) Mohammad Faisal menilai defisit 2,78 persen terlalu tinggi.",
        "Menurut ekonom Center of Reform on Economics (CORE) Mohammad Faisal, defisit 2,78 persen terlalu tinggi.",
        '"Defisit 2,78 persen terlalu tinggi," kata ekonom Center of Reform on Economics (CORE) Mohammad Faisal.',
    ):
        [claim] = extract(text, "id", title="")
        assert claim.speaker == "Mohammad Faisal", text
        assert claim.speaker_role.lower() == "ekonom center of reform on economics"
    # An organisation with its short form and no one after it is still the organisation.
    [claim] = extract("Badan Pusat Statistik (BPS) menyebut inflasi 2,8 persen pada Oktober.", "id", title="")
    assert (claim.speaker, claim.speaker_role) == ("Badan Pusat Statistik", None)


def test_a_military_or_police_rank_is_neither_the_name_nor_the_role():
    cases = {
        "Kepala Biro Humas Setjen Kemhan Brigjen TNI Edwin Adrian Sumantha mengatakan tiga pesawat "
        "pertama tiba pada 2026.": ("Edwin Adrian Sumantha", "Kepala Biro Humas Setjen Kemhan"),
        "Kapuspen TNI Mayjen TNI Hariyanto mengatakan 300 prajurit dikirim.": ("Hariyanto", "Kapuspen TNI"),
        "Kabid Humas Polda Metro Jaya Kombes Pol Ade Ary Syam Indradi mengatakan 12 orang ditangkap.": (
            "Ade Ary Syam Indradi",
            "Kabid Humas Polda Metro Jaya",
        ),
    }
    for text, expected in cases.items():
        [claim] = extract(text, "id")
        assert (claim.speaker, claim.speaker_role) == expected


def test_the_i_of_a_balinese_name_is_the_names_and_komisi_i_is_the_roles():
    [claim] = extract("Gubernur Bali I Wayan Koster mengatakan 300 hotel penuh.", "id")
    assert (claim.speaker, claim.speaker_role) == ("I Wayan Koster", "Gubernur Bali")
    [claim] = extract("Kadispenal Laksma TNI I Made Wira Hady mengatakan kapal selam itu tiba pada 2025.", "id")
    assert (claim.speaker, claim.speaker_role) == ("I Made Wira Hady", "Kadispenal")
    [claim] = extract("Anggota Komisi I DPR Dave Laksono mengatakan anggaran naik 10 persen.", "id")
    assert (claim.speaker, claim.speaker_role) == ("Dave Laksono", "Anggota Komisi I DPR")


def test_an_institution_that_records_or_forecasts_a_figure_is_its_source():
    [recorded] = extract("Badan Pusat Statistik (BPS) mencatat inflasi Oktober 2025 mencapai 2,86 persen.", "id")
    assert recorded.speaker == "Badan Pusat Statistik"
    [forecast] = extract("Sementara itu, Bank Indonesia (BI) memperkirakan inflasi tetap 2,5 persen.", "id")
    assert forecast.speaker == "Bank Indonesia"
    [routine] = extract("Sebelumnya BPS juga rutin mencatat ekspor naik 5 persen setiap bulan.", "id")
    assert routine.speaker == "Badan Pusat Statistik"
    # Reporting someone to the police is no statement.
    [complaint] = extract("Ridwan Kamil melaporkan Lisa Mariana ke Bareskrim pada Januari 2025.", "id")
    assert complaint.speaker is None and complaint.attribution == "the outlet"


def test_a_researcher_at_an_election_watchdog_is_named_without_the_watchdog():
    [claim] = extract(
        "Peneliti Perludem Heroik Pratama menilai partisipasi 68 persen harus menjadi alarm bagi KPU.", "id"
    )
    assert (claim.speaker, claim.speaker_role) == ("Heroik Pratama", "Peneliti Perludem")
    assert "Perkumpulan untuk Pemilu dan Demokrasi" in {e.canonical for e in claim.entities}


def test_an_unnamed_spokesperson_speaks_for_the_ministry_and_a_named_one_is_a_person():
    [claim] = extract("Juru bicara Kementerian Pertahanan mengatakan 42 jet tempur akan tiba pada 2026.", "id")
    assert (claim.speaker, claim.speaker_role, claim.speaker_kind) == (
        "Kementerian Pertahanan", "Juru bicara", "representative"
    )
    [claim] = extract("Juru Bicara Kementerian Luar Negeri AS Matthew Miller mengatakan 5 kapal dikirim.", "id")
    assert (claim.speaker, claim.speaker_kind) == ("Matthew Miller", "person")


def test_unnamed_sources_are_a_hedge_on_the_claim():
    [claim] = extract("Sources familiar with the matter said the deal was worth $8bn.", "en", title="")
    assert claim.hedge == "Sources familiar"
    [claim] = extract(
        "Menurut sumber di Kemhan, kontrak 42 jet Rafale senilai 8,1 miliar dolar AS sudah dibayar lunas.", "id"
    )
    assert claim.hedge == "Menurut sumber"


def test_titles_with_a_full_stop_are_titles():
    [claim] = extract(
        "Guru Besar FEB UI Prof. Dr. Telisa Aulia Falianty menilai inflasi 2,86 persen masih terkendali.", "id"
    )
    assert (claim.speaker, claim.speaker_role) == ("Telisa Aulia Falianty", "Guru Besar FEB UI")
    first, second = extract("Dr. Anthony Fauci said 5,000 people died. Dr. Fauci added that 300 were children.", "en")
    assert first.speaker == second.speaker == "Anthony Fauci"


def test_a_long_agency_name_that_starts_with_its_head_noun_is_the_speaker():
    text = (
        "Dikutip dari Yonhap, Badan Administrasi Program Akuisisi Pertahanan (DAPA) menyebut "
        "Indonesia baru membayar 278 miliar won."
    )
    [claim] = extract(text, "id", title="")
    assert (claim.speaker, claim.speaker_kind) == ("Badan Administrasi Program Akuisisi Pertahanan", "organisation")
    assert claim.attribution == "via Yonhap"
    # A person named after a party is still the person, the party their role.
    [claim] = extract("Sekjen Partai Gerindra Ahmad Muzani menyebut 300 kader mundur.", "id", title="")
    assert (claim.speaker, claim.speaker_role) == ("Ahmad Muzani", "Sekjen Partai Gerindra")


def test_a_word_of_a_company_name_that_people_are_also_named_stays_part_of_a_name():
    # "Sri" is in PT Sri Rejeki Isman, and in Sri Mulyani's and Esther Sri Astuti's names.
    text = "Hal itu diungkapkan oleh Direktur Eksekutif Indef Esther Sri Astuti."
    [claim] = extract("PT Sri Rejeki Isman merumahkan 300 pekerja. " + text, "id", title="")[-1:]
    assert (claim.speaker, claim.speaker_role) == ("Esther Sri Astuti", "Direktur Eksekutif Indef")


def test_who_confirmed_released_or_announced_it_in_the_passive_is_the_speaker():
    cases = {
        "Kabar tersebut dibenarkan oleh Kepala Dinas Penerangan TNI AU Marsma TNI Ardi Syahri.": "Ardi Syahri",
        "Informasi itu dikonfirmasi oleh juru bicara Kemlu Rolliansyah Soemirat.": "Rolliansyah Soemirat",
        "Data itu dirilis Badan Pusat Statistik (BPS) pada Senin.": "Badan Pusat Statistik",
        "Pengumuman itu disampaikan langsung oleh Presiden Prabowo Subianto di Istana Merdeka.": "Prabowo Subianto",
        "Sebanyak 300 prajurit dikerahkan ke Natuna, demikian disampaikan Panglima TNI Jenderal Agus Subiyanto.": (
            "Agus Subiyanto"
        ),
        # A demonstrative alone, with no verb of saying, names no one.
        "Harga beras itu naik 5 persen pada Senin.": None,
    }
    assert {text: extract(text, "id", title="")[0].speaker for text in cases} == cases


def test_what_he_said_named_back_with_ia_katakan_is_the_last_speakers():
    text = (
        'Menteri Sosial Saifullah Yusuf mengatakan angka kemiskinan turun. "Data kami satu," kata Gus Ipul. '
        "Hal tersebut ia katakan usai rapat di Istana Negara, Jakarta, Senin (20/10)."
    )
    assert extract(text, "id", title="")[-1].speaker == "Saifullah Yusuf"


def test_what_a_publishers_data_shows_is_the_publishers_word_in_indonesian():
    cases = {
        "Data BPS menunjukkan inflasi Oktober mencapai 1,71 persen.": "Badan Pusat Statistik",
        "Hasil survei Indikator Politik Indonesia menunjukkan elektabilitas Prabowo 40 persen.": (
            "Indikator Politik Indonesia"
        ),
        "Menurut data dari Bank Indonesia, inflasi mencapai 2 persen.": "Bank Indonesia",
        "Berdasarkan data Kementerian Keuangan, defisit mencapai 2,5 persen.": "Kementerian Keuangan",
        "Data menunjukkan inflasi mencapai 2 persen.": None,
    }
    assert {text: extract(text, "id", title="")[0].speaker for text in cases} == cases


def test_reported_by_an_outlet_is_the_medium_and_reported_to_the_police_is_not():
    [claim] = extract("Dilaporkan Al Jazeera, Korut mengirim 1 juta peluru ke Rusia.", "id", title="")
    assert claim.attribution == "via Al Jazeera"
    [claim] = extract("Korut dilaporkan Reuters mengirim 1 juta peluru ke Rusia.", "id", title="")
    assert claim.attribution == "via Reuters"
    for text in ("Kasus itu dilaporkan Budi ke polisi pada 2023.", "Rusia dilaporkan setuju mempersenjatai Iran."):
        assert extract(text, "id", title="")[0].attribution == "the outlet"


def test_short_forms_of_ministers_and_chiefs_of_staff_are_roles():
    cases = {
        "KSAD Jenderal TNI Maruli Simanjuntak mengatakan 300 tank akan dibeli.": ("Maruli Simanjuntak", "KSAD"),
        "Wamenhan Donny Ermawan mengatakan anggaran naik Rp 20 triliun.": ("Donny Ermawan Taufanto", "Wamenhan"),
        "Menhan Sjafrie Sjamsoeddin mengatakan 12 jet Rafale tiba.": ("Sjafrie Sjamsoeddin", "Menhan"),
        # "Pol" after a police rank is the rank's, not the name's.
        "Kapolda Metro Jaya Irjen Pol Karyoto mengatakan 300 orang ditangkap.": ("Karyoto", "Kapolda Metro Jaya"),
    }
    assert read_each(cases, "id", "speaker", "speaker_role") == cases


def test_someone_said_to_have_accused_is_not_the_speaker():
    [claim] = extract("Dalam unggahan itu, AL disebut menuding Suci berutang Rp 2 miliar.", "id", title="")
    assert (claim.speaker, claim.hedge) == (None, "disebut")


def test_a_team_named_after_its_candidate_speaks_as_the_team():
    cases = {
        "Tim hukum Anies-Muhaimin menyatakan akan mengajukan gugatan senilai Rp 1 triliun.": "Tim hukum Anies-Muhaimin",
        "Kubu Anies menyatakan 300 saksi siap.": "Kubu Anies",
        "Tim Kampanye Nasional Prabowo-Gibran menyatakan 300 saksi siap.": "Tim Kampanye Nasional Prabowo-Gibran",
    }
    found = {}
    for text in cases:
        [claim] = extract(text, "id", title="")
        found[text] = claim.speaker
        assert claim.speaker_kind == "organisation"
    assert found == cases


def test_the_word_after_a_university_is_its_name_not_the_experts_first_name():
    [claim] = extract("Namun, epidemiolog Universitas Griffith Dicky Budiman menilai langkah itu belum cukup.", "id", title="")
    assert (claim.speaker, claim.speaker_role) == ("Dicky Budiman", "epidemiolog Universitas Griffith")
    # "minggu ke-17" is an ordinal, no figure.
    text = "Kasus DBD mencapai 88.593 kasus hingga minggu ke-17 tahun 2024, kata Kemenkes."
    numbers = {e.text for e in extract(text, "id", title="")[0].entities if e.label == "QUANTITY"}
    assert numbers == {"88.593 kasus"}


def test_hopes_wishes_and_continuing_are_the_speakers_word_and_pihaknya_is_the_last_speaker():
    text = (
        "Menteri Sosial Saifullah Yusuf mengatakan angka kemiskinan turun menjadi 8,47 persen pada Maret 2025. "
        "Gus Ipul melanjutkan, ada tambahan bansos bagi 18 juta keluarga penerima manfaat. "
        "Ia berharap angka kemiskinan ekstrem bisa nol persen pada 2026. "
        "Pihaknya juga menargetkan 500 ribu keluarga keluar dari daftar penerima bantuan tahun ini. "
        "Oleh karena itu, ia menginginkan agar data dari 34 kementerian diperbarui setiap bulan."
    )
    claims = extract(text, "id", title="")
    assert [c.speaker for c in claims] == ["Saifullah Yusuf"] * 5


def test_a_role_named_with_itu_is_the_last_speaker_and_a_body_is_not():
    text = (
        "Wakil Ketua Komisi III DPR Rano Alfath mengatakan Kejagung mengembalikan Rp 13 triliun kepada negara. "
        "Waka Komisi Hukum DPR itu kemudian mengapresiasi Polri yang menangkap 1.200 tersangka narkoba. "
        "Komisi itu menyebut ada 12 rapat dengar pendapat."
    )
    first, anaphor, body = extract(text, "id", title="")
    assert anaphor.speaker == first.speaker == "Rano Alfath"
    assert body.speaker != "Rano Alfath"


def test_a_verb_that_opens_the_sentence_leaves_the_speaker_to_the_verb_after_it():
    cases = {
        "Menanggapi hal itu, juru bicara Kemlu Roy Soemirat mengatakan Indonesia membeli 42 jet Rafale.": (
            "Roy Soemirat",
            "juru bicara Kemlu",
        ),
        "Menjawab pertanyaan wartawan, Menhan Sjafrie Sjamsoeddin menyebut kontrak ditandatangani Maret 2024.": (
            "Sjafrie Sjamsoeddin",
            "Menhan",
        ),
        # Where she spoke is not her role.
        "Saat ditemui di SPKT Polda Sumsel, Suci menceritakan ada 3 laporan baru.": ("Suci", None),
    }
    assert read_each(cases, "id", "speaker", "speaker_role") == cases


def test_a_sentence_that_carries_on_a_statement_is_the_speakers_and_the_outlets_own_is_not():
    text = (
        "Tito mengungkapkan langkah tersebut membuat pemerintah memiliki peta harga yang lebih detail. "
        "Pasalnya setiap pekan, tim dari BPS turun langsung ke 514 kabupaten untuk memantau harga. "
        "Namun, hingga berita ini diturunkan, BPS belum memberikan tanggapan.\n\n"
        "Namun, harga beras naik 5 persen pada pekan lalu."
    )
    claims = extract(text, "id", title="")
    assert [c.speaker for c in claims] == ["Tito Karnavian", "Tito Karnavian", None, None]


def test_pihaknya_carries_on_for_the_speaker_before_it():
    text = (
        "Ketua IPFO Muhammad Rachmat Kaimuddin mengatakan Kemenko IPK telah meriset praktik 12 negara. "
        "Pihaknya juga telah melakukan diskusi dengan 40 investor."
    )
    assert [c.speaker for c in extract(text, "id", title="")] == ["Muhammad Rachmat Kaimuddin"] * 2


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


def test_a_ministers_short_title_later_is_the_minister_the_story_named():
    text = (
        "Menteri Keuangan Sri Mulyani Indrawati mengatakan defisit APBN mencapai Rp 204 triliun. "
        "Menkeu menjelaskan penerimaan pajak turun 10 persen. "
        "Menhan menyebut nilai pengadaan amunisi mencapai Rp 2,5 triliun."
    )
    first, short, unnamed = extract(text, "id", title="")
    assert (short.speaker, short.speaker_role) == ("Sri Mulyani Indrawati", "Menteri Keuangan")
    # An office the story never named a holder for: someone known by the office only.
    assert (unnamed.speaker, unnamed.speaker_role) == (None, "Menhan")


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


def test_speakers_described_by_office_unit_or_initials_and_no_speaker_from_a_link_line():
    text = (
        "Menteri Keuangan Sri Mulyani Indrawati mengungkapkan defisit APBN mencapai Rp 204,2 triliun.\n\n"
        "Bendahara negara itu menjelaskan, penerimaan pajak turun 7 persen.\n\n"
        "Jaksa Agung ST Burhanuddin memastikan pihaknya akan banding atas vonis 6 tahun Harvey Moeis.\n\n"
        "Menanggapi hal itu, Perum Bulog Kanwil Jawa Barat menyatakan siap menggelar operasi pasar 5.000 ton.\n\n"
        "Baca juga: Iuran BPJS Naik? Begini Penjelasan Pemerintah\n\n"
        "Pemerintah menargetkan eliminasi TBC pada 2030."
    )
    found = [(c.speaker, c.speaker_role) for c in extract(text, "id", title="")]
    assert found == [
        ("Sri Mulyani Indrawati", "Menteri Keuangan"),
        ("Sri Mulyani Indrawati", "Menteri Keuangan"),
        ("Sanitiar Burhanuddin", "Jaksa Agung"),
        ("Perum Bulog Kanwil Jawa Barat", None),
        ("Pemerintah", None),
    ]


def test_who_a_ship_is_handed_to_is_no_medium():
    text = '"Kapal pertama akan diserahkan kepada TNI AL paling lambat Desember 2028," ujar Frega kepada wartawan.'
    [claim] = extract(text, "id", title="")
    assert claim.attribution != "via TNI Angkatan Laut"


def test_when_and_where_someone_spoke_are_neither_name_nor_role():
    cases = {
        "Kapolres Mimika AKBP Billyandha Hildiario Budiman di Timika, Rabu, mengatakan 3 tersangka ditangkap.": (
            "Billyandha Hildiario Budiman",
            "Kapolres Mimika",
        ),
        "Presiden Prabowo Subianto, pekan lalu, mengatakan hilirisasi menambah 200 ribu lapangan kerja.": (
            "Prabowo Subianto",
            "Presiden",
        ),
        "Presiden Prabowo Subianto dalam berbagai kesempatan menegaskan pemerintah akan menambah 3 smelter.": (
            "Prabowo Subianto",
            "Presiden",
        ),
        "BMKG memprakirakan hujan lebat terjadi di 12 provinsi pekan ini.": (
            "Badan Meteorologi, Klimatologi, dan Geofisika",
            None,
        ),
        # "ini" ends a description of the last speaker, not a time.
        "Politikus PKB ini mengatakan 3 kasus ditangani Kejagung.": (None, None),
    }
    assert read_each(cases, "id", "speaker", "speaker_role") == cases


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


def test_a_viral_post_is_the_speaker_of_its_claim_and_the_account_of_later_ones():
    text = (
        "Unggahan akun X @petani_merdeka yang menyebut Indonesia mengimpor 5 juta ton beras viral di media sosial. "
        "Dalam unggahannya, akun tersebut menulis bahwa pemerintah membuka keran impor 5 juta ton. "
        "Sebelumnya, akun yang sama juga mengklaim TNI AU akan menerima 24 unit jet J-10. "
        "Kepala Badan Pangan Nasional (Bapanas) Arief Prasetyo Adi meluruskan bahwa angka 5 juta ton itu tidak benar. "
        "Tingkat pengangguran mencapai 4,91 persen, jauh di atas angka 2 persen yang diklaim akun tersebut."
    )
    claims = extract(text, "id", title="")
    assert [c.speaker for c in claims] == ["@petani_merdeka"] * 3 + ["Arief Prasetyo Adi", None]
    # The outlet's own figure is not hedged by the account's claim it is set against.
    assert claims[-1].hedge is None
    [message] = extract("Pesan berantai yang menyebut 3 bank akan bangkrut beredar di WhatsApp sejak Senin.", "id", title="")
    assert message.speaker == "Pesan berantai"


def test_a_person_named_after_an_organisation_the_text_introduced_is_that_person():
    text = (
        "Pesan berantai menyebut PT Bank Sentosa Jaya Tbk akan bangkrut pada Oktober 2025. "
        "Sementara itu, manajemen Bank Sentosa Jaya menyatakan laba bersih naik 12 persen. "
        "Direktur Utama Bank Sentosa Jaya Handoko Wijaya memastikan dana nasabah aman hingga Rp 2 miliar. "
        "Klaim itu disampaikan Wakil Ketua Umum Partai Gerakan Rakyat Adil (PGRA) Hendra Saputra dalam pidatonya."
    )
    _, bank, director, politician = extract(text, "id", title="")
    assert (bank.speaker, bank.speaker_kind) == ("PT Bank Sentosa Jaya Tbk", "organisation")
    assert (director.speaker, director.speaker_role) == ("Handoko Wijaya", "Direktur Utama Bank Sentosa Jaya")
    assert (politician.speaker, politician.speaker_role) == ("Hendra Saputra", "Wakil Ketua Umum Partai Gerakan Rakyat Adil")


def test_a_regional_title_names_its_region_before_the_person():
    # The gazetteer knows Jawa Barat and Deli Serdang, not Langkat or Sikka: a regent or a
    # governor is titled by the region, which comes before the name all the same.
    cases = {
        "Bupati Langkat Syah Afandin mengatakan anggaran naik 12 persen.": ("Syah Afandin", "Bupati Langkat"),
        "Wakil Bupati Sikka Simon Subsidi mengatakan 14 desa terendam.": ("Simon Subsidi", "Wakil Bupati Sikka"),
        "Wali Kota Tidore Muhammad Sinen mengatakan 300 rumah rusak.": ("Muhammad Sinen", "Wali Kota Tidore"),
        "Gubernur Jawa Barat Dedi Mulyadi menyebut 300 sekolah rusak.": ("Dedi Mulyadi", "Gubernur Jawa Barat"),
        "Bupati Deli Serdang Asri Ludin Tambunan menuturkan 14 desa terendam.": (
            "Asri Ludin Tambunan",
            "Bupati Deli Serdang",
        ),
        # No region: a two-word name stays whole.
        "Bupati Syah Afandin mengatakan anggaran naik 12 persen.": ("Syah Afandin", "Bupati"),
        # A regional body's word is followed by its region too, and a doctor's "dr" is the
        # name's, not the role's.
        "Kepala BPKAD Langkat Amril mengakui dana transfer turun Rp 214 miliar.": ("Amril", "Kepala BPKAD Langkat"),
        "Kepala Bappeda Sikka Yosef Lewa menyebut 14 proyek ditunda.": ("Yosef Lewa", "Kepala Bappeda Sikka"),
        "Kepala Dinas Kesehatan Kabupaten Sikka Petrus Herlemus mengatakan 312 kasus tercatat.": (
            "Petrus Herlemus",
            "Kepala Dinas Kesehatan Kabupaten Sikka",
        ),
        "Direktur RSUD Mappi dr Yulianus Kambu mengatakan 346 pasien dirujuk.": ("Yulianus Kambu", "Direktur RSUD Mappi"),
        # A regional body with no one's post before it is the body, not a person "Langkat".
        "Pemerintah Kabupaten Langkat memproyeksikan defisit Rp 86 miliar pada 2026.": (
            "Pemerintah Kabupaten Langkat",
            None,
        ),
        "Dinas Kesehatan Mappi mencatat 9 kasus kematian ibu melahirkan pada 2025.": ("Dinas Kesehatan Mappi", None),
    }
    assert read_each(cases, "id", "speaker", "speaker_role") == cases
    [body] = extract("Dinas Kesehatan Mappi mencatat 9 kasus kematian ibu melahirkan pada 2025.", "id", title="")
    assert body.speaker_kind == "organisation"


def test_a_tribun_regional_dateline_is_not_part_of_the_first_claim():
    [claim] = extract(
        "Defisit APBD Langkat\n\nTRIBUN-MEDAN.com, STABAT - Pemerintah Kabupaten Langkat "
        "memproyeksikan defisit Rp 87 miliar pada 2026.\n"
    )
    assert claim.text.startswith("Pemerintah Kabupaten Langkat")


def test_suspecting_and_estimating_are_hedges():
    cases = {
        "Ia menduga ada potensi mark-up Rp 2 triliun, kata Budi.": "menduga",
        "Ia memperkirakan biaya PSU sekitar Rp 3 miliar, kata Budi.": "memperkirakan",
        "Amunisinya ada yang kami duga masuk dari Timor Leste, kata Kapolres.": "kami duga",
    }
    assert read_each(cases, "id", "hedge") == cases


def test_posts_by_named_accounts_circulating_posts_verdicts_and_komnas_bodies():
    cases = {
        # An account named after its platform: the account, by its name.
        "Unggahan akun Facebook Bunda Sehat yang menyebut 45 anak meninggal setelah vaksinasi beredar luas.": (
            "Bunda Sehat",
            "akun Facebook",
        ),
        "Beredar sebuah unggahan di Facebook yang mengklaim 45 anak di Sikka meninggal setelah vaksinasi.": (
            "Unggahan di Facebook",
            None,
        ),
        "Sebuah video TikTok yang menyebut 5 juta ton beras diimpor dari China beredar.": ("Video TikTok", None),
        # The outlet's verdict on a post is not the post's claim.
        "Unggahan yang menyebut 45 anak meninggal setelah vaksinasi adalah hoaks.": (None, None),
        "Komnas KIPI dalam keterangan tertulisnya menyatakan vaksin campak dipakai di 140 negara.": (
            "Komnas KIPI",
            None,
        ),
    }
    assert read_each(cases, "id", "speaker", "speaker_role") == cases
    claims = extract(
        "Unggahan akun Facebook Bunda Sehat yang menyebut 45 anak meninggal beredar luas. "
        "Akun tersebut juga menulis 12 desa terdampak.",
        "id",
        title="",
    )
    assert [c.speaker for c in claims] == ["Bunda Sehat", "Bunda Sehat"]


def test_a_titled_person_who_acts_before_speaking_is_who_ia_means_and_a_clause_is_no_subject():
    text = (
        "Rapat PT PAL\n\n"
        "Jakarta - Wakil Ketua Komisi I DPR Dave Laksono membuka rapat. \"Kami ingin penjelasan,\" kata Dave.\n\n"
        "Direktur Utama PT PAL Indonesia Kaharuddin Djenod mendapat giliran pertama memaparkan kinerja "
        "perusahaan. Ia mengakui pembangunan kapal fregat terlambat sekitar 14 bulan.\n\n"
        "Bupati Malang Sanusi yang hadir dalam peresmian itu menyambut baik investasi tersebut. "
        "Ia menyebut pabrik itu menyerap 1.200 pekerja.\n\n"
        "Sementara itu, Wakil Menteri Pertahanan Donny Ermawan Taufanto yang meresmikan fasilitas tersebut "
        "menegaskan 30 persen amunisi masih diimpor.\n"
    )
    found = {c.text[:14]: (c.speaker, c.speaker_role) for c in extract(text)}
    assert found["Ia mengakui pe"] == ("Kaharuddin Djenod", "Direktur Utama PT PAL Indonesia")
    assert found["Ia menyebut pa"] == ("Sanusi", "Bupati Malang")
    assert found["Sementara itu,"] == ("Donny Ermawan Taufanto", "Wakil Menteri Pertahanan")
    # Narration about them is still the outlet's.
    assert found["Direktur Utama"] == (None, None)


def test_a_question_asked_and_an_answer_given_after_a_quote_are_theirs():
    cases = {
        '"Apakah ada denda keterlambatan yang dikenakan? Berapa nilainya?" tanya Hasanuddin.': "Hasanuddin",
        '"Baik, dicatat. Mohon Defend ID menyerahkan datanya secara tertulis," jawab Budisatrio.': "Budisatrio",
    }
    found = {text: {c.speaker for c in extract(text, "id", title="")} for text in cases}
    assert found == {text: {speaker} for text, speaker in cases.items()}


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


def test_a_post_then_a_name_between_commas_is_who_menurutnya_means():
    text = (
        "Sidang Korupsi Satelit\n\n"
        "Jakarta - Jaksa Ardito Muwardi mengatakan terdakwa menerima Rp 2 miliar.\n\n"
        "Penasihat hukum terdakwa, Hotman Sitompul, keberatan dengan dakwaan itu. Menurutnya, pesan itu "
        "tidak berkaitan dengan uang 2 miliar.\n\n"
        "Anggota Komisi I DPR dari Fraksi Golkar Dave Laksono mendukung permintaan tersebut. Namun, ia "
        "meminta Kemhan lebih transparan soal pembelian 42 pesawat Rafale.\n"
    )
    found = {c.text[:12]: (c.speaker, c.speaker_role) for c in extract(text)}
    # Before, the defence lawyer's rebuttal went to the prosecutor.
    assert found["Menurutnya, "] == ("Hotman Sitompul", "Penasihat hukum terdakwa")
    assert found["Namun, ia me"] == ("Dave Laksono", "Anggota Komisi I DPR dari Fraksi Golkar")
    claims = extract(
        "Trial\n\nThe prosecutor, Jane Doe, said the firm paid 3 bribes.\n\n"
        "The defence lawyer, John Smith, objected to the evidence. He said 3 records were forged.\n",
        "en",
    )
    assert (claims[-1].speaker, claims[-1].speaker_role) == ("John Smith", "defence lawyer")
