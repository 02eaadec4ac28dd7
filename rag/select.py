"""Selection: from ranked candidates to the answer's sentences and its short answer.

The best candidate leads; a further one follows when its probability is at least `FOLLOW` of the
best's (up to three) and it states another fact (a near-duplicate adds its passage to the citations of the one
already chosen instead). The short answer is the span of the best sentence that answers a
who/what/which/when/where/how-many question: an entity of an expected label the question does not
name, the one nearest the question's words; a count or amount keeps its unit ("1.85 per litre").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsqa.rag.sentences import Candidate, asks, restates, telling
from newsqa.rag.features import answer_entities, gap, question_word_positions
from newsqa.rag.query import AnalysedQuestion, AnswerKind, counted_noun, is_person_noun
from newsqa.rag.types import ShortAnswer

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

FOLLOW = 0.4  # on the training part: 0.8 quoted 1.5 sentences and held the answer in 0.60 of
# answerable questions, 0.4 quoted 2.7 and held it in 0.71
MAX_CITATIONS = 3
_NUMERIC = {"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}
# a game's result, two numbers joined ("88-85"): after a team's name here, alone as an answer (span.py)
RESULT = r"\d{1,3}\s?[-–]\s?\d{1,3}"
_SCORE = re.compile(r"\s+" + RESULT + "$")
_NAMED_KINDS = {AnswerKind.PERSON, AnswerKind.ORGANIZATION, AnswerKind.PLACE, AnswerKind.WORK,
                AnswerKind.EVENT, AnswerKind.PRODUCT, AnswerKind.GROUP}
_ANY_NAME = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"}


def select(ranked: list[Candidate], max_sentences: int = 3) -> list[Candidate]:
    """The chosen candidates (best first), each with its `citations`."""
    ranked = telling(ranked)
    if not ranked:
        return []
    best = ranked[0].score
    chosen: list[Candidate] = []
    for c in ranked:
        if c.score < FOLLOW * best:
            break
        if asks(c.text):  # a sentence that asks states nothing
            continue
        dup = next((x for x in chosen if same_fact(x, c)), None)
        if dup is not None:
            if c.n not in dup.citations and len(dup.citations) < MAX_CITATIONS:
                dup.citations.append(c.n)
                dup.cited_spans[c.n] = c.span
            continue
        if len(chosen) >= max_sentences:
            break
        c.citations = [c.n]
        chosen.append(c)
    return chosen


def same_fact(a: Candidate, b: Candidate) -> bool:
    """The same sentence, or one so close in meaning that it states the same fact (the same words
    with another year or number state another fact)."""
    if a.n == b.n and a.index == b.index:
        return True
    return a.text == b.text or restates(a, b)


def short_answer(q: AnalysedQuestion, c: Candidate) -> ShortAnswer | None:
    """The span of candidate `c` that answers `q`, with offsets in passage `c.n`'s chunk text."""
    if not q.typed or c.doc is None:
        return None
    doc = c.doc
    # "Mayor Tomas Lind" does not answer a question that names "Lind": the same person
    new = [e for e in answer_entities(q, doc)
           if not (e.label_ == "PERSON" and _surname(e.text) in q.person_words)]
    ents = [e for e in new if e.label_ in q.labels]
    if not ents and q.kind in _NAMED_KINDS:
        # the small pipeline often labels an unfamiliar company a PERSON and the reverse: for a
        # question asking for a named thing, another named entity is the next best span
        ents = [e for e in new if e.label_ in _ANY_NAME]
    if not ents:
        return None
    # prefer the first-listed labels of the kind (a count over a date for "how many")
    order = preference(q)
    anchors = question_word_positions(q, doc)

    def key(e: "Span") -> tuple[int, int, int]:
        dist = min((gap(a, e) for a in anchors), default=0)
        return (order.get(e.label_, 9), dist, e.start)

    return span_answer(c, min(ents, key=key))


