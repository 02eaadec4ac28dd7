"""Where a sentence states someone's (or something's) age: what a "how old" question asks for.

News states an age in a few fixed ways: set off by commas after a name or a noun ("Justice Ann
Roe, 58, said", "a woman, 54, who"), as a compound or a phrase with "old" or "of age" ("a
68-year-old man", "40 years old", "two years of age"), after "aged" or "age (of)" ("aged 80", "at
the age of 81", "died at age 75"), after "at" or a form of "be" at the end of a clause ("died at
89.", "He was 89."), in brackets after a name ("Ann Roe (58)"), after a form of "turn" ("turns
31"), or as a birthday ("his 31st birthday"). A bare number elsewhere in the
sentence ("22 points", "a 19-year wait", "in 60 days") counts or measures something else, and a
"how old" question answered by it is answered wrongly; a sentence without any of these forms does
not answer it, however closely it matches the question's other words.

Read from a sentence's tokens alone (sentences are tagged for entities, not parsed), so that the
sentence ranker and the span chooser read the same ages; the question, which is parsed, says whose
age it asks (asked_person).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

AGE_UNITS = frozenset({"year", "month", "week", "day"})  # what an age counts (also span._an_age)
_TURN = frozenset({"turn", "turns", "turned", "turning"})
# what may follow a bare number for it to be an age, as the end of a clause about the person or
# the clause going on ("Roe, 58, said", "a woman, 54, who", "Roe, 58, of Dayton", "died at 89 on
# Monday"; so do white space and any punctuation but a hyphen, a slash and a percent sign: "dead at
# 89:"), not a count, time or rate ("at 3 p.m.", "31 points, 14 rebounds")
_CLAUSE_ENDS = frozenset({",", ".", ";", ")", "—", "–", "who", "and", "on", "in", "after", "of", "from",
                          "when", "following"})
_COPULA = frozenset({"is", "was", "been"})
_MODIFIERS = frozenset({"just", "only", "about", "around", "nearly", "almost", "roughly", "barely"})
_OLDEST = 130


def _whole(text: str) -> int | None:
    return int(text) if text.isdigit() and 0 < int(text) <= _OLDEST else None


def _word(doc: "Doc", i: int) -> str:
    """The lower-case text of the i-th token, "" past either end."""
    return doc[i].lower_ if 0 <= i < len(doc) else ""


def _stated_as_age(doc: "Doc", i: int) -> bool:
    t = doc[i]
    after = _word(doc, i + 1)
    # "the age of just 14", "was about 35 when": the word before the modifier
    hop = 1 + (_word(doc, i - 1) in _MODIFIERS)
    before, before2 = _word(doc, i - hop), _word(doc, i - hop - 1)
    if t.lower_.endswith(("st", "nd", "rd", "th")) and t.like_num:
        return after == "birthday"  # "his 31st birthday"
    if not t.like_num:
        return False
    # "68-year-old" (and "68 year-old", "68-year old"), "40 years old", "two years of age"
    rest = [w for w in (_word(doc, k) for k in range(i + 1, i + 5)) if w != "-"]
    if rest[:1] and rest[0].removesuffix("s") in AGE_UNITS and (
            rest[1:2] == ["old"] or rest[1:3] == ["of", "age"]):
        return True
    if before in ("aged", "age", "ages") or (before == "of" and before2 == "age"):
        return True
    if before in _TURN:
        return True
    n = _whole(t.text)
    if n is None:
        return False
    ends = (i + 1 >= len(doc) or doc[i + 1].is_space or after in _CLAUSE_ENDS
            or (doc[i + 1].is_punct and after not in ("-", "%", "/")))
    if before == "at":
        return ends
    # "He was 89.", "who is now 52 and ..." (not "Turnout was 61 percent", "The score was 3-1")
    if before in _COPULA:
        return ends and before2 not in ("there", "it")
    if before == "now" and before2 in _COPULA:
        return ends and _word(doc, i - hop - 2) not in ("there", "it")
    if i < 2 or not doc[i - 2].is_alpha:
        return False
    # "Ann Roe (58)"
    if doc[i - 1].text == "(" and after == ")":
        return True
    # set off after a name or a noun: "Roe, 58," (not "in 2021, 45 people", "31 points, 14 rebounds")
    return doc[i - 1].text == "," and (i + 1 >= len(doc) or after in _CLAUSE_ENDS)


def age_tokens(doc: "Doc") -> frozenset[int]:
    """The indices of the tokens that state an age in `doc`."""
    return frozenset(i for i in range(len(doc)) if _stated_as_age(doc, i))


def _owner(doc: "Doc", i: int) -> "Token | None":
    """The last word of the person an age at `i` is set off after ("Ann Roe, 58,", "Ann Roe (58)")."""
    if i >= 2 and doc[i - 1].text in (",", "(") and doc[i - 2].ent_type_ == "PERSON":
        return doc[i - 2]
    return None


def asked_person(question: "Doc") -> str:
    """The last word, lower case, of the name whose age a "how old" question asks ("How old is Ann
    Roe?", "What is the age of the mayor, Ann Roe?"): "" when it asks about someone it does not
    name ("How old is the mayor?", "the age of the woman who chairs the Harbour Guild")."""
    subject = None
    for t in question:
        if t.lower_ == "old" and t.dep_ == "acomp":
            subject = next((c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        elif t.lower_ == "age":
            of = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            subject = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if subject is not None:
            break
    if subject is None:
        return ""
    if subject.pos_ != "PROPN":
        subject = next((c for c in subject.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    return subject.lower_ if subject is not None else ""


def asked_ages(doc: "Doc", person: str = "") -> frozenset[int]:
    """The ages of `doc` that may answer a "how old" question: all of them, but for one that asks
    about a named `person` (asked_person), not those set off after another person's name ("How old
    is Roe?" is not answered by "Ann Lind, 58,")."""
    ages = age_tokens(doc)
    if not person:
        return ages
    return frozenset(i for i in ages if (owner := _owner(doc, i)) is None or owner.lower_ == person)


def states_age(span: "Span", ages: frozenset[int]) -> bool:
    """`span` (of the doc `ages` was read from) holds one of the ages."""
    return any(span.start <= i < span.end for i in ages)
