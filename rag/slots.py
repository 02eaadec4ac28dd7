"""Which argument of which verb a word fills, from spaCy's dependency parse.

"Who built the plant?" asks for the subject of "build"; in "Russia built Iran's first nuclear power
plant", "Russia" is that subject and "Iran" is not (it owns the plant). A span of a quoted sentence
that fills the slot the question word fills (the same role to a verb of the same lemma) answers
the question's relation, which nearness and entity labels cannot tell apart. The span model reads
it as a feature (span.SpanFeatures.slot).

Roles: "subj" (the subject, or the agent of a passive: "built by Russia"), "obj" (the direct
object, or the subject of a passive: "the plant was built"), "cause" (the object of "because of",
"due to", "owing to", "thanks to", "amid", "after", "following": "delayed due to a glitch"),
"prep:<word>" (the object of a preposition attached to the verb: "warned against intervention";
the one given to is "prep:to" however it is written: "awarded the prize to X", "awarded X the
prize", "X was awarded the prize"), and the circumstances "where" and "when" ask for: "place" (a
phrase of place on the verb: "spoke at the forum", "died at her home in Leeds", "was held in
Nairobi") and "time" ("resigned on Tuesday", "founded in 1998", "left last month").

A span fills more than its head's own slot:
- a subject is also the unstated subject of the verbs that share it ("X defeated Y to win the
  title": X won; span_slots);
- a noun of the verb's own lemma, or one made from the verb, keeps the verb's subject and object
  ("Russia's support for the programme": Russia supports the programme; "a major supplier of
  drones": drones are what is supplied; `fills_slot`, through WordNet's derivationally related
  forms);
- a name before a hyphened participle is its subject ("the Saudi-led coalition": Saudi Arabia
  leads it);
- a name before a person's role fills the role's "of" ("Kelham Ferries CEO Ada Brenner": the CEO
  of Kelham Ferries);
- a noun fills the slot of the relative pronoun that stands for it ("Ada Brenner, who won the
  final": Ada Brenner won it).

A span fills no slot of a verb someone else does: where the question names who acts and the
sentence's verb has another named subject (`another_actor`: "When did Brenner speak?" is not
answered by the time Reyes spoke).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_WH = frozenset({"who", "whom", "what", "which"})
# "Who is ...", "What did ... do": the verb says nothing of the relation asked about ("have" does
# where it owns: _empty_verb)
LIGHT_VERBS = frozenset({"be", "do", "have"})
# a name's title, first name or describing words hang on its head: the head fills the slot; and a
# number counting a noun fills the noun's ("won 2,400 votes": the count is what was won)
_INSIDE = frozenset({"compound", "appos", "conj", "amod", "nmod", "nummod"})


# "because of X", "due to X", "owing to X", "thanks to X", "amid X", and in news "after X" and
# "following X" ("flights grounded after an outage"): X is why; however it is written, a cause
# fills one role ("cause"), so "due to what" finds "because of a glitch" and "after a glitch"
CAUSAL = frozenset({"because", "due", "owing", "thanks"})
CAUSAL_ALONE = frozenset({"amid", "after", "following"})


# prepositions whose object says where ("at", "in" ...) or when ("on", "in", "during" ...) the verb's
# event took place; "in" and "on" do both, and the answer's label tells a place from a day
_PLACE_PREPS = frozenset({"at", "in", "on", "near", "outside", "inside", "across", "throughout", "within",
                          "around", "beside", "aboard"})
_TIME_PREPS = frozenset({"on", "in", "at", "during"})
# the question words that ask for a circumstance of the verb they modify, and the role they ask for
_CIRCUMSTANCE = {"where": "place", "when": "time"}


class Slot(NamedTuple):
    role: str  # "subj", "obj", "cause", "prep:<preposition>", "place" or "time"
    verb: str  # the verb's lemma, lowercase
    # for a question's slot on a support verb, the noun that carries its meaning ("When did she make
    # the statement?": "statement"; see _supported)
    noun: str = ""


# verbs that lend their grammar to an event noun and add little of their own ("make a statement",
# "hold a meeting", "issue a warning", "make a donation"): a sentence says the same with the verb
# the noun is made from ("stated on Thursday", "met in May"); _event_noun says which nouns
SUPPORT_VERBS = frozenset({"make", "give", "take", "pay", "hold", "issue", "deliver", "conduct"})


def argument_slot(tok: "Token") -> Slot | None:
    """The slot the noun `tok` fills (climbing from a name's parts to its head), or None when it
    fills none (it owns something, modifies a noun, or the parse hangs it elsewhere)."""
    return _filled_slot(_argument(tok))


def _filled_slot(tok: "Token") -> Slot | None:
    """The slot the argument `tok` (_argument) fills by its own relation to its head."""
    dep = tok.dep_
    if dep == "nsubj":
        return Slot("subj", tok.head.lemma_.lower())
    if dep == "nsubjpass" and any(c.dep_ == "dobj" for c in tok.head.children):
        # "X was awarded the prize": a passive that keeps its object makes its subject the one given
        # to, as in "awarded the prize to X" and "awarded X the prize"
        return Slot("prep:to", tok.head.lemma_.lower())
    if dep == "dative" and tok.pos_ in ("NOUN", "PROPN", "PRON"):
        return Slot("prep:to", tok.head.lemma_.lower())
    if dep in ("nsubjpass", "dobj"):
        return Slot("obj", tok.head.lemma_.lower())
    if dep == "npadvmod" and _hyphened_agent(tok):
        return Slot("subj", tok.head.lemma_.lower())
    if dep == "pobj":
        prep = tok.head
        if prep.dep_ == "agent":
            return Slot("subj", prep.head.lemma_.lower())
        marker = _causal_marker(prep)
        if marker is not None:
            return Slot("cause", marker.head.lemma_.lower())
        return Slot("prep:" + prep.lower_, prep.head.lemma_.lower())
    return None


def _causal_marker(prep: "Token") -> "Token | None":
    """The word that makes a preposition's object a cause, as the parser hangs it: "because of X",
    "due to X", "owing to X", "thanks to X" (the object on "because", or on its "of" or "to"),
    "amid X", "after X", "following X"; its head is what was caused ("delayed because of X",
    "delays due to X"). None for other prepositions."""
    if prep.lower_ in CAUSAL or prep.lower_ in CAUSAL_ALONE:
        return prep
    if prep.lower_ in ("of", "to") and prep.head.lower_ in CAUSAL and prep.head.i == prep.i - 1:
        return prep.head
    return None


def _hyphened_agent(tok: "Token") -> bool:
    """The name before a hyphened participle that modifies a noun: "the Saudi-led coalition", "a
    Kremlin-backed group", "the Veltra-owned mill" say Saudi Arabia leads the coalition, the
    Kremlin backs the group, Veltra owns the mill (the parser hangs the name on the participle)."""
    verb, doc = tok.head, tok.doc
    return (verb.dep_ == "amod" and verb.tag_ == "VBN" and verb.i > tok.i
            and tok.i + 1 < len(doc) and doc[tok.i + 1].text == "-")


def _argument(tok: "Token") -> "Token":
    """The word whose relation to its head is the slot: climbing from a name's parts to its head."""
    for _ in range(4):
        if tok.dep_ not in _INSIDE:  # (the root's dep is "ROOT": the climb stops there)
            break
        tok = tok.head
    return tok


def question_slot(doc: "Doc") -> Slot | None:
    """The slot of the question word (_word_slot), with the noun a support verb carries
    (_supported)."""
    slot = _word_slot(doc) or _stem_slot(doc)
    return _supported(doc, slot) if slot is not None and slot.verb in SUPPORT_VERBS else slot


def _stem_slot(doc: "Doc") -> Slot | None:
    """A quiz's sentence to complete that ends on a preposition ("... after being charged with:", "...
    voted to rename the square after:"): the slot of that preposition's missing object, as for a
    question that strands it."""
    prep = completion_stem(doc)
    if prep is None or prep.dep_ != "prep" or any(True for _ in prep.children):
        return None
    slot = Slot("prep:" + prep.lower_, _stranded_head(prep).lemma_.lower())
    return slot if slot.verb not in LIGHT_VERBS else None


WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})


