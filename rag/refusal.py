"""When to say "the indexed articles don't answer this" instead of showing an answer.

A calibrated decision on the ranker's own scores, for every backend alike:
  - nothing to say: no answer sentence, or none supported by its cited passages (support.py);
  - the best candidate sentence's probability of answering is below the threshold;
  - the cited articles (title and retrieved text) hold less than `min_names` of the words of the
    question's named things: they are about something else.
The threshold and `min_names` are chosen by cross-validation on the training part of the question
sets when `newsqa train-ranker` fits the ranker, and stored with its weights (rag/data/ranker.json).
A refused answer still carries its passages, which the page lists as related reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsqa.rag.sentences import Candidate, asks
from newsqa.rag.query import AnalysedQuestion, analyse
from newsqa.rag.ranker import RankerModel, load_model, rank
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import Passage, Sentence

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Refusal:
    refuse: bool
    reason: str = ""
    answer_score: float = 0.0


def names_share(q: AnalysedQuestion, cited: list[Passage], passages: list[Passage]) -> float:
    """Share of the question's named-thing words found in the cited passages' articles (their
    titles and every retrieved chunk of them); 1.0 when the question names nothing."""
    named = q.named_tokens
    if not named:
        return 1.0
    articles = {p.chunk.article_id for p in cited}
    text = "\n".join(f"{p.chunk.title}\n{p.chunk.text}" for p in passages if p.chunk.article_id in articles)
    words = {w.lower() for w in _WORD.findall(text)}
    return len(named & words) / len(named)


def decide(q: AnalysedQuestion, ranked: list[Candidate], sentences: list[Sentence],
           passages: list[Passage], model: RankerModel | None = None) -> Refusal:
    model = model or load_model()
    if not sentences:
        return Refusal(True, "no sentence answers the question")
    good = [s for s in sentences if s.supported and s.citations and not asks(s.text)]
    if not good:
        return Refusal(True, "no sentence is supported by the passages")
    best = ranked[0].score if ranked else 0.0
    if best < model.threshold:
        return Refusal(True, f"no sentence answers the question (score {best:.2f})", best)
    by_n = {p.n: p for p in passages}
    cited = [by_n[n] for s in good for n in s.citations if n in by_n]
    if names_share(q, cited, passages) < model.min_names:
        return Refusal(True, "the passages are about something else", best)
    return Refusal(False, "", best)


def should_refuse(question: str, sentences: list[Sentence], passages: list[Passage],
                  scorer: SupportScorer, model: RankerModel | None = None) -> bool:
    """`decide` for a question given as text (analysed and ranked here)."""
    q = analyse(question)
    return decide(q, rank(q, passages, scorer, model), sentences, passages, model).refuse
