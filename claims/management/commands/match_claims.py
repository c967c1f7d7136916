"""Vectors for what has none, and suggestions for the claims that have not been matched."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm

from claims import services
from claims.choices import ClaimStatus
from claims.models import Claim

BATCH = 500


class Command(BaseCommand):
    help = ("Compute the matching vectors of fact-checks and claims that have none (the extraction job "
            "vectorises only the claims the queue shows) and suggest their matches.")

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--all", action="store_true", help="every claim, not only open ones")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, all: bool, no_progress: bool, **options) -> None:  # noqa: A002
        factchecks = services.factchecks_vectorize()
        claims = Claim.objects.filter(vector__isnull=True)
        if not all:
            claims = claims.filter(status__in=[ClaimStatus.NEW, ClaimStatus.IN_REVIEW])
        ids = list(claims.order_by("pk").values_list("pk", flat=True))
        vectorised = suggested = 0
        bar = tqdm(total=len(ids), unit="claim", disable=no_progress or not ids, file=self.stderr, leave=False)
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            vectorised += services.claims_vectorize(claim_ids=chunk)
            suggested += services.claim_matches_suggest(claim_ids=chunk)
            bar.update(len(chunk))
        bar.close()
        self.stdout.write(f"{factchecks} fact-checks and {vectorised} claims vectorised; {suggested} matches suggested.")