def completion_stem(doc: "Doc") -> "Token | None":
    """The last word of a quiz's sentence to complete ("... after being charged with:", "The board's
    new chair is:", "... reopened as a museum called:") when it is no noun: a preposition or a
    verb whose object is the answer; None for any other question (one with a question word, or a stem
    ending on a noun, "... her opposite number:", which names what it asks for as a
    headline-style query does)."""
    toks = [t for t in doc if not t.is_space]
    if len(toks) < 3 or toks[-1].text != ":" or any(t.tag_ in WH_TAGS for t in toks):
        return None
    last = toks[-2]
    if last.dep_ == "agent":
        # "... first set by:" keeps the headline reading (the last noun, "a female sprinter",
        # says a person): read as the one who acted, a place could answer it, and a training answer
        # was lost (docs/measurements.md)
        return None
    return last if last.pos_ in ("ADP", "VERB", "AUX") or last.dep_ == "prep" else None


def _supported(doc: "Doc", slot: Slot) -> Slot:
    """"When did the minister make her statement?", "Where did the board hold its meeting?": a
    support verb's object noun made from a verb (_event_noun; one the question word does not
    determine: "What statement did she make?" asks for the statement) joined to the slot, so that
    the noun's verb fills it as well ("stated on Thursday")."""
    for verb in doc:
        if verb.pos_ != "VERB" or verb.lemma_.lower() != slot.verb:
            continue
        if any(c.dep_ == "prt" for c in verb.children):
            continue  # a verb with a particle is a verb of its own: "took over construction"
        for obj in verb.children:
            if (obj.dep_ == "dobj" and obj.pos_ == "NOUN" and _event_noun(obj.lemma_.lower())
                    and not any(c.lower_ in _WH for c in obj.children)):
                return slot._replace(noun=obj.lemma_.lower())
    return slot


