"""Whether a sentence holds the kind of thing a question asks for, and the question's years and numbers.

Factors of a candidate's answer score (candidates.py):

`typed` = 0.4 + 0.6 * answer type (`answer_type_score`), for questions that ask for a kind of thing:
who -> a person-like name the question lacks (a place only for team contests), when -> a date (with
its year: best), how many/much -> a number (money for money questions), where -> a place,
what/which -> a name or a quoted title. A nationality ("a Colombian") is not a person.
`required` (`required_factor`) multiplies, per year/number/date/code of the question, 1 (in the
sentence), 0.85 (a neighbouring sentence), 0.7 (elsewhere in the passage) or 0.25 (absent), halved
again when the sentence names another year (a relative one read against its article's date: "this
year's winner" in a 2022 article is 2022's); numbers and years that are part of a name ("Season 4",
"Starfall 2049") weigh less (0.95 / 0.9 / 0.6). `corroboration` counts the articles that carry
the same candidate answer (name, date or number; a person's surname will do).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from newsqa.rag.constraints import same_word, tokens
from newsqa.rag.names import DEMONYMS, GENERIC_NAME_WORDS, PLACE_WORDS, PLACES, is_place
from newsqa.rag.question import Question
from newsqa.rag.terms import MONTH_WORDS, STOPWORDS, KeyTerms, Num, normalise_word
from newsqa.rag.words import stem

REQ_NEAR, REQ_PASSAGE, REQ_ABSENT = 0.85, 0.7, 0.25
REQ_NEAR_SOFT, REQ_PASSAGE_SOFT, REQ_ABSENT_SOFT = 0.95, 0.9, 0.6
REQ_CONFLICT = 0.5
TITLE_CASE = 0.6  # answer-type confidence left to a name found in a title-case line
# an amount of money: a currency sign before the number, or a currency's name after it and its
# scale word ("4.2 million euros", "300bn yen")
_MONEY = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:(?:thousand|million|billion|trillion|bn|m)\s?)?"
                    r"(?:dollars|euros|pounds|sterling|yen|yuan|renminbi|rupees|francs|kronor|kroner|"
                    r"crowns|roubles|rubles|pesos|reais|rand|usd|eur|gbp|jpy|cny|inr|chf)\b", re.I)


def has_number(num: Num, terms: KeyTerms) -> bool:
    return any(abs(n.value - num.value) <= max(num.tol, 1e-9) for n in terms.numbers)


# a year a sentence names relative to its article's date: "this year's winner", "last year"
_RELATIVE_YEAR = re.compile(r"\b(this|last|next)\s+year(?:'s|’s)?\b", re.I)
_YEAR_OFFSET = {"this": 0, "last": -1, "next": 1}


def with_relative_years(terms: KeyTerms, text: str, published_year: int | None) -> KeyTerms:
    """`terms` of `text` with the years its relative ones name, read against its article's year:
    "this year's winner" in an article of 2022 is 2022's winner, and so another year's for a
    question about 2023 (required_factor), while "last year's champion" in an article of 2024
    names 2023's. Unchanged for an undated article."""
    if published_year is None:
        return terms
    years = {str(published_year + _YEAR_OFFSET[m.group(1).lower()]) for m in _RELATIVE_YEAR.finditer(text)}
    return replace(terms, years=terms.years | years) if years - terms.years else terms


# a year naming which one of a recurring thing the question means: "the 2023 Open", "Open 2023"
_YEAR_BEFORE = re.compile(r"\bthe\s+(\d{4})\s+([^\W\d_]+)")
_YEAR_AFTER = re.compile(r"\b([A-Z][^\W\d_]+)\s+(\d{4})\b")


@lru_cache(maxsize=1024)
def qualified_years(question: str) -> tuple[tuple[str, str], ...]:
    """(year, word) for each year the question puts on a thing, the thing by its first word ("the
    2023 Kelham Open" -> ("2023", "kelham")), for `year_qualifier_conflict`."""
    out = [(m.group(1), m.group(2).lower()) for m in _YEAR_BEFORE.finditer(question)]
    out += [(m.group(2), m.group(1).lower()) for m in _YEAR_AFTER.finditer(question)
            if m.group(1).lower() not in MONTH_WORDS]
    return tuple((y, w) for y, w in out if w not in STOPWORDS)


