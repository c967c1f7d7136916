"""What the desk and the site show for values stored in English: read in the active language.

Extraction stores its score reasons and attribution as English text (they are part of the
extraction's recorded output), and the workflow stores dismiss reasons
in English. Each known template is matched here and given back through gettext; a text no
template knows is shown as stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .choices import DISMISS_REASONS


def score_display(value: float | None, digits: int = 2) -> str:
    """A score as a decimal in the active language's format: 0.92 in English, 0,92 in Indonesian."""
    if value is None:
        return "—"
    return formats.number_format(round(float(value), digits), digits)


def _number(text: str) -> str:
    try:
        return score_display(float(text))
    except ValueError:
        return text


# Reasons without anything quoted in them.
_FIXED = {
    "number": pgettext_lazy("score reason", "number"),
    "several actors": gettext_lazy("several actors"),
    "named actor": gettext_lazy("named actor"),
    "actor named earlier in the quote": gettext_lazy("actor named earlier in the quote"),
    "date": pgettext_lazy("score reason", "date"),
    "reported as fact": gettext_lazy("reported as fact"),
    "quoted speech": gettext_lazy("quoted speech"),
    "continues an opinion": gettext_lazy("continues an opinion"),
    "question": pgettext_lazy("score reason", "question"),
    "first person": gettext_lazy("first person"),
    "too short": gettext_lazy("too short"),
}

# (pattern on the stored English text, how to say it in the active language)
_PATTERNS: list[tuple[re.Pattern, Callable[[re.Match], str]]] = [
    (re.compile(r"quantity word '(?P<w>.*)'"), lambda m: _("quantity word '%(word)s'") % {"word": m["w"]}),
    (re.compile(r"named in the headline: (?P<w>.*)"), lambda m: _("named in the headline: %(names)s") % {"names": m["w"]}),
    (re.compile(r"topic: (?P<w>.*)"), lambda m: _("topic: %(topics)s") % {"topics": m["w"]}),
    (re.compile(r"factual verb '(?P<w>.*)'"), lambda m: _("factual verb '%(word)s'") % {"word": m["w"]}),
    (re.compile(r"rule or law: '(?P<w>.*)'"), lambda m: _("rule or law: '%(word)s'") % {"word": m["w"]}),
    (re.compile(r"cause: '(?P<w>.*)'"), lambda m: _("cause: '%(word)s'") % {"word": m["w"]}),
    (re.compile(r"hedged: '(?P<w>.*)'"), lambda m: _("hedged: '%(word)s'") % {"word": m["w"]}),
    (re.compile(r"expert source: '(?P<w>.*)'"), lambda m: _("expert source: '%(word)s'") % {"word": m["w"]}),
    (re.compile(r"opinion verb '(?P<w>.*)'"), lambda m: _("opinion verb '%(word)s'") % {"word": m["w"]}),
    (re.compile(r"what should be: '(?P<w>.*)'"), lambda m: _("what should be: '%(word)s'") % {"word": m["w"]}),
    (re.compile(r"about the statement or event: '(?P<w>.*)'"),
     lambda m: _("about the statement or event: '%(word)s'") % {"word": m["w"]}),
    (re.compile(r"rhetorical: '(?P<w>.*)'"), lambda m: _("rhetorical: '%(word)s'") % {"word": m["w"]}),
    (re.compile(r"prediction: '(?P<w>.*)'"), lambda m: _("prediction: '%(word)s'") % {"word": m["w"]}),
    (re.compile(r"no rules for language '(?P<w>.*)': multilingual fallback"),
     lambda m: _("no rules for language '%(language)s': multilingual fallback") % {"language": m["w"]}),
    (re.compile(r"English quote: model (?P<p>[\d.]+)"),
     lambda m: _("English quote: model %(probability)s") % {"probability": _number(m["p"])}),
    (re.compile(r"sentence model (?P<p>[\d.]+)"),
     lambda m: _("sentence model %(probability)s") % {"probability": _number(m["p"])}),
    (re.compile(r"model (?P<p>[\d.]+)"), lambda m: _("model %(probability)s") % {"probability": _number(m["p"])}),
    (re.compile(r"model: '(?P<w>.*)' \((?P<d>[+-])\)"),
     lambda m: _("model: '%(words)s' (%(direction)s)") % {"words": m["w"], "direction": m["d"]}),
]


def reason_display(reason: str) -> str:
    """One score reason, as extraction stored it, in the active language."""
    reason = str(reason)
    if reason in _FIXED:
        return str(_FIXED[reason])
    for pattern, say in _PATTERNS:
        match = pattern.fullmatch(reason)
        if match:
            return say(match)
    return reason


def reasons_display(reasons: Iterable[str] | None) -> str:
    return "; ".join(reason_display(r) for r in reasons or [])


def attribution_display(attribution: str) -> str:
    """How a claim reached the article: "the outlet" itself, or "via" a medium."""
    if not attribution:
        return ""
    if attribution == "the outlet":
        return _("by the outlet itself")
    if attribution.startswith("via "):
        return _("via %(medium)s") % {"medium": attribution[4:]}
    return attribution


_DISMISS_BY_TEXT = {str(label): label for label in DISMISS_REASONS.values()}


def dismiss_reason_display(reason: str) -> str:
    """A dismiss reason as stored (the English label of a choice, or an editor's own words)."""
    label = _DISMISS_BY_TEXT.get(reason)
    return str(label) if label is not None else reason