# the endings that make a noun for the event of its verb ("state" -> "statement", "donate" ->
# "donation", "meet" -> "meeting", "propose" -> "proposal", "close" -> "closure"); the ones that
# make a noun for a person or a thing ("cyclist", "supplier") name no event a support verb carries
_EVENT_ENDINGS = ("ment", "tion", "sion", "ance", "ence", "al", "ure", "ing")


def _event_noun(noun: str) -> bool:
    """`noun` is its verb with an ending for the event (families.py gives the verb)."""
    from newsqa.rag.families import family

    return noun.endswith(_EVENT_ENDINGS) and any(
        noun.startswith(r[:-1] if r.endswith("e") else r) and len(noun) > len(r) for r in family(noun))


def _word_slot(doc: "Doc") -> Slot | None:
    """The slot of the question word ("Who built ..." -> subject of "build"; "Which company bought
    ..." -> the same through the noun it determines; "Who did she speak with?" -> the object of
    that "with"; "How many riders finished?" -> the subject of "finish", the slot of the noun
    counted); None without one, or when its verb is a light one ("Who is ...")."""
    for t in doc:
        if t.lower_ == "how" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ in ("many", "much"):
            noun = doc[t.i + 1].head
            if doc[t.i + 1].lower_ == "much" and (noun.i == t.i + 1 or noun.pos_ not in ("NOUN", "PROPN")):
                return _amount_slot(doc[t.i + 1])
            if noun.i == t.i + 1 or noun.pos_ not in ("NOUN", "PROPN"):
                return None  # "How many of them ...": no noun counted
            slot = argument_slot(noun)
            return slot if slot is not None and not _empty_verb(doc, slot) else None
        if t.lower_ == "when" and t.i == 1 and doc[0].lower_ in _TIME_BOUNDS:
            return _bounded_when(doc)
        if t.lower_ in _CIRCUMSTANCE:
            # "Where did she speak?", "When was the mill founded?": the question word hangs on the
            # verb whose place or time it asks for (the small parser hangs it on an auxiliary at
            # times, and tags a bare verb after "did" a noun: "When did the minister resign?");
            # none on "be" ("Where is the mill?")
            verb = t.head
            if verb.dep_ in ("aux", "auxpass"):
                verb = verb.head
            if verb.lemma_.lower() == "be":
                # "Where was the documentary filmed?": a passive's "was" taken for the main verb and
                # the participle for a clause on its subject
                verb = next((c for s in verb.children if s.dep_ == "nsubj" for c in s.children
                             if c.dep_ == "acl" and c.tag_ == "VBN"), verb)
            is_verb = verb.pos_ in ("VERB", "AUX") or verb.dep_ == "ROOT" and any(
                c.dep_ in ("aux", "auxpass") for c in verb.children)
            if t.dep_ == "advmod" and is_verb and verb.lemma_.lower() not in LIGHT_VERBS:
                return Slot(_CIRCUMSTANCE[t.lower_], verb.lemma_.lower())
            return None
        if t.lower_ in _WH:
            cause = _asked_cause(t)
            if cause is not None:
                return cause if cause.verb not in LIGHT_VERBS else None
            stranded = stranded_preposition(doc)
            if stranded is not None:
                # "Who was the plant built by?": the agent of a passive, as argument_slot reads one
                role = "subj" if stranded.dep_ == "agent" else "prep:" + stranded.lower_
                slot = Slot(role, _stranded_head(stranded).lemma_.lower())
            else:
                slot = _preposition_object(t) or argument_slot(t.head if t.dep_ == "det" else _determined(t) or t)
                if slot is None or slot.verb in LIGHT_VERBS:  # ("At which ... did she": "do" is no verb of it)
                    slot = _misparsed_slot(doc, t) or slot
            return slot if slot is not None and not _empty_verb(doc, slot) else None
    return None