def span_answer(c: Candidate, e: "Span", parse: "Doc | None" = None) -> ShortAnswer:
    """Entity `e` of candidate `c` as a short answer: a count or amount keeps its unit ("1.85 per
    litre"), a possessive loses its "'s", a quote or bracket it does not close goes (`_trimmed`);
    offsets in passage `c.n`'s chunk text. `parse`: the sentence's dependency parse (same tokens as
    `c.doc`), which finds a count's unit where the words alone cannot."""
    doc = c.doc
    start, end = e.start_char, e.end_char
    if e.label_ == "PERSON" and len(e) >= 3 and _opens(doc, e.start) and is_person_noun(doc[e.start].text):
        # "Striker Tomasz Wren scored twice": the role word is capitalised only because it opens
        # the sentence, and the NER took it into the name
        start = doc[e.start + 1].idx
    start = _after_dateline(e, start)
    if e.label_ in _NUMERIC:
        end = _with_unit(doc, e, parse if parse is not None and len(parse) == len(doc) else None)
    elif (m := _SCORE.search(e.text)) is not None and m.start() > 0:
        end = start + m.start()  # a result the NER ran into a team's name: "Castleford 5-4"
    else:
        end = _without_trailing_linking_words(e, _before_age(e, end) if e.label_ == "DATE" else end)
    text = doc.text[start:end]
    for tail in ("'s", "’s"):  # "Lindqvist's" names Lindqvist
        if text.endswith(tail) and len(text) > len(tail) + 1:
            end -= len(tail)
    start, end = _trimmed(doc.text, start, end)
    base = c.span[0]
    return ShortAnswer(text=doc.text[start:end], n=c.n, start=base + start, end=base + end)


def _before_age(e: "Span", end: int) -> int:
    """The end of a date before the age the NER ran it into ("April 3 to six-year-old Mira" ->
    "April 3"): a hyphenated "N-year-old" after a date's first words is an age, not the date."""
    for k in range(1, len(e) - 3):
        if e[k + 1].text == "-" and e[k + 2].lower_ in TIME_UNITS and e[k + 3].lower_ == "-":
            while k > 1 and e[k - 1].text in _LINKING:  # "... to six-year-old": the "to" goes too
                k -= 1
            return e[k - 1].idx + len(e[k - 1].text)
    return end


# Units of time (a closed class): the unit of a hyphenated age ("six-year-old", "three-day-old") and
# of how long a span lasts (span.py). Not "night", "weekend" nor "season", which in a sentence's
# dates name points more often than lengths ("last night"); query._TIME_UNITS, which reads what a
# question counts, has them
TIME_UNITS = frozenset("second minute hour day week fortnight month year decade century".split())


def _after_dateline(e: "Span", start: int) -> int:
    """The start of a span after the dateline it ran into ("HARLOW — Kelham Community School"): the
    place in capitals and the dash that open a news story are no part of what follows them."""
    for k in range(1, len(e) - 1):
        if e[k].text in ("—", "–", "-") and all(t.is_upper or t.is_punct for t in e[:k]):
            return e[k + 1].idx
    return start


# prepositions and conjunctions (closed classes): a name never ends with one in lowercase
_LINKING = frozenset("on in at of for to by with from into onto over after before as and or nor but".split())


def _without_trailing_linking_words(e: "Span", end: int) -> int:
    """The end of a name without the lowercase prepositions and conjunctions the NER ran on past
    it ("the Museum of Modern Art on" -> "the Museum of Modern Art"): a name's own small words
    stand inside it ("Bank of Eastland") or are capitalised ("Game On")."""
    k = len(e)
    while k > 1 and e[k - 1].text in _LINKING:
        k -= 1
    return min(end, e[k - 1].idx + len(e[k - 1].text)) if k < len(e) else end


_OPENING = {"\"": "\"", "“": "”", "‘": "’", "'": "'", "«": "»", "(": ")", "[": "]"}
_CLOSING = {v: k for k, v in _OPENING.items()}
_DANGLING = "-–—,;:/"


