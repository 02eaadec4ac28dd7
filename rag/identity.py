"""The short answer of a question that asks who a named person is ("Who is Ada Brenner?", "Who was
Tomas Reyes?"): the role the quoted sentences give the name. News writes it before the name as a
title ("Kremlin spokesman Yury Ushakov", "the port's chief executive Ada Brenner"), after it as an
apposition ("Ada Brenner, the port's chief executive, said"), or as what the name is ("Brenner is
the port's chief executive"). The span model cannot answer these: every span naming the person is
one the question names, and a role is no entity. "What is X?" of a named thing reads the same
places, and also the name a short form stands for ("the Kelham Ferry Authority (KFA)") and the
noun a name is compounded onto ("the port-owned KFA board").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from newsqa.rag.types import ShortAnswer

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from newsqa.rag.query import AnalysedQuestion
    from newsqa.rag.sentences import Candidate

# the modifiers that make a title of the words before a name ("Kremlin spokesman", "Putin's
# personal spokesman"); a determiner is left out ("the mayor Ada Brenner": "mayor")
_TITLE_DEPS = frozenset({"compound", "amod", "nmod", "poss"})
MAX_ROLE_WORDS = 10  # longer is a clause about the person, not a role


def asks_identity(q: "AnalysedQuestion") -> bool:
    """"Who is X?" / "What is X?" (or "was") with X a name and nothing else: what X is, not who or
    what did a thing."""
    from newsqa.rag.query import AnswerKind

    if q.wh not in ("who", "what") or q.kind is not AnswerKind.DESCRIPTION or not q.named_tokens:
        return False
    rest = [t for t in q.doc if not t.is_punct and t.lower_ != q.wh and t.lemma_.lower() != "be"
            and t.dep_ != "det"]
    return bool(rest) and all(t.lower_ in q.named_tokens for t in rest)


def identity_answer(q: "AnalysedQuestion", quoted: Sequence["Candidate"]) -> ShortAnswer | None:
    """The first role a quoted sentence gives the question's name, in the quoted order."""
    from newsqa.rag.span import parse_sentences

    for c, parse in zip(quoted, parse_sentences([c.text for c in quoted])):
        for first, head in _names(parse, q.named_tokens):
            span = _role(head, first, q.wh == "what")
            if span is not None:
                a, b = span
                return ShortAnswer(text=c.text[a:b], n=c.n, start=c.span[0] + a, end=c.span[0] + b)
    return None


def _names(parse: "Doc", words: frozenset[str]) -> list[tuple[int, "Token"]]:
    """Each run of the name's words in the sentence: its first token's index and its head ("Yury
    Ushakov": "Ushakov", the token whose own head lies outside the run)."""
    out = []
    i = 0
    while i < len(parse):
        if parse[i].lower_ not in words:
            i += 1
            continue
        j = i
        while j + 1 < len(parse) and parse[j + 1].lower_ in words:
            j += 1
        run = range(i, j + 1)
        head = next((t for t in parse[i:j + 1] if t.head.i not in run or t.head.i == t.i), None)
        if head is not None:
            out.append((i, head))
        i = j + 1
    return out


def _role(head: "Token", first: int, thing: bool = False) -> tuple[int, int] | None:
    """Character offsets in the sentence of the role it gives the name that starts at token `first`
    and is headed by `head`: a title before it, an apposition after it, or what it is. For a
    `thing` (a "What is X?"), also the name a short form stands for ("the Economic Forum (SPIEF)")
    and the noun it names ("the Beijing-led BRICS organisation")."""
    title = [t for t in head.lefts if t.i < first and t.dep_ in _TITLE_DEPS]
    if title:
        return _offsets(head.doc, min(t.left_edge.i for t in title), first)
    if head.dep_ == "appos" and head.head.i < first:
        # the name in apposition to its title ("Spokesman for the ministry Maria Zakharova")
        return _offsets(head.doc, head.head.left_edge.i, first, names=thing)
    appos = next((t for t in head.rights if t.dep_ == "appos"), None)
    if appos is not None:
        return _offsets(head.doc, appos.left_edge.i, appos.right_edge.i + 1)
    verb = head.head
    if head.dep_ == "nsubj" and verb.lemma_.lower() == "be":
        attr = next((t for t in verb.rights if t.dep_ == "attr"), None)
        if attr is not None:
            return _offsets(head.doc, attr.left_edge.i, attr.right_edge.i + 1)
    noun = head.head
    if thing and head.dep_ == "compound" and noun.pos_ == "NOUN" and noun.i > head.i:
        a = noun.left_edge.i
        while a < first and noun.doc[a].dep_ == "det":
            a += 1
        return _offsets(head.doc, a, noun.i + 1)
    return None


def _offsets(doc: "Doc", a: int, b: int, names: bool = False) -> tuple[int, int] | None:
    """The tokens a..b-1 as character offsets, without punctuation at either end; None when they
    hold no common noun or listed noun for a person (a role has one: "spokesman", "chief
    executive", "President"; with `names`, a proper noun will do) or run too long."""
    from newsqa.rag.query import listed_person_noun

    while a < b and doc[a].is_punct:
        a += 1
    while b > a and doc[b - 1].is_punct:
        b -= 1
    words = [t for t in doc[a:b] if not t.is_punct]
    # (a capitalised title is tagged a proper noun: "Chinese President"; a listed one, not one
    # guessed from its ending, which would take a first name "Lindqvist" for a title)
    if not words or len(words) > MAX_ROLE_WORDS or not any(
            t.pos_ == "NOUN" or listed_person_noun(t.lemma_) or names and t.pos_ == "PROPN" for t in words):
        return None
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
