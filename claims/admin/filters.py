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