def _opens(doc, i: int) -> bool:
    """Token i is the sentence's first word (after any opening quote or bracket)."""
    return all(t.is_punct or t.is_space for t in doc[:i])


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """`text[start:end]` without a quote or bracket at either edge that the span does not close or
    open (NER takes in an opening quote of a title: '"The Long Road' -> 'The Long Road') and without
    a dangling dash or comma at its end; the span itself when nothing would be left."""
    s, e = start, end
    # an unclosed opening quote inside: a title starts after it ('Rivers’ “Long Road'); a straight
    # quote inside may as well close a title ('Long Road" fans'), so only the curly one counts
    k = text.rfind("“", s + 1, e - 1)
    if k > s and "”" not in text[k + 1:e]:
        s = k + 1
    while e - s > 1:
        head, tail = text[s], text[e - 1]
        if head in _OPENING and tail == _OPENING[head] and e - s > 2 and head not in text[s + 1:e - 1]:
            s, e = s + 1, e - 1  # quoted whole: '“Long Road”' -> 'Long Road'
        elif head in _OPENING and _OPENING[head] not in text[s + 1:e]:
            s += 1
        elif tail in _CLOSING and _CLOSING[tail] not in text[s:e - 1]:
            e -= 1  # (a plural possessive's "’" goes too: "the players’" names the players)
        elif tail in _DANGLING or tail.isspace():
            e -= 1
        elif head.isspace():
            s += 1
        else:
            break
    return (s, e) if text[s:e].strip() else (start, end)


def _surname(name: str) -> str:
    words = re.findall(r"[^\W_]+", name.lower())
    return words[-1] if words else ""


def preference(q: AnalysedQuestion) -> dict[str, int]:
    """The question's labels in the order they usually answer its kind (a count before a date for
    "how many"); a kind without an order gives each of its labels the same place."""
    prefs = {
        AnswerKind.PERSON: ["PERSON", "ORG", "NORP", "GPE"],
        AnswerKind.NUMBER: ["CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE"],
        AnswerKind.MONEY: ["MONEY", "QUANTITY", "CARDINAL"],
        AnswerKind.PERCENT: ["PERCENT", "CARDINAL"],
        AnswerKind.PLACE: ["GPE", "LOC", "FAC"],
    }.get(q.kind)
    return {lab: i for i, lab in enumerate(x for x in prefs if x in q.labels)} if prefs else {
        lab: 0 for lab in q.labels}


def _with_unit(doc, e: "Span", parse: "Doc | None" = None) -> int:
    """The end of a number with the unit that follows it: "1.85 per litre", "40 cargo ships".
    With the parse, a count's unit is the noun it modifies and that noun's modifiers in between
    ("About 4,000 people crossed it": "About 4,000 people", not "... people crossed"); without it
    (the ranked sentences carry NER only, analyse.py) up to two following words that are neither
    function words nor punctuation."""
    i = e.end
    if i + 1 < len(doc) and doc[i].lower_ == "per" and doc[i + 1].is_alpha:
        return doc[i + 1].idx + len(doc[i + 1].text)
    if e.label_ != "CARDINAL":
        return e.end_char
    if parse is not None:
        # the noun the number counts, just after it, with nothing between but its own modifiers,
        # whatever the small parser calls the relation ("nummod", and "amod" or "compound" for a
        # spelled-out one)
        unit = counted_noun(parse[e.end - 1])
        if (unit is not None and e.end <= unit.i < e.end + 3
                and all(t.head.i == unit.i for t in parse[e.end:unit.i])):
            return unit.idx + len(unit.text)
        return e.end_char
    end = e.end_char
    while i < len(doc) and i < e.end + 2 and doc[i].is_alpha and not doc[i].is_stop and doc[i].ent_type_ == "":
        end = doc[i].idx + len(doc[i].text)
        i += 1
    return end
