"""Watched sources: the feeds and sitemaps the desk polls, how each is doing, what it brought
(issue 22). Switching on, off and resuming are claims.services.watchlist; polling is
claims.services.watching."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import selectors, services
from ..choices import Language
from ..models import WatchedEntry, WatchedSource
from .base import WritesOnlyItsFields

CHART_DAYS = 30
RECENT_ENTRIES = 25

STATES = {
    "ok": Q(paused_at__isnull=True, failures=0, last_polled_at__isnull=False),
    "failing": Q(paused_at__isnull=True, failures__gt=0),
    "paused": Q(paused_at__isnull=False),
    "new": Q(paused_at__isnull=True, failures=0, last_polled_at__isnull=True),
}


def source_state(source: WatchedSource) -> str:
    """How a source is doing, in words: OK, failing (and why), paused, or not polled yet; and
    whether an editor's "Poll now" is waiting for a worker."""
    state = _source_health(source)
    if source.poll_asked_at is not None:
        return _("%(state)s; poll asked %(time)s ago, waiting for a worker") % {
            "state": state, "time": timesince(source.poll_asked_at)}
    return state


def _source_health(source: WatchedSource) -> str:
    if source.paused_at is not None:
        return ngettext("Paused after %(n)d failure", "Paused after %(n)d failures", source.failures) % {
            "n": source.failures}
    if source.failures:
        return _("Failing: %(error)s") % {"error": Truncator(source.last_error or "?").chars(120)}
    if source.last_polled_at is None:
        return str(_("Not polled yet"))
    return str(_("OK"))


def chart_shape(rows: list[dict], *, plot_height: int = 120, slot: int = 22) -> dict:
    """Where each day's two bars (articles, claims) go in the chart's SVG, on one scale."""
    left, top = 34, 12
    peak = max([max(row["articles"], row["claims"]) for row in rows] + [1])
    bottom = top + plot_height
    bar = (slot - 4) / 2
    bars = []
    for i, row in enumerate(rows):
        x = left + i * slot + 2
        high_a = round(plot_height * row["articles"] / peak, 1)
        high_c = round(plot_height * row["claims"] / peak, 1)
        bars.append({
            **row, "x_articles": x, "y_articles": bottom - high_a, "h_articles": high_a,
            "x_claims": x + bar, "y_claims": bottom - high_c, "h_claims": high_c,
            "x_label": x + bar, "labelled": i % 5 == 0 or i == len(rows) - 1,
        })
    return {
        "width": left + len(rows) * slot + 6, "height": bottom + 22, "left": left, "top": top,
        "bottom": bottom, "right": left + len(rows) * slot, "middle": top + plot_height / 2,
        "bar": bar, "peak": peak, "half": peak / 2, "bars": bars,
        "articles": sum(row["articles"] for row in rows), "claims": sum(row["claims"] for row in rows),
    }


class SourceStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):  # noqa: ANN001
        return [("ok", _("OK")), ("failing", _("Failing")), ("paused", _("Paused")), ("new", _("Not polled yet"))]

    def queryset(self, request, queryset):  # noqa: ANN001
        return queryset.filter(STATES[self.value()]) if self.value() in STATES else queryset


class SourceLanguageFilter(admin.SimpleListFilter):
    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):  # noqa: ANN001
        names = dict(Language.choices)
        return [*((code, names.get(code, name)) for code, name in settings.LANGUAGES),
                ("detect", _("Detected per article"))]

    def queryset(self, request, queryset):  # noqa: ANN001
        if self.value() == "detect":
            return queryset.filter(language="")
        return queryset.filter(language=self.value()) if self.value() else queryset


class WatchedSourceForm(forms.ModelForm):
    class Meta:
        model = WatchedSource
        fields = ("name", "url", "kind", "language", "topics", "poll_minutes", "enabled")
        widgets = {"topics": forms.CheckboxSelectMultiple, "url": forms.URLInput(attrs={"size": 80})}

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if "language" not in self.fields:  # read-only for this user
            return
        names = dict(Language.choices)
        self.fields["language"].choices = [
            ("", _("Detect from each article")), *((code, names.get(code, name)) for code, name in settings.LANGUAGES)]


