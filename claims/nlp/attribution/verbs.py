"""Verbs of saying in a sentence, social-media posts, and the medium a sentence names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from .core import (
    _HANDLE_RE,
    _MAX_CLOSING_ROLE_WORDS,
    _MAX_NAME_TOKENS,
    _MAX_SAID_PART_WORDS,
    _MAX_SUBJECT_WORDS,
    _PARENTHETICAL_RE,
    _POSSESSIVES,
    _SAID_PART_TAIL,
    _Speaker,
)


class Verbs:
    """Part of Attributor: the speaker of a verb of saying, a post, an aside."""

    def _verb_speaker(self, sentence: str) -> _Speaker | None:
        rules = self.rules
        said = self._said_part(sentence)
        if said is not None:
            return said
        if rules.reporting_re is not None:
            # Not a verb that opens the sentence ("Menanggapi hal itu, jubir ... mengatakan"):
            # it has no subject, so the speaker is the next verb's.
            match = next(
                (
                    (start, end)
                    for start, end in self._reporting_verbs(sentence)
                    if sentence[:start].strip(" \"'\u201c")
                    and not self._is_passive(sentence[:start])
                    and not self._has_object(sentence, start, end)
                    # "In a statement posted on Telegram, the group ... said": a verb inside
                    # the circumstance that opens the sentence has no subject of its own.
                    and not ("," not in sentence[:start] and self._is_circumstance(sentence[:start]))
                ),
                None,
            )
            clause_subject = self._subject_before_clause(sentence[: match[0]]) if match else None
            if clause_subject is not None:
                return clause_subject
            if match and len(sentence[: match[0]].split()) <= _MAX_SUBJECT_WORDS + 6:
                before = sentence[: match[0]]
                after = sentence[match[1] :]
                if before.rstrip().endswith(",") and self._is_only_a_name(after):
                    # "Inflation will hit 5%, said the Bank of England": the name that ends
                    # the sentence is the speaker; what came before the comma is what was
                    # said, never the speaker, even when the name is not one we can resolve.
                    return self._inverted(after) or self.parse_speaker(after, role_after=False)
                speaker = self.parse_subject(before)
                if speaker is None and before.rstrip().endswith(","):
                    # "By contrast, says Mr Cox, the Mac mini ...": the speaker follows.
                    speaker = self._inverted(after)
                if speaker is not None:
                    return speaker
        if self.compiled.tail_verb_re is not None:
            # "It would mean ..., Ms Hewitt told GMTV's Sunday programme."
            comma = sentence.rfind(", ")
            if comma > 0:
                tail = sentence[comma + 2 :]
                match = self.compiled.tail_verb_re.search(tail)
                # Not "..., AL disebut menuding ...": said of someone, not by them. Not
                # "..., however, said the sample was too small": what was said, no speaker.
                opens = match is not None and not tail[: match.start()].strip()
                if (
                    match
                    and len(tail.split()) <= 10
                    and not self._is_passive(tail[: match.start()])
                    and not (opens and not self._is_only_a_name(self._cut(tail[match.end() :])))
                ):
                    return self._tail_speaker(tail)
        return None

    def _subject_before_clause(self, before: str) -> _Speaker | None:
        """The named subject of "Wakil Menteri Pertahanan Donny Ermawan Taufanto yang
        meresmikan fasilitas tersebut menegaskan", read without the clause about them;
        None when no clause follows a name there."""
        head = self._before_clause(before)
        if head == before:
            return None
        if "," in head and len(head.rsplit(",", 1)[0].split()) <= 3:
            head = head.rsplit(",", 1)[1]  # "Sementara itu, Wakil Menteri ... yang ..."
        words = head.split()
        if not words or "," in head or not head.rstrip()[-1:].isalpha():
            return None
        if len(words) > _MAX_SUBJECT_WORDS or not words[-1][:1].isupper():
            return None
        speaker = self.parse_subject(head)
        if speaker is None or not speaker.name or speaker.pronoun:
            return None
        # One word is a name only when it is someone's the text named in full ("Eddy yang
        # juga Waketum PAN"), not "Oleh" of "Oleh karena itu, ia".
        return speaker if len(words) > 1 or " " in speaker.name else None

    def _post(self, sentence: str) -> _Speaker | None:
        """What a viral post or message says is its word, not the outlet's: "Unggahan akun X
        @petani_merdeka yang menyebut ...", "akun tersebut menulis ...", "A post shared on
        Facebook claims ...", "Pesan berantai yang menyebut ...". The account when the
        post names one (and the one named last for "akun tersebut"), else the post."""
        if self.compiled.post_re is None:
            return None
        match = self.compiled.post_re.match(sentence)
        if match is None:
            return None
        who = match.group("who")
        handle = _HANDLE_RE.search(who)
        if handle is not None:
            self.memory.last_account = handle.group()
            return _Speaker(handle.group(), None, False, person=False)
        account = self.compiled.account_re.search(who) if self.compiled.account_re is not None else None
        if account is not None and account.group("name") not in self.rules.platforms:
            # "Unggahan akun Facebook Bunda Sehat yang menyebut": the account, by its name.
            name, platform = account.group("name"), account.group("platform")
            self.memory.last_account = name
            noun = account.group().split()[0].lower()
            return _Speaker(name, f"{noun} {platform}" if platform else noun, False, person=False)
        words = self._drop_trailing_particles(who.split(), auxiliaries=False)
        if words[-1].lower() in self.rules.anaphor_tails or " ".join(words).lower().endswith(
            tuple(self.rules.post_anaphors)
        ):
            if self.memory.last_account is not None:
                return _Speaker(self.memory.last_account, None, False, person=False)
        if words[0].lower() in self.rules.determiners and len(words) == 2:
            # "The account also claimed": the post the text spoke of, as written.
            return _Speaker(self.memory.last_account or " ".join(words), None, False, person=False)
        # "A post shared 20,000 times on Facebook": the post, and where it was shared.
        noun = self.compiled.post_noun_re.search(who)
        if noun is None:
            return None
        platform = self.compiled.platform_re.search(who) if self.compiled.platform_re else None
        phrase = noun.group() + (f" {platform.group()}" if platform else "")
        before, after = who[: noun.start()].split(), who[noun.end() :].split()
        if platform is None and before and before[-1] in self.rules.platforms:
            phrase = f"{before[-1]} {noun.group()}"  # "An Instagram post claimed"
        elif platform is None and after and after[0] in self.rules.platforms:
            phrase = f"{noun.group()} {after[0]}"  # "Sebuah video TikTok yang menyebut"
        return _Speaker(phrase[:1].upper() + phrase[1:], None, False, person=False)

    def _has_object(self, sentence: str, start: int, end: int) -> bool:
        """The verb counts something here, and reports no one's words: "The economy added
        275,000 jobs", "added a further £2bn"."""
        rules = self.rules
        if sentence[start:end].lower() not in rules.object_verbs:
            return False
        following = sentence[end : end + 40].split(None, 1)
        if not following:
            return False
        word = following[0].lower()
        return word[:1].isdigit() or word in rules.determiners or word in rules.indefinite_determiners or (
            word in rules.number_words
        )

    def _said_part(self, sentence: str) -> _Speaker | None:
        """Who said it, set off by a comma as a part of its own: "..., the UKHSA said.",
        "..., the agency said Friday, a day after ...". It names the sentence's speaker even
        where a verb before it has a subject ("Birmingham has reported 216 cases, ...")."""
        rules = self.rules
        parts = sentence.rstrip(" .!?\"'\u201d").split(", ")
        for part in reversed(parts[1:]):
            # Most parts end in no verb of saying: a look at their last words rules them out.
            if not any(w.lower() in self.compiled.verbs for w in part.rsplit(None, _SAID_PART_TAIL)[-_SAID_PART_TAIL:]):
                continue
            words = self._drop_trailing_time(part.split())
            # "..., figures published by the Office for National Statistics on Tuesday showed."
            longest = _MAX_SAID_PART_WORDS * 2 if words and words[0].lower() in rules.source_nouns else _MAX_SAID_PART_WORDS
            if not 1 < len(words) <= longest:
                continue
            verb = words[-1].lower()
            if verb not in rules.reporting_verbs and verb not in rules.speech_verbs:
                continue
            subject = " ".join(words[:-1])
            if self._is_passive(subject) or subject[:1] in "\"'\u201c":
                continue
            # Set off by its comma, "the agency" is as much a subject as at a sentence's start.
            speaker = self.parse_subject(subject[:1].upper() + subject[1:])
            if speaker is not None:
                return speaker
        return None

    def _is_only_a_name(self, after: str) -> bool:
        """The rest of the sentence is a name or a role and nothing else: "the Bank of
        England.", "a spokesman for the Bank of England.", "the minister."."""
        words = self._drop_openers(after.strip().rstrip(".!?\"'\u201d").split())
        rules = self.rules
        links = rules.name_links | rules.determiners | rules.representative_links
        if words and words[0].lower() in rules.indefinite_determiners:
            words = words[1:]  # "said one official"
        return (
            0 < len(words) <= 6
            and (words[0][:1].isupper() or words[0].lower() in rules.role_nouns)
            and (words[-1][:1].isupper() or words[-1].lower() in rules.role_nouns)
            and all(w[:1].isupper() or w.lower() in links or w.lower() in rules.role_nouns for w in words)
            and not any(ch in after for ch in ",;:")
        )

    def _reporting_verbs(self, sentence: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each reporting verb in the sentence, as whole words, any case."""
        low = sentence.lower()
        if len(low) != len(sentence) or self.rules.reporting_lower_re is None:
            # Lower-casing changed the length ("İ"): offsets into it would drift.
            yield from (m.span() for m in self.rules.reporting_re.finditer(sentence))
            return
        yield from (m.span() for m in self.rules.reporting_lower_re.finditer(low))

    def _is_passive(self, before: str) -> bool:
        """A reporting verb with no one doing the saying: "Activision is said to be ...",
        "it is fair to say ...", "analysts would say ..."."""
        words = before.split()
        if not words:
            return False
        if words[-1].lower() in self.rules.passive_auxiliaries or words[-1].lower() in self.rules.unreported_before:
            return True
        # "Blast fishing is still reported": past the particles to the auxiliary.
        words = self._drop_trailing_particles(words, auxiliaries=False)
        return words[-1].lower() in self.rules.passive_auxiliaries

    def _names_an_organisation(self, text: str) -> bool:
        """The text, less its last word (the verb), ends with a known organisation's name."""
        words = text.split()[:-1]
        return any(
            (entry := self._known(" ".join(words[i:]))) is not None and entry.label == "ORG"
            for i in range(max(0, len(words) - _MAX_NAME_TOKENS - 3), len(words) - 1)
        )

    def _whole_name(self, phrase: str) -> _Speaker | None:
        """A name of capitalised words, kept whole: "said the Federal Open Markets
        Committee", "according to PC Pro", "the Office for National Statistics" (not only
        their last words). Linking words ("for", "of") may join its capitalised words."""
        rules = self.rules
        words = self._drop_openers(phrase.split())
        owner = next((i for i in range(len(words) - 1, -1, -1) if words[i].endswith(_POSSESSIVES)), None)
        if owner is not None:
            words = words[owner + 1 :]  # "Germany's Siemens Energy": the name after the owner
        # Inside an organisation's name a role's word is the name's: "the Council on Foreign
        # Relations", "the Foreign Office".
        headed = bool(words) and (words[0].lower() in rules.organisation_heads or words[-1].lower() in rules.organisation_heads)
        if (
            len(words) > 1
            and words[0] not in rules.honorifics
            and words[-1][:1].isupper()
            and all(
                (w[:1].isupper() and (headed or w not in rules.role_words)) or self._joins_name(words, i)
                for i, w in enumerate(words)
            )
        ):
            return _Speaker(self._resolve(" ".join(words)), None, False, person=not headed)
        return None

    def _joins_name(self, words: list[str], i: int) -> bool:
        """Whether the lower-case ``words[i]`` joins the capitalised words around it into one
        name: a link ("Office for National Statistics"), an article after a link ("Institute
        for the Study of War"), or "and" after the link of an organisation's head noun
        ("Center for Strategic and International Studies", not "John Smith and Jane Doe")."""
        rules = self.rules
        links = rules.name_links | rules.representative_links
        w = words[i]
        if i == 0:
            return False
        if w in links:
            return True
        if w.lower() in rules.determiners:
            return words[i - 1] in links
        if w in rules.name_conjunctions:
            first = next((j for j, x in enumerate(words[:i]) if x in links), None)
            return first is not None and first > 0 and words[first - 1].lower() in rules.organisation_heads
        return False

    def _inverted(self, after: str) -> _Speaker | None:
        """The speaker right after the verb, up to a comma or the end of the sentence."""
        if not after.lstrip()[:1].isalpha():
            return None  # 'said: "...' is the quote, not the speaker.
        part, comma, _ = after.partition(",")
        part = _PARENTHETICAL_RE.sub("", part).strip().rstrip(".!?")
        if not part or len(part.split()) > 6:
            return None
        speaker = self._whole_name(part) or self.parse_speaker(part, role_after=False)
        # "says he, ..." needs its comma; a named speaker is capitalised ("says the report" is none).
        if speaker is None or not ((speaker.pronoun and comma) or (speaker.name or "")[:1].isupper()):
            return None
        if comma and not speaker.pronoun and speaker.role is None:
            # "said Dr Hans Kluge, WHO regional director for Europe.": the role closes the sentence.
            rest = after.partition(",")[2].strip().rstrip(".!?\"'\u201d")
            role = self._role_after(rest) if rest and not self._is_aside(rest) else None
            if role and len(role.split()) <= _MAX_CLOSING_ROLE_WORDS and self._role(role):
                speaker = replace(speaker, role=role)
        return speaker

    def _medium(self, sentence: str) -> str | None:
        if self.rules.media_re is None:
            return None
        for match in self.rules.media_re.finditer(sentence):
            # "told GMTV's Sunday programme": the medium is GMTV.
            medium = re.split(r"['\u2019]s\s", match.group("medium"), maxsplit=1)[0].rstrip(".,;:")
            if match.group("via").lower() in self.rules.weak_media and not self._is_outlet_name(medium):
                continue  # "told John Smith": a person, not a medium
            if medium in self.compiled.weekdays or self._is_month(medium):
                continue  # "wrote on Monday": when, not where
            entry = self._known(medium)
            return entry.canonical if entry is not None and entry.label == "ORG" else medium
        return None

    def _is_media_name(self, name: str) -> bool:
        """A name with a medium's word in it: "Reuters", "Kompas TV", "Sky News"."""
        return any(word.split(".")[0] in self.rules.media_words for word in name.split())

    def _is_outlet_name(self, name: str) -> bool:
        """ "GMTV", "detikOto", "the BBC", "Sky News", "Kompas.com": a name that is an outlet's,
        not "kepada PT Sritex" (to the company) or "told John Smith"."""
        return (
            name.startswith("detik")
            # "GMTV", not "kepada TNI AL" nor "kepada KPK": capitals the gazetteer knows as
            # some other organisation's are no outlet's.
            or (name.split("'")[0].isupper() and name not in self.compiled.aliases)
            or self._is_media_name(name)
            or re.search(r"\.(?:com|co|id|net|org)\b", name, re.I) is not None  # a site: "Kompas.com"
        )
