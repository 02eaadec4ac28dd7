"""Role questions: "Who is the mayor of Calder Bay?", "Who is Grendahl's managing director?", "Who
is the chief economist at Calloway Building Society?".

The role is the whole relation such a question asks about, and news names a role's holder in a few
fixed ways: the role noun beside the name, qualified by the thing the question names ("Calder Bay
Mayor Ada Quist", "Grendahl's managing director, Ada Quist", "Ada Quist, the mayor of Calder
Bay"). A sentence that names someone so answers the question by what it says, whatever else it is
about: it leads the answer, and the name is the short answer. The learned models read the
question's words and the entity kind: on a short article naming two presidents ("Russian President
X has offered to mediate ... a call with UAE President Y"), they led with the first for "Who is the
president of the UAE?" and gave X as its short answer.

Whether to answer at all stays the answerability model's decision: letting a role's holder answer
whatever it says also answered a question whose evidence had been removed, from a sentence naming
a holder of the same title for a thing of the same name (docs/measurements.md).

Only questions that ask for nothing but the role: "who", a form of "be", a focus noun and a named
thing, no other verb ("Who is the former finance chief who pleaded guilty?" asks about the plea).

The same titles read the other way (titled_names, names_by_role): in a passage that names "Russian
President X", a later "the Russian president said ..." is X speaking (reported.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from newsqa.index.lexical import tokenize

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from newsqa.rag.query import AnalysedQuestion
    from newsqa.rag.sentences import Candidate
    from newsqa.rag.types import ShortAnswer

ROLE_SENTENCES = 6  # the ranked sentences read for a role's holder (the ranker's pre-selection)
# what qualifies a role noun: "UAE President", "Chinese leader", "the bank's economist",
# "mayor of Calder Bay", "economist at Calloway"
_QUALIFIERS = ("compound", "amod", "poss", "nmod", "npadvmod")
_OF = frozenset({"of", "at", "for", "in"})
_ARTICLES = frozenset({"the", "a", "an"})
_MISNAMED = frozenset({"ORG", "NORP", "GPE"})
_THINGS = frozenset({"GPE", "NORP", "ORG", "LOC", "FAC"})  # what a title's qualifier may name


@dataclass(frozen=True)
class RoleAnswer:
    cand: "Candidate"  # the ranked sentence that names the role's holder
    short: "ShortAnswer"  # the holder's name in it


def is_role_question(q: "AnalysedQuestion") -> bool:
    """"Who is <the role of X>?": who, a form of "be" as the root, a focus noun, a named thing,
    and no other verb."""
    if q.wh != "who" or not q.focus or not q.named:
        return False
    roots = [t for t in q.doc if t.dep_ == "ROOT"]
    if len(roots) != 1 or roots[0].lemma_.lower() != "be":
        return False
    return not any(t.pos_ == "VERB" for t in q.doc)


def role_holder(q: "AnalysedQuestion", doc: "Doc", parse: "Doc") -> "Span | None":
    """The first person named in `doc` (a sentence's NER analysis; `parse` its dependency parse,
    same tokens) titled by the question's role noun, that noun qualified by a thing the question
    names (a direct dependent of the title that is that thing, with all its words) and holding no
    other word the question does not use ("Harbour Lights video director X" is the video's
    director); None without one, or when the sentence leaves out a thing the question names."""
    from newsqa.rag.features import words_of
    from newsqa.rag.span import beside

    focus = frozenset(tokenize(q.focus))
    asked = words_of(q.text)
    # each named thing by all its words: "the 2021 Awards" is not qualified by "Awards" alone
    names = _named_words(q)
    said = words_of(doc.text)
    if not names or not all(w <= said or _adjective_in(w, said) for w in names):
        return None  # the sentence leaves out a thing the question names
    for e in doc.ents:
        name = parse[e.start:e.end]
        if not _person_like(e, name) or words_of(e.text) & {w for n in names for w in n}:
            continue  # not a person, or the thing the question names
        inside = set(range(e.start, e.end))
        for role in (t for t in beside(name) if set(tokenize(t.text)) & focus):
            # the title's words: the role noun's own dependents, and, for a title in front of the
            # name ("UAE President Ada Quist"), the name head's (the parser hangs them there)
            mods = [c for c in role.children if c.i not in inside]
            if role.i != name.root.i and role.head.i == name.root.i:
                mods += [c for c in name.root.children if c.i not in inside and c.i != role.i]
            if _qualified(mods, names, asked):
                return e
    return None


def _named_words(q: "AnalysedQuestion") -> list[frozenset[str]]:
    """Each thing the question names, by its lowercase words without articles."""
    from newsqa.rag.features import words_of

    return [frozenset(w) for w in (words_of(n) - _ARTICLES for n in q.named) if w]


def _person_like(e: "Span", name: "Span") -> bool:
    """A person's name, or a name the small NER gives another label ("Sunniva Bakkeland": ORG): a
    role noun titles only people, so a proper name it titles is one."""
    return e.label_ == "PERSON" or (e.label_ in _MISNAMED and all(t.pos_ == "PROPN" for t in name))


def _qualified(mods: list["Token"], names: list[frozenset[str]], asked: set[str]) -> bool:
    """Among a title's dependents, one is a thing the question names (the dependent or the object
    of its "of"/"at", holding all the thing's words), and every other word of the title is one
    the question uses."""
    found = False
    for c in mods:
        if c.dep_ == "prep" and c.lower_ in _OF:
            heads = [g for g in c.children if g.dep_ == "pobj"]
        elif c.dep_ in _QUALIFIERS:
            heads = [c]
        else:
            continue
        for h in heads:
            words = {t.lower_ for t in h.subtree}
            if h.lower_ in {w for n in names for w in n} and any(n <= words for n in names):
                found = True
            elif any(len(n) == 1 and _same_thing(next(iter(n)), h.lower_) for n in names):
                found = True  # "Iranian President X" for "the president of Iran"
            elif c.dep_ in ("compound", "amod", "nmod") and not {t.lower_ for t in h.subtree
                                                                  if t.is_alpha} <= asked:
                return False  # a word the question does not use: another role ("video director")
    return found


def role_answer(q: "AnalysedQuestion", ranked: list["Candidate"]) -> RoleAnswer | None:
    """For a role question, the best ranked sentence (of the first `ROLE_SENTENCES`) that names
    the role's holder, with the name as the short answer; None for other questions or without one."""
    from newsqa.rag.select import span_answer
    from newsqa.rag.span import parse_sentences

    if not is_role_question(q):
        return None
    live = [c for c in ranked[:ROLE_SENTENCES] if c.doc is not None]
    for c, parse in zip(live, parse_sentences([c.text for c in live])):
        if len(parse) != len(c.doc):  # type: ignore[arg-type]
            continue
        e = role_holder(q, c.doc, parse)  # type: ignore[arg-type]
        if e is not None:
            return RoleAnswer(c, span_answer(c, e, parse))
    return None


