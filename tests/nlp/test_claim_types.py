"""Claim types an editor would agree with."""

from claims.nlp import extract


def test_a_record_is_a_fact_not_an_opinion():
    """'best' is an opinion word, but 'its best performance since 2000' is a record to check."""
    [record] = extract("Singapore's economy grew by 8.1% in 2004, its best performance since 2000.", "en", title="")
    assert record.claim_type == "quantity" and record.score >= 0.5
    [praise] = extract("The software that comes with the machine is the best money can buy.", "en", title="")
    assert praise.claim_type == "opinion"
