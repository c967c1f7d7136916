"""Extraction jobs: failed and stuck ones, and retrying them (see claims.services.jobs)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .. import selectors, services
from ..models import ExtractionJob
from .base import WritesOnlyItsFields


class StuckFilter(admin.SimpleListFilter):
    title = _("stuck")
    parameter_name = "stuck"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("Stuck: not taken by a worker in time"))]

    def queryset(self, request: HttpRequest, queryset):  # noqa: ANN001, ANN201
        if self.value() == "yes":
            return queryset.filter(selectors.jobs_stuck(now=timezone.now()))
        return queryset


@admin.register(ExtractionJob)
class ExtractionJobAdmin(WritesOnlyItsFields, admin.ModelAdmin):
    list_display = ("id", "article", "status", "stuck", "attempts", "claims_found", "extractor_version",
                    "created_at", "duration_ms", "short_error")
    list_filter = ("status", StuckFilter, "extractor_version")
    list_select_related = ("article",)
    readonly_fields = ("article", "status", "attempts", "error", "error_detail", "extractor_version",
                       "claims_found", "created_at", "sent_at", "sends", "due_at", "started_at", "finished_at",
                       "duration_ms", "fetch_url")
    actions = ("retry",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("error"))
    def short_error(self, job: ExtractionJob) -> str:
        # The desk sees the technical detail; partners only ever see job.error.
        return Truncator(job.error_detail or job.error).chars(80)

    @admin.display(description=_("stuck"), boolean=True)
    def stuck(self, job: ExtractionJob) -> bool | None:
        """Queued but not taken by a worker when it should have been (Redis was down or lost
        it; the sweep sends it again), or running past its lease (its worker died)."""
        return selectors.job_is_stuck(job) or None

    @admin.action(description=_("Retry the selected failed or stuck jobs"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        try:
            retried = sum(services.job_retry(job=job, user=request.user) for job in queryset)
        except PermissionDenied:
            self.message_user(request, _("You may not do this."), messages.ERROR)
            return
        skipped = queryset.count() - retried
        self.message_user(request, _("Queued %(n)d job(s) again.") % {"n": retried})
        if skipped:
            self.message_user(
                request,
                _("%(n)d job(s) were not retried: only failed or stuck jobs can be.") % {"n": skipped},
                messages.WARNING,
            )
        unsent = sum(job.is_due for job in queryset.model.objects.filter(pk__in=queryset.values("pk")))
        if unsent:
            self.message_user(
                request,
                _("%(n)d job(s) could not be sent now: the workers' queue (Redis) cannot be reached. "
                  "They stay queued and are sent automatically once it can be.") % {"n": unsent},
                messages.WARNING,
            )