HOLDER_WINDOW = 5  # words between a person's name and the role noun that may make them its holder


def holder_named(q: "AnalysedQuestion", ranked: list["Candidate"]) -> bool:
    """Whether the passages may name the holder of the role a role question asks about, where they
    title someone with that role for another thing (other_holders): then a sentence of theirs
    (every ranked candidate) must name role_holder's person, or, of the names the question does
    not give, the one nearest the role noun, a few words from it ("X will take over as chief
    executive", "President X said"), not one of those others. A role question whose passages
    name only other holders is not answered by them: the learned models read "Who is the
    president of Iran?" in a passage on Russia's president as well answered by his sentence. True
    for other questions, and where no one is titled with the role for something else."""
    from newsqa.rag.analyse import analyse_sentences
    from newsqa.rag.features import gap, words_of
    from newsqa.rag.span import parse_sentences

    if not is_role_question(q):
        return True
    missing = iter(analyse_sentences([c.text for c in ranked if c.doc is None]))
    docs = [c.doc if c.doc is not None else next(missing) for c in ranked]
    others = other_holders(q, docs)
    if not others:
        # no one titled with the role for something else: nothing to mistake for its holder, and
        # many holders are named without the role noun ("Avatar, directed by X", "X won the cup")
        return True
    named = q.named_tokens
    for doc, parse in zip(docs, parse_sentences([d.text for d in docs])):
        if len(parse) != len(doc):
            continue
        if role_holder(q, doc, parse) is not None:
            return True
        people = [e for e in doc.ents if e.label_ == "PERSON" and not words_of(e.text) & named]
        for i in (t.i for t in parse if t.lemma_.lower() == q.focus):
            # the role noun's nearest name is the one it titles ("US President A and Israeli Prime
            # Minister B": the minister is B)
            near = min(people, key=lambda e: gap(i, e), default=None)
            if near is not None and gap(i, near) <= HOLDER_WINDOW and not holds_other(near.text, others):
                return True
    return False


