"""Speaker phrases: roles, unnamed speakers, pronouns, full names."""

from __future__ import annotations

import re

from ..types import Entity
from .core import (
    _IMPERSONAL,
    _MAX_LISTED_NAME_WORDS,
    _MAX_ROLE_CHARS,
    _NAME_REACH,
    _PARENTHETICAL_RE,
    _PERSONAL,
    _POSSESSIVES,
    _PRONOUN,
    _WORD_RE,
    _WORDS_AFTER_RE,
    _WORDS_BEFORE_RE,
    _Speaker,
)


class Speakers:
    """Part of Attributor: who a speaker phrase names (``parse_speaker``), and what the
text told of them before."""

    def _unnamed(
        self, words: list[str], max_words: int, *, capitalised: bool, opened: bool = False
    ) -> _Speaker | None:
        """A subject with no person's name in it: "A BBC spokesman", "Pihak kepolisian",
        "Muslim groups"; None for what only opens the sentence ("By contrast", "Further
        reports"). ``capitalised``: before its verb a lower-case subject is no speaker,
        unless ``opened``, an opener before a comma, makes "the company" the sentence's
        subject ("However, the company said").
        """
        rules = self.rules
        stripped = self._drop_openers(words)
        if not stripped:
            return None
        if self._is_qualified_group(stripped):
            # "officials familiar with the matter said": people no one names, as written.
            phrase = " ".join(stripped)
            return _Speaker(phrase[:1].upper() + phrase[1:], None, False, person=False)
        # "United States and European officials": whose people they are, in capitals.
        listed_group = (
            stripped[-1].lower() in rules.group_nouns
            and len(stripped) <= _MAX_LISTED_NAME_WORDS + 1
            and all(w[:1].isupper() or w.lower() in rules.list_conjunctions for w in stripped[:-1])
        )
        if len(words) > max_words and not listed_group and not (
            # "the prime minister's official spokesman": a role may take a few words more.
            len(words) <= max_words + 2 and any(w.lower() in rules.role_nouns for w in stripped)
        ):
            return None
        last_word = stripped[-1].lower()
        if (
            len(stripped) > 1
            and stripped[0].lower() in rules.other_words
            and (last_word not in rules.group_nouns or last_word in rules.representative_nouns)
        ):
            # "Another official", "A second source": someone unnamed, not an organisation
            # called "Another".
            return _Speaker(None, " ".join(stripped[1:]), False)
        representative = self._representative(stripped)
        if representative is not None:
            return representative
        if len(stripped) > 1 and stripped[0].lower() in rules.subject_fillers:
            # "Pihak kepolisian": the police themselves.
            rest = " ".join(stripped[1:])
            organisation = self._organisation_anaphor(rest)
            if organisation is not None:
                return _Speaker(organisation, None, False, person=False)  # "Pihak perusahaan"
            known = rules.institution_nouns.get(rest.lower())
            return _Speaker(self._resolve(known or rest[:1].upper() + rest[1:]), None, False, person=False)
        if any(w.lower() in rules.role_nouns for w in stripped):
            # "a Home Office minister", "the spokesman": a person known by a role only.
            return self._role_holder(words, stripped, subject=capitalised)
        if stripped[0][:1].islower():
            dropped = words[: len(words) - len(stripped)]
            if dropped and dropped[-1].lower() not in rules.determiners:
                return None  # "Further reports": no one in particular.
            # "The company", "But the company", "dokumen tersebut": kept as written,
            # without what only opened the sentence.
            stripped = dropped[-1:] + stripped
        # "Meanwhile, officials said", "some analysts say": people no one names.
        group = listed_group or (len(stripped) <= 3 and stripped[-1].lower() in rules.group_nouns)
        if capitalised and not (
            stripped[0][:1].isupper()
            or words[0][:1].isupper()
            or (opened and stripped[0].lower() in rules.determiners)
            or group
        ):
            return None
        owner = next((i for i in range(len(stripped) - 2, -1, -1) if stripped[i].endswith(_POSSESSIVES)), None)
        if owner is not None and all(w[:1].isupper() for w in stripped[owner + 1 :]):
            stripped = stripped[owner + 1 :]  # "Germany's Siemens Energy": the name after its owner
        phrase = " ".join(stripped)
        if group and phrase[:1].islower():
            phrase = phrase[:1].upper() + phrase[1:]
        entry = self._known(phrase)
        organisation = self._organisation_anaphor(phrase) if entry is None else None
        name = entry.canonical if entry is not None else organisation or phrase
        return _Speaker(name, None, False, person=False)

    def _organisation_anaphor(self, phrase: str) -> str | None:
        """The organisation "the company" or "perseroan" stands for: of the ones the text
        introduced as of that kind before this sentence ("airline Lufthansa" for "the
        airline"), the last that spoke, else the last introduced. None when the phrase is
        no such reference, or nothing was introduced: then it stays as written."""
        kind = self.rules.organisation_anaphors.get(phrase.lower())
        if kind is None:
            return None
        names = [
            # Introduced before, or earlier in this sentence: "The State Department has
            # approved ..., the agency said".
            name
            for start, name, of_kind in self.introduced
            if start < self.sentence_end and kind in ("*", of_kind)
        ]
        if not names:
            return None
        last = self.memory.last_organisation
        return last if last in names else names[-1]

    def _introduced(self, text: str, organisations: list[Entity]) -> list[tuple[int, str, str]]:
        """Each organisation with the kind the text gave it where it was named: a noun
        before the name ("German airline Lufthansa"), or a part of it ("PT Sritex")."""
        rules = self.rules
        result = []
        for entity in organisations:
            words = entity.text.split()
            before = re.search(r"([\w-]+)\s+$", text[max(0, entity.start - 30) : entity.start])
            kind = (
                rules.organisation_prefixes.get(words[0])
                or rules.organisation_unit_prefixes.get(words[0])
                or rules.organisation_suffixes.get(words[-1])
                or (rules.organisation_descriptors.get(before.group(1).lower()) if before else None)
            )
            if kind is not None:
                result.append((entity.start, entity.canonical, kind))
        return result

    def _role_holder(self, words: list[str], stripped: list[str], *, subject: bool = False) -> _Speaker | None:
        """The speaker a role stands for: "the spokesman" is the spokesman the text spoke of
        last, named or not; "a Home Office minister" and "the prime minister's official
        spokesman" are someone the text does not name, who has that role. None for "the
        Salford MP" with no such role before: an earlier person, whom the rules cannot tell.
        """
        rules = self.rules
        role = self._role(" ".join(stripped))
        heads = [w.lower() for w in stripped if w.lower() in rules.role_nouns]
        if role is None or not heads:
            return None
        head = heads[-1]
        if any(w.lower() in rules.other_words for w in words):
            # "Sumber lain ...", "A second source": not the source the text spoke of before.
            return _Speaker(None, self._role(self._before_clause(" ".join(stripped)).strip()) or role, False)
        # "South Korea's defence minister", "Menteri Keuangan": the words that say which
        # office, all of which an earlier holder's role must have to be the same office.
        qualifiers = self._office_qualifiers(stripped)
        last = self.memory.last_person
        if last is not None and last.role and self._is_same_office(last.role, head, qualifiers):
            return _Speaker(last.speaker, last.role, False)
        holders = [name for name, known in self.memory.roles.items() if self._is_same_office(known, head, qualifiers)]
        if len(holders) == 1:
            return _Speaker(holders[0], self.memory.roles[holders[0]], False)
        dropped = words[: len(words) - len(stripped)]
        # "a Home Office minister"; "one senior EU official", whose "one" is still there.
        counted = stripped[0].lower() in rules.indefinite_determiners
        if counted:
            role = self._role(" ".join(stripped[1:])) or role
        indefinite = counted or (bool(dropped) and dropped[-1].lower() in rules.indefinite_determiners)
        if indefinite or any(w.endswith(_POSSESSIVES) for w in stripped[:-1]) or head in rules.role_short_forms:
            # "a Home Office minister", "Menhan" (one office, its holder not named here).
            return _Speaker(None, role, False)
        if self._names_an_office(stripped, dropped, head, qualified=bool(qualifiers), subject=subject):
            # "Menteri Keuangan", "the finance minister": one office, named by what it is;
            # its holder, named nowhere before, is still who said it. So is the office
            # alone ("Jaksa mengatakan", "Majelis hakim menyatakan", "the chancellor said")
            # when no holder of it was named before.
            return _Speaker(None, role, False)
        return None

    def _names_an_office(
        self, stripped: list[str], dropped: list[str], head: str, *, qualified: bool = True, subject: bool = False
    ) -> bool:
        """The role is a public office's title ("Menteri Keuangan", capitalised, its head
        first), or "the finance minister" in a text that has named no one yet (after a
        named person, "the Salford MP" or "the Tory leader" may well be them), or the
        office alone (no word, or only a lower-case one, says which) as the sentence's
        subject, with no article ("Jaksa mengatakan", "Majelis hakim menyatakan", "Namun, jaksa
        mengatakan"). Not "the minister said" nor "kata Kapolres": someone the text may
        have named before."""
        rules = self.rules
        if len(stripped) > 5 or not all(w.replace("-", "").isalpha() for w in stripped):
            return False
        low = [w.lower() for w in stripped]
        if any(w in rules.group_nouns for w in low) or not any(w in rules.office_nouns for w in low):
            return False
        if (
            subject
            and (not dropped or dropped[-1].endswith(","))
            and len(stripped) <= 2
            and low[-1] == head
            and (stripped[0][:1].isupper() or bool(dropped))
            and all(w[:1].islower() for w in stripped[1:])
        ):
            return True  # "Jaksa mengatakan", "Majelis hakim menyatakan"
        if not qualified:
            return False
        if stripped[0].lower() == head and all(w[:1].isupper() for w in stripped):
            return True
        definite = bool(dropped) and dropped[-1].lower() in rules.determiners and dropped[-1].lower() not in rules.indefinite_determiners
        return definite and stripped[-1].lower() == head and not self.memory.people and self.memory.last_person is None

    def _office_qualifiers(self, words: list[str]) -> set[str]:
        """The words of a role that say which office it is: "south", "korea", "defence"
        of "South Korea's defence minister"; none of "the minister" or "the spokesman"."""
        rules = self.rules
        qualifiers = set()
        for word in words:
            low = word.lower().strip(".,")
            for possessive in _POSSESSIVES:
                low = low.removesuffix(possessive)
            if low and low not in rules.role_nouns and low not in rules.indefinite_determiners and low not in rules.other_words:
                qualifiers.add(low)
        return qualifiers

    def _is_same_office(self, role: str, head: str, qualifiers: set[str]) -> bool:
        """The earlier role is the office a later mention names: "the minister" and
        "Menkeu" are Indonesia's defence and finance ministers named before; "South Korea's
        defence minister" and "Menteri Keuangan" are not Indonesia's defence minister."""
        if not self._is_office_of(role, head):
            return False
        known = set()
        for word in role.lower().split():
            for possessive in _POSSESSIVES:
                word = word.removesuffix(possessive)
            known.add(word)
            known.update(self.rules.role_short_forms.get(word, "").split())
        return all(q in known or self._same_name_word(q, known) for q in qualifiers)

    def _same_name_word(self, word: str, known: set[str]) -> bool:
        """ "Tory" of "the Tory leader" is "Conservative" of "Conservative leader": a word
        whose known full name has a word the earlier role has."""
        entry = self._known(word[:1].upper() + word[1:])
        return entry is not None and any(w.lower() in known for w in entry.canonical.split())

    def _is_office_of(self, role: str, head: str) -> bool:
        """The role is the office the head word names: "spokesman" in "BBC spokesman",
        "menkeu" in "Menteri Keuangan"."""
        low = role.lower()
        if head in low.split():
            return True
        full = self.rules.role_short_forms.get(head)
        return full is not None and full in low

    def _cut(self, phrase: str) -> str:
        """The phrase up to the first word that ends a speaker's name ("in", "on", ";").

        Not "of", "on" or "for" inside an organisation's name: "the Forum on Global
        Security", "Council on Foreign Relations" (a head noun before it, a capital after).
        """
        heads = self.rules.organisation_heads
        for match in self.rules.speaker_stop_re.finditer(phrase):
            # Only the word on each side matters: a bounded look, however long the phrase.
            before = phrase[max(0, match.start() - 40) : match.start()].rsplit(None, 1)
            after = phrase[match.end() : match.end() + 40].lstrip()
            if (
                match.group().strip().lower() in self.rules.name_links
                and before
                and before[-1].lower() in heads
                and after[:1].isupper()
                and not self._is_month(after.split(None, 1)[0].strip(",."))
                and after.split(None, 1)[0].strip(",.") not in self.compiled.weekdays
            ):
                continue
            return phrase[: match.start()].strip(" ,.\"'")
        return phrase.strip(" ,.\"'")

    def _before_clause(self, phrase: str) -> str:
        """The phrase up to a relative or causal clause: "a person briefed on the talks" of
        "... who spoke on condition of anonymity", "Reuters" of "Reuters yang dirilis Senin"."""
        return self.compiled.clause_after_re.split(phrase, maxsplit=1)[0] if self.compiled.clause_after_re else phrase

    def _pronoun(self, phrase: str) -> _Speaker | None:
        """The pronoun the phrase is, if it is one: _PERSONAL for "he" or "the man"."""
        words = phrase.lower().split()
        if not words:
            return _PRONOUN
        if len(words) <= 2 and words[-1] in self.rules.pronouns:
            if words[-1] in self.rules.personal_pronouns:
                return _PERSONAL
            return _IMPERSONAL if words[-1] in self.rules.impersonal_pronouns else _PRONOUN
        # "pria kelahiran Jawa Tengah ini", "the man": a description of the last speaker.
        # "Waka Komisi Hukum DPR itu", "Menteri tersebut": a role held by the last speaker.
        if words[-1] in self.rules.anaphor_tails and (
            words[0] in self.rules.person_nouns or self._is_role_anaphor(phrase.split()[:-1])
        ):
            return _PERSONAL
        return None

    def parse_speaker(self, phrase: str, *, role_after: bool = True) -> _Speaker | None:
        """Speaker after a speech verb: "Frederik Mertens, analis ...", "dia", "BPS".

        ``role_after``: the text after the name's comma may be the role ("kata X, analis
        di ..."), which it never is after "menurut X," (there it is the reported content).
        """
        after_short_form = self._after_short_form(phrase.split(",", 1)[0])
        if after_short_form is not None:
            return after_short_form
        phrase = _PARENTHETICAL_RE.sub("", phrase).strip(" ,.:;\"'\u201d")
        parts = [p.strip() for p in phrase.split(",", 2)]
        # "a person briefed on the talks who spoke on condition of anonymity": the people,
        # as far as the clause about them.
        unnamed = self._before_clause(parts[0]).split()
        first = " ".join(unnamed) if self._is_qualified_group(unnamed) else self._cut(parts[0])
        pronoun = self._pronoun(first)
        if pronoun is not None:
            return pronoun
        name, role = self._split_name(first)
        if name is None and first != parts[0] and len(parts[0]) <= _MAX_ROLE_CHARS:
            # "an unnamed executive at Euronext": someone speaking for the organisation.
            representative = self._representative(self._drop_openers(_PARENTHETICAL_RE.sub("", parts[0]).split()))
            if representative is not None:
                return representative
            # "pengamat militer dari ISESS Khairul Fahmi": a stop word inside the role
            # ("dari") cut the name away; a role and then a name is still a speaker.
            whole_name, whole_role = self._split_name(_PARENTHETICAL_RE.sub("", parts[0]).strip())
            if whole_name is not None and whole_role is not None:
                name, role = whole_name, whole_role
        second = parts[1] if len(parts) > 1 else ""
        # "kata Gubernur Abdul Wahid di lokasi operasi pasar, Jalan KH Ahmad Dahlan": a
        # name, then where they spoke; what follows its comma is still the place.
        placed = name is not None and first != parts[0] and not self._is_qualified_group(unnamed)
        if (
            second
            and not placed
            and (name is None or role is not None or self.compiled.labels.get(name) == "ORG")
            and self._is_name_only(second)
        ):
            # "Staf Prakirawan BMKG Sulsel, Farid dalam keterangannya"; "kuasa hukum Suci,
            # Dadang Aprianto": the role's person is named after the comma.
            return _Speaker(self._resolve(self._cut(second)), self._role(first), False)
        if name is None:
            if self._is_clause(first):
                return None  # "..., said 12 jets would arrive": what was said, not who
            return self._unnamed(first.split(), 6, capitalised=False)
        if (
            role_after
            and role is None
            and second[:1].islower()
            and self._cut(" " + second)
            and not self._is_aside(second)  # "said Mr Biden, speaking in Warsaw": no role
        ):
            role = self._role_after(second)
        return _Speaker(self._resolve(name), role, False)

    def _is_name_only(self, phrase: str) -> bool:
        cut = self._cut(phrase)
        name, role = self._split_name(cut)
        return name is not None and role is None

    def _role_after(self, text: str) -> str | None:
        role = re.split(r"\s*\(|,\s*(?=[A-Z])", text, maxsplit=1)[0].strip(" .").split()
        while role and role[0].lower() in self.rules.determiners:
            role.pop(0)
        return " ".join(role) or None

    def _resolve(self, name: str) -> str:
        full = self._full_name(name)
        self.memory.forms.setdefault(name, full)
        return full

    def _full_name(self, name: str) -> str:
        if name in self.initials:
            return name  # "AS mengaku ..." after "tersangka AS": the suspect
        entry = self._known(name)
        if entry is not None and entry.label == "PERSON" and name in self.memory.known:
            # "Bush said" after "Douglas Bush, the Army's former acquisition chief": the
            # person this text named, not the one the gazetteer knows by that surname.
            return self.memory.known[name]
        if entry is not None:
            return entry.canonical
        organisation = self._organisation_anaphor(name)
        if organisation is not None:
            return organisation  # "Perseroan menyatakan": the company named before
        if name in self.memory.known:
            return self.memory.known[name]
        parts = name.split()
        if len(parts) > 2 and parts[1] in self.rules.name_particles:
            # "Me den Hartog" (a slip for "Mr") after "Jurgen den Hartog": the same man.
            known = self.memory.known.get(parts[-1])
            if known is not None and known.endswith(" " + " ".join(parts[1:])):
                return known
        if " " not in name:
            # "kata Luky" after "... Kementerian Keuangan (Kemenkeu) Luky Alfirman."
            full = self._written_in_full(name)
            if full is not None and " " in full:
                candidate, _ = self._split_name(full)
                if candidate and name in candidate.split():
                    self.memory.known[name] = candidate
                    return candidate
        return name

    def _written_in_full(self, name: str) -> str | None:
        """The capitalised words around the first time the body writes ``name``: up to two
        before and three after it. Found through an index of first occurrences, built once
        per text: a search of the whole text per name made 5,000 names minutes of work."""
        if self._first_at is None:
            self._first_at = {}
            # Not in furniture: "Baca juga: ... Begini Penjelasan Pemerintah" is no full
            # name of the government.
            skip = iter(self.furniture)
            stretch = next(skip, None)
            for match in _WORD_RE.finditer(self.text, self.body_start):
                while stretch is not None and stretch[1] <= match.start():
                    stretch = next(skip, None)
                if stretch is not None and stretch[0] <= match.start():
                    continue
                self._first_at.setdefault(match.group(), match.start())
        at = self._first_at.get(name)
        if at is None:
            return None
        before = _WORDS_BEFORE_RE.search(self.text, max(self.body_start, at - _NAME_REACH), at)
        after = _WORDS_AFTER_RE.match(self.text, at + len(name), at + len(name) + _NAME_REACH)
        if after is None:
            return None  # the name runs on into a longer word
        return (before.group() if before else "") + name + after.group()

    def _remember(self, speaker: _Speaker) -> None:
        if not speaker.name:
            return
        if " " in speaker.name:
            for part in speaker.name.split():
                if len(part) > 2:
                    self.memory.known.setdefault(part, speaker.name)
        if speaker.role and not speaker.represents and (" " in speaker.name or self._is_titled_role(speaker.role)):
            # Not "spokesperson" for "Department of Health": that was someone else's role.
            # One name is enough after a title ("Kapuspen TNI Mayjen TNI Hariyanto"), not
            # after a description ("an executive at Euronext").
            self.memory.roles.setdefault(speaker.name, speaker.role)

    def _is_titled_role(self, role: str) -> bool:
        return any(word in self.rules.role_words for word in role.split())
