"""The short answer for backends that quote or write sentences without ranking them
(`extractive`, the generated backends): the span of a cited sentence that answers a
who/what/which/when/where/how-many question, found the way the `ranked` path finds it
(select.py: an entity of the asked kind the question does not name, nearest its words).

It reads the passage text each sentence rests on (`Sentence.spans`), so a generated sentence that
does not rest on a located span gets no short answer rather than one the passage does not hold.
"""

from __future__ import annotations

from typing import Sequence

from newsqa.rag.types import Passage, Sentence, ShortAnswer

# The lead sentences only: a span from the third quoted sentence rarely answers the question.
LEAD_SENTENCES = 2


def short_answer_for(question: str, sentences: Sequence[Sentence],
                     passages: Sequence[Passage]) -> ShortAnswer | None:
    """The short answer taken from the first of the lead sentences that holds one, or None (an
    untyped question: why/how/yes-no; no entity of the asked kind in the cited text)."""
    from newsqa.rag.query import analyse

    q = analyse(question)
    if not q.typed:
        return None
    from newsqa.rag.analyse import analyse_sentences
    from newsqa.rag.select import short_answer
    from newsqa.rag.sentences import Candidate

    by_n = {p.n: p for p in passages}
    for s in sentences[:LEAD_SENTENCES]:
        for n in s.citations:
            span, p = s.spans.get(n), by_n.get(n)
            if span is None or p is None:
                continue
            text = p.chunk.text[span[0]:span[1]]
            if not text.strip():
                continue
            c = Candidate(n=n, rank=0, span=span, text=text, index=0, doc=analyse_sentences([text])[0])
            found = short_answer(q, c)
            if found is not None:
                return found
    return None