def _empty_verb(doc: "Doc", slot: Slot) -> bool:
    """The slot's verb says nothing of the relation asked about: "be" and "do" ("Who is ...?",
    "What did X do?"), and "have" but where it is the verb of owning ("What does the club have?",
    "How many staff does the firm have?": the object of "has 400 staff"), not "have to" nor an
    auxiliary (which the small parser at times makes the root, its verb a clause on it: "For how
    many years had she played ...?")."""
    if slot.verb != "have":
        return slot.verb in LIGHT_VERBS
    return not any(t.lemma_.lower() == "have" and t.pos_ == "VERB"
                   and not any(c.dep_ in ("xcomp", "ccomp") for c in t.children) for t in doc)


# prepositions that put a bound on a time: "Until when ...?" asks for the object of the verb's "until"
_TIME_BOUNDS = frozenset({"until", "till", "since", "by"})


def _bounded_when(doc: "Doc") -> Slot | None:
    """"Until when does the contract run?", "Since when has she led the council?": the object of
    that preposition on the question's verb ("a contract running until June 2030"). The verb is
    the first one after "when" other than a light one, or, where the small parser takes a bare verb
    for a noun ("does the contract run?"), the word that ends a question asked with "do"."""
    verb = next((t for t in doc[2:] if t.pos_ == "VERB" and t.lemma_.lower() not in LIGHT_VERBS), None)
    words = [t for t in doc if not t.is_punct]
    if verb is None and len(words) > 3 and words[2].lemma_.lower() == "do":
        verb = words[-1]
    if verb is None:
        return None
    return Slot("prep:" + doc[0].lower_, verb.lemma_.lower())


def _amount_slot(much: "Token") -> Slot | None:
    """"How much will the club pay?", "How much did the mill sell for?": an amount with no noun
    counted is what the main verb takes: its object, or the object of the preposition that ends the
    question (the parser hangs "much" on it); None on a light verb ("How much is it?") or without a
    verb."""
    doc = much.doc
    prep = much.head
    last = next((t for t in reversed(doc) if not t.is_punct), None)
    if much.dep_ == "pobj" and prep.dep_ == "prep" and prep == last and prep.head.pos_ == "VERB":
        slot = Slot("prep:" + prep.lower_, prep.head.lemma_.lower())
    else:
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        slot = Slot("obj", root.lemma_.lower()) if root is not None and root.pos_ == "VERB" else None
    return slot if slot is not None and not _empty_verb(doc, slot) else None


def _asked_cause(wh: "Token") -> Slot | None:
    """"... delayed because of what?", "... due to which kind of storm?": the cause of the verb the
    marker hangs on, read from the words (the small parser often hangs the question word on a
    later preposition instead: "because of what at the agency")."""
    doc = wh.doc
    before = [doc[i] for i in (wh.i - 2, wh.i - 1) if i >= 0]
    if len(before) == 2 and before[1].lower_ in ("of", "to") and before[0].lower_ in CAUSAL:
        marker = before[0]
    elif before and before[-1].lower_ in CAUSAL_ALONE:
        marker = before[-1]
    else:
        return None
    head = marker.head
    if head.i >= marker.i:  # hung on the noun asked for ("after which storm"), or on nothing
        head = next((t for t in doc if t.dep_ == "ROOT"), head)
    return Slot("cause", head.lemma_.lower()) if head.i != marker.i else None


def _determined(wh: "Token") -> "Token | None":
    """The noun a "which"/"what" the parser did not attach as its determiner still determines:
    the head of the noun run right after it ("... announced which famous book will get a sequel",
    where "which" came out as a clause marker)."""
    if wh.lower_ not in ("which", "what"):
        return None
    noun = None
    for t in wh.doc[wh.i + 1:wh.i + 5]:
        if t.pos_ not in ("ADJ", "NOUN", "PROPN"):
            break
        noun = t if t.pos_ in ("NOUN", "PROPN") else noun
    return noun


