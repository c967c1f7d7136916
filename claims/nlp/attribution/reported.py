"""Reported speech: who said a sentence with no quote in it, as a sieve of named passes."""

from __future__ import annotations

from collections.abc import Callable

from .core import _PARENTHETICAL_RE, _POSSESSIVES, _PRONOUN, _Reported, _Speaker


class ReportedSpeech:
    """Part of Attributor: REPORTED_SPEECH_SIEVE's passes and what they read."""

    def _reported_speaker(self, sentence: str) -> _Reported:
        """The speaker of a sentence with no quote, and the medium if the sentence names one:
        what the first pass of REPORTED_SPEECH_SIEVE that decides says."""
        medium = self._medium(sentence)
        for sieve in REPORTED_SPEECH_SIEVE:
            found = sieve(self, sentence, medium)
            if found is not None:
                return found
        return None, medium

    # The passes of REPORTED_SPEECH_SIEVE: each returns (speaker, medium) when it decides who
    # said the sentence (a None speaker included: no one), or None to leave it to the next.

    def _by_quoting(self, sentence: str, medium: str | None) -> _Reported | None:
        """ "..., the paper quoted Mr Chernin as saying": its own speaker and medium."""
        return self._quoting(sentence)

    def _by_post_verdict(self, sentence: str, medium: str | None) -> _Reported | None:
        """ "Unggahan yang menyebut ... adalah hoaks": the outlet's verdict on the post."""
        if self.rules.post_verdict_re is not None and self.rules.post_verdict_re.search(sentence):
            if self.compiled.post_re is not None and self.compiled.post_re.match(sentence):
                return None, medium
        return None

    def _by_post(self, sentence: str, medium: str | None) -> _Reported | None:
        """ "Unggahan akun X @petani_merdeka yang menyebut ...": the post's account."""
        post = self._post(sentence)
        return (post, medium) if post is not None else None

    def _by_said_back(self, sentence: str, medium: str | None) -> _Reported | None:
        """ "Hal itu disampaikan Abdul Mu'ti saat berkunjung ...": a passive, and who said it;
        "Hal tersebut ia katakan usai rapat ...": the last speaker."""
        back = self.rules.said_back_re.match(sentence) if self.rules.said_back_re is not None else None
        if back is None:
            return None
        who = back.groupdict()
        if who.get("pronoun"):
            return _PRONOUN, medium
        speaker = self.parse_speaker(who.get("who") or who.get("who_after") or "", role_after=False)
        if speaker is not None and (speaker.pronoun or (speaker.name or "")[:1].isupper()):
            return speaker, medium
        return None

    def _by_agent(self, sentence: str, medium: str | None) -> _Reported | None:
        """ "The figures were confirmed by a spokeswoman for the Home Office."""
        agent = self.rules.agent_re.search(sentence) if self.rules.agent_re is not None else None
        if agent is None:
            return None
        who = " ".join(self._drop_trailing_time(self._cut(agent.group("who")).strip().rstrip(".!?").split()))
        speaker = self._whole_name(who) or self.parse_speaker(who, role_after=False)
        # A name, or a role ("a spokeswoman for ..."); not "local media".
        if speaker is not None and not speaker.pronoun and ((speaker.name or "")[:1].isupper() or speaker.role):
            return speaker, medium
        return None

    def _by_source(self, sentence: str, medium: str | None) -> _Reported | None:
        """ "..., NHS England figures show.", "Data BPS menunjukkan ...": the publisher."""
        shown = (
            self.compiled.source_re.search(sentence)
            if self.compiled.source_re is not None and self.compiled.source_verb_re.search(sentence)
            else None
        )
        if (
            shown is not None
            and not self.rules.source_name_after
            and self._names_an_organisation(sentence[shown.start("who") : shown.end()])
        ):
            shown = None  # "the Office for National Statistics showed": a name, not "National" statistics
        if shown is not None:
            words = self._drop_openers(shown.group("who").split())
            name = " ".join(words)
            at_start = not sentence[: shown.start("who")].strip(" \"'\u201c")
            # "Official figures show": a capitalised first word is no name unless known.
            if words and not (at_start and len(words) == 1 and name not in self.compiled.aliases and name not in self.organisations):
                return _Speaker(self._resolve(name), None, False, person=False), medium
        return None

    def _by_according_to(self, sentence: str, medium: str | None) -> _Reported | None:
        """ "According to the Financial Times, ...", "Menurut Sri Mulyani, ...". One that
        names no one usable is still the speaker if the reporting-verb pass finds none."""
        according, rest = self._according_to(sentence)
        if according is None:
            return None
        if according.pronoun or (according.name is not None and according.name[:1].isupper()):
            if according.pronoun:
                return according, medium
            if medium is None and according.name and self._is_outlet_name(according.name) and self._is_media_name(according.name):
                medium = according.name  # "Menurut laporan Reuters": a news agency's report
            # "According to the Financial Times, Peter Chernin said ...": the person said it,
            # the paper reported it.
            said = self._verb_speaker(rest) if rest else None
            if (
                said is not None
                and not said.pronoun
                and said.name != according.name
                and self._is_person(said)
            ):
                return said, medium or according.name
            return according, medium
        return self._by_reporting_verb(sentence, medium, according)

    def _by_reporting_verb(
        self, sentence: str, medium: str | None, according: _Speaker | None = None
    ) -> _Reported:
        """ "Menurut laporan itu, ..., ujar analis Andi Wijaya": the report is where the
        content comes from; the person with the reporting verb is who said it. The last
        pass: it always decides."""
        said = self._verb_speaker(sentence)
        if said is None or not (said.pronoun or self._is_person(said) or said.name in self.compiled.labels):
            # "The plan, said Mr Smith, would ...": not "The plan", but who is set off by commas.
            said = self._aside(sentence) or said
        return said or according, medium

    def _aside(self, sentence: str) -> _Speaker | None:
        """The speaker set off by commas mid-sentence: ", kata Mu'ti,", ", katanya,",
        ", said Mr Smith,"."""
        if self.compiled.aside_re is None:
            return None
        for match in self.compiled.aside_re.finditer(sentence):
            who = (match.group("who") or "").strip()
            if not who:
                suffix = self.rules.pronoun_suffix
                if suffix and match.group("verb").lower().endswith(suffix):
                    return _PRONOUN  # "katanya": whoever spoke last.
                continue
            if len(who.split()) > 6:
                continue  # a clause, not a name with its role
            speaker = self._whole_name(who) or self.parse_speaker(who, role_after=False)
            if speaker is not None and (speaker.pronoun or (speaker.name or "")[:1].isupper()):
                return speaker
        return None

    def _quoting(self, text: str) -> tuple[_Speaker | None, str | None] | None:
        """ "..., the paper quoted Mr Chernin as saying": Mr Chernin said it, via the paper."""
        rules = self.rules
        match = rules.quoting_re.search(text) if rules.quoting_re is not None else None
        if match is None:
            return None
        before = text[: match.start()]
        who = match.group("who")
        by = rules.media_re.match(text, match.start()) if rules.media_re is not None else None
        if who is None or by is not None:
            # "Mr Chernin was quoted (by the FT) as saying": the subject is who said it.
            words = self._drop_trailing_particles(before.split())
            # "..., with Mr Dixon quoted as saying": the name right before the verb.
            subject = " ".join(words).rsplit(",", 1)[-1]
            return self.parse_subject(subject), by.group("medium") if by else self._medium(text)
        speaker = self.parse_speaker(who, role_after=False)
        if speaker is None or (speaker.name is None and not speaker.pronoun):
            # "quoted an unnamed executive at Euronext as saying": someone, but no name.
            role = self._role(who)
            speaker = _Speaker(None, role, False, person=False) if role else speaker
        subject = before.rstrip(" ,").rsplit(",", 1)[-1]
        return speaker, self._medium_name(subject)

    def _medium_name(self, phrase: str) -> str | None:
        """A medium's name: "A weekend report in the Telegraph had" -> Telegraph; "the
        paper" is the medium named last ("Financial Times"), or as written if none was."""
        words = self._drop_trailing_particles(_PARENTHETICAL_RE.sub("", phrase).strip(" ,\"'").split())
        name: list[str] = []
        for word in reversed(self._drop_openers(words)):
            if not word[:1].isupper():
                break
            name.insert(0, word)
        if not name:
            return self.memory.last_medium or " ".join(words) or None
        entry = self._known(" ".join(name))
        return entry.canonical if entry is not None else " ".join(name)

    def _according_to(self, sentence: str) -> tuple[_Speaker | None, str]:
        """The speaker of "According to X, ...", "..., according to X." or "..., according to
        X, ...", and the rest of the sentence, where someone else may be the one who said
        it ("According to the FT, Mr Chernin said ...", "Mr Chernin said ..., according
        to the FT")."""
        rules = self.rules
        if rules.according_to_re is None:
            return None, ""
        for match in rules.according_to_re.finditer(sentence):
            before = sentence[: match.start()].rstrip()
            opens = match.start() < 3 or not self._drop_openers(before.split())
            if match.group("nya"):
                if not opens and not before.endswith(","):
                    continue
                return _PRONOUN, ""
            # ", " and not ",": "a survey of 2,000 adults by YouGov" is one phrase.
            first, comma, rest = match.group("who").partition(", ")
            publisher = self._publisher(first)
            if not opens and not before.endswith(",") and publisher in (None, first):
                # "ranked according to size": no one's word; but "managed this feat
                # according to figures compiled by Chart-Track" is Chart-Track's.
                continue
            if publisher is not None and publisher != first:
                # "menurut laporan Reuters yang dirilis Senin": the publisher, up to the
                # clause about the source; the rest of the sentence is what it says.
                publisher, comma, rest = self._before_clause(publisher), "", ""
            if publisher is None:
                # "according to a poll of voters": a source, but no one's; "according to
                # document security firm Workshare": a source noun that describes a firm.
                speaker = self._described_organisation(first)
            else:
                speaker = self._described_organisation(publisher) or self._whole_name(_PARENTHETICAL_RE.sub("", publisher).strip()) or self.parse_speaker(
                    publisher + comma + rest, role_after=False
                )
            return speaker, rest if opens else before
        return None, ""

    def _publisher(self, phrase: str) -> str | None:
        """Who published what the phrase names: "NHS figures" -> "NHS", "a Reuters poll of
        economists" -> "Reuters", "estimates by the defence ministry" -> "the defence
        ministry", "data from the ONS" -> "the ONS"; None for a source that names no one
        ("a poll of voters", "data from last year"); the phrase itself when it names no
        source."""
        words = phrase.split()
        rules = self.rules
        # Lower case: "Statistics" in "Office for National Statistics" is the name's.
        # Or the first word, capitalised: "Figures showed that ...".
        at = next(
            (i for i, w in enumerate(words) if w.strip(".") in rules.source_nouns or (i == 0 and w.lower() in rules.source_nouns)),
            None,
        )
        if at is None:
            return phrase
        owner = self._drop_openers(words[:at])
        if owner and owner[0].lower() in rules.first_person_possessives:
            return None  # "Our surveys found": the one speaking, not someone else's word
        possessive = next((i for i in range(len(owner) - 1, -1, -1) if owner[i].endswith(_POSSESSIVES)), None)
        if possessive is not None:
            # "Mr Smith's analysis", "the IMF's latest forecast", "the government's own figures"
            owned = words[: at - len(owner) + possessive + 1]
            return " ".join(owned)[: -len("'s")]
        if owner and owner[-1][:1].isupper():
            # "the latest Opinium poll for the Observer": the pollster's name just before
            # the noun, not the paper it was done for.
            run: list[str] = []
            for word in reversed(owner):
                if not (word[:1].isupper() or (run and word in rules.name_links)):
                    break
                run.insert(0, word)
            while run and run[0] in rules.name_links:
                run.pop(0)
            return " ".join(run)
        if owner and any(w[:1].isupper() for w in owner):
            return phrase
        after = words[at + 1 :]
        if rules.source_name_after and after and after[0][:1].isupper() and not owner:
            return " ".join(after)  # "data Badan Pusat Statistik"
        agent = next((i for i, w in enumerate(after) if w in rules.source_agents), None)
        if agent is not None and agent + 1 < len(after):
            # "a recent report by analysts Screen Digest", "figures compiled by Chart-Track"
            return self._described_name(after[agent + 1 :]) or " ".join(after[agent + 1 :])
        if after and after[0] in rules.source_links:
            named = self._drop_openers(after[1:])
            if named and named[0][:1].isupper():
                return " ".join(after[1:])
            described = self._described_name(after[1:])
            if described is not None:
                return described  # "research from technology analysts Gartner"
        # "alliance figures", "official data", "a recent report": no one is named for them
        return None

    def _described_name(self, words: list[str]) -> str | None:
        """A name, after what it is, cut where the name ends: "analysts Screen Digest" ->
        itself, "Chart-Track for the Entertainment ..." -> "Chart-Track"; None unless a
        capitalised name follows at most three lower-case words (no article: "the
        Estonian defence ministry" is not "Estonian")."""
        rules = self.rules
        at = next((i for i, w in enumerate(words) if w[:1].isupper()), None)
        if (
            at is None
            or at > 3
            or not all(w.isalpha() and w.islower() and w not in rules.determiners for w in words[:at])
        ):
            return None
        links = rules.name_links | rules.name_conjunctions
        run: list[str] = []
        for i, word in enumerate(words[at:], start=at):
            following = words[i + 1] if i + 1 < len(words) else ""
            if word[:1].isupper():
                run.append(word.rstrip(",."))
                if word.endswith((",", ".")):
                    break
            elif run and word in links and word not in rules.source_links and following[:1].isupper():
                run.append(word)  # "Center for Strategic and International Studies"
            else:
                break
        return " ".join([*words[:at], *run]) if run else None

    def _described_organisation(self, phrase: str) -> _Speaker | None:
        """ "analysts Screen Digest", "document security firm Workshare": an organisation,
        named after a word that says it is one (a firm, analysts), not a person."""
        words = phrase.strip(" .,").split()
        described = self._described_name(words)
        at = next((i for i, w in enumerate(words) if w[:1].isupper()), 0)
        if described is None or at == 0 or len(described.split()) != len(words):
            return None  # no word says what it is, or more follows the name
        kind = words[at - 1].lower()
        if kind not in self.rules.organisation_descriptors and kind not in self.rules.group_nouns:
            return None
        name = " ".join(described.split()[at:])
        entry = self._known(name)
        return _Speaker(entry.canonical if entry is not None else name, None, False, person=False)


# Who said a sentence with no quote in it: the passes in order of precedence; the first
# that decides wins. The last always decides.
REPORTED_SPEECH_SIEVE: tuple[Callable[[ReportedSpeech, str, str | None], _Reported | None], ...] = (
    ReportedSpeech._by_quoting,  # "..., the paper quoted Mr Chernin as saying"
    ReportedSpeech._by_post_verdict,  # "Unggahan yang menyebut ... adalah hoaks": no one
    ReportedSpeech._by_post,  # "Unggahan akun X @petani_merdeka yang menyebut ..."
    ReportedSpeech._by_said_back,  # "Hal itu disampaikan Abdul Mu'ti ..."
    ReportedSpeech._by_agent,  # "... was confirmed by a spokeswoman for the Home Office"
    ReportedSpeech._by_source,  # "NHS England figures show", "Data BPS menunjukkan"
    ReportedSpeech._by_according_to,  # "According to the Financial Times, ..."
    ReportedSpeech._by_reporting_verb,  # "..., ujar analis Andi Wijaya"; "The plan, said Mr Smith, ..."
)
