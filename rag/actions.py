"""The short answer of a question that asks what someone means to do ("What did the council offer
to do?", "What has the union threatened to do?", "What does the board plan to do?"): the action a
quoted sentence gives the question's verb, its infinitive clause ("has offered to mediate between
the two sides, saying ..." -> "to mediate between the two sides"), or the clause on a noun of the
verb's family ("its offer to mediate", "plans to close the line"). The span model cannot answer
these: an action is no entity, and the question names no kind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from newsqa.rag.types import ShortAnswer

if TYPE_CHECKING:
    from spacy.tokens import Token

    from newsqa.rag.query import AnalysedQuestion
    from newsqa.rag.sentences import Candidate

MAX_ACTION_WORDS = 16  # longer is the rest of the sentence, not the action
# where an action's clause ends: what follows is another clause on it ("to mediate, suggesting
# ...", "to mediate but not to ...")
_CLAUSE_ENDS = frozenset({",", ";", ":", "—", "–", "(", "but", "while", "although", "though", "whereas"})


def asked_action(q: "AnalysedQuestion") -> str:
    """The lemma of the verb whose intended action the question asks for ("offer" in "What did the
    council offer to do?": a "what" question whose "to do", the verb's complement, has no object
    but the question word; or the noun's, "readiness" in "What has the council stated its
    readiness to do?"), "" for any other question. (The small parser hangs "what" on "do", on the
    main verb or makes it the subject.)"""
    if q.wh != "what":
        return ""
    for do in q.doc:
        if (do.lemma_.lower() == "do" and do.dep_ in ("xcomp", "acl") and do.head.i != do.i
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in do.children)
                and not any(c.dep_ == "dobj" and c.lower_ != "what" for c in do.children)):
            return do.head.lemma_.lower()
    return ""


def action_answer(q: "AnalysedQuestion", quoted: Sequence["Candidate"]) -> ShortAnswer | None:
    """The first action a quoted sentence gives the asked verb or a noun of its family, in the
    quoted order; None for a question that asks for none, or where no quoted sentence gives one."""
    from newsqa.rag.families import family
    from newsqa.rag.span import parse_sentences

    verb = asked_action(q)
    if not verb:
        return None
    words = {verb, *family(verb)}
    for c, parse in zip(quoted, parse_sentences([c.text for c in quoted])):
        for t in parse:
            if t.lemma_.lower() not in words and t.lower_ not in words:
                continue
            clause = next((x for x in t.children if _infinitive(x)), None)
            span = _offsets(clause) if clause is not None else None
            if span is not None:
                a, b = span
                return ShortAnswer(text=c.text[a:b], n=c.n, start=c.span[0] + a, end=c.span[0] + b)
    return None


def _infinitive(t: "Token") -> bool:
    """`t` heads a "to" clause on its head: "offered [to mediate]", "plans [to close]"."""
    return (t.dep_ in ("xcomp", "acl", "advcl") and t.pos_ in ("VERB", "AUX")
            and any(c.dep_ == "aux" and c.lower_ == "to" and c.i < t.i for c in t.children))


def _offsets(clause: "Token") -> tuple[int, int] | None:
    """Character offsets in the sentence of the clause `clause` heads, from its "to" up to where
    another clause begins (_CLAUSE_ENDS); None when that runs too long."""
    doc = clause.doc
    a = clause.left_edge.i
    b = clause.right_edge.i + 1
    for i in range(clause.i + 1, b):
        if doc[i].lower_ in _CLAUSE_ENDS:
            b = i
            break
    while b > a and doc[b - 1].is_punct:
        b -= 1
    words = [t for t in doc[a:b] if not t.is_punct]
    if not words or len(words) > MAX_ACTION_WORDS:
        return None
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
