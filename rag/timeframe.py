"""Relative time in a question, read against the day it is asked on: "this week" -> a date window.

`read_time(question, as_of)` returns a `TimeReading` (the `TimeWindow` the answer reports, and
whether the window is relative to the as-of day) or None when the question has no time words.

Definitions (all windows inclusive, none reaching past the as-of day):
- a day ("today", "yesterday", "on Monday": the latest such weekday on or before the as-of day);
- a week is the seven days ending on the as-of day: "this week" / "the past week" is
  as_of-6 .. as_of and "last week" the seven days before that. A rolling week, not a calendar
  one, because news questions say "this week" of the last seven days whatever weekday they are
  asked on (on a Monday, "this week" still means the past few days' stories, not one day);
- a month or year is the calendar one: "this month" is the 1st .. as_of, "last month" the whole
  previous month, "this year" 1 January .. as_of, "last year" the previous calendar year;
- a month named alone ("in June") is the latest June that has begun by the as-of day;
- "latest", "most recent", "recently", "now", "currently", "so far", "to date" prefer the newest
  articles up to the as-of day (`recency`) without a fixed start.
Years and dates written out ("in 2021", "on 13 May 2024", "June 2023") name when the event was,
not when it was reported: their window is read (`relative=False`) but articles from later dates
can still report on it, so they do not bound publication the way relative phrases do.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from newsqa.rag.types import TimeWindow

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

MONTH_PATTERN = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")(?![a-z])\.?"
YEAR_PATTERN = r"(?P<year>(?:19|20)\d\d)"
DAY_PATTERN = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"


@dataclass(frozen=True, slots=True)
class TimeReading:
    """What the question's time words mean. `relative`: read against the as-of day ("this week",
    "latest"), so it bounds which articles may answer; False for a written-out year or date."""

    window: TimeWindow
    relative: bool = True
    # the question with its relative time words taken out: they are read into the window, and left
    # in they would make "this week" itself a word to match in the articles
    rest: str = ""


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _clip(start: date | None, end: date, as_of: date) -> tuple[date | None, date]:
    return start, min(end, as_of)


# Each rule: a pattern and a function of (match, as_of) -> (start, end, recency) or None.
# Ordered from the most specific; the first phrase that reads as a window wins, and a recency
# word anywhere else in the question adds the recency preference to it.

def _rel_day(offset: int):
    def f(m: re.Match, as_of: date):
        d = as_of - timedelta(days=offset)
        return d, as_of if offset else d, False
    return f


def _week(weeks_back: int):
    def f(m: re.Match, as_of: date):
        end = as_of - timedelta(days=7 * weeks_back)
        return end - timedelta(days=6), end, False
    return f


def _days(m: re.Match, as_of: date):
    n = _number(m.group("n"))
    if n is None or n < 1:
        return None
    unit = m.group("unit")
    span = {"day": 1, "week": 7, "month": 30, "year": 365}[unit.rstrip("s")] * n
    return as_of - timedelta(days=span - 1), as_of, False


def _this_month(m: re.Match, as_of: date):
    return as_of.replace(day=1), as_of, False


def _last_month(m: re.Match, as_of: date):
    last = as_of.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last, False


def _this_year(m: re.Match, as_of: date):
    return date(as_of.year, 1, 1), as_of, False


def _last_year(m: re.Match, as_of: date):
    return date(as_of.year - 1, 1, 1), date(as_of.year - 1, 12, 31), False


def weekday_before(wd: int, day: date, last: bool = False) -> date:
    """The latest day of weekday `wd` (Monday 0) on or before `day`; with `last`, before it only
    ("last Saturday" said on a Saturday is a week ago)."""
    back = (day.weekday() - wd) % 7
    return day - timedelta(days=back or (7 if last else 0))


def _weekday(m: re.Match, as_of: date):
    d = weekday_before(WEEKDAYS[m.group("wd")], as_of, bool(m.group("last")))
    # an event on that day is reported that day or the next ones, up to the as-of day
    return d, as_of, False


def _named_month(m: re.Match, as_of: date):
    month = MONTHS[m.group("month")]
    which = (m.group("which") or "").strip()
    year = as_of.year
    if which == "last":
        if month >= as_of.month:
            year -= 1
    elif month > as_of.month:
        year -= 1  # "in June" asked in March: last year's June
    return _clip(date(year, month, 1), _month_end(year, month), as_of) + (False,)


_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "fourteen": 14, "thirty": 30}


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBERS.get(word)


_RELATIVE_RULES: list[tuple[re.Pattern[str], object]] = [
    (re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b"), _rel_day(0)),
    (re.compile(r"\b(?:yesterday|last night)\b"), _rel_day(1)),
    (re.compile(r"\b(?:(?:in|over|during) )?the (?:past|last) (?P<n>\d+|a|one|two|three|four|five|six|seven|"
                r"eight|nine|ten|fourteen|thirty) (?P<unit>days?|weeks?|months?|years?)\b"), _days),
    (re.compile(r"\blast week(?:end)?\b|\bthe week before\b|\bprevious week\b"), _week(1)),
    (re.compile(r"\b(?:this|the past|past) week(?:end)?\b|\bthis past week(?:end)?\b"), _week(0)),
    (re.compile(r"\b(?:last|previous|past) month\b"), _last_month),
    (re.compile(r"\bthis month\b|\bearlier this month\b"), _this_month),
    (re.compile(r"\blast year\b|\bprevious year\b"), _last_year),
    (re.compile(r"\bthis year\b|\bso far this year\b|\bearlier this year\b"), _this_year),
    (re.compile(r"\b(?:on |this )?(?P<last>last )?(?P<wd>monday|tuesday|wednesday|thursday|"
                r"friday|saturday|sunday)\b"), _weekday),
    (re.compile(r"\b(?:in|during|since|this|last|early|late|mid-?)\s*(?P<which>this |last )?" + MONTH_PATTERN
                + r"(?!\s*,?\s*(?:\d|of \d))"), _named_month),
]

_RECENCY = re.compile(r"\b(?:latest|most recent(?:ly)?|newest|recent(?:ly)?|now|currently|current|"
                      r"so far|to date|as of today|at the moment|still)\b")

# written-out dates and years: the event's time, not the report's
_ABSOLUTE_RULES: list[re.Pattern[str]] = [
    re.compile(r"\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b"),
    re.compile(r"\b" + DAY_PATTERN + r" " + MONTH_PATTERN + r",? " + YEAR_PATTERN + r"\b"),
    re.compile(r"\b" + MONTH_PATTERN + r" " + DAY_PATTERN + r"(?:,| of)? " + YEAR_PATTERN + r"\b"),
    re.compile(r"\b" + MONTH_PATTERN + r",? (?:of )?" + YEAR_PATTERN + r"\b"),
    re.compile(r"\b(?:in|during|of|since) " + YEAR_PATTERN + r"\b"),
]


def _absolute(m: re.Match) -> tuple[date, date] | None:
    g = m.groupdict()
    try:
        if g.get("iso"):
            d = date.fromisoformat(g["iso"])
            return d, d
        year = int(g["year"])
        if g.get("month"):
            month = MONTHS[g["month"]]
            if g.get("day"):
                d = date(year, month, int(g["day"]))
                return d, d
            return date(year, month, 1), _month_end(year, month)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:  # 31 February and the like: not a date
        return None


def read_time(question: str, as_of: date) -> TimeReading | None:
    """The time the question is about, read against `as_of`; None when it has no time words."""
    original = " ".join(question.replace("’", "'").split())
    text = original.lower()
    if len(text) != len(original):  # a letter whose lower case is longer: phrases in lower case
        original = text
    recency = _RECENCY.search(text)
    for pattern, rule in _RELATIVE_RULES:
        m = pattern.search(text)
        if m is None:
            continue
        got = rule(m, as_of)  # type: ignore[operator]
        if got is None:
            continue
        start, end, _ = got
        phrase = original[m.start():m.end()].strip()
        spans = [m.span()]
        if recency is not None and not (m.start() <= recency.start() < m.end()):
            word = original[recency.start():recency.end()]
            phrase = f"{phrase}, {word}" if recency.start() > m.start() else f"{word} {phrase}"
            spans.append(recency.span())
        return TimeReading(TimeWindow(phrase, start, min(end, as_of), recency=recency is not None),
                           rest=_without(original, spans) or original)
    for pattern in _ABSOLUTE_RULES:
        m = pattern.search(text)
        if m is None:
            continue
        got = _absolute(m)
        if got is None:
            continue
        start, end = got
        return TimeReading(TimeWindow(original[m.start():m.end()].strip(), start, end,
                                      recency=recency is not None), relative=False, rest=original)
    if recency is not None:
        return TimeReading(TimeWindow(original[recency.start():recency.end()], None, as_of, recency=True),
                           rest=_without(original, [recency.span()]) or original)
    return None


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the spans cut out and the spacing and punctuation left around them tidied."""
    for a, b in sorted(spans, reverse=True):
        text = text[:a] + " " + text[b:]
    text = re.sub(r"\s+([,.;:?!])", r"\1", " ".join(text.split()))
    text = re.sub(r"^[,;:]\s*|,(?=[,.?!])", "", text).strip()
    return text


def describe(window: TimeWindow) -> str:
    """The window in words, for people: "13 May 2024 to 19 May 2024, newest first"."""
    parts = []
    if window.start and window.end and window.start == window.end:
        parts.append(day_text(window.start))
    elif window.start and window.end:
        parts.append(f"{day_text(window.start)} to {day_text(window.end)}")
    elif window.end:
        parts.append(f"up to {day_text(window.end)}")
    if window.recency:
        parts.append("newest first")
    return ", ".join(parts)


def day_text(d: date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"