def year_qualifier_conflict(question: str, year: str, text: str, published_year: int | None) -> bool:
    """Whether the sentence puts only other years than `year` on the thing the question puts it on:
    "this year's Kelham Open" in an article of 2022, or "the 2022 Kelham Open", for a question about
    the 2023 one, even when 2023 turns up elsewhere in the sentence ("... will not host it in 2023")."""
    found: set[str] = set()
    for y, word in qualified_years(question):
        if y != year:
            continue
        w = re.escape(word)
        for m in re.finditer(r"\b(\d{4})(?:'s|’s)?\s+" + w + r"\b|\b" + w + r"\s+(\d{4})\b", text, re.I):
            found.add(m.group(1) or m.group(2))
        if published_year is not None:
            for m in re.finditer(r"\b(this|last|next)\s+year(?:'s|’s)\s+" + w + r"\b", text, re.I):
                found.add(str(published_year + _YEAR_OFFSET[m.group(1).lower()]))
    return bool(found) and year not in found


def another_edition(question: str, text: str, published_year: int | None) -> bool:
    """Whether the sentence is about another year's edition of a thing the question names by its
    year: "The Kelham Singers won the 2022 Harbour Song Prize" (or "this year's" prize, in an
    article of 2022) for "Who won the 2023 Harbour Song Prize?"."""
    return any(year_qualifier_conflict(question, y, text, published_year) for y in
               dict.fromkeys(y for y, _ in qualified_years(question)))


def required_factor(q: Question, sentence: KeyTerms, near: KeyTerms | None = None,
                    passage: KeyTerms | None = None, text: str = "",
                    published_year: int | None = None) -> float:
    """How fully the sentence carries the question's years, numbers, dates and codes (see above).

    Years and dates are what a question most often turns on ("in 2021"); numbers and codes in a
    question are more often part of a name ("Season 4", "No 1", "93rd"), so they weigh less, as do
    years glued to a title ("Starfall 2049"). A year the sentence has counts as another year's when
    the sentence puts another year on the very thing the question puts it on (its `text` given).
    """
    factor = 1.0
    items: list[tuple[str, object, bool]] = []
    items += [("year", y, y in q.title_numbers) for y in q.terms.years]
    items += [("num", n, True) for n in q.terms.numbers]
    items += [("date", d, False) for d in q.terms.dates]
    items += [("code", c, True) for c in q.terms.codes]
    for kind, item, soft in items:
        def has(t: KeyTerms | None) -> bool:
            if t is None:
                return False
            if kind == "year":
                return item in t.years or item in t.words
            if kind == "num":
                return has_number(item, t)  # type: ignore[arg-type]
            if kind == "date":
                return item in t.dates
            return item in t.codes or item in t.words
        if has(sentence):
            if kind == "year" and text and year_qualifier_conflict(q.own or q.text, str(item), text, published_year):
                factor *= REQ_CONFLICT
            continue
        if kind == "year" and not soft and sentence.years - q.terms.years:
            factor *= REQ_CONFLICT  # it speaks of another year: 2019's winner, not 2021's
        if has(near):
            factor *= REQ_NEAR_SOFT if soft else REQ_NEAR
        elif has(passage):
            factor *= REQ_PASSAGE_SOFT if soft else REQ_PASSAGE
        else:
            factor *= REQ_ABSENT_SOFT if soft else REQ_ABSENT
    return factor


_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
# times a news sentence gives relative to its own date: answers to "when" that carry no calendar date
_RELATIVE_TIME = re.compile(r"\b(?:yesterday|today|tonight|tomorrow|last (?:week|month|year|night)|"
                            r"this (?:week|month|year|morning)|earlier this \w+|(?:on )?(?:mon|tues|wednes|"
                            r"thurs|fri|satur|sun)day)\b", re.I)
# counts given in words: "hundreds of scientists", "several times"
_VAGUE_COUNT = re.compile(r"\b(?:hundreds|thousands|millions|billions|dozens|tens of thousands|scores|"
                          r"several|numerous|a handful|a dozen)\b", re.I)
# a place in a locative role ("working in Bushehr", "held at the stadium", "left the Soviet Union")
_LOCATIVE = {"in", "at", "near", "outside", "inside", "from", "to", "into", "across", "throughout",
             "within", "around", "left", "fled", "leaving", "visited", "hosted", "host"}
_LOCATIVE_SKIP = {"the", "a", "an", "former", "northern", "southern", "eastern", "western", "central",
                  "nearby", "neighbouring", "neighboring", "downtown"}


