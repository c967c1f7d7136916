"""Claim types an editor would agree with."""

from claims.nlp import extract


def test_a_record_is_a_fact_not_an_opinion():
    """'best' is an opinion word, but 'its best performance since 2000' is a record to check."""
    [record] = extract("Singapore's economy grew by 8.1% in 2004, its best performance since 2000.", "en", title="")
    assert record.claim_type == "quantity" and record.score >= 0.5
    [praise] = extract("The software that comes with the machine is the best money can buy.", "en", title="")
    assert praise.claim_type == "opinion"


def test_what_analysts_expect_or_a_company_plans_is_a_prediction():
    for sentence in (
        "Analysts expect prices for a single 155mm shell to rise above $8,000 this year.",
        "Rheinmetall plans to raise annual output to 700,000 shells by 2025.",
        "Qantas is on track to top its target of A$500m for the full year.",
    ):
        [claim] = extract(sentence, "en", title="")
        assert claim.claim_type == "prediction", sentence


def test_an_attack_or_a_delivery_is_an_event_with_its_verb_as_the_reason():
    for sentence, verb in (
        ("Russian forces shelled Kharkiv overnight.", "shelled"),
        ("Germany delivered Leopard tanks to Ukraine in March.", "delivered"),
    ):
        [claim] = extract(sentence, "en", title="")
        assert claim.claim_type == "event", sentence
        assert f"factual verb '{verb}'" in claim.reasons, claim.reasons


def test_a_reaction_is_an_opinion_not_an_event():
    for sentence in (
        'Oleg Gordievsky said he was "very happy" with the way the government had treated him.',
        "The report was welcomed by Conservative shadow pensions secretary David Willetts.",
        "The Kremlin dismissed the deliveries as futile.",
    ):
        [claim] = extract(sentence, "en", title="")
        assert claim.claim_type == "opinion", sentence
    # A police description is no reaction.
    [described] = extract("The suspect is described as white, aged 30 to 40, with a ginger beard.", "en", title="")
    assert described.claim_type != "opinion"


def test_what_should_be_is_opinion_and_what_a_treaty_or_law_requires_is_a_rule():
    def kind(text: str, language: str) -> str:
        return extract(text, language, title="")[0].claim_type

    assert kind("The government must do more to cut energy prices.", "en") == "opinion"
    assert kind("Under the treaty, both sides must cut their arsenals by a third.", "en") == "rule"
    assert kind("Pemerintah daerah harus proaktif menekan harga.", "id") == "opinion"
    assert kind("Berdasarkan Perpres Nomor 12 Tahun 2024, setiap pembelian alutsista wajib melalui Kemhan.", "id") == "rule"


def test_too_high_or_terlalu_lama_is_a_judgement():
    assert extract("Taxes are too high.", "en", title="")[0].claim_type == "opinion"
    text = "Purbaya mengatakan proses audit tagihan kompensasi selama tiga bulan terlalu lama."
    [claim] = extract(text, "id", title="")
    assert claim.claim_type == "opinion" and claim.score < 0.5


def test_a_court_ruling_is_a_rule_a_central_bank_forecast_a_prediction_and_likely_a_hedge():
    [ruling] = extract(
        "Judges at the Supreme Court ruled in June that the climate impact of burning the coal must be considered.",
        "en",
        title="",
    )
    assert ruling.claim_type == "rule"
    [forecast] = extract(
        "Gubernur BI Perry Warjiyo memperkirakan inflasi hingga akhir tahun tetap dalam sasaran 2,5 persen.", "id", title=""
    )
    assert forecast.claim_type == "prediction"
    [hedged] = extract("The policy rate is likely at its peak of 5.5%, the Fed chair said.", "en", title="")
    assert hedged.hedge == "likely"
    # A comparison of rates is no hedge.
    [compared] = extract("Asians were 1.9 times more likely to be stopped than white people in 2004.", "en", title="")
    assert compared.hedge is None


def test_due_to_with_a_verb_is_a_schedule_not_a_cause():
    """'Also due to attend are ...' (issue 19) lists who will come: no cause, and an
    attendance list is about the event itself; 'due to the strike' is still a cause."""
    text = (
        "Also due to attend are US Secretary of State Condoleezza Rice, UN Secretary General Kofi Annan, "
        "World Bank officials and foreign ministers from 23 European and Arab countries."
    )
    [attendance] = extract(text, "en", title="")
    assert attendance.claim_type != "causation", attendance.reasons
    assert not any(r.startswith("cause:") for r in attendance.reasons), attendance.reasons
    assert "about the statement or event: 'due to attend'" in attendance.reasons, attendance.reasons
    for scheduled in (
        "The ONS is due to publish its second estimate of third quarter growth on 23 November.",
        "The digital cameras are due to go on sale in the US by the end of March.",
    ):
        [claim] = extract(scheduled, "en", title="")
        assert claim.claim_type != "causation" and not any(r.startswith("cause:") for r in claim.reasons), scheduled
    [cause] = extract("British Airways cancelled 120 flights on Monday due to the strike.", "en", title="")
    assert cause.claim_type == "causation" and "cause: 'due to'" in cause.reasons, cause.reasons