def other_holders(q: "AnalysedQuestion", docs: Sequence["Doc"]) -> list[frozenset[str]]:
    """For a role question, the people the sentences `docs` (their NER analysis) title with its
    role noun for another named thing only ("Russian President X" asked "Who is the president of
    Iran?"): each one's name words. Such a person holds the role, but not the one asked. A title
    qualified by no name ("President X", "the union's regional secretary") neither names nor rules
    out the asked thing. Empty for other questions."""
    from newsqa.rag.features import words_of
    from newsqa.rag.span import parse_sentences

    if not is_role_question(q):
        return []
    asked = [w for n in _named_words(q) for w in n]
    fits: list[frozenset[str]] = []
    others: list[frozenset[str]] = []
    for doc, parse in zip(docs, parse_sentences([d.text for d in docs])):
        # the words of what the sentence names: places, nationalities, bodies
        things = {w for e in doc.ents if e.label_ in _THINGS for w in words_of(e.text)}
        for t in titled_names([parse]):
            named = t.qualifiers & things
            if t.role != q.focus or not named:
                continue
            same = any(_same_thing(w, x) for w in asked for x in named)
            (fits if same else others).append(t.names)
    return [o for o in others if not any(o & f for f in fits)]


def holds_other(name: str, others: Sequence[frozenset[str]]) -> bool:
    """The name shares a word with one of `others` (other_holders)."""
    from newsqa.rag.features import words_of

    words = words_of(name)
    return any(words & o for o in others)


def _adjective_in(name: frozenset[str], words: set[str]) -> bool:
    """A one-word name is in `words` by its adjective ("Iranian" for "Iran")."""
    return len(name) == 1 and any(_same_thing(next(iter(name)), w) for w in words)


def _same_thing(asked: str, qualifier: str) -> bool:
    """A qualifier names the asked thing: the same word, or the name and its adjective ("iran" and
    "iranian", "china" and "chinese": the longer begins with all but the shorter's last two letters,
    at least four of them)."""
    if asked == qualifier:
        return True
    short, long_ = sorted((asked, qualifier), key=len)
    return len(short) >= 4 and long_.startswith(short[:max(4, len(short) - 2)])


@dataclass(frozen=True)
class Titled:
    """A person a text names with a role noun beside the name ("Russian President Ada Quist", "Ada
    Quist, the town's mayor", "the mayor, Ada Quist"): whom a later "the Russian president" or "the
    mayor" alone means."""

    names: frozenset[str]  # the name's lowercase words
    role: str  # the role noun's lowercase lemma
    qualifiers: frozenset[str]  # the lowercase words of the role's own modifiers ("russian")


