"""The short answer to a statement question ("What did the mayor say about the bridge?", "How did
she describe the talks?"): what the quoted sentence reports, read from its dependency parse.

A span of one entity does not answer these, so they had no short answer. The reported content is
the reporting verb's clausal complement ("..., the mayor said" and "the mayor said that ..." alike),
the "as" of a description ("described the talks as constructive"), the complement of "call"
("called it a dangerous step"), the infinitive of an appeal ("urged all sides to stop"), or, for
"confirm"/"announce"-like questions, its object. A question that asks how something was described
gets what it was said to be ("said the talks were constructive": "constructive"). Among the lead
sentences' reported contents (`_rank`): a description first for such a question, then the
question's speaker's own statement (named as the reporting verb's subject, or "she" right after a
sentence whose subject names the speaker), and, for a question that names its speaker, never a
statement someone else is named as making; then the sentences' order. Content that says nothing
the question does not (only its own words) is no answer. The reporting verbs are the closed class
constraints.py holds, in any inflection (the parse has lemmas, span.py).

The same reading of who says what serves the answer itself (speaker_statement): a question that
names its speaker is answered first by the speaker's own statement (speaker_first), followed by
the speaker's quotation right after it (speaker_continued), and refusal.speaker_answers answers it
when that statement is about what the question asks (asked_about). `SpeakerReading` holds that
reading for one question: made once, passed to each of them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple, Sequence

from newsqa.rag.constraints import SPEECH_VERBS
from newsqa.rag.types import ShortAnswer

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from newsqa.rag.query import AnalysedQuestion
    from newsqa.rag.roles import Titled
    from newsqa.rag.sentences import Candidate
    from newsqa.rag.types import Passage

MAX_WORDS = 30  # longer reported content is a paraphrase of the sentence, not a short answer
# "How did X describe Y?": the answer is what Y was said to be, the complement of a copula inside
# the reported clause ("... said the talks were constructive" -> "constructive")
_DESCRIBING = {"describe", "call", "characterize", "characterise", "label", "term", "dub"}
_BE = {"be", "is", "was", "are", "were", "been", "being", "'s", "’s"}
_PERSONAL = {"he", "she"}  # a speaker named in the sentence before, as the reporting verb's subject
# the dependents that carry what was said, in the order they are tried
_CONTENT_DEPS = ("ccomp", "xcomp", "oprd")
_LEADING_MARKS = {"that", "whether", "if", "to"}
_EDGE = " \t\n,;:.\"'“”‘’()[]—–-"


def _within_edges(text: str, a: int, b: int, lead: str, tail: str) -> tuple[int, int]:
    """`text[a:b]` without the characters of `lead` at its start and of `tail` at its end."""
    while a < b and text[a] in lead:
        a += 1
    while b > a and text[b - 1] in tail:
        b -= 1
    return a, b


def _content(verb: "Token", named: frozenset[str]) -> tuple[int, int, bool] | None:
    """Token range [start, end) of what `verb` reports, and whether it is a description (the
    complement of "call", the "as" of "describe ... as"); None without one. An object that names
    what the question names is whom the statement is about ("praised Ada Quist for ..."), not what
    was said."""
    kids = list(verb.children)
    for dep in _CONTENT_DEPS:
        for k in kids:
            if k.dep_ == dep:
                return (*_subtree_range(k), dep == "oprd")
    for k in kids:  # "described the talks as constructive"
        if k.dep_ == "prep" and k.lower_ == "as":
            obj = next((g for g in k.children if g.dep_ in ("pobj", "acomp", "amod")), None)
            if obj is not None:
                return (*_subtree_range(obj), True)
    # "confirmed the offer", not "told him", "said it" or "warned Washington": a name as the
    # object is whom it was said to or of, not what was said
    for k in kids:
        if k.dep_ == "dobj" and k.pos_ not in ("PRON", "PROPN") and not named & {t.lower_ for t in k.subtree}:
            return (*_subtree_range(k), False)
    return None


def _described(parse: "Doc", start: int, end: int) -> tuple[int, int] | None:
    """Within the reported tokens [start, end), the first complement of a form of "be" (what
    something was said to be), or None."""
    for t in parse[start:end]:
        if t.dep_ in ("attr", "acomp") and t.head.lower_ in _BE:
            a, b = _subtree_range(t)
            if start <= a and b <= end:
                return a, b
    return None


def _subtree_range(tok: "Token") -> tuple[int, int]:
    toks = list(tok.subtree)
    return toks[0].i, toks[-1].i + 1


def _subjects(verb: "Token") -> list["Token"]:
    """The reporting verb's subjects; a participle or infinitive without one has its clause's
    ("Peskov praised Trump, saying ...": Peskov is the one saying)."""
    own = [k for k in verb.children if k.dep_ in ("nsubj", "nsubjpass")]
    if not own and verb.dep_ in ("advcl", "xcomp", "conj"):
        return [k for k in verb.head.children if k.dep_ in ("nsubj", "nsubjpass")]
    return own


def _speaker_is_subject(verb: "Token", speaker: frozenset[str], pronoun_is_speaker: bool,
                        role: str = "", titled: Sequence["Titled"] = ()) -> bool:
    """The speaker is the verb's subject: by name, as "he"/"she" (`pronoun_is_speaker`), or by
    `role` ("said the town's mayor, ..."), given only when the passage names the speaker, or by a
    role the passage titles the speaker with (`titled`: "the Russian president")."""
    from newsqa.rag.roles import names_by_role

    return bool(speaker) and any(speaker & {t.lower_ for t in s.subtree}
                                 or (pronoun_is_speaker and s.lower_ in _PERSONAL)
                                 or (bool(role) and any(t.lemma_.lower() == role for t in s.subtree))
                                 or (bool(titled) and names_by_role(s, speaker, titled))
                                 for s in _subjects(verb))


def _other_is_subject(verb: "Token", speaker: frozenset[str]) -> bool:
    """Someone the question does not ask about, by name, is the subject."""
    return bool(speaker) and any(any(t.pos_ == "PROPN" for t in s.subtree)
                                 and not speaker & {t.lower_ for t in s.subtree} for s in _subjects(verb))


_QUOTE_MARK = re.compile(r"[“”\"]")


class Reading(NamedTuple):
    """A sentence as `speaker_statement` reads it (read_in_passage)."""

    sentence: str
    prev: str  # the sentence before it in its passage ("" at an edge)
    nxt: str  # the sentence after it
    quoted: bool  # it is quoted speech
    names_speaker: bool = False  # its passage (with its title) names the question's speaker
    before_prev: str = ""  # the sentence before `prev`, which tells whom a "She said:" there means
    # a quotation of several sentences is attributed once, before or after it ('"A. B. C," he
    # said'): for a sentence of one still open at its end, the sentence that closes it (when after
    # it), the one that opens it (when before `prev`), and the one before the opening, whom a "he"
    # of the attribution means
    closing: str = ""
    opening: str = ""
    before_opening: str = ""
    titled: tuple["Titled", ...] = ()  # the passage's names titled by a role, when it names the speaker


def read_in_passage(sentence: str, text: str, start: int,
                    q: "AnalysedQuestion | None" = None, title: str = "") -> Reading:
    """A sentence as `speaker_statement` reads it: itself, the sentences around it in its passage
    `text` (where it starts at `start`) and around the quotation it is part of, whether it is
    quoted speech (it holds a quotation mark, or a quotation opened before it is still open),
    whether the passage (with its `title`) names `q`'s speaker, so that a statement by the
    speaker's role is theirs, and then the passage's names titled by a role ("Russian President
    X"), so that "the Russian president" is X."""
    from newsqa.index.text import sentence_spans
    from newsqa.rag.features import inside_quotation, open_quotation, words_of

    spans = sentence_spans(text)

    def holding(offset: int) -> int | None:
        return next((k for k, (a, b) in enumerate(spans) if a <= offset < b), None)

    def sentence_at(k: int | None) -> str:
        return text[slice(*spans[k])] if k is not None and 0 <= k < len(spans) else ""

    prev = nxt = before_prev = closing = opening = before_opening = ""
    at = holding(start)
    if at is not None:
        prev, nxt, before_prev = sentence_at(at - 1), sentence_at(at + 1), sentence_at(at - 2)
        marks = open_quotation(text, start + len(sentence.rstrip()))
        if marks is not None:
            k_open = holding(marks[0])
            k_close = holding(marks[1]) if marks[1] >= 0 else None
            if k_open is not None:
                before_opening = sentence_at(k_open - 1)
                opening = sentence_at(k_open) if k_open < at - 1 else ""
            closing = sentence_at(k_close) if k_close is not None and k_close > at else ""
    names = q is not None and bool(q.speaker) and q.speaker <= words_of(f"{title}\n{text}")
    titled = _titled_in(title, text) if names else ()
    quoted = bool(_QUOTE_MARK.search(sentence)) or inside_quotation(text, start)
    return Reading(sentence, prev, nxt, quoted, names, before_prev, closing, opening, before_opening, titled)


@lru_cache(maxsize=256)
def _titled_in(title: str, text: str) -> tuple["Titled", ...]:
    """The names a passage (with its title) titles by a role (roles.titled_names), read once per
    passage: each of its sentences a question reads asks for the same."""
    from newsqa.index.text import sentence_spans
    from newsqa.rag.roles import titled_names
    from newsqa.rag.span import parse_sentences

    return tuple(titled_names(parse_sentences([t for t in (title, *(text[a:b] for a, b in sentence_spans(text)))
                                               if t])))


class SpeakerReading:
    """One statement question's reading of who says what in its passages, made once per question
    (the ranked backend makes it for each part) and read by the answer's order (speaker_first,
    speaker_continued), its short answer (statement_short_answer) and the refusal
    (refusal.speaker_answers): each sentence is read in its passage once (read_in_passage), and
    whether it is the speaker's own statement (speaker_statement) is decided once."""

    def __init__(self, q: "AnalysedQuestion", passages: Sequence["Passage"]) -> None:
        self.q = q
        self.passages = {p.n: p for p in passages}
        self._read: dict[tuple[int, int, str], Reading] = {}
        self._own: dict[tuple[int, int, str], bool] = {}

    def read(self, n: int, text: str, start: int) -> Reading | None:
        """The sentence `text`, at offset `start` of passage `n`, as read_in_passage reads it; None
        when no passage `n` is read."""
        p = self.passages.get(n)
        if p is None:
            return None
        key = (n, start, text)
        if key not in self._read:
            self._read[key] = read_in_passage(text, p.chunk.text, start, self.q, p.chunk.title or "")
        return self._read[key]

    def is_speakers(self, n: int, text: str, start: int) -> bool:
        """The sentence is the question's named speaker's own statement (speaker_statement)."""
        key = (n, start, text)
        if key not in self._own:
            read = self.read(n, text, start)
            self._own[key] = read is not None and speaker_statement(self.q, [read]) is not None
        return self._own[key]


def speaker_first(reading: SpeakerReading, chosen: list["Candidate"], ranked: Sequence["Candidate"],
                  most: int) -> list["Candidate"]:
    """For a question that asks only what its named speaker said ("What did Ada Quist say?",
    nothing asked about: asked_about), `chosen` led by the speaker's own statement when the first
    chosen sentence is not hers (nor a quotation that names no one as making it): she is
    answered first by what she said, not by a sentence that names her while quoting someone
    else. The lead is the best ranked of her statements (speaker_statement); it moves to the front
    when chosen, or takes the last chosen one's place when not. Otherwise `chosen` as it is: what
    a question asks about weighs in the ranking, and the best ranked sentence on it is often a
    quotation attributed a sentence or two away."""
    q = reading.q
    if not q.speaker or not chosen or asked_about(q):
        return chosen
    first = chosen[0]
    read = reading.read(first.n, first.text, first.span[0])
    if read is not None:
        own = own_statement(q, read.sentence, read.prev, read.names_speaker)
        if (own is None and read.quoted) or (own is not None and own.by_speaker):
            return chosen  # the speaker's statement, or a quotation nobody is named as making in it
    for c in ranked:
        if reading.is_speakers(c.n, c.text, c.span[0]):
            if c is first:
                return chosen
            if c not in chosen:
                c.citations = c.citations or [c.n]
            return [c, *(x for x in chosen if x is not c)][:most]
    return chosen


def speaker_continued(reading: SpeakerReading, chosen: list["Candidate"], most: int) -> list["Candidate"]:
    """`chosen` with the sentence after its first one in its passage put right after it, when
    the first is the question's named speaker's statement and the next one is hers too and not
    chosen (at most `most` sentences): a speaker is reported, then quoted ("Ada Quist said she
    backed the plan. "It is a promise we can keep," she said."), and what the question asks about
    is often in the quotation."""
    from newsqa.rag.evidence import evidence_spans
    from newsqa.rag.sentences import Candidate

    if not reading.q.speaker or not chosen:
        return chosen
    first = chosen[0]
    p = reading.passages.get(first.n)
    if p is None or first.index < 0:
        return chosen
    text = p.chunk.text
    spans = evidence_spans(text)
    k = first.index + 1
    if k >= len(spans) or any(c.n == first.n and c.index == k for c in chosen):
        return chosen
    a, b = spans[k]
    nxt = text[a:b]
    if not reading.is_speakers(first.n, first.text, first.span[0]) or not reading.is_speakers(first.n, nxt, a):
        return chosen
    follow = Candidate(n=first.n, rank=first.rank, span=(a, b), text=nxt, index=k, citations=[first.n])
    return [first, follow, *chosen[1:]][:max(most, 2)]


def _speaker_before(q: "AnalysedQuestion", prev: str, titled: Sequence["Titled"] = ()) -> bool:
    """The sentence before names the question's speaker as one who acts in it, in a verb's
    subject and not as a possessor there ("Putin's spokesman, Dmitry Peskov, said ..." is Peskov
    acting), or as a subject by a role the passage titles them with (`titled`: "The Russian
    president stressed ..."), so that "He said ..." after it is the speaker's."""
    from newsqa.rag.features import words_of
    from newsqa.rag.roles import names_by_role
    from newsqa.rag.span import parse_sentences

    if not prev or not q.speaker:
        return False
    if not q.speaker & words_of(prev):
        return bool(titled) and any(t.dep_ in ("nsubj", "nsubjpass") and names_by_role(t, q.speaker, titled)
                                    for t in parse_sentences([prev])[0])
    for t in parse_sentences([prev])[0]:
        if t.lower_ not in q.speaker or t.pos_ != "PROPN":
            continue
        x = t
        while x.head.i != x.i and x.dep_ != "poss":
            if x.dep_ in ("nsubj", "nsubjpass"):
                return True
            x = x.head
    return False


def _names_subject(parse: "Doc") -> bool:
    """A proper noun is the subject, or in the subject, of a verb of the sentence: someone named
    acts in it ("In an aside, President Lind offered ..."), whom a "he" after it refers to."""
    return any(t.pos_ == "PROPN" and any(a.dep_ in ("nsubj", "nsubjpass") for a in (t, *t.ancestors))
               for t in parse)


class Reported(NamedTuple):
    start: int  # character offsets in the sentence
    end: int
    by_speaker: bool  # the question's speaker is the reporting verb's subject
    describes: bool  # a description, for a question that asks how something was described
    by_other: bool  # someone else, named, is the subject ("Putin disclosed ..." when Trump was asked about)


def _rank(r: Reported) -> tuple[bool, bool, bool]:
    """Order of preference, lowest first: a description (for a question about one), the speaker's
    own statement, then one nobody else is named as making ("I said ..." inside a quotation)."""
    return not r.describes, not r.by_speaker, r.by_other


def reported_span(parse: "Doc", q: "AnalysedQuestion", pronoun_is_speaker: bool = False,
                  pronoun_is_other: bool = False, role_is_speaker: bool = False,
                  titled: Sequence["Titled"] = ()) -> Reported | None:
    """What the sentence `parse` reports (for a question that asks how something was described, a
    description first; then the question's speaker's statement first); None when it reports
    nothing beyond the question's own words; of equals, the one reported with the question's own
    verb ("called on all parties to ..." for "What did she call on them to do?" in a sentence that
    also "reiterated" something). `pronoun_is_speaker`: the sentence before named the speaker, so
    "She said ..." is the speaker's statement; `pronoun_is_other`: it named someone else and not
    the speaker, so "She said ..." is theirs; `role_is_speaker`: the passage names the speaker, so
    a subject with the speaker's role (`q.speaker_role`) is the speaker, as is one with a role the
    passage titles the speaker with (`titled`)."""
    best: Reported | None = None
    best_key: tuple[bool, ...] = ()
    asked_with = {t.lemma_.lower() for t in q.doc if t.pos_ in ("VERB", "AUX")}
    # "call on X to do", "call for X" ask for an appeal, not for what something was called
    describing = any(t.lemma_.lower() in _DESCRIBING and t.pos_ == "VERB"
                     and not any(c.dep_ == "prep" and c.lower_ in ("on", "for", "upon") for c in t.children)
                     for t in q.doc)
    for verb in parse:
        # any inflection: the parse has lemmas ("urging", "reiterating")
        if verb.pos_ not in ("VERB", "AUX") or not {verb.lower_, verb.lemma_.lower()} & SPEECH_VERBS:
            continue
        rng = _content(verb, q.named_tokens)
        if rng is None:
            continue
        start, end, describes = rng
        if describing:
            inner = _described(parse, start, end)
            if inner is not None:
                (start, end), describes = inner, True
        describes = describing and describes
        while start < end and (parse[start].lower_ in _LEADING_MARKS or parse[start].is_punct):
            start += 1
        words = [t for t in parse[start:end] if not t.is_punct]
        if not words or len(words) > MAX_WORDS:
            continue
        # "we will not give in" says something in stop words alone; "so" or "it" alone does not
        new = {t.lower_ for t in words if t.is_alpha} - q.content - q.named_tokens
        if not new or (len(words) < 2 and all(parse.vocab[w].is_stop for w in new)):
            continue
        a = parse[start].idx
        b = parse[end - 1].idx + len(parse[end - 1].text)
        text = parse.text
        a, b = _within_edges(text, a, b, _EDGE, _EDGE)
        if a >= b:
            continue
        by_speaker = _speaker_is_subject(verb, q.speaker, pronoun_is_speaker,
                                         q.speaker_role if role_is_speaker else "", titled)
        # ("the town's mayor, Ada Quist": by role, a name the question does not give is the speaker's)
        by_other = not by_speaker and (_other_is_subject(verb, q.speaker) or (
            pronoun_is_other and any(x.lower_ in _PERSONAL for x in _subjects(verb))))
        got = Reported(a, b, by_speaker, describes, by_other)
        key = (*_rank(got), verb.lemma_.lower() not in asked_with)
        if best is None or key < best_key:
            best, best_key = got, key
    return best


def statement_short_answer(q: "AnalysedQuestion", quoted: Sequence["Candidate"],
                           passages: Sequence["Passage"] = (),
                           reading: SpeakerReading | None = None) -> ShortAnswer | None:
    """What the first of the quoted sentences that reports something says (a description first
    for a question about one, then the question's speaker's own statement), as a short answer with
    offsets in its passage; without one, the words of the first quoted sentence when it is a
    quotation's sentence with no reporting verb of its own (_quoted_words); else None.
    "He said ..." is the speaker's when the sentence before it names them: with `passages`, the
    sentence before it in its passage, else the quoted sentence before it. For a question that
    names its speaker, a statement someone else is named as making is none ("What did Ada Quist
    say?" is not answered by another person's words), and with `passages`, "He said ..." after a
    sentence whose subject names someone else is theirs.
    `reading`: the question's reading of its passages, when the caller has made one."""
    from newsqa.rag.span import parse_sentences

    live = [c for c in quoted if c.text.strip()]
    if not live:
        return None
    reading = reading or SpeakerReading(q, passages)
    found: list[tuple[Reported, int, "Candidate"]] = []
    for place, (c, parse) in enumerate(zip(live, parse_sentences([c.text for c in live]))):
        other_before = role = False
        titled: tuple = ()
        read = reading.read(c.n, c.text, c.span[0])
        if read is not None:
            prev, role, titled = read.prev, read.names_speaker, read.titled
            named_before = _speaker_before(q, prev, titled)
            other_before = bool(q.speaker) and not named_before and bool(prev) and _names_subject(
                parse_sentences([prev])[0])
        else:
            named_before = place > 0 and _speaker_before(q, live[place - 1].text)
        got = reported_span(parse, q, named_before, other_before, role, titled)
        if got is not None and not (q.speaker and got.by_other):
            found.append((got, place, c))
    if not found:
        return _quoted_words(live[0], reading)
    got, _, c = min(found, key=lambda f: (*_rank(f[0]), f[1]))
    return ShortAnswer(text=c.text[got.start:got.end], n=c.n, start=c.span[0] + got.start,
                       end=c.span[0] + got.end)


_QUOTE_EDGES = "\"“”‘’'«» "  # quotation marks (and spaces) at a quoted sentence's edges


def _quoted_words(c: "Candidate", reading: SpeakerReading) -> ShortAnswer | None:
    """A sentence of a quotation with no reporting verb of its own ('"Together we can build one
    network."' after the speaker's attributed sentence, or the second sentence of 'She said: "...
    . The priority is ..."'): its words are the statement, when they are the question's speaker's
    (speaker_statement reads the sentences around it) or the question names none."""
    read = reading.read(c.n, c.text, c.span[0])
    if read is None or not read.quoted:
        return None
    if reading.q.speaker and not reading.is_speakers(c.n, c.text, c.span[0]):
        return None
    start, end = _within_edges(c.text, 0, len(c.text.rstrip()), _QUOTE_EDGES, _QUOTE_EDGES + ".,")
    if end <= start:
        return None
    return ShortAnswer(text=c.text[start:end], n=c.n, start=c.span[0] + start, end=c.span[0] + end)


def own_statement(q: "AnalysedQuestion", text: str, prev: str, role: bool,
                  titled: Sequence["Titled"] = ()) -> Reported | None:
    """What `text` reports (reported_span), its "he"/"she" read against the sentence before it,
    `prev`, and a subject with the speaker's role the speaker's when `role` (its passage names the
    speaker) or with a role the passage titles them with (`titled`); None for no text."""
    from newsqa.rag.span import parse_sentences

    if not text:
        return None
    return reported_span(parse_sentences([text])[0], q, _speaker_before(q, prev, titled), role_is_speaker=role,
                         titled=titled)


def speaker_statement(q: "AnalysedQuestion", sentences: Sequence[tuple]) -> int | None:
    """The place of the first of `sentences` that is the question's named speaker's statement;
    None when the question names no speaker or none is. Each is a `Reading` (read_in_passage), or
    its first fields: the sentence, the ones before and after it in its passage ("" at an edge),
    whether it is quoted speech[, whether its passage names the speaker[, ...]]. It is the
    speaker's when the speaker is the subject of a reporting verb in it that reports something
    beyond the question's words, by name, as "he"/"she" when the sentence before names them, or by
    the speaker's role ("the mayor" for "the mayor of Santo Brizal", "the Russian president" in a
    passage that titles the speaker so) in a passage that names the speaker; or, for quoted speech
    that names no one else as saying it, when the sentence before or after it, or the sentence
    that opens or closes its quotation, is the speaker's (a quotation of several sentences is
    attributed once: '"... . ... . ...," said Ada Quist')."""
    if not q.speaker:
        return None
    for place, fields in enumerate(sentences):
        read = Reading(*fields)
        own = own_statement(q, read.sentence, read.prev, read.names_speaker, read.titled)
        if own is not None and own.by_speaker:
            return place
        if not read.quoted or (own is not None and own.by_other):
            continue
        # each attribution's "he"/"she" read against the sentence before it ('She said: "... .
        # <sentence>"'), and a whole quotation's against the sentence before the quotation
        for near, near_prev in ((read.nxt, read.sentence), (read.prev, read.before_prev),
                                (read.closing, read.before_opening), (read.opening, read.before_opening)):
            got = own_statement(q, near, near_prev, read.names_speaker, read.titled)
            if got is not None and got.by_speaker:
                return place
    return None


def asked_about(q: "AnalysedQuestion") -> list[str]:
    """The index stems of what a statement question asks about: its content words outside the
    reporting verb and its subject ("the new pier" in "What did the harbour master, Ines Vidal,
    say about the new pier?": the harbour master is who said it, not what it is about), and outside a
    follow-up's carried names (chat.split_carried)."""
    from newsqa.index.lexical import tokenize
    from newsqa.rag.chat import split_carried
    from newsqa.rag.query import reporting_verbs

    own, _ = split_carried(q.text)
    verbs = set(reporting_verbs(q))
    frame: set[int] = set()
    for t in q.doc:
        if t.text in verbs:
            frame.add(t.i)
            for c in t.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    frame.update(x.i for x in c.subtree)
    words = [t.text for t in q.doc if t.i not in frame and t.idx < len(own)]
    return list(dict.fromkeys(tokenize(" ".join(words))))
