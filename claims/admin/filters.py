"""List filters that more than one admin screen uses."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..choices import Language


class LanguageFilter(admin.SimpleListFilter):
    """The languages the rows are in, by name in the desk's language ("Indonesian", not "id")."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):  # noqa: ANN001
        codes = model_admin.get_queryset(request).order_by("language").values_list("language", flat=True).distinct()
        names = dict(Language.choices)
        return [(code, names.get(code, code)) for code in codes if code]

    def queryset(self, request, queryset):  # noqa: ANN001
        return queryset.filter(language=self.value()) if self.value() else queryset


class WatchedSourceFilter(admin.SimpleListFilter):
    """Rows that came from one watched feed or sitemap (issue 22); ``field`` is the path to the
    article's source from the rows listed."""

    title = _("watched source")
    parameter_name = "watched_source"
    field = "watched_source"
    SHOWN = 100  # the sidebar's list; any source's id still filters

    def lookups(self, request, model_admin):  # noqa: ANN001
        from ..models import WatchedSource

        return [(str(pk), name) for pk, name in WatchedSource.objects.values_list("pk", "name")[: self.SHOWN]]

    def queryset(self, request, queryset):  # noqa: ANN001
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(**{f"{self.field}_id": int(value)}) if value.isdigit() else queryset.none()


class ArticleWatchedSourceFilter(WatchedSourceFilter):
    field = "article__watched_source"
