"""The subject of a sentence as its speaker: "Mr Brown said", "BPS mencatat"."""

from __future__ import annotations

from .core import (
    _MAX_DESCRIPTION_WORDS,
    _MAX_GROUP_WORDS,
    _MAX_LISTED_NAME_WORDS,
    _MAX_SUBJECT_WORDS,
    _MAX_TAIL_WORDS,
    _MAX_UNIT_WORDS,
    _NAME_AFTER_SHORT_FORM_RE,
    _PARENTHETICAL_RE,
    _POSSESSIVES,
    _PRONOUN,
    _TAIL_RE,
    _Speaker,
)


class Subjects:
    """Part of Attributor: the subject before a verb of saying (``parse_subject``)."""

    # Patterns ----------------------------------------------------------------------------

    def _tail_speaker(self, tail: str) -> _Speaker | None:
        """Attribution after a quote: '," kata X', '," pungkasnya', '," he said'."""
        if self.compiled.tail_verb_re is None:
            return None
        body = _TAIL_RE.match(tail)
        text = body.group("body") if body else tail
        if not text or len(text.split()) > _MAX_TAIL_WORDS:
            return None
        first_word = text.split()[0].lower().strip(",.")
        suffix = self.rules.pronoun_suffix
        if (
            suffix
            and first_word.endswith(suffix)
            and first_word in self.compiled.verbs
            # "katanya" is "kata" + "-nya"; "tanya" is a verb of its own, not "ta" + "-nya".
            and first_word[: -len(suffix)] in self.compiled.verbs
        ):
            return _PRONOUN
        if first_word in self.compiled.verbs:
            return self.parse_speaker(text[len(text.split()[0]) :])
        match = self.compiled.tail_verb_re.search(text)
        if match is None:
            return None
        return self.parse_subject(text[: match.start()])

    def _after_short_form(self, phrase: str) -> _Speaker | None:
        """The person named after an organisation's bracketed short form, with the role
        before it: "Ekonom Center of Reform on Economics (CORE) Mohammad Faisal"."""
        phrase = phrase.strip(" ,.:;\"'\u201d")
        close = phrase.rfind(")")
        if close >= 0:
            # "... (PGRA) Hendra Saputra dalam pidatonya": the name, not where he said it.
            phrase = phrase[: close + 1] + " " + self._cut(phrase[close + 1 :].strip())
        match = _NAME_AFTER_SHORT_FORM_RE.search(phrase)
        if match is None:
            return None
        name, role = self._split_name(match.group("name"))
        before = phrase[: match.start()].split(",")[-1].strip()
        if name is None or role is not None or self._role(before) is None:
            return None
        return _Speaker(self._resolve(name), self._role(before), False)

    def parse_subject(self, text: str) -> _Speaker | None:
        """Speaker before a verb: "Meski begitu, analis ..., Pavel Luzin, mengatakan"."""
        after_short_form = self._after_short_form(text)
        if after_short_form is not None:
            return after_short_form
        text = _PARENTHETICAL_RE.sub("", text).strip(" ,:\"'")
        parts = [p.strip() for p in text.split(",") if p.strip()]
        tag_re = self.rules.subject_tag_re
        if len(parts) > 1:
            # "Sen. Roger Wicker, R-Miss., chairman ...", "Budi Santoso, S.H., M.H.,": a
            # party tag or letters after the name are no part of the subject.
            parts = parts[:1] + [
                p
                for p in parts[1:]
                if p not in self.rules.post_nominals and not (tag_re is not None and tag_re.fullmatch(p))
            ]
        while len(parts) > 1 and (
            parts[-1].isdigit()
            or self._is_aside(parts[-1])
            or self._is_time(parts[-1])
            # "Poll watchdog Kontra Daya, however, said": an adverb between commas.
            or not self._drop_openers(parts[-1].split())
        ):
            # "Viktor Makarov, 50, claims": the age, not the speaker; "A senior official,
            # speaking on condition of anonymity, said": how they spoke, not who; "...,
            # Rabu, mengatakan", "..., pekan lalu, mengatakan": when.
            parts.pop()
        words: list[str] = []
        while parts and not words:
            words = parts[-1].split()
            # "Hereford County Hospital had earlier said": the auxiliary and the adverb.
            while words and (
                words[-1].lower() in self.rules.subject_particles
                or (len(words) > 1 and words[-1].lower() in self.rules.time_adverbs)
            ):
                words.pop()
            if not words:
                # "..., Muslim Jaya Butar Butar, turut berkomentar": the particle alone.
                parts.pop()
        listed = self._name_list(parts)
        if listed is not None:
            return listed
        # "In an interview with the BBC, the minister said": a circumstance, no name.
        if words and len(parts) > 1 and not self._is_circumstance(parts[-2]):
            # "David Frost, director general of ..., warned": the role comes last. Not
            # "Later, the prime minister's spokesman urged": an opener is nobody's name.
            # Not "In an interview with CNN, co-author Wei Min said": he has his own name.
            before = " ".join(self._drop_openers(parts[-2].split()))
            lowercase = (
                words[0][:1].islower()
                and len(words) <= _MAX_DESCRIPTION_WORDS
                # "a Georgia Republican" describes; "co-author Wei Min" is someone named.
                and (words[0].lower() in self.rules.indefinite_determiners or not self._is_named_in_role(words))
            )
            name, title = self._split_name(before) if before and (lowercase or words[0][:1].isupper()) else (None, None)
            if name is not None and lowercase:
                if self._is_organisation_description(words):
                    return _Speaker(self._resolve(name), None, False, person=False)
                # "the former internal market commissioner who championed the plan": the
                # role, not what the clause after it says of them.
                role = self._role(self._before_clause(" ".join(words)).strip())
                if role is None and words[0].lower() in self.rules.indefinite_determiners:
                    role = " ".join(words[1:])  # "Rep. Marjorie Taylor Greene, a Georgia Republican,"
                return _Speaker(self._resolve(name), role, False)
            if name is not None and self._is_appositive(words, title, name):
                # "Rheinmetall, Germany's largest arms maker, said", "Senator Elizabeth
                # Warren, Democrat of Massachusetts, said": the name, then what it is.
                description = " ".join(words)
                if self._is_organisation_description(words):
                    return _Speaker(self._resolve(name), None, False, person=False)
                return _Speaker(self._resolve(name), f"{title}, {description}" if title else description, False)
        words = self._drop_trailing_time(words)
        last = " ".join(words)
        if not words or len(words) > _MAX_SUBJECT_WORDS:
            return None
        if len(words) <= 2 and words[-1].lower() in self.rules.first_person_pronouns:
            return None  # "I think", "Kami memperkirakan": the writer, not a speaker
        if words[0].lower() in self.rules.first_person_possessives and len(words) <= 4:
            return None  # "Our correspondent in Cebu says": the outlet's own reporting
        if any(w in self.rules.source_nouns for w in words) or words[0].lower() in self.rules.source_nouns:
            # "An Amnesty International report found": Amnesty's word; "The study found":
            # a study no one is named for, which the outlet reports.
            publisher = self._publisher(last)
            if publisher is None:
                return None
            if publisher != last:
                return self._whole_name(publisher) or self.parse_speaker(publisher, role_after=False)
        pronoun = self._pronoun(last)
        if pronoun is not None:
            return pronoun
        team = self._drop_openers(words)
        if 1 < len(team) <= 6 and team[0].lower() in self.rules.team_nouns and any(w[:1].isupper() for w in team[1:]):
            # "Tim hukum Anies-Muhaimin menyatakan": the team speaks, not Anies.
            return _Speaker(" ".join([team[0][:1].upper() + team[0][1:], *team[1:]]), None, False, person=False)
        linked = (
            self._linked_organisation(words)
            or self._linked_representative(words)
            or self._affiliated(words)
            or self._organisation_unit(words)
        )
        if linked is not None:
            return linked
        name, role = self._split_name(last)
        cut = self._cut(last)
        if name is not None and cut != last and name not in cut and self._ends_in_place(last.split()):
            # "Officials in Texas", "warga Kepi": the name after "in" is where they are.
            name, role = self._split_name(cut)
            if name is None:
                return self._unnamed(cut.split(), 4, capitalised=True, opened=False)
        if name is None and cut != last:
            # "Kapolres Mimika AKBP Billyandha ... di Timika", "Presiden Prabowo Subianto
            # dalam berbagai kesempatan": where or when they spoke follows the name; a
            # titled or known one ("Minutes of the December meeting" is neither).
            cut_name, cut_role = self._split_name(self._cut(last))
            if cut_name is not None and (
                cut_role is not None
                or self.compiled.labels.get(cut_name) is not None
                # "Komnas KIPI dalam keterangan tertulisnya": an organisation by its head.
                or self._organisation_head_first(cut_name.split()) == 0
            ):
                name, role = cut_name, cut_role
        first = parts[0].split()
        if (
            name is None
            and len(parts) == 2
            and first
            and all(w[:1].isupper() for w in first)
            and self._drop_openers(first) == first
            and any(w.lower() in self.rules.role_nouns for w in words)
        ):
            # "Adnan Abu Hasna, Penasihat Media UNRWA mengatakan": the name before the
            # comma, then the role it holds (which is no one else's). Not "Later, the
            # prime minister's official spokesman".
            before_name, before_role = self._split_name(parts[0].strip())
            if before_name is not None and before_role is None and self._role(last) is not None:
                return _Speaker(self._resolve(before_name), self._role(last), False)
        if name is None:
            opened = len(parts) > 1 and not self._drop_openers(parts[-2].split())
            return self._unnamed(words, 4, capitalised=True, opened=opened)
        if len(parts) > 1 and self._is_organisation_description(parts[-2].split()):
            # "The company behind the mine, West Cumbria Mining, said": a company's name.
            return _Speaker(self._resolve(name), None, False, person=False)
        if role is None and len(parts) > 1 and not self._is_circumstance(parts[-2]):
            # Not "Saat ditemui di SPKT Polda Sumsel, Suci menceritakan": where she spoke.
            role = self._role(parts[-2])
        return _Speaker(self._resolve(name), role, False)

    def _name_list(self, parts: list[str]) -> _Speaker | None:
        """Names listed as one subject: "The United Kingdom, France and Germany announced".
        People when every name is a known person's, else organisations or countries."""
        conjunctions = self.rules.list_conjunctions
        if len(parts) < 2 or not any(f" {c} " in f" {parts[-1]} " for c in conjunctions):
            return None
        items = []
        people: list[str] = []
        for i, part in enumerate(parts):
            words = self._drop_openers(part.split()) if i == 0 else part.split()
            if i == 0:
                # "Officials in Pennsylvania, California and Texas": people of the places
                # listed, as "Officials in Texas" are Texas's.
                lowered = [w.lower() for w in words]
                link = next(
                    (
                        k
                        for k in range(1, len(words) - 1)
                        if lowered[k] in self.rules.representative_links
                        and lowered[k - 1] in self.rules.representative_nouns | self.rules.representative_groups
                    ),
                    None,
                )
                if link is not None:
                    people, words = words[:link], words[link + 1 :]
                    if len(people) == 1:
                        people = [people[0].lower()]  # "Officials" opened the sentence
            if not words or len(words) > _MAX_LISTED_NAME_WORDS or not all(
                w[:1].isupper() or w.lower() in conjunctions or w.lower() in self.rules.name_links for w in words
            ):
                return None
            items.append(" ".join(words))
        if people:
            return _Speaker(", ".join(items), " ".join(people), False, person=False, represents=True)
        names = self.compiled.list_split_re.split(", ".join(items)) if self.compiled.list_split_re else items
        persons = all(self.compiled.labels.get(self._full_name(n)) == "PERSON" for n in names)
        return _Speaker(", ".join(items), None, False, person=persons)

    def _is_appositive(self, words: list[str], title: str | None, name: str) -> bool:
        """Capitalised words after a name that describe it: an owner's possessive
        ("Germany's largest arms maker", "Poland's defence minister"), or what a titled or
        known person is of ("Democrat of Massachusetts")."""
        rules = self.rules
        if words[0].endswith(_POSSESSIVES) and len(words) > 1:
            return True
        links = rules.name_links | rules.representative_links
        return (
            len(words) > 2
            and words[1].lower() in links
            and words[0].lower() not in rules.organisation_heads
            and (title is not None or self.compiled.labels.get(name) == "PERSON")
        )

    def _is_organisation_description(self, words: list[str]) -> bool:
        """The words describe an organisation by its head noun, first or last: "The company
        behind the mine", "Germany's largest arms maker"."""
        words = self._drop_openers(words)
        if not words:
            return False
        first, last = words[0].lower(), words[-1].lower()
        return first in self.compiled.organisation_nouns or last in self.compiled.organisation_nouns or last in self.rules.organisation_descriptors

    def _is_circumstance(self, part: str) -> bool:
        """The part opens with when or where something was said: "In an interview with
        the BBC", "Saat ditemui di SPKT Polda Sumsel"."""
        words = part.split(None, 1)
        return bool(words) and words[0].lower() in self.rules.circumstance_openers

    def _linked_organisation(self, words: list[str]) -> _Speaker | None:
        """An organisation's name with "of", "on" or "for" inside, after its head noun: "The
        Forum on Global Security", "the Council on Foreign Relations", "the Institute for
        Fiscal Studies" (not the person "Relations" with the role "Council on Foreign")."""
        rules = self.rules
        words = self._drop_openers(words)
        links = rules.name_links | rules.representative_links
        at = next((i for i, w in enumerate(words) if w in links), None)
        if (
            at is None
            or not 0 < at < len(words) - 1
            or words[at - 1].lower() not in rules.organisation_heads
            or not all(w[:1].isupper() or self._joins_name(words, i) for i, w in enumerate(words))
            or not words[-1][:1].isupper()
        ):
            return None
        return _Speaker(self._resolve(" ".join(words)), None, False, person=False)

    def _organisation_unit(self, words: list[str]) -> _Speaker | None:
        """A known organisation and its unit for a place that speaks: "Perum Bulog Kanwil
        Jawa Barat" (not "UN Secretary General Kofi Annan")."""
        stripped = self._drop_openers(words)
        for k in range(len(stripped) - 1, 0, -1):
            head = " ".join(stripped[:k])
            entry = self._known(head)
            if (entry is not None and entry.label == "ORG") or head in self.organisations:
                rest = stripped[k:]
                if len(rest) <= _MAX_UNIT_WORDS and all(w[:1].isupper() for w in rest) and self._ends_in_place(rest):
                    return _Speaker(" ".join(stripped), None, False, person=False)
                return None
        return None

    def _ends_in_place(self, words: list[str]) -> bool:
        for i in range(len(words)):
            entry = self._known(" ".join(words[i:]))
            if entry is not None:
                return entry.label in ("GPE", "LOC")
        return False

    def _affiliated(self, words: list[str]) -> _Speaker | None:
        """A titled or known person and where they are from: "Professor Trudie Lang of the
        University of Oxford" (not the person "Oxford"). Not "Governor of the Bank of
        England ...": a link right after the title is the title's."""
        rules = self.rules
        at = next((i for i, w in enumerate(words) if w.lower() in rules.affiliation_links), None)
        if at is None or not 1 < at < len(words) - 1:
            return None
        name, title = self._split_name(" ".join(words[:at]))
        if name is None or name in self.organisations or self.compiled.labels.get(name, "PERSON") != "PERSON":
            return None
        if title is None and self.compiled.labels.get(name) != "PERSON" and self._drop_openers(words)[0] not in rules.honorifics:
            return None
        place = self._drop_openers(words[at + 1 :])
        if not place or not place[-1][:1].isupper():
            return None
        where = " ".join(place)
        return _Speaker(self._resolve(name), f"{title}, {where}" if title else where, False)

    def _linked_representative(self, words: list[str]) -> _Speaker | None:
        """People of an organisation named after a link: "Economists at Capital Economics",
        "a source in the Attorney-General's Office" (not the organisation itself)."""
        rules = self.rules
        stripped = self._drop_openers(words)
        lowered = [w.lower() for w in stripped]
        people = rules.representative_nouns | rules.representative_groups
        if not any(
            w in people and i + 1 < len(lowered) and lowered[i + 1] in rules.representative_links
            for i, w in enumerate(lowered)
        ):
            return None
        return self._representative(stripped)

    def _drop_trailing_time(self, words: list[str]) -> list[str]:
        """Without a time after the subject: "The Pentagon on Friday", "Mr Brown last week"."""
        rules = self.rules
        end = len(words)
        while end:
            last = words[end - 1].strip(",")
            if end > 2 and words[end - 2].lower() in rules.weekday_links and (last in self.compiled.weekdays or self._is_month(last)):
                end -= 2
            elif end > 2 and words[end - 2].lower() in rules.time_determiners and last.lower() in rules.time_nouns:
                end -= 2
            elif end > 1 and (last.lower() in rules.time_adverbs or last in self.compiled.weekdays):
                end -= 1  # "the agency said Friday"
            else:
                break
        return words[:end]

    def _is_group(self, name: str) -> bool:
        """People the text does not name: a speaker ending in a plural noun for people, or
        one such noun with what qualifies it ("officials familiar with the matter")."""
        if name in self.compiled.labels:
            return False
        words = name.split()
        return words[-1].lower() in self.rules.group_nouns or self._is_qualified_group(words)

    def _is_qualified_group(self, words: list[str]) -> bool:
        """Unnamed people and what qualifies them: "officials familiar with the matter",
        "two people with knowledge of the project", "sources close to the minister"."""
        rules = self.rules
        at = next((i for i, w in enumerate(words[:3]) if w.lower() in rules.group_nouns), None)
        return (
            at is not None
            and at + 1 < len(words) <= _MAX_GROUP_WORDS
            and words[at + 1].lower() in rules.group_qualifiers
            and not any(w[:1].isupper() for w in words[at + 1 :] if w.lower() not in rules.name_links)
        )

    def _is_time(self, part: str) -> bool:
        """The part only says when: "Rabu", "Rabu (12/3/2025)", "pekan lalu", "on Friday"."""
        rules = self.rules
        words = _PARENTHETICAL_RE.sub("", part).split()
        return bool(words) and all(
            w in self.compiled.weekdays
            or self._is_month(w)
            or w.lower() in rules.time_nouns
            or w.lower() in rules.time_adverbs
            or w.lower() in rules.time_links
            for w in words
        )

    def _is_aside(self, part: str) -> bool:
        """A comma-separated aside after a subject: "speaking on condition of anonymity",
        "who asked not to be named"."""
        first = part.split(None, 1)[0] if part.split() else ""
        # Not "WHO regional director": an acronym is a name, whatever word it spells.
        return not (len(first) > 1 and first.isupper()) and first.lower() in self.rules.aside_openers

    def _is_clause(self, phrase: str) -> bool:
        """The phrase reads as a statement, not a speaker: it opens with a figure ("12 jets
        would arrive") or has an auxiliary verb in it ("the plan would cost")."""
        words = phrase.lower().split()
        return not phrase[:1].isalpha() or any(w in self.rules.clause_auxiliaries for w in words)

    def _is_named_in_role(self, words: list[str]) -> bool:
        """The phrase is a role and a person's name ("co-author Wei Min"), not a role in an
        organisation ("president of Netcraft", "deputy editor at PC Pro")."""
        links = self.rules.representative_links | self.rules.name_links
        if any(w.lower() in links for w in words):
            return False
        return self._split_name(" ".join(words))[0] is not None
