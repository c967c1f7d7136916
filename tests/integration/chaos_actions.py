"""Desk work for the chaos tests, run in a process of its own against the private services:

    python -m tests.integration.chaos_actions partner_create <name>
    python -m tests.integration.chaos_actions webhooks_prepare <receiver-url> <partners> <claims>
    python -m tests.integration.chaos_actions publish <claim-id> ...

Each prints one JSON object. ``publish`` goes through ``services.verdict_publish`` as the
admin's Publish button does; an exception there would be a 500 for the publisher, so it is
caught and reported rather than ending the run.
"""

from __future__ import annotations

import json
import sys

import django

PUBLISHER = "chaos-publisher"
EDITOR = "chaos-editor"
# The partner that submits is a load on the desk, not a test of its limits (tests/api test
# those): every per-partner limit the model has is raised out of the way.
PARTNER_LIMITS = ("rate_limit_per_minute", "chars_per_minute", "max_article_chars")
UNLIMITED = 1_000_000_000


def partner_create(name: str) -> dict:
    """A partner with a read and submit key and no practical limits; the key is returned."""
    from claims import services
    from claims.models import Partner

    partner, _ = Partner.objects.get_or_create(name=name)
    for limit in PARTNER_LIMITS:
        if hasattr(partner, limit):
            setattr(partner, limit, UNLIMITED)
    partner.save()
    _, key = services.api_key_create(partner=partner, scopes=["read", "submit"], name="chaos")
    return {"key": key}


def webhooks_prepare(receiver: str, partners: int, claims: int) -> dict:
    """Partners with webhooks, and drafted verdicts (with a source) ready to publish."""
    from django.contrib.auth.models import Group, User

    from claims import services
    from claims.ingest import content_hash
    from claims.models import Article, Claim, Partner, Rating

    for n in range(partners):
        partner, _ = Partner.objects.get_or_create(name=f"Hook partner {n}")
        partner.webhook_url = f"{receiver}/hook/{n}"
        partner.webhook_secret = f"chaos-webhook-secret-{n}"
        partner.full_clean()
        partner.save()
    # The verdicts are drafted by an editor: under the two-person rule the publisher who
    # publishes them must not have drafted them.
    user, _ = User.objects.get_or_create(username=EDITOR, defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Editors"))
    user = User.objects.get(pk=user.pk)  # permissions are cached on the instance

    sentences = [f"The ministry said {n + 3} bridges were built in province number {n} last year."
                 for n in range(claims)]
    body = " ".join(sentences)
    article = Article.objects.create(title=f"Chaos webhooks {Article.objects.count()}", body=body,
                                     language="en", content_hash=content_hash(body))
    rating = Rating.objects.order_by("value").first()
    ids = []
    start = 0
    for sentence in sentences:
        claim = Claim.objects.create(article=article, text=sentence, start=start,
                                     end=start + len(sentence), language="en")
        start += len(sentence) + 1
        services.claim_assign(claim=claim, user=user)
        services.source_add(claim=claim, user=user, url="https://example.org/records",
                            title="Ministry records")
        services.verdict_draft(claim=claim, user=user, rating=rating, headline="Checked",
                               summary="The records say otherwise.")
        ids.append(claim.pk)
    return {"claims": ids}


def publish(claim_ids: list[int]) -> dict:
    from django.contrib.auth.models import Group, User

    from claims import services
    from claims.models import Claim

    user, _ = User.objects.get_or_create(username=PUBLISHER, defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Publishers"))
    user = User.objects.get(pk=user.pk)
    published, errors = [], []
    for pk in claim_ids:
        try:
            services.verdict_publish(claim=Claim.objects.get(pk=pk), user=user)
            published.append(pk)
        except Exception as exc:  # noqa: BLE001 - the test reports whatever a publisher would hit
            errors.append(f"claim {pk}: {exc!r}")
    return {"published": published, "errors": errors}


def main(argv: list[str]) -> None:
    django.setup()
    command, *args = argv
    if command == "partner_create":
        result = partner_create(args[0])
    elif command == "webhooks_prepare":
        result = webhooks_prepare(args[0], int(args[1]), int(args[2]))
    elif command == "publish":
        result = publish([int(a) for a in args])
    else:
        raise SystemExit(f"unknown action {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
