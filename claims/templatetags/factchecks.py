"""A published fact-check in the reader's language, for the public templates."""

from django import template

from claims.models import FactCheckText, Rating, Verdict

register = template.Library()


@register.filter
def in_language(verdict: Verdict, language: str) -> FactCheckText:
    """The verdict's text in ``language`` when it is public in it, else its own."""
    texts = verdict.texts()
    return texts.get(language) or texts[verdict.language]


@register.filter
def label_in(rating: Rating, language: str) -> str:
    return rating.label_in(language)


@register.filter
def path_for(paths: dict | str, language: str) -> str:
    """The address of the page in ``language``, when the page says it has one ("" if not)."""
    return paths.get(language, "") if isinstance(paths, dict) else ""
