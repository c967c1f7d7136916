"""Names in a speaker phrase: a person's, an organisation's, where one ends."""

from __future__ import annotations

from ..lexicon import GazetteerEntry
from .core import _MAX_NAME_TOKENS, _POSSESSIVES, _ROMAN_RE, _Speaker


class Names:
    """Part of Attributor: splitting a phrase into a name and a role, and telling a
person's name from an organisation's."""

    # Names -----------------------------------------------------------------------------

    def _known(self, name: str) -> GazetteerEntry | None:
        """The gazetteer's entry for a name, unless the text gives it to someone as their
        initials ("tersangka AS" is no United States)."""
        return None if name in self.initials else self.compiled.aliases.get(name)

    def _is_name_token(self, token: str) -> bool:
        if token in self.initials:
            return True  # "tersangka AS": someone's initials, though "AS" is a country too
        return (
            token[:1].isupper()
            and token not in self.rules.role_words
            and token not in self.rules.name_stop_words
            and token not in self.rules.honorifics
            and token not in self.compiled.place_words
            and token not in self.compiled.weekdays
            and not _ROMAN_RE.match(token)
            and not (token.isupper() and len(token) > 1 and token not in self.compiled.aliases)
            # "Germany's Siemens Energy": the owner is no part of the name after it.
            and not token.endswith(_POSSESSIVES)
        )

    def _split_name(self, phrase: str) -> tuple[str | None, str | None]:
        """("juru bicara Departemen Luar Negeri AS Matthew Miller") -> (name, role)."""
        tokens = phrase.split()
        while (
            len(tokens) > 1
            and tokens[-1].strip(",") in self.rules.post_nominals
            and self._is_name_token(tokens[-2].strip(","))
            and tokens[0].lower() not in self.rules.determiners
        ):
            # "Defence Secretary John Healey MP", "Budi Santoso, S.H., M.H.": letters after
            # a name. Not "the Salford MP", whose "MP" is who they are.
            tokens.pop()
        for i in range(max(0, len(tokens) - max(self.compiled.longest_alias, self.longest_organisation)), len(tokens)):
            tail = " ".join(tokens[i:])
            entry = self._known(tail)
            if (
                entry is not None
                and entry.label == "PERSON"
                and i > 0
                and not tokens[i - 1].endswith(",")
                and self._is_name_token(tokens[i - 1])
            ):
                # "Kombes Pol Ignatius Benny Ady Prabowo": a longer name that ends like a
                # known one is someone else (not Prabowo Subianto).
                break
            if entry is not None and entry.label in ("PERSON", "ORG"):
                known = self._full_name(tail) if entry.label == "PERSON" else entry.canonical
                return known, self._role(" ".join(tokens[:i]))
            if tail in self.organisations:
                # "PT Sinar Tekstil", found where the article introduced it: all of the name.
                return tail, self._role(" ".join(tokens[:i]))
        written = self._written_organisation(tokens)
        if written is not None:
            return written
        start = self._organisation_start(tokens)
        if start is not None:
            # "Greater Manchester Police": the whole name, not only its last word.
            return " ".join(tokens[start:]), self._role(" ".join(tokens[:start]))
        name: list[str] = []
        prefixes = self.rules.name_prefixes
        for at in range(len(tokens) - 1, -1, -1):
            token = tokens[at]
            if len(name) < _MAX_NAME_TOKENS and self._is_name_token(token.strip(",")):
                name.insert(0, token.strip(","))
            elif (
                name
                and token in self.rules.name_particles
                and at > 0
                and self._is_name_token(tokens[at - 1].strip(","))
                and len(name) < _MAX_NAME_TOKENS
            ):
                name.insert(0, token)  # "Diego Lopes da Silva", not "Silva"
            elif (
                name
                and token[:1].isupper()
                and token.endswith(_POSSESSIVES)
                and name[0].lower() in self.rules.organisation_heads
            ):
                name.insert(0, token)  # "the Attorney-General's Office", not "Office"
            elif name and name[0] in prefixes.get(token, ()):
                name.insert(0, token)  # "I Made Wira Hady", not "Made Wira Hady"
                break
            else:
                break
        if not name:
            head = self._organisation_head_first(tokens)
            if head is not None:
                return " ".join(tokens[head:]), self._role(" ".join(tokens[:head]))
        if not name or (len(name) == 1 and self._is_month(name[0])):
            # "... at the next meeting in early February, economists said": a date, no name.
            return None, phrase or None
        if len(name) > 1 and len(name) == len(tokens):
            # "Yesterday Bush", "Then Prabowo": what opens the sentence is no first name.
            name = self._drop_openers(name) or name
        name = self._after_region(name, tokens[: len(tokens) - len(name)])
        held = tokens[: len(tokens) - len(name)]
        if held and name[-1].split(".")[0] in self.rules.media_words:
            # "China Daily": a paper named after its place, not a person called "Daily".
            at = len(held)
            while at > 0 and held[at - 1][:1].isupper() and held[at - 1] in self.compiled.place_words:
                at -= 1
            name = held[at:] + name
        before = len(tokens) - len(name) - 1
        place = self._known(" ".join(name))
        if (
            place is not None
            and place.label in ("GPE", "LOC")
            and before > 0
            and tokens[before].lower() in self.rules.name_links | self.rules.representative_links
        ):
            # "Rep. Adam Smith of Washington": the person, and where they are from.
            person, role = self._split_name(" ".join(tokens[:before]))
            if person is not None and self.compiled.labels.get(person, "PERSON") == "PERSON":
                return person, role
        held = tokens[: before + 1]
        head = self._regional_body(held) if len(name) <= 2 else None
        if head is not None:
            # "Pemerintah Kabupaten Langkat", "Dinas Kesehatan Mappi": a regional body, no
            # person ("Langkat" is its region).
            return " ".join(tokens[head:]), self._role(" ".join(tokens[:head]))
        if (
            self.rules.names_after_heads
            and len(name) > 2
            and before >= 0
            and tokens[before][:1].isupper()
            and tokens[before].lower() in self.rules.organisation_heads
        ):
            # "epidemiolog Universitas Griffith Dicky Budiman": Griffith is the university's.
            name = name[1:]
        return " ".join(name), self._role(" ".join(tokens[: len(tokens) - len(name)]))

    def _after_region(self, name: list[str], before: list[str]) -> list[str]:
        """The name without the region the title or body before it names: "Bupati Langkat
        Syah Afandin", "Kepala BPKAD Langkat Amril", "Kepala Bappeda Sikka Yosef Lewa" (the
        body itself ran into the name)."""
        units = self.rules.regional_units
        inside = max((i for i, word in enumerate(name[:-1]) if word.lower() in units), default=None)
        if inside is not None:
            before, name = before + name[: inside + 1], name[inside + 1 :]
        lowered = tuple(w.lower() for w in before)
        if any(len(r) <= len(lowered) and lowered[-len(r) :] == r for r in self.rules.regional_roles):
            # A regent is titled by the regency; a two-word name after "Bupati" is all name.
            return name[1:] if len(name) > 2 else name
        if lowered and lowered[-1] in units and len(name) > 1:
            return name[1:]
        return name

    def _regional_body(self, words: list[str]) -> int | None:
        """Where a regional body's name starts in ``words`` ("Pemerintah Kabupaten", "Dinas
        Kesehatan"), when they open with an organisation's head and hold no person's post."""
        rules = self.rules
        body = self._drop_openers(words)
        if not body or body[0].lower() not in rules.organisation_heads or not body[0][:1].isupper():
            return None
        if any(w.lower() in rules.role_nouns for w in body) or not any(
            w.lower() in rules.regional_units for w in body
        ):
            return None
        return len(words) - len(body)

    def _written_organisation(self, tokens: list[str]) -> tuple[str | None, str | None] | None:
        """Around an organisation the text named ("Direktur Utama Bank Sentosa Jaya Handoko
        Wijaya"): the name after it, with the role up to it; or the organisation itself,
        when it ends the phrase ("manajemen Bank Sentosa Jaya"). None when none is here."""
        forms = self.organisation_forms
        if not forms:
            return None
        for end in range(len(tokens), 1, -1):
            for start in range(max(0, end - _MAX_NAME_TOKENS - 3), end - 1):
                canonical = forms.get(" ".join(tokens[start:end]))
                if canonical is None:
                    continue
                after = tokens[end:]
                if not after:
                    return canonical, self._role(" ".join(tokens[:start]))
                if len(after) <= _MAX_NAME_TOKENS and all(self._is_name_token(t.strip(",")) for t in after):
                    return " ".join(t.strip(",") for t in after), self._role(" ".join(tokens[:end]))
                return None
        return None

    def _organisation_start(self, tokens: list[str]) -> int | None:
        """Where an organisation name ending the phrase starts: the capitalised words before
        its head noun ("Greater Manchester Police", "the Salford City Council")."""
        rules = self.rules
        if not tokens or not tokens[-1][:1].isupper() or tokens[-1].lower() not in rules.organisation_heads:
            return None
        start = len(tokens) - 1
        while start > 0:
            token = tokens[start - 1]
            if token in rules.list_conjunctions and start > 1 and tokens[start - 2][:1].isupper():
                # "the Maritime Affairs and Fisheries Ministry": "and" inside the name.
                start -= 1
                continue
            if (
                not token[:1].isupper()
                or token.endswith(",")
                # "the Attorney-General's Office": a possessive right before the head is the
                # name's; "Germany's Foreign Ministry": one further back is its owner.
                or (token.endswith(_POSSESSIVES) and start != len(tokens) - 1)
                or token in rules.honorifics
                or token in self.compiled.weekdays
                or self._is_month(token)
            ):
                break
            start -= 1
        if rules.names_after_heads:
            # "Ketua IM57+ Institute": the post held at the organisation is no part of it.
            while start < len(tokens) - 2 and tokens[start] in rules.role_words:
                start += 1
        # "But Greater Manchester Police", "The Salford City Council": not part of the name.
        return len(tokens) - len(self._drop_openers(tokens[start:]))

    def _organisation_head_first(self, tokens: list[str]) -> int | None:
        """Where an organisation's name that starts with its head noun and runs to the end of
        the phrase starts: "Badan Administrasi Program Akuisisi Pertahanan", whose last words
        are all words of other names, so no person's name was found there."""
        rules = self.rules
        for i, token in enumerate(tokens):
            if token[:1].isupper() and token.lower() in rules.organisation_heads:
                rest = tokens[i + 1 :]
                if rest and all(
                    (w[:1].isupper() and w not in rules.role_words and w not in rules.honorifics)
                    or w.lower() in rules.name_links
                    for w in rest
                ):
                    return i
                return None
        return None

    def _is_person(self, speaker: _Speaker) -> bool:
        """A named speaker who is a person ("he" may stand for them), not an organisation."""
        name = speaker.name
        if not name or not speaker.person:
            return False
        if speaker.role and speaker.role.lower() in self.rules.representative_nouns:
            return True  # "A BBC spokesman": a person speaking for the organisation.
        if name in self.initials:
            return True  # "tersangka AS": a person known by initials
        label = self.compiled.labels.get(name)
        if label is not None:
            return label == "PERSON"
        if name in self.organisations:
            return False  # "Lufthansa said", after "German airline Lufthansa"
        if self._is_group(name):
            return False  # "Critics say": "he" in what follows is someone else
        words = name.split()
        heads = self.rules.organisation_heads
        if words[0].lower() in heads or words[-1].lower() in heads:
            return False
        if len(words) > 1 and words[-1] in self.rules.media_words:
            return False  # "China Daily", "Jakarta Post": a paper
        if self.rules.bare_names_are_organisations and len(words) == 1 and not self._named_as_person(name):
            return False  # "Heineken said", "according to Gartner": no one's name
        # "Africa CDC": an acronym of three letters or more is no person's (initials such as
        # the "ST" of "ST Burhanuddin" are shorter).
        return not (name.isupper() and len(name) > 1) and not any(len(w) > 2 and w.isupper() for w in words)

    def _named_as_person(self, name: str) -> bool:
        """A one-word name the text uses as a person's: after a title ("Mr Healey"), as
        the surname of a person named in full, or of a person the gazetteer knows."""
        if name in self.titled or f"{name}'s" in self.titled or name in self.memory.people:
            return True  # "Mr Healey", "Mr Smith's analysis"
        low = name.lower()
        if low in self.rules.role_nouns or low.removesuffix("s") in self.rules.role_nouns:
            return True  # "Prosecutors allege": people known by what they do
        tail = " " + name
        return any(full.endswith(tail) for full in self.memory.people) or any(
            canonical.endswith(tail) and label == "PERSON" for canonical, label in self.compiled.labels.items()
        )

    def _is_month(self, token: str) -> bool:
        # "May" is also a name (Theresa May); only the unambiguous month names count.
        return len(token) > 3 and token.lower() in self.rules.months

    def _role(self, text: str) -> str | None:
        """The text as a role if it names one ("juru bicara ..."), not "beberapa waktu lalu".

        Leading articles and conjunctions go ("a Lufthansa spokesman" -> "Lufthansa
        spokesman"), and so does a dangling preposition ("A spokesman for" Mr Blair ->
        "spokesman"). Text ending in a conjunction is the clause before the subject
        ("Unions oppose the plans but" Mr Brown said), not a role.
        """
        rules = self.rules
        words = self._drop_openers(text.split())
        # "Claim: Health Secretary" Wes Streeting: a fact check's label is no part of a role.
        while words and words[0].endswith(":"):
            words = words[1:]
        # "Kapolres Metro Jakarta Pusat Kombes" Susatyo, "Pentagon spokesman Brigadier
        # General" Pat Ryder: the rank is the name's, not the role's.
        while words:
            if (
                words[-1].lower() in rules.representative_links | rules.determiners
                or words[-1] in rules.honorifics
                or words[-1].lower() in rules.initials_markers  # "staf PT X berinisial" RS
            ):
                words.pop()
                continue
            rank = next((r for r in rules.ranks if len(r) < len(words) and tuple(words[-len(r) :]) == r), None)
            if rank is None:
                break
            del words[-len(rank) :]
        if words and words[-1].lower() in rules.clause_conjunctions:
            return None
        if any(w in rules.role_words or w.lower() in rules.role_nouns for w in words):
            return " ".join(words)
        return None

    def _is_role_anaphor(self, words: list[str]) -> bool:
        """The words name a post a person holds and no person: "Waka Komisi Hukum DPR",
        not "Komisi" (a body) nor "Ketua KPK Setyo Budiyanto" (someone named)."""
        if not words or words[0] not in self.rules.role_words or words[0].lower() not in self.rules.role_nouns:
            return False
        name, _ = self._split_name(" ".join(words))
        return name is None or self.compiled.labels.get(name) == "ORG"

    def _drop_openers(self, words: list[str]) -> list[str]:
        """Without leading conjunctions, sentence adverbials and articles ("But a", "By contrast")."""
        rules = self.rules
        at = 0
        while at < len(words):
            word = words[at].lower().strip(",")
            if word in rules.subject_particles or word in rules.determiners:
                at += 1
                continue
            if word not in self.compiled.opener_firsts:
                break  # most subjects: no opener starts with their first word
            ahead = [w.lower().strip(",") for w in words[at : at + self.compiled.opener_longest]]
            opener = next((o for o in rules.subject_openers if tuple(ahead[: len(o)]) == o), None)
            if opener is None:
                break
            at += len(opener)
        return words[at:]

    def _drop_trailing_particles(self, words: list[str], *, auxiliaries: bool = True) -> list[str]:
        """Without the particles and auxiliaries before a verb ("Mr Dixon was", "had"); with
        ``auxiliaries`` False, the particles only, down to one word ("is still")."""
        rules = self.rules
        end = len(words)
        while end > (0 if auxiliaries else 1) and (
            words[end - 1].lower() in rules.subject_particles
            or (auxiliaries and words[end - 1].lower() in rules.passive_auxiliaries)
        ):
            end -= 1
        return words[:end]

    def _representative(self, words: list[str]) -> _Speaker | None:
        """ "A BBC spokesman" -> BBC, "a spokesman for Dell" -> Dell; role "spokesman"."""
        rules = self.rules
        lowered = [w.lower() for w in words]
        index = next(
            (i for i, w in enumerate(lowered) if w in rules.representative_nouns or w in rules.representative_groups),
            None,
        )
        if index is None:
            return None
        after = words[index + 1 :]
        if not after and lowered[index] in rules.representative_nouns:
            # "A BBC spokesman", "one senior EU official", "Mr Prabowo's spokesman".
            org = words[:index]
            while org and (org[0][:1].islower() or org[0] in rules.honorifics):
                org = org[1:]
            if org and org[-1].endswith(_POSSESSIVES):
                org = [*org[:-1], org[-1][: -len("'s")]]
        elif after and lowered[index + 1] in rules.representative_links:
            # "a spokesman for Dell", "economists at Capital Economics"
            org = after[1:]
            while org and org[0].lower() in rules.determiners:
                org = org[1:]
        else:
            return None
        # "A Department of Health spokesperson": "of" may join the name's capitalised words,
        # and "and" ("the Department of Health and Social Care").
        if (
            not org
            or not (org[0][:1].isupper() and org[-1][:1].isupper())
            or not all(w[:1].isupper() or w in rules.name_links or w in rules.list_conjunctions for w in org)
        ):
            return None
        return _Speaker(self._resolve(" ".join(org)), lowered[index], False, represents=True)
