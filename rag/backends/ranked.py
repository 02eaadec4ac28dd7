"""The ranked backend (`ranked`): answers by quoting the passages' own sentences, no language model,
with the learned ranker in place of the hand-set rules of backends/extractive.py.

The candidates are ranked by the learned ranker (rag/ranker.py) and chosen by rag/select.py; this
module turns the chosen ones into cited, checked sentences. A chosen sentence that opens with a
pronoun or is very short is preceded by the sentence before it in its article ("She said: ..."
needs the sentence that names her). The answer leads with the short answer span (select.py) for
who/what/which/when/where/how-many questions.
"""

from __future__ import annotations

import re
from typing import Iterator

from newsqa.rag.sentences import MIN_WORDS, Candidate
from newsqa.rag.cite import answer_text, highlight_span
from newsqa.rag.evidence import evidence_spans
from newsqa.rag.query import AnalysedQuestion, analyse
from newsqa.rag.ranker import RankerModel, load_model, rank
from newsqa.rag.select import select, short_answer
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import REFUSAL_TEXT, Passage, Sentence, ShortAnswer


class RankedBackend:
    """Quotes the one to `max_sentences` passage sentences that best answer the question."""

    name = "ranked"

    def __init__(self, scorer: SupportScorer, max_sentences: int = 3, model: RankerModel | None = None) -> None:
        self.scorer = scorer
        self.max_sentences = max(1, max_sentences)
        self.model = model

    # -- AnswerBackend -------------------------------------------------------------------------
    def answer(self, question: str, passages: list[Passage]) -> list[Sentence]:
        if not question.strip() or not passages:
            return []
        q = analyse(question)
        return self.compose(q, rank(q, passages, self.scorer, self.model or load_model()), passages)[0]

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | list[Sentence]]:
        """The whole answer text at once, then its sentences."""
        sentences = self.answer(question, passages)
        yield answer_text(sentences) if sentences else REFUSAL_TEXT
        yield sentences

    def compose(self, q: AnalysedQuestion, ranked: list[Candidate],
                passages: list[Passage]) -> tuple[list[Sentence], ShortAnswer | None]:
        """The cited sentences for already ranked candidates (QA ranks once for answer and refusal),
        and the short answer taken from the best of them that holds a span of the asked kind."""
        chosen = select(ranked, self.max_sentences)
        if not chosen:
            return [], None
        # the span comes from the best quoted sentence that holds one
        short = next((s for s in (short_answer(q, c) for c in chosen) if s is not None), None)
        return self._sentences(chosen, passages), short

    # -- sentences -----------------------------------------------------------------------------
    def _sentences(self, chosen: list[Candidate], passages: list[Passage]) -> list[Sentence]:
        by_n = {p.n: p for p in passages}
        spans_of = {p.n: evidence_spans(p.chunk.text) for p in passages}
        out: list[Sentence] = []
        used: set[tuple[int, int]] = set()
        for c in chosen:
            if len(out) >= self.max_sentences:
                break
            prev = self._context(c, passages, spans_of)
            if prev is not None and prev[:2] not in used and len(out) < self.max_sentences - 1:
                out.append(self._sentence(prev[2], [prev[0]], by_n, (prev[0], spans_of[prev[0]][prev[1]])))
                used.add(prev[:2])
            if (c.n, c.index) in used:
                continue
            used.add((c.n, c.index))
            out.append(self._sentence(c.text, c.citations, by_n, (c.n, c.span), c.cited_spans))
        return out

    def _context(self, c: Candidate, passages: list[Passage],
                 spans_of: dict[int, list[tuple[int, int]]]) -> tuple[int, int, str] | None:
        """The previous sentence (passage n, index, text), when the chosen one opens with a pronoun
        or is very short. At the start of a chunk it is the last sentence of the chunk before it, when
        that chunk was retrieved too ("She said: ..." needs the sentence that names her)."""
        short = len(re.findall(r"[^\W_]+", c.text)) < 7
        pronoun = c.features is not None and c.features.pronoun_start > 0
        if c.index < 0 or not (short or pronoun):
            return None
        p = next(x for x in passages if x.n == c.n)
        found: tuple[int, int, str] | None = None
        if c.index > 0:
            a, b = spans_of[c.n][c.index - 1]
            found = (c.n, c.index - 1, p.chunk.text[a:b])
        else:
            start = p.chunk.char_start + spans_of[c.n][0][0]
            best = -1
            for other in passages:
                if other.chunk.article_id != p.chunk.article_id or other.n == c.n:
                    continue
                for i, (a, b) in enumerate(spans_of[other.n]):
                    end = other.chunk.char_start + b
                    if best < end <= start and start - end <= 3:
                        best, found = end, (other.n, i, other.chunk.text[a:b])
        if found is None or len(re.findall(r"[^\W_]+", found[2])) < MIN_WORDS:
            return None
        return found

    def _sentence(self, text: str, citations: list[int], by_n: dict[int, Passage],
                  own: tuple[int, tuple[int, int]], cited: dict[int, tuple[int, int]] | None = None) -> Sentence:
        """The extracted sentence with the citations that really back it.

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
                span = cited.get(n) or highlight_span(text, passage, self.scorer)
                value = float(self.scorer.score_many([text], [passage[span[0]:span[1]]])[0, 0])
                if not self.scorer.is_supported(value):
                    continue
            keep.append(n)
            spans[n] = span
            support = max(support, value)
        return Sentence(text=text, citations=keep, support=support,
                        supported=self.scorer.is_supported(support), spans=spans)