def _preposition_object(wh: "Token") -> Slot | None:
    """The question word as a preposition's object, four ways the parser hides it:
    - the noun it determines made the subject of a clause on the noun before the preposition
      ("The CEO of which company testified?"): the phrase is that noun's "of";
    - a "which"/"what" taken for a relative pronoun and the noun it determines for a clause on the
      phrase before it ("She won the prize for which novel?": "novel" a relative clause on "prize",
      "for" hung on "novel"): the preposition hangs where the noun was hung;
    - the noun it determines made the verb's subject ("For which club did she play?"): the
      preposition is on the verb;
    - that noun made the object of the verb before the preposition, which hangs on the noun ("She
      performed at which iconic venue?")."""
    doc = wh.doc
    before = doc[wh.i - 1] if wh.i > 0 else None
    noun = wh.head if wh.dep_ == "det" else None
    if (before is not None and before.dep_ == "prep" and noun is not None and noun.dep_ == "nsubj"
            and noun.head.dep_ in ("relcl", "pcomp") and before.head.i < before.i):
        # "The former CEO of which company testified?": "which company testified" read as a
        # clause on "CEO" or on its "of"; the phrase is the "of" of the noun before it
        return Slot("prep:" + before.lower_, before.head.lemma_.lower())
    prep = wh.head
    if wh.dep_ != "pobj" or prep.dep_ != "prep":
        return None
    head = prep.head
    if (wh.lower_ in ("which", "what") and head.i > wh.i and head.dep_ in ("relcl", "advcl", "acl", "ccomp")
            and head.head.i != head.i):
        return Slot("prep:" + prep.lower_, head.head.lemma_.lower())
    if head.pos_ == "VERB":
        return Slot("prep:" + prep.lower_, head.lemma_.lower())
    if head.i > wh.i and head == _determined(wh) and head.head.pos_ == "VERB" and head.head.i < prep.i:
        # "She studied at which famous university?": the preposition hung on the noun the question
        # word determines, and that noun made the verb's object; the phrase is the verb's "at"
        return Slot("prep:" + prep.lower_, head.head.lemma_.lower())
    return None


def _misparsed_slot(doc: "Doc", wh: "Token") -> Slot | None:
    """Four parses the small parser makes of a question that has a slot it does not show: the
    phrase the question word opens taken for the whole sentence and its verb for a clause on it
    ("Which organisation paid for the study?": "paid" an acl of "organisation"), where the phrase
    is the verb's subject; and a question that opens on a preposition ("At which university did
    she study?"), where the phrase is that preposition's object beside the main verb; and "did"
    taken for the main verb, the main verb for its object, where the question word's phrase is the
    object of that verb or of the preposition it opens on; and a progressive's object put first
    (_fronted_object)."""
    noun = wh.head if wh.dep_ == "det" else wh
    if noun.dep_ == "ROOT":
        verb = next((c for c in noun.children if c.dep_ == "acl" and c.pos_ == "VERB"), None)
        return Slot("subj", verb.lemma_.lower()) if verb is not None else None
    first = doc[0]
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return None
    opening = first.dep_ == "prep" and noun.dep_ == "pobj" and noun.head.i == first.i
    # "What profit did the firm report?", "For which club did the striker play?": "did" taken for
    # the main verb and the main verb for its object ("the firm report" a noun phrase)
    if root.lemma_.lower() == "do" and wh.i < root.i:
        main = next((c for c in root.children if c.dep_ == "dobj" and c.i > root.i), None)
        if main is not None:
            return Slot("prep:" + first.lower_ if opening else "obj", main.lemma_.lower())
    if opening and root.pos_ == "VERB":
        return Slot("prep:" + first.lower_, root.lemma_.lower())
    return _fronted_object(doc, wh, root)


# the auxiliary the parser takes for the main verb of a question that puts its object first, and
# the tags of the participle it goes with (a past participle read as a clause's past tense: "has
# [the port operator offered]")
_FRONTING_AUXILIARIES = {"be": ("VBG",), "have": ("VBN", "VBD")}


def _fronted_object(doc: "Doc", wh: "Token", root: "Token") -> Slot | None:
    """"What pay rise is the operator offering?", "Which team is Ada joining?", "What pay rise has
    the operator offered?": the auxiliary "is" or "has" taken for the main verb, the participle for
    a clause on its subject; the question word's phrase, before them, is the participle's object.
    Only with a subject between the two ("Which team is joining?" asks for the subject, which the
    parser reads right) and no object of its own."""
    aux = root.lemma_.lower()
    if aux not in _FRONTING_AUXILIARIES or wh.i > root.i:
        return None
    verb = next((t for t in doc[root.i + 1:] if t.tag_ in _FRONTING_AUXILIARIES[aux]), None)
    lemma = verb.lemma_.lower() if verb is not None else None
    if verb is None and aux == "be":
        # "What discount is the Brightwater store offering?": the tagger reads the last word as a
        # noun ("store offering", a compound) where it ends the question as the participle
        verb = next((t for t in reversed(doc) if not t.is_punct), None)
        lemma = _ending_participle(verb) if verb is not None else None
    if verb is None or lemma is None:
        return None
    if not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in doc[root.i + 1:verb.i]):
        return None
    if any(c.dep_ in ("dobj", "attr") and c.i > verb.i for c in verb.children):
        return None
    return Slot("obj", lemma)


