"""A light, model-free reranker for the fused candidates: does the chunk hold the kind of thing the
question asks for, in the words the question uses?

Three signals on top of the fused rank, each cheap enough for 40 candidates per question:
- phrase coverage: adjacent content-word pairs of the question ("q1 2021", "year-end no") found in
  the chunk; BM25 scores words independently and misses that "Q1 2021" must appear together;
- key-term coverage: the question's years and numbers must be in the chunk;
- answer type: a "when" question wants a chunk with a date, a "how much/many" one a number, a
  "who" one a name that the question does not already contain.
"""

from __future__ import annotations

import re

from newsqa.index.lexical import tokenize

_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
FULL_DATE = re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,|\s+of)?\s+(?:1[89]|20)\d\d\b|\b\d{{1,2}}\s+{_MONTH},?\s+(?:1[89]|20)\d\d\b", re.I)
YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
NUMBER = re.compile(r"(?<![\w.])[$€£]?\d[\d,]*(?:\.\d+)?\s*(?:%|percent|million|billion|trillion|bn|m\b)?", re.I)
NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|de|van|von|bin|al))*\s+[A-Z][a-z]+\b")


def answer_type(question: str) -> str:
    q = question.lower().strip()
    if re.match(r"(when|what (year|date|day|month|time))\b", q) or "release date" in q:
        return "when"
    if re.match(r"how (many|much|long|old|far|big)\b", q) or re.search(r"\b(revenue|price|cost|number of|percentage|salary|population|score)\b", q):
        return "number"
    if re.match(r"(who|whom|whose)\b", q) or re.search(r"\bwhich (person|player|team|company|country|club)\b", q):
        return "who"
    if re.match(r"where\b", q) or "location" in q:
        return "where"
    return "other"


def _pairs(tokens: list[str]) -> set[tuple[str, str]]:
    return set(zip(tokens, tokens[1:]))


def rerank_score(question: str, text: str, atype: str | None = None) -> float:
    """A bonus in [0, ~1] for how squarely `text` matches the question's phrasing and answer type."""
    atype = atype or answer_type(question)
    qt = tokenize(question)
    ct = tokenize(text)
    bonus = 0.0
    qp = _pairs(qt)
    if qp:
        bonus += 0.4 * len(qp & _pairs(ct)) / len(qp)
    q_years = set(YEAR.findall(question))
    if q_years:
        bonus += 0.3 * len(q_years & set(YEAR.findall(text))) / len(q_years)
    if atype == "when":
        bonus += 0.3 if FULL_DATE.search(text) else 0.0
    elif atype == "number":
        q_nums = {m.group(0).strip() for m in NUMBER.finditer(question)}
        nums = {m.group(0).strip() for m in NUMBER.finditer(text)} - q_nums - set(YEAR.findall(text))
        bonus += 0.3 if any(re.search(r"[$€£%]|million|billion|percent", n, re.I) or len(n) > 1 for n in nums) else 0.0
    elif atype in ("who", "where"):
        q_low = question.lower()
        names = [n for n in NAME.findall(text) if n.lower() not in q_low]
        bonus += 0.2 if names else 0.0
    return bonus