def _locative(name: tuple[str, ...], words: list[str]) -> bool:
    """Whether `name` stands in the sentence right after a locative word ("in", "at", "from")."""
    first = name[0]
    for i, w in enumerate(words):
        if w != first or tuple(words[i:i + len(name)]) != name:
            continue
        j = i - 1
        while j >= 0 and words[j] in _LOCATIVE_SKIP:
            j -= 1
        if j >= 0 and words[j] in _LOCATIVE:
            return True
    return False


def _title_case(text: str) -> bool:
    """A headline or label in title case, where capitalised words are not names."""
    words = re.findall(r"[^\W\d_]+", text)
    small = [w for w in words if w.lower() in STOPWORDS]
    big = [w for w in words if w.lower() not in STOPWORDS]
    # "Total Electoral Votes Needed to Win": five capitalised words in a row are a label, not a name
    return len(words) >= 4 and ((len(small) >= 2 and sum(w[0].isupper() for w in small) * 2 > len(small))
                                or (len(big) >= 5 and all(w[0].isupper() for w in big)))


# a quoted span: straight or curly quotes, a single quote only at a word's edge (not "Boseman's")
_QUOTED = re.compile(r"[“\"]([^“”\"]{1,80})[”\"]|‘([^‘’]{1,80})’|(?<!\w)'([^']{1,80})'(?!\w)")


def _quoted(text: str) -> list[str]:
    """The text's quoted spans: titles, headlines or speech."""
    return [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(text)]


def _quoted_spans(text: str) -> list[tuple[str, ...]]:
    """The word tuples of the text's quoted spans, normalised as names are."""
    return [tuple(t for t in tokens(inner) if t[0].isalnum()) for inner in _quoted(text)]


def _person_tail(name: tuple[str, ...]) -> bool:
    """Whether a long capitalised run ends in what looks like a person's name: an organisation or
    title run straight into the name ("... Foreign Affairs Maria Zakharova")."""
    tail = name[-2:]
    return not any(t in GENERIC_NAME_WORDS or (t,) in PLACES for t in tail) and not is_place(tail)


_ORDINALS = {"first", "second", "third", "fourth", "fifth", "last", "final", "latest", "next", "previous"}


def _head_answer(q: Question, text: str) -> float:
    """For "which war/term/organisation ..." questions: the sentence names that kind of thing with a
    word the question lacks ("the Ukraine war", "his first term", "the BRICS organisation")."""
    words = [w for w in tokens(text) if w[0].isalnum()]
    for i, w in enumerate(words):
        if i and same_word(w, q.head):
            prev = words[i - 1]
            asked = q.constraints.words if q.constraints else frozenset()
            if (prev not in STOPWORDS or prev in _ORDINALS) and stem(prev) not in q.words and prev not in asked:
                return 0.8
    return 0.0