def _ending_participle(last: "Token") -> str | None:
    """The verb of a question's last word that the tagger took for a noun but is a participle of a
    verb (an -ing form the pipeline's lemmatizer tables know: "offering" -> "offer")."""
    from newsqa.rag.analyse import verb_lemma

    if last.pos_ != "NOUN" or not last.lower_.endswith("ing"):
        return None
    return verb_lemma(last.lower_)


def bare_preposition(tok: "Token") -> bool:
    """A preposition (or a passive's "by") with nothing hanging on it: its object stands elsewhere,
    as the question word ("Which firm does she work for?") or the noun a clause qualifies ("the
    firm she worked for", "the singer arrested for")."""
    return tok.dep_ in ("prep", "agent") and not any(True for _ in tok.children)


def stranded_preposition(doc: "Doc") -> "Token | None":
    """The preposition a question leaves without an object ("Who does Russia stay in contact
    with?", "Which firm does she work for?", "Who was it built by?"): its object is the question
    word, which the small parser takes for the verb's subject or object instead."""
    # the first preposition with nothing hanging on it: at the end, or before what follows the
    # verb's other phrases ("Which club did she play for before joining Kelham?")
    return next((t for t in doc if bare_preposition(t)), None)


def _stranded_head(prep: "Token") -> "Token":
    """What a stranded preposition belongs to. In a question on "be" ("What is the pact a
    counterweight to?") it is the predicate noun's, the noun right before it, which the small parser
    often misses: it hangs the preposition on "is" or on the subject's name."""
    before = prep.doc[prep.i - 1] if prep.i > 0 else None
    root = prep.sent.root
    if before is not None and before.pos_ == "NOUN" and root.lemma_.lower() == "be":
        return before
    return prep.head


def _span_head(parse: "Doc", start: int, end: int) -> "Token | None":
    """The first of the tokens start..end whose own head lies outside them."""
    inside = range(start, end)
    return next((t for t in parse[start:end] if t.head.i not in inside), None)


def _owner_of(head: "Token") -> frozenset[Slot]:
    """"Kelham Ferries chief executive Ada Brenner", "Kelham's mayor": the name before a noun for
    a person's role, or its owner, fills that noun's "of" ("the chief executive of which company?",
    "the mayor of which town?"). Empty for any other span head."""
    noun = head.head
    if head.dep_ not in ("compound", "poss") or head.pos_ != "PROPN" or noun.i <= head.i:
        return frozenset()
    from newsqa.rag.query import is_person_noun, listed_person_noun  # (query.py reads question_slot)

    role = noun.lemma_.lower()
    doc = head.doc
    # a capitalised role is a listed one ("CEO") or a title by a name ("Mayor Ada Brenner", "Mayor,
    # Ada Brenner"): "Brenner" in "Ada Brenner resigned" is a name, however it ends
    titled = (noun.pos_ == "NOUN" or listed_person_noun(role) or any(c.dep_ == "appos" for c in noun.children)
              or (noun.i + 1 < len(doc) and doc[noun.i + 1].pos_ == "PROPN"))
    return frozenset({Slot("prep:of", role)}) if titled and is_person_noun(role) else frozenset()


def _circumstances(tok: "Token") -> set[Slot]:
    """The place and time the argument `tok` gives a verb: the object of a preposition of place or
    time (or of an "of" on one: "on the sidelines of the forum") on the verb, also through the
    phrases between ("spoke at a session with editors on the sidelines of X", "died at her home in
    Leeds"), and a bare noun of time on it ("resigned Tuesday", "left last month")."""
    out: set[Slot] = set()
    if tok.dep_ in ("npadvmod", "tmod") and tok.head.pos_ in ("VERB", "AUX") and not _hyphened_agent(tok):
        out.add(Slot("time", tok.head.lemma_.lower()))
    for _ in range(3):  # "the sidelines of the forum": the "of" of a noun takes that noun's place
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.dep_ == "pobj":
            tok = tok.head.head
        else:
            break
    if tok.dep_ != "pobj" or tok.head.dep_ != "prep":
        return out
    word = tok.head.lower_
    roles = (["place"] if word in _PLACE_PREPS else []) + (["time"] if word in _TIME_PREPS else [])
    head = tok.head.head
    for _ in range(8):  # up through the phrases it sits in to the verb they qualify
        if head.pos_ in ("VERB", "AUX") or head.dep_ not in ("pobj", "prep"):
            break
        head = head.head
    if head.pos_ in ("VERB", "AUX"):
        out.update(Slot(role, head.lemma_.lower()) for role in roles)
    return out


