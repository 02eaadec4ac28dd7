"""Candidate answers: every passage sentence long enough to answer something, with its place.

Input: the numbered passages. Output: `Candidate`s (passage n, retrieval rank, character span in
the passage's chunk text, sentence index). Features, scores and the spaCy analysis are attached by
the later stages (features.py, ranker.py); this module only cuts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from newsqa.rag.evidence import evidence_spans

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from newsqa.rag.features import Features
    from newsqa.rag.types import Passage

MIN_WORDS = 4  # snippet dates and table labels are not answers
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Candidate:
    """One passage sentence as a candidate answer."""

    n: int
    rank: int  # 0-based retrieval rank of its passage
    span: tuple[int, int]  # character offsets in passage n's chunk text
    text: str
    index: int  # sentence index within its passage
    features: "Features | None" = None
    score: float = 0.0  # the ranker's probability that this sentence answers the question
    doc: "Doc | None" = None  # spaCy analysis, for the pre-selected few only
    vector: np.ndarray | None = None
    citations: list[int] = field(default_factory=list)
    # for each citation of another passage: the span there of the sentence that says the same
    cited_spans: dict[int, tuple[int, int]] = field(default_factory=dict)


def passage_candidates(passages: list["Passage"]) -> list[Candidate]:
    out: list[Candidate] = []
    for rank, p in enumerate(passages):
        text = p.chunk.text
        for i, (a, b) in enumerate(evidence_spans(text)):
            s = text[a:b]
            if len(_WORD.findall(s)) < MIN_WORDS:
                continue
            out.append(Candidate(n=p.n, rank=rank, span=(a, b), text=s, index=i))
    return out


def asks(text: str) -> bool:
    """A sentence that asks rather than tells ("Who will win the race?") answers nothing."""
    return text.rstrip(" \"'”’)").endswith("?")