def answer_type_score(q: Question, s: KeyTerms, text: str = "") -> float:
    """How clearly the sentence holds the kind of thing the question asks for, in [0, 1]."""
    kind = q.kind
    if kind == "date":
        new_years = set(s.years) - set(q.terms.years) - q.title_numbers
        if q.title_year and s.full_dates and q.constraints is not None and "release" in q.constraints.events \
                and not any(d.startswith(q.title_year) for d in s.full_dates):
            return 0.0  # "Skyreach (2019) is coming to consoles on March 3, 2023": a later release
        if q.unit == "year":
            return 1.0 if new_years or s.full_dates else 0.0
        if q.unit == "day" and (s.dates or (set(s.weak) | set(s.words)) & _WEEKDAYS):
            return 1.0
        if q.unit == "date" and not s.dates:
            return 0.0  # "On what date": "in 2025" does not say
        if s.full_dates:
            return 1.0
        if s.dates:
            return 0.7  # "Thursday, Nov. 12": the year is usually the article's own
        if s.months and s.years:
            return 0.7  # "in May 2014": as exact as "Thursday, Nov. 12"
        if new_years:
            return 0.5  # "in 2014"
        return 0.5 if text and _RELATIVE_TIME.search(text) else 0.0  # "yesterday", "on Thursday"
    if kind == "number":
        new = [n for n in s.numbers if not has_number(n, q.terms)]
        if not new:
            return 0.7 if text and _VAGUE_COUNT.search(text) and not q.money else 0.0
        if q.money:
            return 1.0 if _MONEY.search(text) else 0.4
        return 1.0 if any(n.value >= 1000 or n.kind == "%" for n in new) else 0.7
    if kind in ("person", "place", "entity"):
        where = kind == "place" and q.wh == "where"
        words = [w for w in tokens(text) if w[0].isalnum()] if where and text else []
        best = 0.0
        quoted = set(_quoted_spans(text)) if kind == "person" and text else set()
        for name in s.names:
            fresh = [t for t in name if q.fresh(t)]
            if len(fresh) * 2 < len(name) or not fresh:
                continue  # mostly the question's own words ("Best Animated Feature Film")
            place = is_place(name) or is_place(tuple(fresh))
            generic = any(t in GENERIC_NAME_WORDS for t in name)
            if kind == "person" and name in quoted:
                # a name quoted on its own is a title ("'Harbour Lights' took best screenplay"): news
                # quotes titles, not people (a name inside a longer quote may well be a person)
                value = 0.3
            elif kind == "person" and len(name) == 1 and name[0] in DEMONYMS:
                value = 0.7 if q.team_event else 0.3  # "a Colombian has won": a nationality, no name
            elif kind == "person":
                # countries and cities win cups and finals and build, sign or invade (the one who
                # acted), not elections or prizes
                value = (0.7 if q.team_event or q.acted else 0.4) if place else 0.4 if generic \
                    else 1.0 if 2 <= len(name) <= 4 else 0.7
                if len(name) > 4 and _person_tail(name):
                    value = max(value, 0.9)  # "Russian Ministry of Foreign Affairs Maria Zakharova"
            elif kind == "place":
                value = 1.0 if place else 0.7 if generic or len(name) >= 2 else 0.5
                if where:
                    # "working in Bushehr" locates whatever the name; "Russia has ties" does not
                    value = 1.0 if _locative(name, words) else min(value, 0.6)
            else:
                value = 0.8 if place else 1.0 if len(name) >= 2 else 0.8
            best = max(best, value)
        for w in s.initial:
            if q.fresh(w) and w not in GENERIC_NAME_WORDS:
                place = (w,) in PLACES or w in DEMONYMS
                as_person = (0.7 if q.team_event or q.acted else 0.4) if place else 0.6
                as_place = 1.0 if (place and not where) or (where and _locative((w,), words)) else 0.4
                best = max(best, {"person": as_person, "place": as_place}.get(kind, 0.7))
        if kind == "entity":
            for code in s.codes:
                if q.fresh(code) and code not in q.terms.codes:
                    best = max(best, 0.8)  # "G7", "PS5"
            if q.head and text:
                best = max(best, _head_answer(q, text))
        if text and _title_case(text):
            best *= TITLE_CASE  # "Outstanding Performance By A Female Actor": capitals name nothing
        if kind == "entity" and text:
            for inner in _quoted(text):
                words_q = [normalise_word(w) for w in inner.split()] if inner[:1].isupper() else []
                if words_q and all(q.fresh(w) for w in words_q if w not in STOPWORDS):
                    best = max(best, 1.0)
        return best
    return 0.5


def answer_entities(q: Question, s: KeyTerms) -> list[tuple[str, object]]:
    """The things in a sentence that could be the answer: fresh names, dates, new numbers."""
    if q.kind == "date":
        return [("date", d) for d in s.dates]
    if q.kind == "number":
        return [("num", n) for n in s.numbers if not has_number(n, q.terms)]
    if q.kind in ("person", "place", "entity"):
        out: list[tuple[str, object]] = []
        for name in s.names:
            fresh = [t for t in name if q.fresh(t)]
            if fresh and len(fresh) * 2 >= len(name):
                out.append(("name", name))
        out += [("name", (w,)) for w in s.initial if q.fresh(w)]
        return out
    return []


def corroboration(q: Question, s: KeyTerms, articles: list[KeyTerms]) -> int:
    """How many articles carry this sentence's answer (the best of its candidate answers)."""
    best = 0
    for kind, e in answer_entities(q, s):
        if kind == "date":
            n = sum(e in a.dates for a in articles)
        elif kind == "num":
            n = sum(has_number(e, a) for a in articles)  # type: ignore[arg-type]
        else:
            name: tuple[str, ...] = e  # type: ignore[assignment]
            # a person is named in full once, then by surname ("Marta Kowalczyk" ... "Kowalczyk")
            surname = name[-1] if (q.kind == "person" and len(name) >= 2 and name[-1] not in GENERIC_NAME_WORDS
                                   and not is_place(name) and name[-1] not in PLACE_WORDS) else None
            n = sum(all(t in a.words for t in name) or (surname is not None and surname in a.words)
                    for a in articles)
        best = max(best, n)
    return best