def fills_slot(asked: Slot, slots: frozenset[Slot]) -> bool:
    """A span with `slots` (span_slots) fills the question word's slot `asked`: the same role to a
    verb of the same lemma, or the subject or object of a noun made from that verb (families.py:
    "supplier" from "supply", "acquisition" from "acquire"), which span_slots gives under the
    noun's own lemma; for a slot on a support verb, also the same role to the verb of its noun
    ("made a statement": "stated", "held a meeting": "met")."""
    from newsqa.rag.families import relatives

    if Slot(asked.role, asked.verb) in slots:
        return True
    if asked.noun and any(s.role == asked.role and s.verb in relatives(asked.noun) for s in slots):
        return True
    if asked.role not in ("subj", "obj"):
        return False
    return any(s.role == asked.role and s.verb in relatives(asked.verb) for s in slots)


def span_slots(parse: "Doc", start: int, end: int) -> frozenset[Slot]:
    """The slot of the span's head (the first of its tokens whose own head lies outside it, climbing
    from a name's parts to the name's head; none for a span holding the sentence's root) and, for a
    subject, the slots it fills as the unstated subject of the verbs that share it: a verb joined
    to its verb ("scored twice and won the match") and an infinitive or participle clause it
    governs ("defeated X in the final to win the title": whoever defeated won); and the slots it
    fills in a relative clause on it (_relative_slots)."""
    head = _span_head(parse, start, end)
    if head is None:
        return frozenset()
    return _head_slots(head) | _relative_slots(head) | _title_slots(head)


def _title_slots(head: "Token") -> frozenset[Slot]:
    """A name holds the title a noun beside it gives it ("director Ada Quist", "Ada Quist, the
    director of the film", "the film's director, Ada Quist"), so it is the subject of the verb the
    noun is made from or is ("Who directed the film?", "Who chairs the board?"; under the noun's
    own lemma, which fills_slot matches to the verb through families.py)."""
    if head.pos_ != "PROPN":
        return frozenset()  # "the harbour board": a noun's compound is no title of it
    titles = [c for c in head.children if c.dep_ in ("compound", "appos") and c.pos_ == "NOUN"]
    if head.dep_ == "appos" and head.head.pos_ == "NOUN":
        titles.append(head.head)
    return frozenset(Slot("subj", t.lemma_.lower()) for t in titles)


def _head_slots(head: "Token") -> frozenset[Slot]:
    """span_slots of a span whose head is `head`, but for relative clauses."""
    owned = _owner_of(head)
    tok = _argument(head)
    if tok.dep_ == "poss" and tok.head.pos_ == "NOUN":
        # a noun made from the question's verb keeps its arguments: "Russia's support for X" is
        # Russia supporting X (given under the noun's own lemma; fills_slot matches it to the verb)
        return frozenset({Slot("subj", tok.head.lemma_.lower())} | owned)
    slot = _filled_slot(tok)
    circumstances = _circumstances(tok)
    if slot is None:
        return owned | circumstances
    out = {slot, *owned, *circumstances}
    if tok.dep_ == "pobj" and tok.head.lower_ in ("of", "for") and tok.head.head.pos_ == "NOUN":
        out.add(Slot("obj", tok.head.head.lemma_.lower()))  # "the purchase of X", "support for X"
    if tok.dep_ in ("nsubj", "nsubjpass"):
        for verb in tok.head.children:
            if (verb.dep_ in ("conj", "xcomp", "advcl") and verb.pos_ == "VERB"
                    and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)):
                # "was arrested and charged": the joined participle is passive too
                passive = any(c.dep_ == "auxpass" for c in verb.children) or (
                    tok.dep_ == "nsubjpass" and verb.dep_ == "conj" and verb.tag_ == "VBN")
                out.add(Slot("obj" if passive else "subj", verb.lemma_.lower()))
    return frozenset(out)


# the words that open a relative clause and stand in it for the noun it qualifies
_RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that"})


def _relative_slots(head: "Token") -> frozenset[Slot]:
    """"Ada Brenner, who won the final", "the mill, which Veltra bought", "émigrés who left the
    city": a noun fills in a relative clause on it the slot of the pronoun that stands for it
    (the subject of "win", the object of "buy"), or of the argument a clause without a pronoun
    lacks ("the mill Veltra bought": _unmarked_slot), or in a past participle's clause on it ("the
    mill bought by Veltra": _participle_slot); so does a name whose apposition the clause
    qualifies ("Ada Brenner, the striker who scored twice"). Read on each noun from the span's
    head up to the word whose relation is its slot (_argument), as a name's parts climb."""
    out: set[Slot] = set()
    tok = head
    for _ in range(5):
        for noun in (tok, *(c for c in tok.children if c.dep_ == "appos")):
            for clause in noun.children:
                if clause.dep_ == "acl" and clause.i > noun.i:
                    slot = _participle_slot(clause)
                    if slot is not None:
                        out.add(slot)
                if clause.dep_ != "relcl":
                    continue
                pronoun = next((c for c in clause.children if c.lower_ in _RELATIVE_PRONOUNS
                                and c.tag_ in ("WP", "WDT")), None)
                slot = _filled_slot(pronoun) if pronoun is not None else _unmarked_slot(noun, clause)
                if slot is not None:
                    out.add(slot)
        if tok.dep_ not in _INSIDE:
            break
        tok = tok.head
    return frozenset(out)


