"""One set of filters for published fact-checks, shared by the public list and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Claim, site_languages
from .search import claims_search


class PublishedClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=200)
    rating = django_filters.CharFilter(method="filter_rating", label=_("Rating"), max_length=80)
    # A slug no topic has finds nothing, as a rating or a speaker nobody has does: editors
    # rename and remove topics, and a partner's saved query should not turn into an error.
    topic = django_filters.CharFilter(field_name="topics__slug", label=_("Topic"), max_length=100)
    language = django_filters.CharFilter(field_name="language", label=_("Language"), max_length=12)
    speaker = django_filters.CharFilter(method="filter_speaker", label=_("Speaker"), max_length=200)
    entity = django_filters.CharFilter(field_name="entity_names", lookup_expr="icontains",
                                       label=_("Person, organisation or place"), max_length=200)
    outlet = django_filters.CharFilter(field_name="article__outlet", lookup_expr="iexact",
                                       label=_("Outlet"), max_length=200)
    published_after = django_filters.DateFilter(field_name="verdict__published_at", lookup_expr="date__gte",
                                                label=_("Published from"))
    published_before = django_filters.DateFilter(field_name="verdict__published_at", lookup_expr="date__lte",
                                                 label=_("Published until"))

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_q(self, queryset, name: str, value: str):  # noqa: ANN001
        return claims_search(queryset, value)

    def filter_speaker(self, queryset, name: str, value: str):  # noqa: ANN001
        # A name or a role: "minister" finds "a Home Office minister has said" too.
        return queryset.filter(Q(speaker__icontains=value) | Q(speaker_role__icontains=value))

    def filter_rating(self, queryset, name: str, value: str):  # noqa: ANN001
        # A rating by its label in any language the site speaks: "False" and "Keliru" alike.
        condition = Q()
        for code in site_languages():
            condition |= Q(**{f"verdict__rating__label_{code}__iexact": value})
        if value.isdigit():
            condition |= Q(verdict__rating_id=int(value))
        return queryset.filter(condition)


class PublishedClaimApiFilter(PublishedClaimFilter):
    """The API's reading of the same filters: a date sent empty (``published_before=``) is an
    error, as the schema's ``format: date`` says. The public page's form sends its empty
    fields, and there they mean "any date"."""

    DATES = ("published_after", "published_before")

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.DATES:
            if name in self.data and not self.data[name].strip() and name not in self.form.errors:
                self.form.add_error(name, _("Enter a date (YYYY-MM-DD), or leave the parameter out."))
                valid = False
        return valid
