"""The short answer. `part_short_answer` chooses it for one question or part from the sentences
quoted for it, for every backend: for a statement question what its sentence reports
(reported.py), else the span that answers a who/what/which/when/where/how-many question (span.py:
the learned span model over the sentences' entities and noun phrases; with weights that lack one,
select.py's rule: an entity of the asked kind the question does not name, nearest its words).
`short_answers_for` gives it to the backends that quote or write sentences without ranking them
(`extractive`, the generated backends), one per part of a compound question as `ranked` gives
them, from their lead sentences.

It reads the passage text each sentence rests on (`Sentence.spans`), so a generated sentence that
does not rest on a located span gets no short answer rather than one the passage does not hold.
These backends give no per-sentence probability: every lead sentence scores the same, so the model
chooses by the spans' own features and the sentences' order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from newsqa.rag.types import Passage, Sentence, ShortAnswer

if TYPE_CHECKING:
    from newsqa.rag.query import AnalysedQuestion
    from newsqa.rag.ranker import RankerModel
    from newsqa.rag.reported import SpeakerReading
    from newsqa.rag.sentences import Candidate
    from newsqa.rag.span import Embed

# The lead sentences only: a span from the third quoted sentence rarely answers the question (a
# compound question reads one more per further part: its parts' answers are quoted in turn).
LEAD_SENTENCES = 2


def short_answers_for(question: str, sentences: Sequence[Sentence], passages: Sequence[Passage],
                      model: "RankerModel | None" = None,
                      embed: "Embed | None" = None, skip: Sequence[str] = ()) -> tuple[ShortAnswer, ...]:
    """The short answer taken from the lead sentences (by `model`'s span model, default the shipped
    weights', with `embed` for its `completes` feature): one for a simple question, one per part
    of a compound question (query.analysed_parts) in the question's order, the same span given
    once; for a statement question what the lead sentence reports (reported.py); none for an
    untyped question (why/how/yes-no), for a part in `skip` (one the answer leaves unanswered,
    refuse.refused_parts) or without a span in the cited text."""
    from newsqa.rag.query import AnswerKind, analyse, analysed_parts

    every = analysed_parts(analyse(question))
    # (place in the question, part): the parts a span or a reported clause can answer
    parts = [(j, part) for j, part in enumerate(every)
             if (part.typed or part.kind is AnswerKind.STATEMENT) and part.text not in skip]
    if not parts:
        return ()
    from newsqa.rag.analyse import analyse_sentences
    from newsqa.rag.ranker import load_model
    from newsqa.rag.sentences import Candidate
    from newsqa.rag.span import distinct_answers

    by_n = {p.n: p for p in passages}
    located: list[tuple[int, tuple[int, int], str, int]] = []
    for place, s in enumerate(sentences[:LEAD_SENTENCES + len(every) - 1]):
        for n in s.citations:
            span, p = s.spans.get(n), by_n.get(n)
            if span is None or p is None:
                continue
            text = p.chunk.text[span[0]:span[1]]
            if text.strip():
                located.append((n, span, text, place))
    if not located:
        return ()
    docs = analyse_sentences([text for _, _, text, _ in located])
    cands = [Candidate(n=n, rank=0, span=span, text=text, index=place, doc=d)
             for (n, span, text, place), d in zip(located, docs)]
    model = model or load_model()
    # one candidate per lead sentence (its first located citation): the others say the same
    first: dict[int, Candidate] = {}
    for c in cands:
        first.setdefault(c.index, c)
    lead = list(first.values())
    out: list[ShortAnswer] = []
    for j, part in parts:
        # a compound question's answer quotes each part's best sentence in the question's order
        # (extractive._cover_parts): a part reads its own, as the ranked backend's parts read
        # theirs; another part's sentence lends its names to the wrong part
        mine = (lead[j:j + 1] or lead) if len(every) > 1 else lead
        own = {m.index for m in mine}  # the rule reads every located citation of those sentences
        sh = part_short_answer(part, mine, mine, model, embed, [c for c in cands if c.index in own], passages)
        if sh is not None:
            out.append(sh)
    return distinct_answers(out)


def part_short_answer(q: "AnalysedQuestion", quoted: list["Candidate"], ranked: list["Candidate"],
                      model: "RankerModel", embed: "Embed | None" = None,
                      rule_cands: list["Candidate"] | None = None,
                      passages: Sequence[Passage] = (),
                      reading: SpeakerReading | None = None) -> ShortAnswer | None:
    """The short answer of one question (or one part of a compound one) from the sentences quoted
    for it, as every backend chooses it: what a statement question's sentence reports
    (reported.py; `passages`, the quoted sentences' passages, tell whom a "he said" refers to;
    `reading`, the question's reading of them when the caller has made one),
    else the span model's choice among the quoted sentences' spans (span.py), else, with weights
    that lack a span model, select.py's rule over `rule_cands` (default `quoted`)."""
    from newsqa.rag.actions import action_answer
    from newsqa.rag.identity import asks_identity, identity_answer
    from newsqa.rag.naming import name_answer
    from newsqa.rag.query import AnswerKind
    from newsqa.rag.reported import statement_short_answer
    from newsqa.rag.select import short_answer
    from newsqa.rag.span import learned_short_answer

    named = name_answer(q, quoted)  # "What is the plan called?": the name a sentence gives it
    if named is not None:
        return named
    if q.kind is AnswerKind.STATEMENT:  # what was said: a clause, not an entity's span
        return statement_short_answer(q, quoted, passages, reading)
    if asks_identity(q):  # "Who is X?": the role the sentences give X, no entity's span
        return identity_answer(q, quoted)
    action = action_answer(q, quoted)  # "What did X offer to do?": an action, no entity's span
    if action is not None:
        return action
    if model.span is not None:
        published = {p.n: p.published_day() for p in passages} if passages else None
        return learned_short_answer(q, quoted, ranked, model.span, embed, published)
    cands = quoted if rule_cands is None else rule_cands
    return next((x for x in (short_answer(q, c) for c in cands) if x is not None), None)