@admin.register(WatchedSource)
class WatchedSourceAdmin(WritesOnlyItsFields, admin.ModelAdmin):
    form = WatchedSourceForm
    list_display = ("name", "kind", "language_shown", "enabled", "state", "last_poll", "articles_found",
                    "claims_found", "errors")
    list_display_links = ("name",)
    list_filter = ("enabled", SourceStateFilter, SourceLanguageFilter, "kind")
    search_fields = ("name", "url")
    actions = ("enable", "disable", "resume", "poll_now")
    # How it is doing (state, last error, since when paused) is the panel above the form.
    readonly_fields = ("last_polled_at", "last_success_at", "last_new_entries", "next_poll_at", "failures")
    fieldsets = (
        (None, {"fields": ("name", "url", "kind", "language", "topics", "poll_minutes", "enabled")}),
        (_("Polling"), {"fields": readonly_fields}),
    )
    change_form_template = "admin/claims/watchedsource/change_form.html"

    class Media:
        css = {"all": ("claims/desk.css",)}

    def get_queryset(self, request: HttpRequest):
        return selectors.watched_sources_with_counts(super().get_queryset(request), now=timezone.now())

    def get_fieldsets(self, request: HttpRequest, obj=None):  # noqa: ANN001
        # A new source has no polling to show yet.
        return self.fieldsets if obj is not None else self.fieldsets[:1]

    def has_manage_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(services.WATCH_PERMISSION)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_manage_permission(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return self.has_manage_permission(request)

    def save_model(self, request: HttpRequest, obj: WatchedSource, form, change: bool) -> None:  # noqa: ANN001
        super().save_model(request, obj, form, change)
        if change and "enabled" in form.changed_data and obj.enabled:
            # Switched on in the form as by the action: due at once, not after an old backoff.
            WatchedSource.objects.filter(pk=obj.pk).update(next_poll_at=timezone.now())

    @admin.display(description=_("language"), ordering="language")
    def language_shown(self, source: WatchedSource) -> str:
        return dict(Language.choices).get(source.language, source.language) if source.language else _("detect")

    @admin.display(description=_("state"))
    def state(self, source: WatchedSource) -> str:
        text = source_state(source)
        if source.paused_at is not None or source.failures:
            return format_html('<span class="fc-watch-bad" title="{}">{}</span>', source.last_error, text)
        return text

    @admin.display(description=_("last poll"), ordering="last_polled_at")
    def last_poll(self, source: WatchedSource) -> str:
        if source.last_polled_at is None:
            return "—"
        return _("%(time)s ago") % {"time": timesince(source.last_polled_at)}

    @admin.display(description=_("articles 24 h / 7 days"), ordering="n_articles_week")
    def articles_found(self, source: WatchedSource) -> str:
        return f"{source.n_articles_day} / {source.n_articles_week}"

    @admin.display(description=_("claims, 7 days"), ordering="n_claims_week")
    def claims_found(self, source: WatchedSource) -> str:
        url = reverse("admin:claims_claim_changelist") + f"?watched_source={source.pk}"
        return format_html('<a href="{}" title="{}">{}</a>', url, _("Open claims from this source in the queue"),
                           source.n_claims_week)

    @admin.display(description=_("failed entries, 7 days"), ordering="n_errors_week")
    def errors(self, source: WatchedSource) -> int:
        return source.n_errors_week

    @admin.action(description=_("Switch on the selected sources"), permissions=["manage"])
    def enable(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        n = services.sources_switch(sources=queryset, user=request.user, enabled=True)
        self.message_user(request, ngettext("%(n)d source switched on.", "%(n)d sources switched on.", n) % {"n": n})

    @admin.action(description=_("Switch off the selected sources"), permissions=["manage"])
    def disable(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        n = services.sources_switch(sources=queryset, user=request.user, enabled=False)
        self.message_user(request, ngettext("%(n)d source switched off.", "%(n)d sources switched off.", n) % {"n": n})

    @admin.action(description=_("Resume the selected sources (forget their failures)"), permissions=["manage"])
    def resume(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        n = services.sources_resume(sources=queryset, user=request.user)
        self.message_user(request, ngettext("%(n)d source resumed.", "%(n)d sources resumed.", n) % {"n": n})

    @admin.action(description=_("Poll the selected sources now"), permissions=["manage"])
    def poll_now(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        if not self.has_manage_permission(request):
            raise PermissionDenied
        rows = list(queryset.values_list("pk", "name"))
        if len(rows) == 1:
            # One source is polled here, so the editor reads how it went: at most one fetch
            # timeout plus a short wait for the site's turn.
            self._poll_here(request, *rows[0])
            return
        # Several would hold the request for a fetch timeout each (past gunicorn's): they are
        # only asked for and sent, as the tick sends every due source, so no cap is needed.
        n = services.sources_poll_soon(source_ids=[pk for pk, _name in rows])
        self.message_user(request, ngettext(
            "%(n)d source will be polled in a moment; its state shows in this list.",
            "%(n)d sources will be polled in a moment; their state shows in this list.", n) % {"n": n})

    def _poll_here(self, request: HttpRequest, source_id: int, name: str) -> None:
        result = services.source_poll_now(source_id=source_id)
        said = {"source": name, "n": result.new_entries, "error": result.error}
        if result.status == "ok":
            self.message_user(request, ngettext(
                "%(source)s: polled, %(n)d new entry.", "%(source)s: polled, %(n)d new entries.",
                result.new_entries) % said, messages.SUCCESS)
        elif result.status == "not_modified":
            self.message_user(request, _("%(source)s: polled, nothing changed since the last poll.") % said)
        elif result.status == "failed":
            self.message_user(request, _("%(source)s: the poll failed: %(error)s") % said, messages.ERROR)
        elif result.status == "deferred":
            self.message_user(request, _("%(source)s: the site was visited a moment ago; it is polled at its "
                                         "next turn.") % said, messages.WARNING)
        else:
            self.message_user(request, _("%(source)s: a poll of it is under way already.") % said,
                              messages.WARNING)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):  # noqa: ANN001
        source = self.get_object(request, object_id)
        if source is not None:
            entries = list(WatchedEntry.objects.filter(source=source).select_related("article")
                           .only("url", "title", "state", "error", "published_at", "created_at",
                                 "article__id", "article__title")[:RECENT_ENTRIES])
            per_day = selectors.watched_source_per_day(source_id=source.pk, days=CHART_DAYS)
            extra_context = {
                **(extra_context or {}),
                "fc_state": source_state(source), "fc_failing": bool(source.failures or source.paused_at),
                "fc_entries": entries, "fc_chart": chart_shape(per_day), "fc_chart_days": CHART_DAYS,
                "fc_queue_url": reverse("admin:claims_claim_changelist") + f"?watched_source={source.pk}",
            }
        return super().change_view(request, object_id, form_url, extra_context)
