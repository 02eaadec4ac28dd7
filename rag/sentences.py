"""Candidate answers: every passage sentence long enough to answer something, with its place.

Input: the numbered passages. Output: `Candidate`s (passage n, retrieval rank, character span in
the passage's chunk text, sentence index). The passages are cut once per question and the cut is
read by both paths: the rule path (candidates.py, through stack.py) and the learned one
(features.py, ranker.py). Each path scores copies of its own (`Candidate.fresh`), so neither sees
the other's scores. This module cuts, and tells when two embedded candidates state the same fact
(`restates`), which both paths' selections ask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from newsqa.rag.cite import without_injections
from newsqa.rag.evidence import evidence_spans
from newsqa.rag.terms import key_terms

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from newsqa.rag.features import Features
    from newsqa.rag.types import Passage

MIN_WORDS = 4  # snippet dates and table labels are not answers
DUPLICATE_COS = 0.86  # embedded candidates this similar state the same fact
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Candidate:
    """One passage sentence as a candidate answer, with the state of the path that scores it."""

    n: int
    rank: int  # 0-based retrieval rank of its passage
    span: tuple[int, int]  # character offsets in passage n's chunk text
    text: str
    index: int  # sentence index within its passage (negative: not a passage sentence)
    features: "Features | None" = None  # the learned path's (features.py)
    # the ranker's probability that this sentence answers the question, or the rules' score
    score: float = 0.0
    doc: "Doc | None" = None  # spaCy analysis, for the ranker's pre-selected few only
    vector: np.ndarray | None = None
    citations: list[int] = field(default_factory=list)
    # for each citation of another passage: the span there of the sentence that says the same
    cited_spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    # the rule path's (candidates.py): the parts of its score, and the question's constraints the
    # sentence breaks
    factors: dict[str, float] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)

    def fresh(self) -> "Candidate":
        """The same sentence, unscored: a copy for one path to score without touching the cut."""
        return Candidate(n=self.n, rank=self.rank, span=self.span, text=self.text, index=self.index)


def passage_candidates(passages: list["Passage"]) -> list[Candidate]:
    """Every sentence of every passage of at least MIN_WORDS words, in passage and sentence order."""
    out: list[Candidate] = []
    for rank, p in enumerate(passages):
        text = p.chunk.text
        for i, (a, b) in enumerate(evidence_spans(text)):
            s = text[a:b]
            if len(_WORD.findall(s)) < MIN_WORDS:
                continue
            out.append(Candidate(n=p.n, rank=rank, span=(a, b), text=s, index=i))
    return out


def quotable_candidates(passages: list["Passage"]) -> list[Candidate]:
    """`passage_candidates` without the instruction-like sentences: a prompt injection planted in
    an article is never scored or quoted. The cut both paths read, made once per question."""
    return without_injections(passage_candidates(passages), passages)


def restates(a: Candidate, b: Candidate) -> bool:
    """Two embedded candidates so close in meaning that they state the same fact; the same words
    with another year or number state another fact."""
    if a.vector is None or b.vector is None or float(a.vector @ b.vector) < DUPLICATE_COS:
        return False
    ka, kb = key_terms(a.text), key_terms(b.text)
    return ka.years == kb.years and {str(n) for n in ka.numbers} == {str(n) for n in kb.numbers}


def asks(text: str) -> bool:
    """A sentence that asks rather than tells ("Who will win the race?") answers nothing."""
    return text.rstrip(" \"'”’)").endswith("?")


def telling(cands: list[Candidate]) -> list[Candidate]:
    """The candidates that tell rather than ask (`asks`), which an answer can quote; all of them
    when every one asks."""
    return [c for c in cands if not asks(c.text)] or cands
