"""The walk over one document's sentences: quotes, reported speech, interviews."""

from __future__ import annotations

import re
from dataclasses import replace

from ..entities import Stretches, initials_in
from ..lexicon import alternation
from ..segmentation import HEADLINE, QUESTION, SENTENCE, Quote, Segment
from ..types import Entity
from .core import (
    _MAX_NAME_TOKENS,
    _SUBJECT_LOOKAHEAD_WORDS,
    _WORD_RE,
    GROUP,
    OFFICIAL,
    ORGANISATION,
    OUTLET,
    PERSON,
    QUOTE,
    REPORTED,
    REPRESENTATIVE,
    Attribution,
    SpeakerMemory,
    _Speaker,
)


class Walk:
    """Part of Attributor: ``attribute`` and what carries a speaker from sentence to sentence."""

    # The walk -----------------------------------------------------------------------------

    def attribute(
        self,
        text: str,
        segments: list[Segment],
        outlet: str | None,
        entities: list[Entity],
        memory: SpeakerMemory | None = None,
        initials: frozenset[str] | None = None,
    ) -> list[Attribution | None]:
        """One Attribution per segment (None for headline and boilerplate).

        ``memory``: the text's speakers so far, when this is a later piece of it; it is
        updated as the walk goes. ``initials``: the text's (``initials_in``), when the
        caller has them already.
        """
        self.memory = memory = SpeakerMemory() if memory is None else memory
        self.text = text
        self.titled = self._titled_words(text)
        # "tersangka AS": initials the text gives someone, wherever they recur.
        self.initials = initials_in(text, self.rules) if initials is None else initials
        self._first_at = None
        # Full names are looked up in the body: a title-case headline would add its verbs.
        self.body_start = next((s.start for s in segments if s.kind == SENTENCE), 0)
        self.furniture = sorted((s.start, s.end) for s in segments if s.kind not in (SENTENCE, HEADLINE))
        people = [e for e in entities if e.label == "PERSON"]
        people_at = {e.start: e for e in people}
        organisations = [e for e in entities if e.label == "ORG"]
        self.organisations = frozenset(e.canonical for e in organisations)
        # How the text writes each organisation ("Bank Sentosa Jaya"): where a role's
        # organisation ends and its holder's name begins.
        self.organisation_forms = {e.text: e.canonical for e in organisations if " " in e.text}
        self.longest_organisation = max((len(name.split()) for name in self.organisations), default=1)
        self.introduced = self._introduced(text, organisations)
        result: list[Attribution | None] = [None] * len(segments)
        quote_speakers: dict[int, Attribution] = {}
        previous: Attribution | None = None
        # The sentence before, with its paragraph: "Pasalnya, ..." carries on its statement.
        before: tuple[int, Attribution] | None = None
        quote_extent = self._quote_extent(segments)
        # An interview's plain "A:" is whoever the text named before its first question.
        first_question = next((s.start for s in segments if s.kind == QUESTION), None)
        for index, segment in enumerate(segments):
            if segment.kind != SENTENCE:
                continue
            sentence = text[segment.start : segment.end]
            self.position, self.sentence_end = segment.start, segment.end
            quote = segment.quote
            if segment.answer is not None and (first_question is not None or segment.answer):
                attribution = self._answerer(segment.answer, people, first_question)
            elif quote is not None:
                key = id(quote)
                attribution = quote_speakers.get(key)
                if attribution is None:
                    attribution = self._quote_attribution(
                        text, quote, quote_extent[key], previous
                    )
                    if attribution.speaker is None and attribution.role is None:
                        attribution = self._nearest_person(people, quote.open, attribution)
                    quote_speakers[key] = attribution
            else:
                speaker, medium = self._reported_speaker(sentence)
                if speaker is None and before is not None and before[0] == segment.paragraph and self._carries_on(
                    sentence, outlet
                ):
                    attribution = replace(before[1], source=REPORTED, medium=medium or before[1].medium)
                elif speaker is None:
                    attribution = Attribution(outlet, None, medium, OUTLET, ORGANISATION if outlet else None)
                else:
                    attribution = self._named(speaker, medium, REPORTED)
                    if speaker.personal and attribution.speaker is None and attribution.role is None:
                        attribution = self._nearest_person(people, segment.start, attribution)
            if attribution.source != OUTLET and (attribution.speaker or attribution.role):
                memory.last_speaker = attribution
                if attribution.speaker in self.organisations:
                    memory.last_organisation = attribution.speaker
                if attribution.kind in (ORGANISATION, REPRESENTATIVE):
                    memory.last_impersonal = attribution
            if attribution.source != OUTLET and (
                attribution.speaker in memory.people
                or (attribution.speaker is None and attribution.role)
                or attribution.kind == REPRESENTATIVE
            ):
                # A named person, one known by a role only ("a Home Office minister"), or
                # one speaking for an organisation ("a BBC spokesman").
                memory.last_person = attribution
            elif quote is None:
                # "Mr Kilroy-Silk, an MEP ..., resigned ...": "he" in what follows is him.
                memory.last_person = (
                    self._person_subject(text, segment.start, sentence, people_at) or memory.last_person
                )
            if attribution.medium and attribution.medium[:1].isupper():
                memory.last_medium = attribution.medium
            self._remember_roles(text, segment.start, segment.end, people)
            result[index] = attribution
            if quote is None and attribution.source != OUTLET and self._is_said_back(sentence):
                self._attribute_back(segments, result, index, attribution)
            previous = attribution if quote is not None else None
            spoken = attribution.source != OUTLET and (attribution.speaker or attribution.role)
            before = (segment.paragraph, attribution) if spoken else None
        return result

    def _answerer(self, label: str, people: list[Entity], first_question: int | None) -> Attribution:
        """Who gives an interview's answer: the name its line opens with ("Dzulkefly" is the
        Dzulkefly Ahmad named before), else the last person named before the questions."""
        if label:
            speaker = self.parse_speaker(label)
            if speaker is not None and speaker.name and not speaker.pronoun:
                return self._named(speaker, None, REPORTED)
        if first_question is None:
            return Attribution(None, None, None, REPORTED)
        interviewed = self._interviewed(first_question)
        if interviewed is not None:
            return self._named(interviewed, None, REPORTED)
        return self._nearest_person(people, first_question, Attribution(None, None, None, REPORTED))

    def _interviewed(self, first_question: int) -> _Speaker | None:
        """Who the introduction says was interviewed ("detikcom mewawancarai Kapolres Sikka
        AKBP Moh Mukhson soal ..."), if it names them."""
        verb_re = self.rules.interview_verb_re
        if verb_re is None:
            return None
        intro = self.text[self.body_start : first_question]
        # The last interview verb before the questions: the one nearest them.
        verb = max(verb_re.finditer(intro), key=lambda m: m.start(), default=None)
        if verb is None:
            return None
        phrase = re.split(r"[.!?\n]", intro[verb.end() :], maxsplit=1)[0]
        speaker = self.parse_speaker(self._cut(phrase))
        return speaker if speaker is not None and speaker.name and not speaker.pronoun else None

    def _is_said_back(self, sentence: str) -> bool:
        """"Hal itu disampaikan Juru Bicara MK Fajar Laksono ...": the sentence names who
        said what came before it."""
        return self.rules.said_back_re is not None and self.rules.said_back_re.match(sentence) is not None

    @staticmethod
    def _attribute_back(
        segments: list[Segment], result: list[Attribution | None], index: int, attribution: Attribution
    ) -> None:
        """The sentences just before ``index``, of one paragraph, that went to the outlet are
        what the speaker of "Hal itu disampaikan X" said."""
        paragraph = None
        for j in range(index - 1, -1, -1):
            before = result[j]
            if segments[j].kind != SENTENCE or before is None or before.source != OUTLET:
                return
            if paragraph is None:
                paragraph = segments[j].paragraph
            elif segments[j].paragraph != paragraph:
                return
            result[j] = replace(attribution, source=REPORTED)

    def _carries_on(self, sentence: str, outlet: str | None) -> bool:
        """The sentence opens by carrying on the one before ("Pasalnya, ...", "Oleh karena
        itu, pihaknya ..."), and is not the outlet speaking of itself ("Namun, hingga berita
        ini diturunkan, ...")."""
        rules = self.rules
        if not rules.continuation_openers:
            return False
        words = _WORD_RE.findall(sentence[:60].lower())
        if not any(tuple(words[: len(o)]) == o for o in rules.continuation_openers):
            return False
        low = sentence.lower()
        return not any(ref in low for ref in rules.outlet_self_references) and not (outlet and outlet.lower() in low)

    def _remember_roles(self, text: str, start: int, end: int, people: list[Entity]) -> None:
        """The role the sentence gives each person it names, speaker or not ("accused
        outgoing President Joko Widodo"), so that "the president" later is him."""
        rules = self.rules
        for person in people:
            if not start <= person.start < end or person.canonical in self.memory.roles:
                continue
            words = text[max(start, person.start - 60) : person.start].split()
            # "President Joko Widodo" may be the gazetteer's alias: its title is the role.
            named = person.text.split()
            while named and named[0] in rules.role_words:
                words.append(named.pop(0))
            run: list[str] = []
            for word in reversed(words):
                if word[:1].isupper() or word.lower() in rules.role_nouns:
                    run.insert(0, word)
                else:
                    break
            role = self._role(" ".join(run)) if run else None
            if role:
                self.memory.roles[person.canonical] = role

    def own_people(self, entities: list[Entity]) -> list[Entity]:
        """The entities, with a known person's surname alone ("Bush") given to the person
        this text named by it ("Douglas Bush, the Army's former acquisition chief")."""
        known, people = self.memory.known, self.memory.people
        renamed = [
            replace(e, canonical=known[e.text])
            if e.label == "PERSON" and " " not in e.text and known.get(e.text, e.canonical) != e.canonical
            and known[e.text] in people
            else e
            for e in entities
        ]
        return renamed

    def person_mentions(self, text: str, entities: list[Entity]) -> list[Entity]:
        """PERSON entities for the people who spoke whom the gazetteer does not know
        ("Luky Alfirman", then "Luky"), wherever the text writes a name the walk resolved
        to them, outside the entities found already.

        Only a full name the text gave a role ("Direktur Jenderal Anggaran ... Luky
        Alfirman") or calls by a title ("Viktor Makarov, 50, claims ..." and later "Mr
        Makarov"): a bare "Lufthansa said" or "Age Concern says" may be no person at all.
        """
        roles = self.memory.roles
        candidates = {
            form: full
            for form, full in self.memory.forms.items()
            if full in self.memory.people and full not in self.compiled.labels and full not in self.organisations
            and len(form) > 2 and form[:1].isupper()
        }
        titled = self._titled_words(text)
        people = {
            full for full in set(candidates.values())
            if full in roles or (" " in full and full.split()[-1] in titled)
        }
        forms = {form: full for form, full in candidates.items() if full in people}
        if not forms:
            return []
        names = alternation(forms)
        taken = Stretches([(e.start, e.end) for e in entities])
        found: list[Entity] = []
        for match in re.finditer(rf"(?<![\w'\u2019-])(?:{names})(?![\w'\u2019-])", text):
            if taken.overlaps(match.start(), match.end()):
                continue  # inside or across a name or number found already
            if " " not in match.group() and not self._is_named_here(text, match.start(), match.end()):
                continue  # "Muslim" is a lawyer's name in "kata Muslim", not in "warga Muslim"
            found.append(Entity(match.group(), forms[match.group()], "PERSON", match.start(), match.end(), None))
        return found

    def _titled_words(self, text: str) -> frozenset[str]:
        """The words the text puts after a title ("Makarov" of "Mr Makarov"): a speaker whose
        name ends in one is a person. One pass over the text, whatever the number of names."""
        if self.compiled.titled_re is None:
            return frozenset()
        return frozenset(m.group(1) for m in self.compiled.titled_re.finditer(text))

    def _is_named_here(self, text: str, start: int, end: int) -> bool:
        """A one-word name used as one: after an honorific or a speech verb ("Mr Straw",
        "kata Rano") or before a verb of saying ("Luky menjelaskan")."""
        before = text[max(0, start - 30) : start].split()
        after = text[end : end + 30].split()
        return bool(
            (before and (before[-1] in self.rules.honorifics or before[-1].lower() in self.compiled.verbs))
            or (after and after[0].strip(",.").lower() in self.compiled.verbs)
        )

    def _person_subject(
        self, text: str, start: int, sentence: str, people_at: dict[int, Entity]
    ) -> Attribution | None:
        """The person a sentence is about when its subject names one: "Mr Kilroy-Silk was
        still able to appear", "In January, Mr Kilroy-Silk quit" (not "Mr Blair's spokesman")."""
        rules = self.rules
        offsets = [0]
        comma = sentence.find(",")
        if 0 < comma and len(sentence[:comma].split()) <= 4:
            offsets.append(comma + 1)  # after "In January," or "However,"
        for offset in offsets:
            rest = sentence[offset:]
            # Only the first words can be the subject: the rest of the sentence stays whole.
            words = rest.split(None, _SUBJECT_LOOKAHEAD_WORDS + 4)
            kept = self._drop_openers(words)
            if not kept:
                continue
            at = start + offset + rest.find(kept[0])
            entity = people_at.get(at)
            if entity is not None:
                name, end = entity.canonical, entity.end
            elif kept[0] in rules.honorifics and len(kept) > 1 and kept[1][:1].isupper():
                name, end = self._resolve(kept[1].strip(",")), at + len(kept[0]) + 1 + len(kept[1].strip(","))
            else:
                titled = self._titled_subject(kept) or (
                    self._appositive_subject(sentence[: offset - 1], kept) if offset else None
                )
                if titled is not None:
                    return titled
                bare = self._bare_subject(kept, first=kept[0] == words[0] and offset == 0)
                if bare is None:
                    continue
                name, end = self._resolve(bare), at + len(bare)
            if text[end : end + 1] in ("'", "\u2019") or self.compiled.labels.get(name, "PERSON") != "PERSON":
                return None  # "Mr Blair's spokesman said": the subject is someone else.
            self.memory.people.add(name)
            return Attribution(name, self.memory.roles.get(name), None, REPORTED, PERSON)
        return None

    def _bare_subject(self, words: list[str], *, first: bool = False) -> str | None:
        """A person's name alone as the subject, though the sentence reports no statement:
        "Selain itu, Pramono juga menawarkan kerja sama", "Danny Kruger, who works in
        ...". "Dia" after it is them. None for what may be no person's name (a place, an
        organisation, a one-word English name that is a company's). ``first``: the name
        is the sentence's first word, whose capital says nothing."""
        name: list[str] = []
        for word in words[:3]:
            token = word.rstrip(",")
            if not self._is_name_token(token) or token.lower() in self.rules.role_nouns:
                break
            name.append(token)
            if word.endswith(","):
                break
        if not name or len(name) >= len(words):
            return None
        if first and len(name) == 1 and not re.search(rf"[\w,] {re.escape(name[0])}(?![\w-])", self.text):
            # "Wartawan menemui ...", "Selain itu, ...": a capital that only opens the
            # sentence, never written so inside one, is no name.
            return None
        following = words[len(name)]
        if words[len(name) - 1].endswith(","):
            if following.lower() not in self.rules.relative_words:
                return None  # "Pramono, Gibran dan ...": a list, or what they are
        elif not following[:1].islower():
            return None
        phrase = " ".join(name)
        entry = self._known(phrase)
        if phrase in self.organisations or (entry is not None and entry.label != "PERSON"):
            return None
        if not self._is_person(_Speaker(phrase, None, False)):
            return None
        return phrase

    def _titled_subject(self, words: list[str]) -> Attribution | None:
        """A subject that names a person by post and name, whom no list knows: "Direktur
        Utama PT PAL Indonesia Kaharuddin Djenod mendapat giliran ...". "Ia" after it is
        them, though they said nothing yet."""
        run: list[str] = []
        links = self.rules.name_links | self.rules.representative_links
        ahead = words[: _SUBJECT_LOOKAHEAD_WORDS + 4]
        for i, word in enumerate(ahead):
            # "Anggota Komisi I DPR dari Fraksi Golkar Dave Laksono": a link inside the post.
            linked = word.lower() in links and i + 1 < len(ahead) and ahead[i + 1][:1].isupper()
            if " " in word or not (word[:1].isupper() or word.lower() in self.rules.role_nouns or (run and linked)):
                break  # (a word with a space in it is the rest of the sentence, unsplit)
            run.append(word.strip(","))
            if word.endswith(","):
                break
        if len(run) < 3:
            return None
        name, role = self._split_name(" ".join(run))
        if name is None or role is None or (" " not in name and run[0] not in self.rules.role_words):
            return None  # "Bupati Malang Sanusi": one name is enough after a title
        speaker = _Speaker(self._resolve(name), role, False)
        if not self._is_person(speaker) or self.compiled.labels.get(speaker.name or "", "PERSON") != "PERSON":
            return None
        return self._subject_now(speaker)

    def _subject_now(self, speaker: _Speaker) -> Attribution:
        """A person the text has just put forward by post and name: the one "Ia", "he" and
        "-nya" mean next, as if they had spoken."""
        attribution = self._named(speaker, None, REPORTED)
        self.memory.last_speaker = attribution
        return attribution

    def _appositive_subject(self, post: str, words: list[str]) -> Attribution | None:
        """ "Penasihat hukum terdakwa, Hotman Sitompul, keberatan ...": a post, then between
        commas the full name of who holds it; "-nya" and "he" after it are them."""
        role = self._role(post)
        if role is None:
            return None
        name: list[str] = []
        for word in words[:_MAX_NAME_TOKENS]:
            if not self._is_name_token(word.strip(",")):
                return None
            name.append(word.strip(","))
            if word.endswith(","):
                break
        else:
            return None  # the name must close with its comma
        if len(name) < 2:
            return None
        return self._subject_now(_Speaker(self._resolve(" ".join(name)), role, False))

    def _nearest_person(self, people: list[Entity], before: int, attribution: Attribution) -> Attribution:
        """An unattributed quote, or a "menurut dia" with no one for "dia" to be: the last
        person the text named, speaker or not."""
        named = [e for e in people if e.end <= before]
        if not named:
            return attribution
        return Attribution(
            named[-1].canonical,
            self.memory.roles.get(named[-1].canonical),
            attribution.medium,
            attribution.source,
            PERSON,
        )

    def _quote_extent(self, segments: list[Segment]) -> dict[int, tuple[int, int]]:
        """For each quote: start of its first sentence and end of its last sentence."""
        extent: dict[int, tuple[int, int]] = {}
        for segment in segments:
            if segment.quote is not None:
                key = id(segment.quote)
                start, _ = extent.get(key, (segment.start, segment.end))
                extent[key] = (start, segment.end)
        return extent

    def _quote_attribution(
        self,
        text: str,
        quote: Quote,
        extent: tuple[int, int],
        previous: Attribution | None,
    ) -> Attribution:
        start, end = extent
        around = text[start:end]
        medium = self._medium(around)
        quoting = self._quoting(text[quote.close : end]) if quote.close < end else None
        if quoting is not None:
            # '"...," the paper quoted Mr Chernin as saying.'
            speaker, medium = quoting[0], quoting[1] or medium
        else:
            speaker = self._tail_speaker(text[quote.close : end]) if quote.close < end else None
        if speaker is None and quote.open > start:
            head = text[start : quote.open]
            # 'A post shared 40,000 times on Facebook reads: "..."': the post's words.
            speaker = self._post(head)
            match = self.compiled.tail_verb_re.search(head) if self.compiled.tail_verb_re and speaker is None else None
            if match is not None:
                speaker = self.parse_subject(head[: match.start()])
        if speaker is None:
            # A quote with no verb of its own goes on from the previous quote or speaker.
            inherited = previous or self.memory.last_speaker
            if inherited is not None:
                return Attribution(
                    inherited.speaker, inherited.role, medium or inherited.medium, QUOTE, inherited.kind
                )
            return Attribution(None, None, medium, QUOTE)
        return self._named(speaker, medium, QUOTE)

    def _named(
        self,
        speaker: _Speaker,
        medium: str | None,
        source: str,
    ) -> Attribution:
        if speaker.pronoun:
            # "he" is a person, never the police; "it" is never a person; "they" may be either.
            if speaker.personal:
                referent = self.memory.last_person
            elif speaker.impersonal:
                referent = self.memory.last_impersonal
            else:
                referent = self.memory.last_speaker
            if referent is None:
                return Attribution(None, None, medium, source)
            return Attribution(referent.speaker, referent.role, medium or referent.medium, source, referent.kind)
        self._remember(speaker)
        if self._is_person(speaker) and not speaker.represents:
            # Not "Department of Health" of "a Department of Health spokesperson": the
            # person is the spokesperson, and the name is the organisation's.
            self.memory.people.add(speaker.name or "")
        role = speaker.role or self.memory.roles.get(speaker.name or "")
        return Attribution(speaker.name, role, medium, source, self._kind(speaker, role))

    def _kind(self, speaker: _Speaker, role: str | None) -> str | None:
        """What the named speaker is: a person, an organisation, a person speaking for
        the organisation named ("A BBC spokesman"), or people no one names ("Critics");
        an official known by the office only ("Menteri Keuangan"); None when no one is
        named ("sumber lain", "a legal expert": someone, but no official)."""
        if not speaker.name:
            words = [w.lower().strip(".,").removesuffix("'s") for w in (role or "").split()]
            shorts = self.rules.role_short_forms
            if (
                words
                and not speaker.pronoun
                and not any(w in self.rules.group_nouns for w in words)
                and any(w in self.rules.office_nouns or w in shorts for w in words)
            ):
                return OFFICIAL
            return None
        if self._is_group(speaker.name):
            return GROUP
        if speaker.represents or (
            role and role.lower() in self.rules.representative_nouns and not self._is_person_name(speaker.name)
        ):
            return REPRESENTATIVE
        return PERSON if self._is_person(speaker) else ORGANISATION

    def _is_person_name(self, name: str) -> bool:
        return self.compiled.labels.get(name) == "PERSON" or (name in self.memory.people and self.compiled.labels.get(name) is None)
