"""What every part of the attributor shares: the result's shape (Attribution), a parsed
speaker phrase, one text's SpeakerMemory, and the limits the walk keeps to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

OUTLET = "outlet"
QUOTE = "quote"
REPORTED = "reported"

_PARENTHETICAL_RE = re.compile(r"\s*\([^)]*\)")
# "Ekonom Center of Reform on Economics (CORE) Mohammad Faisal": the short form in
# brackets ends the organisation, and the name follows it.
_NAME_AFTER_SHORT_FORM_RE = re.compile(r"\([^()]{2,40}\)\s+(?P<name>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3})$")
_POSSESSIVES = ("'s", "\u2019s")
_ROMAN_RE = re.compile(r"^[IVXL]+$")
_CAPITALISED = r"[A-Z][\w'-]+"
_WORD_RE = re.compile(r"[\w'-]+")
# A social-media handle: "@petani_merdeka".
_HANDLE_RE = re.compile(r"@\w{2,}")
# Up to two capitalised words right before a name, and up to three right after it.
_WORDS_BEFORE_RE = re.compile(rf"(?:(?<![\w'-]){_CAPITALISED} ){{0,2}}$")
_WORDS_AFTER_RE = re.compile(rf"(?: {_CAPITALISED}){{0,3}}\b")
_NAME_REACH = 200  # characters around a name that its full form may take
_TAIL_RE = re.compile(r"^[\s,.!?;:\"\u201d-]*(?P<body>.*?)[\s.!?*]*$", re.S)
_MAX_NAME_TOKENS = 4
# A role and name before a comma are never longer than this ("analis militer Rusia dari The
# Fletcher School of Law and Diplomacy di Tufts University di Massachusetts Pavel Luzin").
_MAX_ROLE_CHARS = 300
_MAX_SUBJECT_WORDS = 14
_MAX_TAIL_WORDS = 40
# "the Labor Department's statistics office said": longer is a clause, not who said it.
_MAX_SAID_PART_WORDS = 8
# The verb and what may follow it in such a part: "said on Friday".
_SAID_PART_TAIL = 3
# "two people with direct knowledge of the negotiations": longer is a clause.
_MAX_GROUP_WORDS = 10
# "a defence analyst at the German Council on Foreign Relations": longer is a clause.
_MAX_CLOSING_ROLE_WORDS = 12
# "The Democratic Republic of Congo, Rwanda and Burundi": a longer item is a clause.
_MAX_LISTED_NAME_WORDS = 5
# "director general of the Confederation of British Industry": what a name is, after it.
_MAX_DESCRIPTION_WORDS = 16
# "Kanwil Jawa Barat" of "Perum Bulog Kanwil Jawa Barat": a longer tail is no unit's name.
_MAX_UNIT_WORDS = 4
_SUBJECT_LOOKAHEAD_WORDS = 8


PERSON = "person"
ORGANISATION = "organisation"
# A person speaking for the organisation that is the speaker's name ("A BBC spokesman").
REPRESENTATIVE = "representative"
# People the article does not name, as a group ("Critics", "Western officials").
GROUP = "group"
# Someone the article knows by an office only ("Menteri Keuangan mengatakan", "a Home
# Office minister said"): ``speaker`` is None and the role says who.
OFFICIAL = "official"


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: str | None
    role: str | None
    medium: str | None
    source: str  # OUTLET, QUOTE or REPORTED
    kind: str | None = None  # PERSON, ORGANISATION, REPRESENTATIVE, GROUP or OFFICIAL; None: no one


@dataclass(frozen=True, slots=True)
class _Speaker:
    """A parsed speaker phrase; ``pronoun`` means "the last named speaker".

    ``personal``: a pronoun that stands for a person only ("he", "dia"), never for an
    organisation; ``impersonal``: one that never stands for a person ("it"). ``person``:
    False for what is no one's name ("Muslim groups").
    """

    name: str | None
    role: str | None
    pronoun: bool
    personal: bool = False
    person: bool = True
    impersonal: bool = False
    # "A BBC spokesman": ``name`` is the organisation, ``role`` the unnamed person's.
    represents: bool = False


# What the reported-speech sieve decides: the speaker (None: no one) and the medium.
_Reported = tuple[_Speaker | None, str | None]

_PRONOUN = _Speaker(None, None, True)
_PERSONAL = _Speaker(None, None, True, personal=True)
_IMPERSONAL = _Speaker(None, None, True, impersonal=True)


@dataclass(slots=True)
class SpeakerMemory:
    """What the walk remembers of one text's speakers. A text extracted in pieces hands the
    same memory from piece to piece, so a later piece still knows who "Carter" is."""

    known: dict[str, str] = field(default_factory=dict)  # short name -> full name
    roles: dict[str, str] = field(default_factory=dict)  # full name -> role
    people: set[str] = field(default_factory=set)  # speakers who are people ("he" may be them)
    last_medium: str | None = None  # the last medium with a name ("the paper" after it)
    # Each way a name was written when it was resolved ("Luky" -> "Luky Alfirman"): where
    # the full name is a person's, these are the mentions of them the gazetteer lacks.
    forms: dict[str, str] = field(default_factory=dict)
    last_person: Attribution | None = None  # "he": the last person who spoke or was a subject
    # "pungkasnya", "it", a quote with no verb of its own: the last who spoke, named or
    # known by a role only ("seorang pejabat senior").
    last_speaker: Attribution | None = None
    # "The company said": the last organisation that spoke, if the text introduced it as one.
    last_organisation: str | None = None
    # "It said": the last organisation that spoke, or someone speaking for it.
    last_impersonal: Attribution | None = None
    # "akun tersebut", "the account": the last social-media account a post was shown from.
    last_account: str | None = None
