"""The retriever's light, model-free reranker, reading the question through the one question analysis.

Does a fused candidate chunk hold the kind of thing the question asks for, in the words it uses?
  phrase coverage: adjacent content-word pairs of the question ("q1 2021", "year-end no") found in
    the chunk (BM25 scores words independently and misses that "Q1 2021" must appear together);
  key-term coverage: the question's years must be in the chunk;
  answer kind: a date question wants a chunk with a full date, a number question a number, a
    person or place question a name the question does not already contain.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsqa.index.lexical import tokenize

if TYPE_CHECKING:
    from newsqa.rag.question import Question

_R_FULL_DATE = re.compile(
    r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,|\s+of)?\s+(?:1[89]|20)\d\d\b"
    r"|\b\d{1,2}\s+(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?,?\s+(?:1[89]|20)\d\d\b", re.I)
_R_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_R_NUMBER = re.compile(r"(?<![\w.])[$€£]?\d[\d,]*(?:\.\d+)?\s*(?:%|percent|million|billion|trillion|bn|m\b)?",
                       re.I)
_R_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|de|van|von|bin|al))*\s+[A-Z][a-z]+\b")


def rerank_score(q: Question, text: str) -> float:
    """A bonus in [0, ~1] for how squarely a chunk matches the question's phrasing and answer kind."""
    qt = tokenize(q.text)
    ct = tokenize(text)
    bonus = 0.0
    qp = set(zip(qt, qt[1:]))
    if qp:
        bonus += 0.4 * len(qp & set(zip(ct, ct[1:]))) / len(qp)
    q_years = set(_R_YEAR.findall(q.text))
    if q_years:
        bonus += 0.3 * len(q_years & set(_R_YEAR.findall(text))) / len(q_years)
    if q.kind == "date":
        bonus += 0.3 if _R_FULL_DATE.search(text) else 0.0
    elif q.kind == "number":
        q_nums = {m.group(0).strip() for m in _R_NUMBER.finditer(q.text)}
        nums = {m.group(0).strip() for m in _R_NUMBER.finditer(text)} - q_nums - set(_R_YEAR.findall(text))
        bonus += 0.3 if any(re.search(r"[$€£%]|million|billion|percent", n, re.I) or len(n) > 1
                            for n in nums) else 0.0
    elif q.kind in ("person", "place"):
        low = q.text.lower()
        bonus += 0.2 if any(n.lower() not in low for n in _R_NAME.findall(text)) else 0.0
    return bonus
