"""The offline backend: answers by quoting the passages' own sentences, no language model.

Every sentence of every passage is a candidate, scored as an answer by `newsqa.rag.question`
(embedding similarity, IDF-weighted word overlap, the question's names, the presence of the kind of
answer asked for, retrieval rank, times a near-fatal factor for each year/number/date of the question
the sentence lacks), so a sentence that matches the question's year beats one that only matches its
topic. The best sentence is taken, with the sentence before it when it opens with a pronoun or is very
short; further sentences follow while they score close to the best. A when-question answered with a
day but no year also gets the passage sentence that gives that day with its year. A compound
question ("Which UAE leader ..., and what did Trump ...") gets the best sentence for each of its parts
first. A candidate that repeats a chosen sentence adds its passage to that sentence's citations
instead of repeating the fact.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from newsqa.rag.candidates import rule_candidates, score_candidates
from newsqa.rag.backends.quote import quote_sentences
from newsqa.rag.cite import answer_text
from newsqa.rag.pronouns import THIRD_PERSON, opening
from newsqa.rag.sentences import Candidate, quotable_candidates, restates
from newsqa.rag.support import SupportScorer
from newsqa.rag.terms import key_terms
from newsqa.rag.types import REFUSAL_TEXT, Passage, Sentence

FOLLOW_RATIO = 0.85  # a further sentence must score at least this share of the best
CITE_RATIO = 0.7  # a near-duplicate this close to the best still adds its passage as a citation
MAX_CITATIONS = 3

# a sentence that opens with a pronoun, a demonstrative or a bare "the company" names its subject
# in an earlier sentence
_PRONOUN_START = opening(THIRD_PERSON + ("this", "that", "these", "those", "the company", "the game",
                                         "the film", "the movie", "the show", "the series", "the team",
                                         "the player"))


class ExtractiveBackend:
    """Quotes the one to `max_sentences` passage sentences that best answer the question."""

    name = "extractive"
    # it quotes by its rules alone, so answering a narrower question again costs no model call
    # (QA asks again without a compound question's unanswered parts)
    quotes_only = True

    def __init__(self, scorer: SupportScorer, max_sentences: int = 4) -> None:
        self.scorer = scorer
        self.max_sentences = max(1, max_sentences)

    # -- AnswerBackend -------------------------------------------------------------------------
    def answer(self, question: str, passages: list[Passage]) -> list[Sentence]:
        cands = rule_candidates(quotable_candidates(passages))  # never a prompt injection
        if not question.strip() or not cands:
            return []
        q = score_candidates(question, passages, cands, self.scorer)
        chosen = self.select(cands)
        if q.parts:
            chosen = self._cover_parts(q.parts, chosen, cands, passages)
        if q.kind == "date":
            chosen = self._complete_year(chosen, cands)
        return self._sentences(chosen, passages)

    def _cover_parts(self, parts: list[str], chosen: list[Candidate], cands: list[Candidate],
                     passages: list[Passage]) -> list[Candidate]:
        """For a compound question, the best sentence for each part first, then the rest."""
        out: list[Candidate] = []
        for part in parts:
            mine = [replace(c, citations=[], cited_spans={}, factors={}) for c in cands]
            score_candidates(part, passages, mine, self.scorer)
            best = max(mine, key=lambda c: (c.score, -c.rank, -c.index))
            if not any((x.n, x.index) == (best.n, best.index) for x in out):
                best.citations = [best.n]
                out.append(best)
        for c in chosen:
            if not any((x.n, x.index) == (c.n, c.index) for x in out):
                out.append(c)
        return out[: self.max_sentences]

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | list[Sentence]]:
        """The whole answer text at once, then its sentences."""
        sentences = self.answer(question, passages)
        yield answer_text(sentences) if sentences else REFUSAL_TEXT
        yield sentences

    # -- selection -----------------------------------------------------------------------------
    def select(self, cands: list[Candidate]) -> list[Candidate]:
        """The sentences to quote from scored candidates, best first, each with its citations (the
        rule path's choice; stack.py reads it for the learned path)."""
        ranked = sorted(cands, key=lambda c: (-c.score, c.rank, c.index))
        best = ranked[0]
        chosen: list[Candidate] = []
        for c in ranked:
            if c.score < FOLLOW_RATIO * best.score or len(chosen) >= self.max_sentences:
                break
            dup = next((x for x in chosen if self._same_fact(x, c)), None)
            if dup is not None:
                if c.n not in dup.citations and len(dup.citations) < MAX_CITATIONS:
                    dup.citations.append(c.n)
                    dup.cited_spans[c.n] = c.span
                continue
            c.citations = [c.n]
            chosen.append(c)
        # near-duplicates further down still add citations to what was said
        for c in ranked:
            if c.score < CITE_RATIO * best.score:
                break
            if any(c is x for x in chosen):
                continue
            for x in chosen:
                if c.n not in x.citations and len(x.citations) < MAX_CITATIONS and self._same_fact(x, c):
                    x.citations.append(c.n)
                    x.cited_spans[c.n] = c.span
        return chosen

    def _complete_year(self, chosen: list[Candidate], cands: list[Candidate]) -> list[Candidate]:
        """For a when-question answered with a day but no year ("premieres Thursday, Nov. 12"), add
        the passage sentence that gives the same day with its year ("Tuesday Mar 9, 2021")."""
        terms = [key_terms(c.text) for c in chosen]
        if not chosen or any(t.full_dates for t in terms) or not terms[0].dates:
            return chosen
        days = terms[0].dates
        best = max((c for c in cands if not any(c is x for x in chosen)
                    and any(d[5:] in days for d in key_terms(c.text).full_dates)),
                   key=lambda c: c.score, default=None)
        if best is None:
            return chosen
        best.citations = [best.n]
        return [chosen[0], best, *chosen[1:]][: self.max_sentences]

    def _same_fact(self, a: Candidate, b: Candidate) -> bool:
        # unlike select.same_fact, an equal text in another passage is the same fact only when both
        # were embedded: the rule path's choice stays as it was set
        return (a.n, a.index) == (b.n, b.index) or restates(a, b)

    def _sentences(self, chosen: list[Candidate], passages: list[Passage]) -> list[Sentence]:
        return quote_sentences(chosen, passages, self.scorer, self.max_sentences,
                               lambda c: bool(_PRONOUN_START.match(c.text)))
