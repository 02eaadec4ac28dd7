"""Questions that ask what a thing is called, and the names sentences give things.

"What is the new ferry called?", "What was the storm dubbed?", "What is the plan known as?", "What
is the name of the bridge?", a quiz's "Kelham's bus app came back rebranded as:" ask for a name,
which news gives by a verb of naming or an "as" ("crews named the Ridge Pass blaze", "the storm,
dubbed Storm Kelda", "the plan, known as Project Hearth", "rebranded as Flix"). The
question names no kind (a fire, a plan, a service: the NER labels such names at random), so the
span model cannot tell the name from the sentence's other names; the construction can. The short
answer takes the name a quoted sentence gives before any other reading (short.py).

Only the short answer reads it: the question keeps its kind for ranking and refusal ("What is it
called?" stays a statement question, as "call" reports speech). Read as asking for an entity, and
with the naming sentences counted as holding what is asked, it cost answers on the validation
parts the ranker had right (docs/measurements.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from newsqa.rag.types import ShortAnswer

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from newsqa.rag.query import AnalysedQuestion
    from newsqa.rag.sentences import Candidate

# the verbs that give a thing a name as their complement ("called X", "dubbed X", "named it X")
NAMING_VERBS = frozenset({"call", "name", "dub", "nickname", "title", "term", "christen", "rename", "brand",
                          "rebrand"})
# ... and those whose "as X" does: "known as X", "renamed as X", "rebranded as X", "billed as X"
_AS_NAMING = frozenset({"know", "rename", "rebrand", "relaunch", "brand", "bill", "market", "style"})
# "formerly known as X": the name it had, not the one asked for
_FORMER = frozenset({"formerly", "previously", "once", "originally"})
# the naming verbs whose object is the name where they have no complement ("crews named the Ridge
# Pass blaze"; "called Ada Quist" is a telephone call)
_OBJECT_NAMES = frozenset({"name", "dub", "christen", "rename", "nickname"})
# the words a name is built of, below its head ("the Ridge Pass blaze", "Storm Kelda")
# (punctuation inside a name lies between these; a comma on its head opens a clause on it)
_NAME_PARTS = frozenset({"compound", "amod", "nmod", "det", "nummod", "flat", "poss", "case"})
# the forms of the naming verbs as a sentence writes them (the lemmatizer makes "relaunched"
# "relaunche")
_NAMING_FORMS = frozenset({"called", "named", "dubbed", "nicknamed", "titled", "termed", "christened",
                           "renamed", "rebranded", "branded"})
_AS_FORMS = frozenset({"known", "renamed", "rebranded", "relaunched", "branded", "billed", "marketed",
                       "styled"})
MAX_NAME_WORDS = 8


def asks_name(doc: "Doc") -> bool:
    """The question (parsed) asks what its thing is called: its "what" is the complement of a naming
    verb in the passive or with another object ("What is X called?", "What did locals call the
    bridge?"), of the "as" of "known as" and the like ("What is X known as?"), or is equated with or
    determines "name" ("What is the name of X?", "What name did they choose?"); or a sentence to
    complete ends on such a verb or its "as" ("... came back rebranded as:")."""
    words = [t for t in doc if not t.is_punct]
    if not words:
        return False
    last = words[-1]
    if doc[-1].text != "?" and (_naming(last) and last.tag_ == "VBN"
                                or last.lower_ == "as" and _as_naming(last.head)):
        return True  # a sentence to complete: "... called:", "... rebranded as:"
    for w in words:
        if w.lower_ != "what":
            continue
        if w.dep_ == "det" and w.head.lemma_.lower() == "name":
            return True
        head = w.head
        if head.lemma_.lower() == "be":
            if any(c.dep_ == "nsubj" and c.lemma_.lower() == "name" for c in head.children):
                return True
            if any(_open(x) for x in head.subtree):
                return True
            if head.head.i != head.i:  # the "is" of "What is X called?", whatever the parse calls it
                head = head.head
        if _naming(head) and head.pos_ == "VERB" and any(
                c.dep_ in ("auxpass", "nsubjpass", "dobj") and c.i != w.i for c in head.children):
            return True
    return False


def _naming(t: "Token") -> bool:
    """A naming verb, by its lemma or its form (the lemmatizer makes "relaunched" "relaunche")."""
    return t.lemma_.lower() in NAMING_VERBS or t.lower_ in _NAMING_FORMS


def _as_naming(t: "Token") -> bool:
    """A verb whose "as" gives a name ("known as", "relaunched as"), by its lemma or its form."""
    return t.lemma_.lower() in _AS_NAMING or t.lower_ in _AS_FORMS


def _open(t: "Token") -> bool:
    """A naming word that lacks the name, which the question word stands for: "known as" in "What
    is the plan known as?", "called" in "What is the new ferry called?" (the small parser hangs it
    on the noun)."""
    if t.lower_ == "as":
        return _as_naming(t.head) and not any(c.dep_ == "pobj" for c in t.children)
    return (_naming(t) and t.tag_ == "VBN"
            and not any(c.dep_ in ("oprd", "attr", "dobj") for c in t.children))


def asked_thing(doc: "Doc") -> str:
    """The lemma of the common noun whose name a naming question asks ("ferry" in "What is the new
    ferry called?" and "What is the name of the new ferry?"; a title the tagger calls a proper noun
    too, "the Chinese President"), "" without one ("What is it called?")."""
    in_names = {t.i for e in doc.ents for t in e}
    for t in doc:
        if not _common(t, in_names) or t.lemma_.lower() == "name":
            continue
        head = t.head.head if t.dep_ == "pobj" and t.head.lower_ == "of" else t.head
        if t.dep_ == "pobj" and head.lemma_.lower() == "name":
            return t.lemma_.lower()  # "the name of the ferry"
        if t.dep_ in ("nsubj", "nsubjpass") and (_naming(head) or head.lemma_.lower() == "be"):
            return t.lemma_.lower()  # "the ferry" of "What is the ferry called?"
    return ""


def given_names(parse: "Doc", thing: str = "") -> list[tuple[int, int]]:
    """Token ranges of the names the sentence `parse` gives things, in its order: the complement of
    a naming verb ("dubbed Storm Kelda", "is called the Vanta X2"), its object where the object is
    a name ("named the Ridge Pass blaze"), and the object of a naming "as" ("known as Project
    Hearth", "rebranded as Flix"; not "previously known as"); and the name beside the noun `thing`
    (a lemma) as its apposition or title ("its new ferry, the Island Star", "Kremlin spokesman Yury
    Ushakov", "Yury Ushakov, the Kremlin spokesman"). A name has a capitalised word or is quoted:
    "called the plan a disaster" gives none."""
    out: list[tuple[int, int]] = []
    for t in parse:
        # (a title the tagger capitalises too: "Chinese President Xi Jinping")
        if thing and t.lemma_.lower() == thing and t.pos_ in ("NOUN", "PROPN"):
            out += [x for x in _beside(t) if x is not None]
        if t.pos_ not in ("VERB", "AUX") or any(c.lower_ in _FORMER for c in t.children):
            continue
        heads: list[Token] = []
        if _naming(t):
            # the complement of a participle ("is called X", "the storm, dubbed X") or of a verb
            # with an object ("named the fire X"); "The mayor called Ada Quist" is a telephone call
            # the small parser reads as a complement
            if t.tag_ == "VBN" or any(c.dep_ == "dobj" for c in t.children):
                heads = [c for c in t.children if c.dep_ in ("oprd", "attr")]
            if not heads and t.lemma_.lower() in _OBJECT_NAMES:
                heads = [c for c in t.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")
                         and any(x.pos_ == "PROPN" for x in c.subtree)]
        if _as_naming(t):
            heads += [p for a in t.children if a.lower_ == "as" and a.dep_ == "prep"
                      for p in a.children if p.dep_ == "pobj"]
        for h in heads:
            span = _name_span(h)
            if span is not None:
                out.append(span)
    return sorted(set(out))


def _common(t: "Token", in_names: set[int]) -> bool:
    """A common noun, or a capitalised title outside any name ("President" in "the Chinese
    President": the tagger calls it a proper noun)."""
    return t.pos_ == "NOUN" or t.pos_ == "PROPN" and t.i not in in_names


def _beside(noun: "Token") -> list[tuple[int, int] | None]:
    """The names `noun` stands beside as their apposition or title, or that stand as its
    apposition."""
    names = [_name_span(c) for c in noun.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
    if noun.dep_ in ("compound", "appos") and noun.head.pos_ == "PROPN":
        names.append(_name_span(noun.head, without=noun))
    return names


def _name_span(head: "Token", without: "Token | None" = None) -> tuple[int, int] | None:
    """The name a noun heads: the head with the words it is built of (no determiner, clause or
    prepositional phrase on it, nor the title `without` and its words), None when no word of it is
    capitalised or quoted."""
    keep = {head.i}
    todo = [head]
    while todo:
        x = todo.pop()
        for c in x.children:
            if c.dep_ in _NAME_PARTS and (without is None or c.i != without.i):
                keep.add(c.i)
                todo.append(c)
    doc = head.doc
    a, b = min(keep), max(keep) + 1
    while a < b and (doc[a].dep_ in ("det", "poss", "case") or doc[a].is_punct):
        a += 1
    while b > a and doc[b - 1].is_punct and doc[b - 1].text not in ")\"”'’":
        b -= 1
    words = [t for t in doc[a:b] if not t.is_punct]
    if not words or len(words) > MAX_NAME_WORDS:
        return None
    quoted = a > 0 and doc[a - 1].text in "\"“'‘"
    if not quoted and not any(t.text[:1].isupper() for t in words):
        return None
    return a, b


def name_answer(q: "AnalysedQuestion", quoted: Sequence["Candidate"]) -> ShortAnswer | None:
    """The first name a quoted sentence gives, in the quoted order, other than one the question
    itself names ("the app known as FlixNow" for a question about FlixNow; "rebranded as Flix"
    answers "FlixNow came back rebranded as:"); None for a question
    that asks no name, or where no quoted sentence gives one."""
    from newsqa.rag.query import name_words
    from newsqa.rag.span import parse_sentences

    if not q.asks_name:
        return None
    own = {name_words([n]) for n in q.named}
    thing = asked_thing(q.doc)
    for c, parse in zip(quoted, parse_sentences([c.text for c in quoted])):
        for i, j in given_names(parse, thing):
            words = name_words([parse[i:j].text])
            if not words or words in own:
                continue
            a, b = parse[i].idx, parse[j - 1].idx + len(parse[j - 1].text)
            return ShortAnswer(text=c.text[a:b], n=c.n, start=c.span[0] + a, end=c.span[0] + b)
    return None
