"""The short answer for backends that quote or write sentences without ranking them
(`extractive`, the generated backends): the span of a cited sentence that answers a
who/what/which/when/where/how-many question, chosen as the `ranked` path chooses it (span.py: the
learned span model over the lead sentences' entities and noun phrases; with weights that lack one,
select.py's rule: an entity of the asked kind the question does not name, nearest its words).

It reads the passage text each sentence rests on (`Sentence.spans`), so a generated sentence that
does not rest on a located span gets no short answer rather than one the passage does not hold.
These backends give no per-sentence probability: every lead sentence scores the same, so the model
chooses by the spans' own features and the sentences' order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from newsqa.rag.types import Passage, Sentence, ShortAnswer

if TYPE_CHECKING:
    from newsqa.rag.ranker import RankerModel
    from newsqa.rag.span import Embed

# The lead sentences only: a span from the third quoted sentence rarely answers the question.
LEAD_SENTENCES = 2


def short_answer_for(question: str, sentences: Sequence[Sentence], passages: Sequence[Passage],
                     model: "RankerModel | None" = None,
                     embed: "Embed | None" = None) -> ShortAnswer | None:
    """The short answer taken from the lead sentences (by `model`'s span model, default the shipped
    weights', with `embed` for its `completes` feature), or None (an untyped question:
    why/how/yes-no; no span in the cited text)."""
    from newsqa.rag.query import analyse

    q = analyse(question)
    if not q.typed:
        return None
    from newsqa.rag.analyse import analyse_sentences
    from newsqa.rag.ranker import load_model
    from newsqa.rag.select import short_answer
    from newsqa.rag.sentences import Candidate
    from newsqa.rag.span import learned_short_answer

    by_n = {p.n: p for p in passages}
    located: list[tuple[int, tuple[int, int], str, int]] = []
    for place, s in enumerate(sentences[:LEAD_SENTENCES]):
        for n in s.citations:
            span, p = s.spans.get(n), by_n.get(n)
            if span is None or p is None:
                continue
            text = p.chunk.text[span[0]:span[1]]
            if text.strip():
                located.append((n, span, text, place))
    if not located:
        return None
    docs = analyse_sentences([text for _, _, text, _ in located])
    cands = [Candidate(n=n, rank=0, span=span, text=text, index=place, doc=d)
             for (n, span, text, place), d in zip(located, docs)]
    model = model or load_model()
    if model.span is not None:
        # one candidate per lead sentence (its first located citation): the others say the same
        first: dict[int, Candidate] = {}
        for c in cands:
            first.setdefault(c.index, c)
        lead = list(first.values())
        return learned_short_answer(q, lead, lead, model.span, embed)
    return next((x for x in (short_answer(q, c) for c in cands) if x is not None), None)
