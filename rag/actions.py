"""The short answer of a question that asks what someone means to do ("What did the council offer
to do?", "What has the union threatened to do?", "What does the board plan to do?"): the action a
quoted sentence gives the question's verb, its infinitive clause ("has offered to mediate between
the two sides, saying ..." -> "to mediate between the two sides"), or the clause on a noun of the
verb's family ("its offer to mediate", "plans to close the line"); and of one that asks what an
aim is ("What is the council's priority?") where a sentence equates it with an action ("The
priority is to halt the fighting, agree a ceasefire and restore peace"); and of one that asks what
someone was praised, fined or arrested for, where a sentence gives the verb a "for" clause of an
act ("was fined for failing to protect customer data" -> "failing to protect customer data"); and
of one that asks what someone found, decided or arranged, where a sentence gives the verb a clause
for its object ("found that adults who nap remember more", "decided to close the bridge"). The
span model cannot answer these: an action or a finding is no entity, and the question names no
kind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from newsqa.rag.types import ShortAnswer

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

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


def asked_aim(q: "AnalysedQuestion") -> str:
    """The lemma of the noun a "What is the N?" question asks about ("priority" in "What is the
    priority today?": "what" the complement of a "be" whose subject is the noun), "" for any other
    question, and for a noun the answer types know (a price, a score, a name of a firm: "The price
    is to rise" says what is to come, not what the price is)."""
    from newsqa.rag.query import AnswerKind

    if q.wh != "what" or q.kind is not AnswerKind.ENTITY:
        return ""
    for t in q.doc:
        be = t.head
        if t.lower_ == "what" and t.dep_ == "attr" and be.lemma_.lower() == "be":
            noun = next((c for c in be.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"), None)
            return noun.lemma_.lower() if noun is not None else ""
    return ""


def _what_has_noun(q: "AnalysedQuestion") -> bool:
    """The question's "what" determines a noun ("What team ...?", "What deal ...?"): it asks for a
    thing of that kind, which the span model finds, not for a clause."""
    return any(t.lower_ == "what" and t.dep_ == "det" for t in q.doc)


def asked_reason(q: "AnalysedQuestion") -> frozenset[str]:
    """The forms and lemma of the verb a "what" question asks the "for" of ("What was the firm
    fined for?", "What did the mayor praise the crews for?"), empty for any other question and for
    one whose question word has a noun ("What team does she play for?" asks for a team)."""
    from newsqa.rag.slots import stranded_preposition

    if q.wh != "what" or _what_has_noun(q):
        return frozenset()
    words = [t for t in q.doc if not t.is_punct]
    # a "for" without its object, or ending the question whatever the parser hangs on it ("What
    # was X fined for?" may give it the "was")
    prep = words[-1] if words and words[-1].lower_ == "for" else stranded_preposition(q.doc)
    if prep is None or prep.lower_ != "for":
        return frozenset()
    # the verb the "for" belongs to; the small parser at times reads it as a noun and the name after
    # it as the verb ("praise Lind for"), so every verb and common noun before it is a candidate
    names = {t.i for e in q.doc.ents for t in e}
    verbs = [t for t in q.doc[:prep.i] if t.pos_ in ("VERB", "NOUN") and t.i not in names]
    return frozenset(w for t in verbs for w in (t.lower_, t.lemma_.lower()))


def asked_content(q: "AnalysedQuestion") -> str:
    """The lemma of the verb whose object a "what" question asks ("find" in "What did the study
    find?", "decide" in "What did the council decide?"), which news often gives as a clause; "" for
    any other question, for a light verb ("What did she do?") and for a question word with a noun
    ("What deal did they agree?" asks for a deal)."""
    from newsqa.rag.query import AnswerKind
    from newsqa.rag.slots import LIGHT_VERBS

    if q.wh != "what" or q.slot is None or q.slot.role != "obj" or q.kind is AnswerKind.STATEMENT:
        return ""
    if q.slot.verb in LIGHT_VERBS or _what_has_noun(q):
        return ""
    return q.slot.verb


def action_answer(q: "AnalysedQuestion", quoted: Sequence["Candidate"]) -> ShortAnswer | None:
    """The first action a quoted sentence gives the asked verb or a noun of its family, or equates
    the asked noun with, or gives the asked verb as what it was for, in the quoted order; None for
    a question that asks for none of these, or where no quoted sentence gives one."""
    from newsqa.rag.families import family
    from newsqa.rag.span import parse_sentences

    verb, aim, reason, content = asked_action(q), asked_aim(q), asked_reason(q), asked_content(q)
    if not verb and not aim and not reason and not content:
        return None
    words = {verb, *family(verb)} if verb else set()
    for c, parse in zip(quoted, parse_sentences([c.text for c in quoted])):
        for t in parse:
            if verb and (t.lemma_.lower() in words or t.lower_ in words):
                clause = next((x for x in t.children if _infinitive(x)), None)
            elif reason and t.pos_ == "VERB" and (t.lemma_.lower() in reason or t.lower_ in reason):
                clause = next((g for p in t.children if p.dep_ == "prep" and p.lower_ == "for"
                               for g in p.children if g.dep_ == "pcomp" and g.tag_ == "VBG"), None)
            elif (content and t.pos_ == "VERB" and t.lemma_.lower() == content
                  and not any(x.dep_ in ("dobj", "nsubjpass") for x in t.children)):
                # no object but a clause in its place: "found that ...", "decided to ..."
                clause = next((x for x in t.children if x.dep_ == "ccomp" or x.dep_ == "xcomp" and _infinitive(x)
                               or x.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "that"
                                                            for m in x.children)), None)
            elif aim and t.lemma_.lower() == aim and t.dep_ == "nsubj" and t.head.lemma_.lower() == "be":
                clause = next((x for x in t.head.children if x.dep_ == "xcomp" and _infinitive(x)), None)
            else:
                continue
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
    another clause begins (_CLAUSE_ENDS; not before a verb joined to it: "to halt the fighting,
    agree a ceasefire and restore peace"); None when that runs too long."""
    doc = clause.doc
    a = clause.left_edge.i
    if doc[a].lower_ == "that" and doc[a].dep_ == "mark":  # the finding, not its "that"
        a += 1
    b = clause.right_edge.i + 1
    joined = {clause.i}
    for i in range(clause.i + 1, b):
        if doc[i].dep_ == "conj" and doc[i].head.i in joined:
            joined.add(doc[i].i)
        if doc[i].lower_ in _CLAUSE_ENDS and not _joins(doc, i + 1, b, joined):
            b = i
            break
    while b > a and doc[b - 1].is_punct:
        b -= 1
    words = [t for t in doc[a:b] if not t.is_punct]
    if not words or len(words) > MAX_ACTION_WORDS:
        return None
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


def _joins(doc: "Doc", i: int, end: int, joined: set[int]) -> bool:
    """The words from `i` open a verb joined to the clause (after an "and" or "or")."""
    while i < end and doc[i].lower_ in ("and", "or"):
        i += 1
    return i < end and doc[i].dep_ == "conj" and doc[i].head.i in joined
