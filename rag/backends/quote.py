"""Turning chosen passage sentences into cited answer sentences: shared by the extractive backends
(the rule path and the learned ranker), which differ in how they choose, not in how they quote."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

from newsqa.rag.cite import highlight_span
from newsqa.rag.evidence import evidence_spans
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import Passage, Sentence

MIN_WORDS = 4  # snippet dates and table labels are not sentences worth quoting
_WORD = re.compile(r"[^\W_]+")


class Chosen(Protocol):
    """A candidate sentence as both backends keep it: where it is and which passages say it."""

    n: int
    index: int
    text: str
    span: tuple[int, int]
    citations: list[int]
    cited_spans: dict[int, tuple[int, int]]


def quote_sentences(chosen: Sequence[Chosen], passages: list[Passage], scorer: SupportScorer,
                    max_sentences: int, refers_back: Callable[[Chosen], bool]) -> list[Sentence]:
    """The chosen sentences, in order, each preceded by the sentence before it when it is very short
    or `refers_back` (opens with a pronoun, say), at most `max_sentences` in all."""
    by_n = {p.n: p for p in passages}
    spans_of = {p.n: evidence_spans(p.chunk.text) for p in passages}
    out: list[Sentence] = []
    used: set[tuple[int, int]] = set()
    for c in chosen:
        if len(out) >= max_sentences:
            break
        short = len(_WORD.findall(c.text)) < 7
        prev = previous_sentence(c.n, c.index, passages, spans_of) if (short or refers_back(c)) else None
        if prev is not None and prev[:2] not in used and len(out) < max_sentences - 1:
            out.append(quoted_sentence(scorer, prev[2], [prev[0]], by_n,
                                       (prev[0], spans_of[prev[0]][prev[1]])))
            used.add(prev[:2])
        if (c.n, c.index) in used:
            continue
        used.add((c.n, c.index))
        out.append(quoted_sentence(scorer, c.text, c.citations, by_n, (c.n, c.span), c.cited_spans))
    return out


def previous_sentence(n: int, index: int, passages: list[Passage],
                      spans_of: dict[int, list[tuple[int, int]]]) -> tuple[int, int, str] | None:
    """The sentence before sentence `index` of passage `n` (passage n, index, text). At the start of
    a chunk it is the last sentence of the chunk before it, when that chunk was retrieved too ("She
    said: ..." needs the sentence that names her)."""
    if index < 0:
        return None
    p = next(x for x in passages if x.n == n)
    found: tuple[int, int, str] | None = None
    if index > 0:
        a, b = spans_of[n][index - 1]
        found = (n, index - 1, p.chunk.text[a:b])
    else:
        start = p.chunk.char_start + spans_of[n][0][0]
        best = -1
        for other in passages:
            if other.chunk.article_id != p.chunk.article_id or other.n == n:
                continue
            for i, (a, b) in enumerate(spans_of[other.n]):
                end = other.chunk.char_start + b
                if best < end <= start and start - end <= 3:
                    best, found = end, (other.n, i, other.chunk.text[a:b])
    if found is None or len(_WORD.findall(found[2])) < MIN_WORDS:
        return None
    return found


def quoted_sentence(scorer: SupportScorer, text: str, citations: list[int], by_n: dict[int, Passage],
                    own: tuple[int, tuple[int, int]],
                    cited: dict[int, tuple[int, int]] | None = None) -> Sentence:
    """The quoted sentence with the citations that really back it.

    Its own passage needs no scoring: the sentence is quoted verbatim from it, so it is one of
    that passage's scoring units and the scorer gives exactly 1 (identical vector, every name and
    number covered). Another passage cited as saying the same thing is scored on the sentence
    there that matched (`cited`, already embedded when the candidates were ranked), so checking
    an answer costs no further model call; a passage that does not in fact back the sentence is
    dropped.
    """
    cited = cited or {}
    keep: list[int] = []
    support = 0.0
    spans: dict[int, tuple[int, int]] = {}
    for n in citations:
        if n == own[0]:
            value, span = 1.0, own[1]
        else:
            passage = by_n[n].chunk.text
            span = cited.get(n) or highlight_span(text, passage, scorer)
            value = float(scorer.score_many([text], [passage[span[0]:span[1]]])[0, 0])
            if not scorer.is_supported(value):
                continue
        keep.append(n)
        spans[n] = span
        support = max(support, value)
    return Sentence(text=text, citations=keep, support=support,
                    supported=scorer.is_supported(support), spans=spans)
