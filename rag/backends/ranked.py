"""The ranked backend (`ranked`): answers by quoting the passages' own sentences, no language model,
with the learned ranker in place of the hand-set rules of backends/extractive.py.

The candidates are ranked by the learned ranker (rag/ranker.py) and chosen by rag/select.py; this
module turns the chosen ones into cited, checked sentences. A chosen sentence that opens with a
pronoun or is very short is preceded by the sentence before it in its article ("She said: ..."
needs the sentence that names her). The answer leads with the short answer span (select.py) for
who/what/which/when/where/how-many questions.
"""

from __future__ import annotations

from typing import Iterator

from newsqa.rag.sentences import Candidate
from newsqa.rag.backends.quote import quote_sentences
from newsqa.rag.cite import answer_text
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
        return quote_sentences(chosen, passages, self.scorer, self.max_sentences,
                               lambda c: c.features is not None and c.features.pronoun_start > 0)
