"""Vectors for what has none, and suggestions for the claims that have not been matched."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from tqdm import tqdm

from claims import matching, services
from claims.choices import ClaimStatus
from claims.models import Claim

BATCH = 500


class Command(BaseCommand):
    help = ("Compute the matching vectors of fact-checks and claims that have none, or another encoder's "
            "(after an upgrade; the extraction job vectorises only the claims the queue shows), and suggest "
            "their matches; remove suggested links between claims under FACTCHECK_MATCH_CLAIM_THRESHOLD.")

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--all", action="store_true", help="every claim, not only open ones")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
        parser.add_argument("--tune", action="store_true",
                            help="only say which suggestion threshold the editors' confirmations and rejections support")

    def handle(self, *args, all: bool, no_progress: bool, tune: bool, **options) -> None:  # noqa: A002
        if tune:
            self._tune()
            return
        factchecks = services.factchecks_vectorize()
        version = matching.encoder_version()
        # No vector yet, or another (older) encoder's: vectors of two encoders never meet.
        claims = Claim.objects.filter(matching.vector_stale(version) if version else Q(vector__isnull=True))
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
        pruned = services.claim_links_prune()
        self.stdout.write(f"{factchecks} fact-checks and {vectorised} claims vectorised; {suggested} matches suggested.")
        if pruned:
            self.stdout.write(f"{pruned} suggested links between claims scoring under FACTCHECK_MATCH_CLAIM_THRESHOLD "
                              f"({settings.FACTCHECK_MATCH_CLAIM_THRESHOLD}) removed, and their stories split.")

    def _tune(self) -> None:
        from claims.services.matching import MIN_DECISIONS_TO_TUNE, threshold_from_decisions

        for claims, what, setting in ((False, "matches to fact-checks", "FACTCHECK_MATCH_THRESHOLD"),
                                      (True, "matches to other articles' claims", "FACTCHECK_MATCH_CLAIM_THRESHOLD")):
            advice = threshold_from_decisions(claims=claims)
            self.stdout.write(f"{advice.decisions} decided {what} ({advice.confirmed} confirmed); "
                              f"{setting} is {getattr(settings, setting)}.")
            if advice.threshold is None:
                self.stdout.write(f"  Too few to say: at least {MIN_DECISIONS_TO_TUNE}, with both confirmations "
                                  "and rejections, are needed.")
            else:
                self.stdout.write(f"  Best threshold by the editors' decisions: {advice.threshold} (F1 {advice.f1}); "
                                  f"set {setting} to use it.")