def titled_names(parses: Sequence["Doc"]) -> list[Titled]:
    """Every name titled by a role noun (a noun for a person, query.is_person_noun) in the parsed
    sentences: the noun in a run of proper nouns before the name ("Russian President Vladimir
    Putin", "Harbour Master Ada Quist of Calder Bay") or in apposition with it ("Ada Quist, the
    town's mayor")."""
    from newsqa.rag.query import is_person_noun

    out = []
    for parse in parses:
        for r in parse:
            if r.pos_ not in ("NOUN", "PROPN") or not is_person_noun(r.lemma_):
                continue
            run = _proper_run(parse, r.i)
            if r.pos_ == "PROPN" and run[-1].i > r.i:  # a title in front: the name is the run after it
                names = [t for t in run if t.i > r.i]
                quals = _qualifier_words(r) | {t.lower_ for t in run if t.i < r.i} | _qualifier_words(run[-1], False)
            elif r.dep_ == "appos" and r.head.pos_ == "PROPN":
                names, quals = _proper_run(parse, r.head.i), _qualifier_words(r)
            else:
                appos = next((c for c in r.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
                if appos is None:
                    continue
                names, quals = _proper_run(parse, appos.i), _qualifier_words(r)
            out.append(Titled(frozenset(t.lower_ for t in names), r.lemma_.lower(), quals))
    return out


def asks_title_of(q: "AnalysedQuestion") -> bool:
    """"What country is X the president of?", "Which company is X the chief executive of?": the
    question asks what the title of a person it names is of."""
    from newsqa.rag.query import is_person_noun

    slot = q.slot
    return slot is not None and slot.role == "prep:of" and is_person_noun(slot.verb) and bool(q.named_tokens)


def qualifies_title(q: "AnalysedQuestion", span: "Span", titled: Sequence[Titled]) -> bool:
    """For a question that asks_title_of, the span of a parsed sentence (whose titled names are
    `titled`) qualifies the asked title of the person the question names ("Russian President X",
    "Oskarsen chief executive X", "X, Kelham's mayor"). A title's qualifier is its "of", and the
    one answer such a question has; the title of someone else ("US President Y" in the same
    sentence) is not."""
    words = {t.lower_ for t in span if t.is_alpha and t.pos_ not in ("DET", "PART", "ADP")}
    return bool(words) and q.slot is not None and any(
        t.role == q.slot.verb and t.names & q.named_tokens and words <= t.qualifiers for t in titled)


def _proper_run(parse: "Doc", i: int) -> list["Token"]:
    """The run of proper nouns that holds token `i` (a name with its titles before it)."""
    a = b = i
    while a > 0 and parse[a - 1].pos_ == "PROPN":
        a -= 1
    while b + 1 < len(parse) and parse[b + 1].pos_ == "PROPN":
        b += 1
    return list(parse[a:b + 1])


def _qualifier_words(word: "Token", modifiers: bool = True) -> frozenset[str]:
    """The content words of what qualifies a noun: its modifiers ("Russian", "the town's"; not with
    `modifiers` False, for a name, whose modifiers are its own words) and the objects of its
    "of"/"at"/"for"/"in" ("the mayor of Calder Bay")."""
    heads = [c for c in word.children if c.dep_ in _QUALIFIERS] if modifiers else []
    heads += [g for c in word.children if c.dep_ == "prep" and c.lower_ in _OF
              for g in c.children if g.dep_ == "pobj"]
    return frozenset(w.lower_ for h in heads for w in h.subtree
                     if w.is_alpha and w.pos_ not in ("DET", "PART", "ADP", "PRON"))


def names_by_role(subject: "Token", speaker: frozenset[str], titled: Sequence[Titled]) -> bool:
    """`subject` ("the Russian president") means the speaker by a role its text gives them: its
    head is the role noun of a titled mention of the speaker, its modifiers among that mention's
    qualifiers, and it fits no one else the text titles ("the president" of a text that names two
    presidents means neither)."""
    role, quals = subject.lemma_.lower(), _qualifier_words(subject)
    fits = [t for t in titled if t.role == role and quals <= t.qualifiers]
    return bool(speaker) and bool(fits) and all(t.names & speaker for t in fits)