def _participle_slot(clause: "Token") -> Slot | None:
    """The slot a noun fills in a past participle's clause after it ("the organisation created by
    Moscow", "a mill built in 1890": the object), None for another clause. A present participle's
    noun would be its subject ("crews building the bridge"), but the small parser reads many a
    headline's verb as a noun that such a participle qualifies."""
    if clause.tag_ != "VBN" or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "mark") for c in clause.children):
        return None
    return Slot("obj", clause.lemma_.lower())


# nouns an unmarked relative clause qualifies as its circumstance, not its object ("the day it
# opened", "the way she voted", "the reason they left", "the place he grew up")
_CIRCUMSTANCE_NOUNS = frozenset({"day", "time", "year", "week", "month", "moment", "night", "morning",
                                 "way", "reason", "place"})


def _unmarked_slot(noun: "Token", clause: "Token") -> Slot | None:
    """The slot a noun fills in a relative clause without a pronoun ("the cash it received": the
    object of "receive"; "the firm she worked for": the "for" of "work"): the clause follows the
    noun, has its own subject and lacks the argument the noun stands in. None for a circumstance
    noun (_CIRCUMSTANCE_NOUNS) or a clause with no gap."""
    if (clause.i < noun.i or clause.pos_ not in ("VERB", "AUX") or noun.lemma_.lower() in _CIRCUMSTANCE_NOUNS
            or not any(c.dep_ == "nsubj" for c in clause.children)):
        return None
    kids = list(clause.children)
    # a preposition with nothing after it ("worked for"; not the "out" of "out of the deal")
    # (a bare "by" would be the agent's: the subject, not "prep:by")
    stranded = next((c for c in kids if c.dep_ == "prep" and c.i > clause.i and bare_preposition(c)), None)
    if stranded is not None:
        return Slot("prep:" + stranded.lower_, clause.lemma_.lower())
    if any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp", "oprd") for c in kids):
        return None
    return Slot("obj", clause.lemma_.lower())


def question_actor(question: "Doc", asked: Slot) -> frozenset[str] | None:
    """Who the question names as doing its slot's verb: the words of the name that is that verb's
    subject ("When did Ada Brenner speak?": ada, brenner); None where the slot is the subject, or
    the subject is no name. Read once per question, for `another_actor`."""
    if asked.role == "subj":
        return None  # the span is who acts
    asking = next((t for t in question if t.lemma_.lower() == asked.verb and t.pos_ in ("VERB", "AUX")), None)
    return _named_subject(asking) or None


def another_actor(actor: frozenset[str] | None, asked: Slot, parse: "Doc", start: int, end: int) -> bool:
    """The span's slot is on the question's verb, but someone else does it: "When did Trump speak
    to Putin?" is not answered by the time of "Speaking at the forum in 2025, Putin said", whose
    speaker is Putin. True where the question names who acts (`actor`, question_actor) and the
    sentence's verb above the span has a named subject (its own, or the one a participle or
    joined verb shares) with none of those words; False where either is unknown or a pronoun."""
    if not actor:
        return False
    head = _span_head(parse, start, end)
    verb = None
    tok = head.head if head is not None else None
    for _ in range(12):  # up to the verb the span's phrase qualifies
        if tok is None:
            break
        if tok.lemma_.lower() == asked.verb and tok.pos_ in ("VERB", "AUX"):
            verb = tok
            break
        tok = tok.head if tok.head.i != tok.i else None
    if verb is None:
        return False
    subject = _named_subject(verb)
    if subject is None and verb.dep_ in ("advcl", "xcomp", "conj") and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        subject = _named_subject(verb.head)
    return bool(subject) and not subject & actor


def _named_subject(verb: "Token | None") -> frozenset[str] | None:
    """The lowercase words of the name that is `verb`'s subject (with its title and first names);
    None without a subject, or for one that is no name."""
    if verb is None:
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ != "PROPN":
        return None
    return frozenset(t.lower_ for t in subject.subtree if t.pos_ == "PROPN")
