"""The calendar day a date in an article names, read against the day the article was published.

A short answer quotes the article: "Thursday", "June 12", "yesterday". Read months later those say
little, so the answer carries the day they name (`ShortAnswer.day`), shown beside the quote:
- a weekday is the latest such day on or before publication ("said on Thursday" in a report of
  Saturday 21 June 2025 is 19 June), or for a verb in the future or the present ("will meet on
  Thursday", "the trial opens on Monday") the next one on or after it; "last Thursday" is never
  the publication day itself;
- "yesterday", "last night", "today", "tonight", "tomorrow" count from the publication day;
- a day and month without a year ("June 12", "12th of June") take the year in which the weekday
  written before them falls on that date ("Monday, July 14"), else the year that puts them
  nearest the publication day on the side the sentence's tense says (before it for a past verb,
  after it for a future one, either side for a present one or none: "the vote on June 12");
- a date with its year is that date.
Anything else (a month alone, "last week", a year, a span of time) names no single day: None.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Sequence

from newsqa.rag.timeframe import DAY_PATTERN, MONTH_PATTERN, MONTHS, WEEKDAYS, YEAR_PATTERN, weekday_before

if TYPE_CHECKING:
    from spacy.tokens import Span

    from newsqa.rag.types import Passage, ShortAnswer

_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_WEEKDAY = re.compile(r"(?:on\s+)?(?P<last>last\s+|this\s+|next\s+)?(?P<wd>" + "|".join(WEEKDAYS) + r")"
                      + _PART_OF_DAY, re.I)
_RELATIVE = {"yesterday": -1, "last night": -1, "today": 0, "tonight": 0, "this morning": 0,
             "this afternoon": 0, "this evening": 0, "tomorrow": 1}
_RELATIVE_DAY = re.compile(r"(?P<word>" + "|".join(_RELATIVE) + ")" + _PART_OF_DAY, re.I)
# a weekday may open a written-out date ("Thursday, June 12"): it tells the year a date without one
# is in
_WEEKDAY_PREFIX = r"(?:(?P<wd>" + "|".join(WEEKDAYS) + r"),?\s+)?"
_DAY_MONTH = [
    re.compile(r"(?:on\s+)?" + _WEEKDAY_PREFIX + r"(?:the\s+)?" + DAY_PATTERN + r"\s+(?:of\s+)?" + MONTH_PATTERN
               + r"(?:,?\s+" + YEAR_PATTERN + r")?", re.I),
    re.compile(r"(?:on\s+)?" + _WEEKDAY_PREFIX + MONTH_PATTERN + r"\s+" + DAY_PATTERN
               + r"(?:,?\s+" + YEAR_PATTERN + r")?", re.I),
]
# auxiliaries that put a verb in the future ("will meet", "'ll meet", "is due to meet" is not one:
# its "is" is present); a question's (span.asks_ahead) as a sentence's
FUTURE_AUX = frozenset({"will", "'ll", "’ll", "shall", "wo"})


def calendar_day(text: str, published: date, tense: str = "past") -> date | None:
    """The day `text` (a date as an article writes it) names, read against `published` and the
    `tense` of the verb it hangs on (`tense_of`). None when it names no single day."""
    t = " ".join(text.split()).strip(" ,.")
    m = _RELATIVE_DAY.fullmatch(t)
    if m:
        return published + timedelta(days=_RELATIVE[" ".join(m.group("word").lower().split())])
    m = _WEEKDAY.fullmatch(t)
    if m:
        return _weekday(WEEKDAYS[m.group("wd").lower()], (m.group("last") or "").strip().lower(),
                        published, tense)
    for pattern in _DAY_MONTH:
        m = pattern.fullmatch(t)
        if m:
            wd = m.group("wd")
            return _day_month(int(m.group("day")), MONTHS[m.group("month").lower()], m.group("year"),
                              published, tense, WEEKDAYS[wd.lower()] if wd else None)
    return None


def _weekday(wd: int, which: str, published: date, tense: str) -> date:
    # news writes a coming day in the present as often as in the future ("the trial opens on
    # Monday"), and a day without a verb is one reported on: a past one
    if which == "next" or (tense in ("future", "present") and which != "last"):
        ahead = (wd - published.weekday()) % 7
        return published + timedelta(days=ahead or (7 if which == "next" else 0))
    return weekday_before(wd, published, which == "last")


def _day_month(day: int, month: int, year: str | None, published: date, tense: str,
               weekday: int | None = None) -> date | None:
    try:
        if year:
            return date(int(year), month, day)
        options = [date(published.year + k, month, day) for k in (-1, 0, 1)]
    except ValueError:  # 30 February, or 29 February outside a leap year
        return None
    # "Monday, July 14": the year in which 14 July is a Monday, when one of the three is
    if weekday is not None:
        options = [d for d in options if d.weekday() == weekday] or options
    # the nearest on the tense's side of the publication day; a sentence's tense is not always
    # right about a date a few days off ("the vote on June 12" in a report of 14 June), so within
    # a week either side counts as near
    week = timedelta(days=7)
    side = [d for d in options if (d >= published - week if tense == "future" else
                                   d <= published + week if tense == "past" else True)]
    return min(side or options, key=lambda d: abs((d - published).days))


def tense_of(span: "Span") -> str:
    """The tense of the verb the date hangs on (climbing from the date through its preposition to
    the first verb): "future" ("will meet on Thursday", "the vote will be held on June 12"), "past"
    ("met on Thursday"), "present" ("opens on Thursday"), or "" without a verb ("the vote on June
    12")."""
    tok = span.root
    for _ in range(4):
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
            if any(c.lower_ in FUTURE_AUX for c in aux):
                return "future"
            if tok.tag_ in ("VBD", "VBN") or any(c.tag_ == "VBD" for c in aux):
                return "past"
            return "present"
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return ""


_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+")


def with_day(sa: "ShortAnswer", passages: Sequence["Passage"]) -> "ShortAnswer":
    """The short answer with the day it names (`calendar_day`, read against its passage's
    publication day and the tense of its sentence), or as it is when it names none or its article
    is undated."""
    p = next((x for x in passages if x.n == sa.n), None)
    published = p.published_day() if p is not None else None
    if published is None or calendar_day(sa.text, published) is None:
        return sa
    text = p.chunk.text
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, sa.start)), default=0)
    after = _SENTENCE_END.search(text, sa.end)
    sentence = text[start:after.start() + 1 if after else len(text)]
    return replace(sa, day=calendar_day(sa.text, published, _tense_in(sentence, sa.start - start,
                                                                       sa.end - start)))


def _tense_in(sentence: str, a: int, b: int) -> str:
    from newsqa.rag.span import parse_sentences

    doc = parse_sentences([sentence])[0]
    span = doc.char_span(a, b, alignment_mode="expand")
    return tense_of(span) if span is not None else ""
