"""Forms readers fill in on the public site."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .services.tips import CONTACT_MAX_CHARS


class TipForm(forms.Form):
    """ "Send us a claim": the words, or a link, or both; a way to reach the reader if they wish.

    ``website`` is a trap for robots: hidden from people (and from screen readers), filled
    in by bots that fill in every field. A form that comes back with it filled is answered
    like any other and stored nowhere.
    """

    text = forms.CharField(
        label=_("The claim"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What did you read, see or hear? Copy the words if you can."),
    )
    url = forms.URLField(
        label=_("Link (optional)"), required=False, max_length=2000, assume_scheme="https",
        help_text=_("Where you saw it: a web page or a post."),
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False,
        choices=[("", _("Find it out from the text")), *settings.LANGUAGES],
    )
    contact = forms.CharField(
        label=_("Your email or phone number (optional)"), required=False, max_length=CONTACT_MAX_CHARS,
    )
    website = forms.CharField(
        label=_("Leave this field empty"), required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Lazily, so that the help text is in the reader's language and the setting's value.
        self.fields["text"].widget.attrs["maxlength"] = settings.FACTCHECK_TIP_MAX_CHARS
        self.fields["contact"].help_text = _(
            "Only our editors see it, to ask you about the claim. We delete it after %(days)d days."
        ) % {"days": settings.FACTCHECK_TIP_CONTACT_DAYS}

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("url") and "url" not in self.errors:
            raise forms.ValidationError(_("Write the claim, or give a link to where you saw it."))
        return data

    @property
    def is_trap(self) -> bool:
        return bool((self.data.get("website") or "").strip())
