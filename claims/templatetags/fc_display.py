"""Filters that show stored values in the active language (see claims.display)."""

from django import template

from claims import display

register = template.Library()


@register.filter
def score(value: float | None) -> str:
    """A score the same way on every page: 0.92 in English, 0,92 in Indonesian."""
    return display.score_display(value)


@register.filter
def reasons(value: list[str] | None) -> str:
    return display.reasons_display(value)


@register.filter
def attribution(value: str) -> str:
    return display.attribution_display(value)


@register.filter
def dismiss_reason(value: str) -> str:
    return display.dismiss_reason_display(value)

