"""Question analysis from spaCy's parse: what kind of answer is asked for, about what.

`analyse(text)` gives an `AnalysedQuestion`, made once per question and passed on to the candidate
features, the short answer and the refusal decision of the ranked answer path
(backends/ranked.py).

Answer kinds follow the classic TREC QA answer typing: the question word, and for "which X"/"what X"
the focus noun X, map to the entity labels that can answer it (who -> PERSON/ORG/NORP, when ->
DATE, where -> GPE/LOC/FAC, how many -> CARDINAL, how much -> MONEY, which country -> GPE, which
company -> ORG); "who" about the one who acted ("Who built it?") also GPE, and a magnitude other
than time ("how much", "how far", "by how much") never DATE/TIME. Defined behaviour for the other
shapes:
  - no question word ("festival 2025 location"): the last noun is the focus;
  - an imperative ("Tell me about the strike") or why/how/yes-no question, or "who/what is" a name
    and nothing else ("Who is Ada Quist?": what the named thing is): DESCRIPTION, no expected
    label; the answer is the best sentence and there is no short answer;
  - "what"/"which" with a focus noun the table does not know: ENTITY, any named thing answers;
  - "what did X say/tell/announce", "how did X describe": STATEMENT, a reported statement answers
    (quoted or reported speech), no expected label and no short answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from newsqa.rag.ages import asked_person
from newsqa.rag.analyse import analyse_question
from newsqa.rag.naming import asks_name
from newsqa.rag.pronouns import SINGULAR_KIND
from newsqa.rag.slots import (LIGHT_VERBS, WH_TAGS, Slot, bare_preposition, completion_stem, question_slot,
                              stranded_preposition)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


class AnswerKind(str, Enum):
    PERSON = "person"
    ORGANIZATION = "organization"
    PLACE = "place"
    DATE = "date"
    NUMBER = "number"
    MONEY = "money"
    PERCENT = "percent"
    WORK = "work"  # a film, book, song, game, show
    EVENT = "event"
    PRODUCT = "product"
    GROUP = "group"  # a nationality, religious or political group
    ENTITY = "entity"  # some named thing, label unknown
    DESCRIPTION = "description"  # why, how, tell me about, yes/no: a sentence, not a span
    STATEMENT = "statement"  # what someone said, told, described: a reported statement, not a span


LABELS: dict[AnswerKind, frozenset[str]] = {
    AnswerKind.PERSON: frozenset({"PERSON", "ORG", "NORP"}),
    AnswerKind.ORGANIZATION: frozenset({"ORG"}),
    AnswerKind.PLACE: frozenset({"GPE", "LOC", "FAC"}),
    AnswerKind.DATE: frozenset({"DATE", "TIME"}),
    AnswerKind.NUMBER: frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"}),
    AnswerKind.MONEY: frozenset({"MONEY", "CARDINAL", "QUANTITY"}),
    AnswerKind.PERCENT: frozenset({"PERCENT", "CARDINAL"}),
    AnswerKind.WORK: frozenset({"WORK_OF_ART", "PRODUCT", "EVENT", "ORG"}),
    AnswerKind.EVENT: frozenset({"EVENT", "WORK_OF_ART", "ORG"}),
    AnswerKind.PRODUCT: frozenset({"PRODUCT", "ORG", "WORK_OF_ART"}),
    AnswerKind.GROUP: frozenset({"NORP", "ORG"}),
    AnswerKind.ENTITY: frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT",
                                  "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}),
    AnswerKind.DESCRIPTION: frozenset(),
    AnswerKind.STATEMENT: frozenset(),
}
# Verbs of reporting (a closed class): "what did X say", "how did X describe Y" ask for what was
# said, which a quoted or reported sentence answers whatever entities it holds.
# The verbs the passages' statements are read with (constraints.SPEECH_VERBS) are among them:
# "What did X reiterate?" asks for a statement as "What did X say?" does.
_REPORTING = frozenset("""say tell describe call claim announce warn state add confirm deny explain
    argue insist suggest admit reveal promise write report praise criticise criticize accuse urge
    respond reply comment note acknowledge predict vow pledge threaten reiterate stress express
    boast disclose tweet declare propose ask emphasise emphasize""".split())

_DO = frozenset({"do", "does", "did"})
# the kinds answered by a number, an amount, a share or a date
NUMERIC_KINDS = frozenset({AnswerKind.NUMBER, AnswerKind.MONEY, AnswerKind.PERCENT, AnswerKind.DATE})

# Focus nouns ("which country", "what company") by the entity class that answers them: the answer
# typing table of TREC-style QA, kept to classes rather than subjects.
_FOCUS: dict[AnswerKind, frozenset[str]] = {
    AnswerKind.PLACE: frozenset("""country nation state city town capital place region province
        county location venue island continent village area territory district site stadium
        destination border neighborhood neighbourhood""".split()),
    AnswerKind.ORGANIZATION: frozenset("""company firm business bank brand team club organization
        organisation group agency network airline retailer automaker carmaker university college
        school party union chain maker manufacturer startup corporation giant outlet newspaper
        publisher studio label broadcaster platform app service court department ministry
        government store restaurant charity league federation conglomerate""".split()),
    AnswerKind.PERSON: frozenset("""person man woman people player actor actress singer rapper star
        leader president minister ceo founder author writer director official chief executive
        politician candidate senator governor judge coach athlete artist musician billionaire
        celebrity king queen prince princess pope host winner member lawmaker spokesperson
        figure icon legend journalist comedian owner chairman successor
        predecessor""".split()),
    AnswerKind.DATE: frozenset("year date day month time week decade century season".split()),
    AnswerKind.MONEY: frozenset("""price cost amount salary fee fine sum value worth profit revenue
        income earnings budget wage pay debt deficit valuation bonus compensation tax fare rent
        funding ransom bail""".split()),
    AnswerKind.PERCENT: frozenset("percentage percent rate share".split()),
    AnswerKind.NUMBER: frozenset("number total count margin score tally".split()),
    AnswerKind.WORK: frozenset("""film movie book song album show series game novel play episode
        title documentary sequel""".split()),
    AnswerKind.EVENT: frozenset("event tournament festival championship competition race".split()),
    AnswerKind.PRODUCT: frozenset("product car phone vehicle device model drug vaccine".split()),
    AnswerKind.GROUP: frozenset("nationality religion ethnicity".split()),
}
_FOCUS_KIND = {w: k for k, ws in _FOCUS.items() for w in ws}
# a person noun the table lacks usually ends like one ("rapper", "investor", "novelist"); "-ent"
# and "-ant" name as many things ("ingredient", "restaurant") as people, so they are left out.
# WordNet corrects the guess both ways (rag/data/*_nouns.txt, scripts/wordnet_nouns.py): the
# agent-like nouns that are not people ("color", "river", "computer", "sector") and the person
# nouns without the ending ("chef", "nurse", "spokesperson"). It also types the focus nouns of
# amounts the table lacks: money ("toll", "stipend", "royalty"), which asks for an amount of
# money, and measures ("temperature", "wingspan", "speed"), which ask for a number.
_PERSON_SUFFIX = re.compile(r"(?:er|or|ist|ian)$")
_DATA = Path(__file__).parent / "data"
_WH = {"who", "whom", "whose", "what", "which", "when", "where", "why", "how"}
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
# question words that ask for a magnitude other than a span of time ("how long" and "how old" ask
# for one)
_MEASURES = frozenset({"how much", "by how much", "how far", "how big", "how large", "how tall", "how high",
                       "how fast"})
# the units of a calendar a "what day/date/month/year" question asks for, none of them a time of day
_CALENDAR_UNITS = frozenset({"day", "date", "weekday", "week", "weekend", "month", "year", "decade", "century"})
# ... and the units a span of time is counted in ("how many hours", "how many seasons"). Wider than
# select.TIME_UNITS, which tells a duration from a point in a sentence's dates: there "last night",
# "this weekend" and "next season" are points, while a question counting nights counts time
_TIME_UNITS = _CALENDAR_UNITS | {"second", "minute", "hour", "night", "season"}
# entity labels that name a thing (relative dates and counts in a question are not named things)
_NAMED = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}


@dataclass(frozen=True)
class AnalysedQuestion:
    text: str
    wh: str  # the question word ("who", "how many"), "" without one
    kind: AnswerKind
    focus: str  # the focus noun's lemma ("country"), "" without one
    labels: frozenset[str]  # entity labels that can answer it
    content: frozenset[str]  # lowercase lemmas and forms of its content words
    named: tuple[str, ...]  # the named things it mentions ("Eastland", "the energy ministry")
    years: frozenset[str]
    negated: bool
    doc: "Doc"  # the question proper's parse: without its "according to ..." (without_attribution),
    # whose words still count in `content` and `named`
    speaker: frozenset[str] = frozenset()  # a statement question's speaker's words ("ilse",
    # "varga" in "What did Ilse Varga say ..."), lowercase; empty for other kinds
    speaker_role: str = ""  # the common noun a statement question's speaker is named by beside
    # their proper nouns ("mayor" in "What did the mayor of Santo Brizal say"), lowercase lemma
    slot: Slot | None = None  # the question word's role to its verb ("Who built ...": the subject
    # of "build"; slots.py), None without one

    @property
    def typed(self) -> bool:
        return bool(self.labels)

    @property
    def named_tokens(self) -> frozenset[str]:
        """Lowercase words of the named things, without function words ("the")."""
        return name_words(self.named)

    @cached_property
    def person_words(self) -> frozenset[str]:
        """The named words that may name a person the question is about, whom a span naming them
        does not answer ("Mayor Tomas Lind" for a question that names "Lind"): all but the words of
        a name of several words the NER calls a body, unless the question uses them elsewhere (a
        firm's name may hold its founder's: "Who runs Pellam & Daughters?" is answered by its
        managing director Clement Pellam)."""
        firms = {e.text for e in self.doc.ents if e.label_ == "ORG" and len(e) > 1}
        return name_words(n for n in self.named if n not in firms)

    @cached_property
    def age_of(self) -> str:
        """For a "how old" question, the last word of the name whose age it asks ("How old is Ann
        Roe?": "roe"; ages.asked_person), else ""."""
        return asked_person(self.doc) if self.wh == "how old" else ""

    @cached_property
    def asks_name(self) -> bool:
        """It asks what a thing is called ("What is the new ferry called?", "What is the name of
        the plan?"; naming.py)."""
        return asks_name(self.doc)

    @cached_property
    def given_nouns(self) -> frozenset[str]:
        """The common nouns by which the question refers to a thing it takes as known ("the forum"
        in "Who did the minister meet at the forum?"), lowercase lemmas: a name ending in one of
        them ("the Harbour Economic Forum") is that thing, no answer (span.py). Not the focus noun,
        nor one whose name is asked ("What is the forum called?", "the name of the forum"), nor
        one the question word determines."""
        return given_nouns(self.doc, self.focus)

    @property
    def asks_year(self) -> bool:
        """"In what year ...?", "Which year ...?": a year answers it, "last week" does not."""
        return self.kind is AnswerKind.DATE and self.focus == "year"


# the verbs that give a thing its name ("What was it named?"), and with them the words by which a
# question asks for the name of the thing its noun refers to
_NAMING_VERBS = frozenset({"call", "name", "dub"})
_NAMING = _NAMING_VERBS | {"know", "rename", "title", "be"}
# not "this": a quiz's "held talks with this leader" asks for the leader
_DEFINITE = frozenset({"the"})
_WH_DETERMINERS = frozenset({"which", "what", "whose"})


def given_nouns(doc: "Doc", focus: str) -> frozenset[str]:
    """AnalysedQuestion.given_nouns of the parse `doc`."""
    out = set()
    for t in doc:
        if t.pos_ != "NOUN" or t.lemma_.lower() == focus:
            continue
        if not any(c.dep_ == "det" and c.lower_ in _DEFINITE or c.dep_ == "poss" for c in t.children):
            continue
        if any(c.lower_ in _WH_DETERMINERS for c in t.children):
            continue  # "which forum": the question's own phrase
        head = t.head.head if t.dep_ == "pobj" else t.head
        if t.dep_ != "compound" and head.lemma_.lower() in _NAMING:
            continue  # "What is the forum called?", "the name of the forum", "What is the forum?"
        out.add(t.lemma_.lower())
    return frozenset(out)


_FUNCTION = frozenset("the a an of and in on at for to de la le van von".split())
_NAME_WORD = re.compile(r"[^\W_]+")


def name_words(names: Iterable[str]) -> frozenset[str]:
    """The lowercase words of `names` as a sentence's words are matched against them: letters and
    digits only ("O'Brien" -> "brien", "Anne-Marie" -> "anne", "marie"), no single letters or
    function words."""
    return frozenset(t.lower() for n in names for t in _NAME_WORD.findall(n)
                     if len(t) > 1 and t.lower() not in _FUNCTION)


# spaCy's stop list holds verbs that carry a question ("Who did she call?", "Who will give the
# speech?", "What did the firm make?", "Who did the board name?"): as a verb other than the light
# ones (slots.LIGHT_VERBS) they are content words
def _asked_verb(t: "Token", slot: Slot | None) -> bool:
    """The verb of the question's slot (the small tagger reads "call" in "Who did the mayor call?"
    as a noun; slots.py finds the verb), or a verb by its tag other than "be", "have" or "do"."""
    lemma = t.lemma_.lower()
    if slot is not None and lemma == slot.verb:
        return True  # "have" too, where the question asks what it owns (slots._empty_verb)
    return lemma not in LIGHT_VERBS and t.pos_ == "VERB"


# "According to a new study, which ...?", "What is the priority, according to the minister?": the
# source the asker credits the answer to. The small parser makes "according" a verb, at times the
# question's root ("By what share have sales risen, according to the office?" then has no verb of
# its own), so the question proper is read without the phrase, and the phrase adds its named things
# and content words (the source is often in the answering sentence: "the office said")
_ATTRIBUTION = re.compile(r"(?i)(?:,\s*|\b)according to\b[^,?!.]*(?:,\s*)?")


def without_attribution(text: str) -> str:
    """The question without its "according to ..." phrase (unchanged without one)."""
    core = _ATTRIBUTION.sub(" ", text).strip()
    core = re.sub(r"\s+([?!.:])", r"\1", re.sub(r"\s{2,}", " ", core))
    if core == text or not re.search(r"[^\W\d_]", core):
        return text
    return core[:1].upper() + core[1:]


@lru_cache(maxsize=512)
def analyse(text: str) -> AnalysedQuestion:
    """The question's analysis (cached by text)."""
    full = analyse_question(text)
    core = without_attribution(text)
    doc = analyse_question(core) if core != text else full
    wh, kind, focus = _kind(doc)
    slot = question_slot(doc)
    content = set()
    for t in full:
        if t.is_punct or t.is_space or t.lower_ in _WH or t.is_stop and not _asked_verb(t, slot):
            continue
        if t.lower_ == "according" and t.i + 1 < len(full) and full[t.i + 1].lower_ == "to":
            continue
        content.add(t.lower_)
        content.add(t.lemma_.lower())
    named = [e.text for e in full.ents if e.label_ in _NAMED]
    in_ents = {t.i for e in full.ents for t in e}
    named += [t.text for t in full if t.pos_ == "PROPN" and t.i not in in_ents and t.i > 0]
    labels = LABELS[kind]
    if wh == "who" and kind is AnswerKind.PERSON and slot is not None and slot.role == "subj" and slot.verb != "be":
        # the one who acted ("Who built the plant?", "Who won the cup?") is in news a country as
        # often as a person or a body: "Russia built it", "Germany won"
        labels = labels | {"GPE"}
    if kind is AnswerKind.PERSON and focus and noun_kind(focus) is AnswerKind.PERSON:
        # "Which neurologist led the study?", "Which golfer won?": the noun says a person, whom no
        # organisation or nationality answers ("who" alone may be answered by either)
        labels = frozenset({"PERSON"})
    if wh in _MEASURES and noun_kind(focus) is not AnswerKind.DATE:
        # a size, a distance, a change or an amount ("How far over budget ...?", "By how much did
        # sales fall?") is never a date or a span of time, which the number kind otherwise allows
        # ("how many years"); "how much time" is one
        labels = labels - {"DATE", "TIME"}
    if kind is AnswerKind.DATE and focus in _CALENDAR_UNITS:
        # "On what day ...?", "In which year ...?": a clock time ("10 p.m.", "this morning") is a
        # point inside a day and answers none of them; "what time" keeps TIME
        labels = labels - {"TIME"}
    return AnalysedQuestion(
        text=text, wh=wh, kind=kind, focus=focus, labels=labels,
        content=frozenset(content), named=tuple(dict.fromkeys(named)),
        years=frozenset(_YEAR.findall(text)), negated=any(t.dep_ == "neg" for t in full), doc=doc,
        speaker=_speaker(doc) if kind is AnswerKind.STATEMENT else frozenset(),
        speaker_role=_speaker_role(doc) if kind is AnswerKind.STATEMENT else "", slot=slot)


def _reports(t: "Token") -> bool:
    return _is_verb(t) and t.lemma_.lower() in _REPORTING


def _is_verb(t: "Token") -> bool:
    """A verb, or a word the "did" it carries makes one: the small tagger sometimes calls the verb
    of "did ... say" a noun ("What did X of the growers' cooperative say about the crop?")."""
    return t.pos_ in ("VERB", "AUX") or any(c.dep_ == "aux" and c.lower_ in _DO for c in t.children)


def reporting_verbs(q: AnalysedQuestion) -> list[str]:
    """The question's verbs of reporting as written ("say" in "What did X say about Y?")."""
    return [t.text for t in q.doc if _reports(t)]


def _speaker(doc: "Doc") -> frozenset[str]:
    """The words naming who made the statement a question asks about: the proper nouns of its
    reporting verb's subject ("ilse", "varga" in "What did Mayor Ilse Varga say"), or its nouns
    when it has none ("harbour", "master")."""
    for t in doc:
        if _reports(t):
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None:
                continue
            if subj.pos_ == "PRON":
                # a follow-up's "he"/"she": the person among the names the conversation carried
                # over (chat.standalone_question appends them after the question); the small
                # pipeline often labels a name in such a list ORG
                later = [e for e in doc.ents if e.start > t.i and e.label_ in ("PERSON", "ORG")]
                # ... and among them those in that list, not a person the question asks about
                # ("What did he say about Tomas Reyes? (Anna Lind, ...)" asks what Lind said)
                paren = next((x.i for x in doc if x.text == "(" and x.i > t.i), None)
                later = [e for e in later if paren is not None and e.start > paren] or later
                person = next((e for e in later if e.label_ == "PERSON"), later[0] if later else None)
                if subj.lower_ in ("he", "she") and person is not None:
                    return frozenset(w.lower_ for w in person if w.is_alpha and len(w.text) > 1)
                continue
            words = [w for w in subj.subtree if not w.is_stop and len(w.text) > 1]
            proper = [w for w in words if w.pos_ == "PROPN" and w.ent_type_]
            return frozenset(w.lower_ for w in (proper or [w for w in words if w.pos_ in ("PROPN", "NOUN")]))
    return frozenset()


def _speaker_role(doc: "Doc") -> str:
    """The lemma of the reporting verb's subject's head when it is a common noun and the subject
    also names someone or something ("mayor" in "the mayor of Santo Brizal", "spokesman" in "the
    Harbour Board spokesman"): the article may report the statement by the role alone ("said the
    town's mayor, Ada Quist"); "" otherwise."""
    for t in doc:
        if _reports(t):
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None:
                continue
            named = any(w.pos_ == "PROPN" for w in subj.subtree)
            return subj.lemma_.lower() if subj.pos_ == "NOUN" and named else ""
    return ""


def _kind(doc: "Doc") -> tuple[str, AnswerKind, str]:
    toks = [t for t in doc if not t.is_punct]
    if not toks:
        return "", AnswerKind.DESCRIPTION, ""
    wh_tok = _question_word(toks)
    if wh_tok is None:
        first = toks[0]
        if first.tag_ == "VB" or first.lemma_.lower() in ("tell", "describe", "explain", "list", "name"):
            # an imperative: "Tell me about ...", "Name the company that ..."
            if first.lemma_.lower() == "name":
                obj = next((c for c in first.children if c.dep_ == "dobj"), None)
                if obj is not None:
                    return "name", noun_kind(obj.lemma_.lower()), obj.lemma_.lower()
            return "", AnswerKind.DESCRIPTION, ""
        if first.tag_ in ("VBZ", "VBD", "VBP", "MD"):
            return "", AnswerKind.DESCRIPTION, ""  # yes/no: "Did the strike end?"
        if any(t.lemma_.lower() in _NEWS and t.pos_ == "NOUN" for t in toks):
            return "", AnswerKind.DESCRIPTION, ""  # "any news on the strike?", "updates on the mill"
        stem = _completed_stem(doc)
        if stem is not None:
            return stem
        nouns = [t for t in toks if t.pos_ in ("NOUN", "PROPN")]
        if nouns and nouns[-1].pos_ == "NOUN":  # a headline-style query: "... location", "... price"
            lemma = nouns[-1].lemma_.lower()
            return "", noun_kind(lemma), lemma
        return "", AnswerKind.ENTITY, ""
    w = wh_tok.lower_
    nxt = doc[wh_tok.i + 1] if wh_tok.i + 1 < len(doc) else None
    if w in ("what", "how") and _reported(wh_tok):
        return w, AnswerKind.STATEMENT, ""
    if w == "how":
        after = nxt.lower_ if nxt is not None else ""
        if after == "many":
            # what is counted is the head of the noun run after "many" ("how many car ferries",
            # "how many high-risk accounts"), not its first noun; "how many of the ..." has no run
            run = noun_run(doc, wh_tok.i + 2)
            counted = run.lemma_.lower() if run is not None else _noun_after(doc, wh_tok.i + 2)
            return "how many", AnswerKind.NUMBER, counted
        if after == "much":
            # the noun "much" quantifies ("how much prize money"), or for "How much is the fine?"
            # the one it is equated with; not a noun of the clause after it ("By how much did
            # people who napped outscore ...": no noun is counted)
            much = doc[wh_tok.i + 1]
            if much.head.pos_ == "NOUN" and much.head.i > much.i:
                noun = much.head.lemma_.lower()
            elif much.head.lemma_.lower() == "be":
                noun = _noun_after(doc, wh_tok.i + 2)
            else:
                noun = ""
            if noun in _FOCUS_KIND:
                kind = _FOCUS_KIND[noun]
            elif noun and noun in _lexicon("measure_nouns.txt"):
                kind = AnswerKind.NUMBER  # "how much weight"
            else:
                kind = AnswerKind.MONEY  # "how much did it cost", "how much aid"
            if kind is AnswerKind.DATE:  # "how much time": a duration, counted
                return "how much", AnswerKind.NUMBER, noun
            if wh_tok.i > 0 and doc[wh_tok.i - 1].lower_ == "by" and kind is AnswerKind.MONEY:
                # "By how much did sales fall?": a change, which news gives as a share as often as
                # an amount ("fell 9 percent")
                return "by how much", AnswerKind.NUMBER, noun
            return "how much", kind if kind in (AnswerKind.PERCENT, AnswerKind.NUMBER) else AnswerKind.MONEY, noun
        if after in ("long", "old", "far", "big", "large", "tall", "high", "fast"):
            return f"how {after}", AnswerKind.NUMBER, ""
        return "how", AnswerKind.DESCRIPTION, ""
    if w == "why":
        return w, AnswerKind.DESCRIPTION, ""
    if w == "when":
        return w, AnswerKind.DATE, ""
    if w == "where":
        return w, AnswerKind.PLACE, ""
    if w == "what" and wh_tok.dep_ in ("nsubj", "nsubjpass") and wh_tok.head.lemma_.lower() in _HAPPEN:
        return w, AnswerKind.DESCRIPTION, ""  # "What happened to the mill?": an account, not a name
    if w == "what" and wh_tok.head.lemma_.lower() == "be" and any(
            c.dep_ in ("acomp", "attr", "nsubj") and c.lower_ in ("new", "latest") for c in wh_tok.head.children):
        return w, AnswerKind.DESCRIPTION, ""  # "What's new with the mill?", "What is the latest on it?"
    if (w == "what" and wh_tok.dep_ == "dobj" and wh_tok.head.lemma_.lower() == "do"
            and wh_tok.head.pos_ == "VERB" and wh_tok.head.i > wh_tok.i + 1):
        # "What did the council do about the flooding?": an act (not the auxiliary the small parser
        # makes the verb of "What did the council back?")
        return w, AnswerKind.DESCRIPTION, ""
    if (w == "what" and wh_tok.head.lemma_.lower() in _HOLD and wh_tok.dep_ in ("dobj", "dep")
            and not any(c.dep_ in ("ccomp", "xcomp") for c in wh_tok.head.children)):
        # "What does the union think of the offer?": a view (but "What did they think caused the
        # fire?" asks what caused it)
        return w, AnswerKind.DESCRIPTION, ""
    if w in ("who", "what") and _defines_name(doc, wh_tok):
        return w, AnswerKind.DESCRIPTION, ""  # "Who is Ada Quist?": a description, not a name
    if w in ("who", "whom", "whose"):
        # "Who is the union leader ...": the noun it is equated with is the focus
        eq = _equated_noun(doc, wh_tok) or _referred_noun(doc, wh_tok)
        return w, AnswerKind.PERSON, eq.lemma_.lower() if eq is not None else ""
    # what / which: the focus noun is the word the wh-determiner modifies, or for a pronoun the
    # noun it is equated with ("What is the name of the company", "Which of the teams")
    focus = None
    if wh_tok.dep_ == "det" and wh_tok.head.pos_ in ("NOUN", "PROPN"):
        focus = wh_tok.head
    elif w == "which" or wh_tok.head.pos_ not in ("VERB", "AUX"):
        # the determiner attached elsewhere by the parse: its noun read from the tags ("which"
        # before a noun determines it; "what" may be a verb's argument instead: in "What experts
        # say ..." the experts are not what is asked for)
        focus = noun_run(doc, wh_tok.i + 1)
    if focus is None and nxt is not None and nxt.lower_ == "of":  # "which of these films"
        k = nxt.i + 1
        while k < len(doc) and doc[k].tag_ in ("DT", "PRP$"):
            k += 1
        focus = noun_run(doc, k)
    if focus is None and nxt is not None and nxt.pos_ == "NOUN" and nxt.head.pos_ in ("NOUN", "PROPN"):
        focus = nxt.head  # "which tech giant": the head of the compound
    if focus is None:
        focus = _equated_noun(doc, wh_tok)
    if focus is None or focus.lower_ == "one" and not any(c.lower_ == "of" for c in focus.children):
        focus = _referred_noun(doc, wh_tok) or focus
    if focus is None:
        if w == "what" and (any(t.lemma_.lower() == "cost" for t in doc) or (
                any(t.lemma_.lower() == "sell" for t in doc) and toks[-1].lower_ == "for")):
            # "What did the tunnel cost?" (the small tagger often makes this "cost" a noun), "What
            # will the phone sell for?": an amount
            return w, AnswerKind.MONEY, ""
        return w, AnswerKind.ENTITY, ""
    lemma = focus.lemma_.lower()
    if lemma in _CLASSIFIERS or lemma in ("name", "one") or (lemma == "part" and w == "which"):
        after_of = (noun_run(doc, focus.i + 2) if focus.i + 1 < len(doc) and doc[focus.i + 1].lower_ == "of"
                    else None)
        inner = next((c for c in focus.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in inner.children if c.dep_ == "pobj"), None) if inner is not None else None
        if after_of is not None:
            lemma = after_of.lemma_.lower()
        elif obj is not None:
            lemma = obj.lemma_.lower()
    if lemma == "age":
        return "how old", AnswerKind.NUMBER, ""  # "What is the age of X?", "At what age did X ...?"
    if lemma in _NEWS and w == "what":
        return w, AnswerKind.DESCRIPTION, ""  # "What is the latest news about the mill?": an account
    if lemma in _STANCE and w == "what":
        return w, AnswerKind.DESCRIPTION, lemma  # "What is the union's position on the offer?"
    kind = noun_kind(lemma)
    if kind is AnswerKind.DESCRIPTION and w == "what":
        kind = AnswerKind.ENTITY
    return w, kind, lemma


_RELATIVE = frozenset({"who", "whom", "whose", "which", "where", "when"})  # can open a relative clause


def _question_word(toks: list["Token"]) -> "Token | None":
    """The word that asks: the first question word of the last sentence that has one ("The minister
    said where the hospital would be built. Which company will build it?" asks for a company); one
    after a comma opens a relative clause (", who played ...", ", which critics praised, ...")
    unless no other word asks ("After the vote, which party ..."), except "how" and "what", which
    cannot: after a comma they ask, after a lead-in ("In what may be ..., how many ...")."""
    whs = [t for t in toks if t.lower_ in _WH and t.tag_ in WH_TAGS]
    after_comma = [t for t in whs if t.i > 0 and t.doc[t.i - 1].text == ","]
    whs = [t for t in whs if not (t in after_comma and t.lower_ in _RELATIVE)] or whs
    if not whs:
        return None
    # "how"/"what" cannot open a relative clause: after a comma it opens the question itself, and
    # an earlier one belongs to a lead-in ("In what may be the largest fire ever, how many ...")
    opening = [t for t in after_comma if t.lower_ not in _RELATIVE]
    if opening:
        return opening[-1]
    last = whs[-1].sent.start
    return next(t for t in whs if t.sent.start == last)


# the words between a question determiner and the noun it asks about ("off which North Atlantic
# island", "on which video streaming service", "to which women's charity"): the small pipeline often
# makes the determiner the preposition's object in such a phrase, so the noun is read from the tags
_RUN_TAGS = frozenset({"JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "VBN", "VBG", "HYPH", "CD", "RB",
                       "RBS", "POS"})


def noun_run(doc: "Doc", i: int) -> "Token | None":
    """The last common noun of the run of modifiers and nouns starting at token `i`, or None."""
    last = None
    for t in doc[i:]:
        if t.tag_ not in _RUN_TAGS:
            break
        if t.pos_ == "NOUN":
            last = t
    return last


def counted_noun(number: "Token") -> "Token | None":
    """The noun a number counts: the noun after it that it modifies ("34 rescuers"), or, where the
    parse hangs the number elsewhere, the last noun of the run just after it ("four car ferries":
    ferries), or the noun of a partitive "of" on it ("118 of the 152 riders") or, for a number
    standing alone as its verb's subject or object, on that verb before it ("Of the 152 riders who
    started, 118 finished"), or, for a result set against another, the noun the other counts
    ("24,881 votes to 24,469"); None without one. The one reading of a count's noun for the short
    answer's unit, "how old" and "how many X"."""
    head = number.head
    if head.pos_ in ("NOUN", "PROPN") and head.i > number.i:
        return head
    if _of_chain(head) and number.dep_ == "quantmod" and number.i < head.i:
        # the parser hangs "14 of 19 economists" as a chain of quantity modifiers on "19"
        return counted_noun(head)
    after = noun_run(number.doc, number.i + 1)
    if after is not None:
        return after
    if number.dep_ == "pobj" and number.head.lower_ == "to":
        # a result set against another ("24,881 votes to 24,469"): the count its verb's object counts
        obj = next((c for c in number.head.head.children if c.dep_ == "dobj" and c.pos_ == "NOUN"
                    and any(g.dep_ == "nummod" for g in c.children)), None)
        if obj is not None:
            return obj
    of = next((c for c in number.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is None and number.dep_ in ("nsubj", "nsubjpass", "dobj"):
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of" and c.i < number.i), None)
    if of is None:
        return None
    return next((g for g in of.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")), None)


def _of_chain(number: "Token") -> bool:
    """The number is the whole of a partitive the parser made a chain of quantity modifiers on it
    ("of" and "14" both modify "19" in "14 of 19 economists")."""
    return number.like_num and any(c.dep_ == "quantmod" and c.lower_ == "of" for c in number.children)


def partitive_part(number: "Token") -> "Token | None":
    """The part a number is the whole of, in a partitive: "14" for "19" in "14 of 19 economists",
    "118" for "152" in "118 of the 152 riders" and in "Of the 152 riders who started, 118
    finished"; None when the number is no partitive's whole."""
    if _of_chain(number):
        return next((c for c in number.children if c.dep_ == "quantmod" and c.like_num
                     and c.i < number.i), None)
    noun = number.head
    if number.dep_ != "nummod" or noun.dep_ != "pobj" or noun.head.lower_ != "of":
        return None
    holder = noun.head.head
    if holder.like_num and holder.i < number.i:
        return holder
    if holder.pos_ in ("VERB", "AUX"):  # "Of the 152 riders ..., 118 finished"
        return next((c for c in holder.children if c.like_num
                     and c.dep_ in ("nsubj", "nsubjpass", "dobj")), None)
    return None


def _reported(wh_tok: "Token") -> bool:
    """The question word is the object (or manner) of a reporting verb: "What did she say about
    the plan?", "How did he describe the talks?" ("How many ... say" is not: its head is "many")."""
    head = wh_tok.head
    if wh_tok.dep_ == "det" or not _is_verb(head):
        return False
    # ... also through the clause a reporting verb reports: "What did she say she hoped for?"
    while head.lemma_.lower() not in _REPORTING and head.dep_ in ("ccomp", "xcomp") and head.head.i != head.i:
        head = head.head
    # ... but not where the reporting verb leaves a preposition without its object: the question
    # word is that object ("What did the mayor warn the board against?" asks for the thing warned
    # against, not the warning's words), as slots.question_slot reads it; the small parser makes it
    # the verb's object when the verb has another
    stranded = stranded_preposition(wh_tok.doc)
    if stranded is not None and stranded.head.i == head.i:
        return False
    return head.lemma_.lower() in _REPORTING


@lru_cache(maxsize=8)
def _lexicon(name: str) -> frozenset[str]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in lines if w and not w.startswith("#"))


def is_person_noun(word: str) -> bool:
    """A common noun for a person ("striker", "mayor", "minister"), by the answer-typing table."""
    return noun_kind(word.lower()) is AnswerKind.PERSON


def listed_person_noun(word: str) -> bool:
    """A noun for a person that the answer-typing table or the WordNet lexicon lists ("ceo",
    "executive", "chef"), not one guessed from its ending: a capitalised word ending in "-er" or
    "-or" ("Brenner", "Mayor") may be a surname."""
    lemma = word.lower()
    return _FOCUS_KIND.get(lemma) is AnswerKind.PERSON or lemma in _lexicon("person_nouns.txt")


def noun_kind(lemma: str) -> AnswerKind:
    """The kind of thing a common noun names, by the answer-typing table: "which town" asks for a
    place, and "the town of X" names one."""
    if lemma in _FOCUS_KIND:
        return _FOCUS_KIND[lemma]
    if lemma in _lexicon("person_nouns.txt"):
        return AnswerKind.PERSON
    if lemma in _lexicon("money_nouns.txt"):
        return AnswerKind.MONEY
    if lemma in _lexicon("measure_nouns.txt"):
        return AnswerKind.NUMBER
    if _PERSON_SUFFIX.search(lemma) and len(lemma) > 4 and lemma not in _lexicon("not_person_nouns.txt"):
        return AnswerKind.PERSON
    return AnswerKind.ENTITY


def _noun_after(doc: "Doc", i: int) -> str:
    for t in doc[i:i + 3]:
        if t.pos_ == "NOUN":
            return t.lemma_.lower()
    return ""


def _defines_name(doc: "Doc", wh_tok) -> bool:
    """"Who is Ada Quist?", "What was Kelvar Point?": the wh-word is equated with a name and nothing
    else, so the answer says what the named thing is (a role, a kind of place), not another name."""
    head = wh_tok.head
    if head.lemma_.lower() != "be" or head.i < wh_tok.i:
        return False
    rest = [t for t in doc if t.i not in (wh_tok.i, head.i) and not t.is_punct and t.pos_ != "DET"]
    if any(t.head.i == head.i and t.dep_ in ("attr", "nsubj") and listed_person_noun(t.text) for t in rest):
        # "Who is the Chinese President?", "Who is the Prime Minister?": a title written with a
        # capital heads the phrase, and asks who holds it ("Who is President Xi?" is headed by a name)
        return False
    return bool(rest) and all(_name_like(t) for t in rest)


def _name_like(t: "Token") -> bool:
    """Part of a name: a proper noun, an entity, or a word with a capital inside a sentence (the
    small tagger calls an unfamiliar product "VoltPad" an adjective)."""
    return t.pos_ == "PROPN" or bool(t.ent_type_) or (t.i > 0 and any(ch.isupper() for ch in t.text))


def _equated_noun(doc: "Doc", wh_tok) -> object | None:
    """For "What is the X ..." / "Which is the X": the attribute or subject noun of the wh-word's
    clause; for "What did X buy", nothing (the object is the answer itself)."""
    head = wh_tok.head
    if head.lemma_.lower() != "be":
        return None
    for c in head.children:
        # by position: spaCy makes a new Token object at each access, so `is not` never matched
        if c.i != wh_tok.i and c.dep_ in ("attr", "nsubj", "nsubjpass") and (
                c.pos_ == "NOUN" or c.pos_ == "PROPN" and listed_person_noun(c.text)):
            if _passive_on(c):
                return None
            return c  # (a title written with a capital is tagged a proper noun: "the Prime Minister")
    return None


def _passive_on(noun: "Token") -> bool:
    """The small parser reads "What was the singer arrested for?" as "what" equated with "the
    singer arrested for": a participle on the noun that leaves its preposition without an object
    makes the question a passive one, whose question word is that preposition's object (a charge,
    not a singer)."""
    return any(v.dep_ == "acl" and v.tag_ == "VBN" and any(bare_preposition(p) for p in v.children)
               for v in noun.children)


def _completed_stem(doc: "Doc") -> "tuple[str, AnswerKind, str] | None":
    """The kind a completion stem asks for (slots.completion_stem): what "is:" equates with its
    subject noun ("The board's new chair is:" asks for a person), anything named for a preposition
    or another verb (not the last noun before it: "resigned this week after being charged with:"
    asks for no date)."""
    last = completion_stem(doc)
    if last is None:
        return None
    if last.lemma_.lower() == "be":
        subject = next((c for c in last.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"), None)
        if subject is not None:
            return "", noun_kind(subject.lemma_.lower()), subject.lemma_.lower()
    return "", AnswerKind.ENTITY, ""


# the words by which a question's last sentence refers back to what the sentences before it
# describe ("A retired ferryman rowed ... Who is he?", "One lake supplies ... Which one is it?")
_BACK = frozenset({"it", "he", "she", "they", "one"})
_BACK_WORDS = 6  # a longer last sentence says what it asks itself


def _referred_noun(doc: "Doc", wh_tok: "Token") -> "Token | None":
    """For a short last sentence that asks about something by a pronoun ("What is it?", "Who is
    he?", "Which one is it?", "What was it named?") after sentences that describe it, the noun it
    refers to: one pointed at ("this camera"), one counted as one ("One lake ..."), else the
    first sentence's subject ("A retired ferryman rowed ..."); None for any other question. ("What
    is it called?" is read as a statement question, which the small parser's "called" makes it,
    and measured better so: docs/measurements.md.)"""
    sent = wh_tok.sent
    words = [t for t in sent if not t.is_punct]
    if sent.start == 0 or len(words) > _BACK_WORDS or not any(t.lower_ in _BACK for t in words):
        return None
    if sent.root.lemma_.lower() not in ("be", *_NAMING_VERBS):
        return None  # "Who set it?", "What was he charged with?" ask about another thing than it or him
    before = doc[:sent.start]
    pointed = next((t for t in before if t.pos_ == "NOUN" and t.lemma_.lower() not in _TIME_UNITS and any(
        c.dep_ == "det" and c.lower_ in ("this", "these") for c in t.children)), None)
    if pointed is not None:
        return pointed
    for t in before[:-1]:
        nxt = doc[t.i + 1]
        if t.lower_ == "one" and t.is_sent_start and nxt.is_alpha and nxt.is_lower:
            return nxt  # (the small tagger makes the noun after a leading "One" an adjective at times)
    first = next(before.sents)
    return next((t for t in first if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "NOUN"
                 and t.head.i == first.root.i), None)


_HAPPEN = frozenset({"happen", "occur", "go"})  # "What happened ...", "What is going on ..."
_NEWS = frozenset({"news", "update", "latest"})  # a request for news ("any news on ...") names no answer
# what someone holds or did about something: answered by the sentences that say it, not by a name
# in them ("What is Russia's position on the programme?" is not "Israel")
_STANCE = frozenset({"position", "stance", "view", "opinion", "attitude", "reaction", "response",
                     "relationship", "relation", "tie", "role"})
# nouns that ask for a class of the noun after their "of" ("What kind of ties ...?", "Which type of
# drone ...?"): the asked noun is that one, and a sentence that answers says the class without them
_CLASSIFIERS = frozenset({"kind", "type", "sort"})
# ... and by its verb: "What does the union think of the offer?", "What does Norland want from the
# talks?" ask for a view or an aim, which a sentence says, not a name in it
_HOLD = frozenset({"think", "believe", "feel", "want"})
# the words of a request about a topic besides its name ("Tell me about X", "What do you know about X")
_REQUEST_WORDS = _HAPPEN | _NEWS | frozenset({"tell", "describe", "explain", "know", "new", "late", "updates",
                                              "happened", "going", "occurred"})


def counts_things(q: AnalysedQuestion) -> bool:
    """"How many times ...?", "How many people ...?": a count of a noun that is no unit of time
    ("how many days" counts time, which a date may state: "since Monday")."""
    return q.wh == "how many" and bool(q.focus) and q.focus not in _TIME_UNITS


def topic_words(q: AnalysedQuestion) -> frozenset[str]:
    """For a request about a named thing and nothing else ("Tell me about Kelvar Point", "Who is Ada
    Quist?", "What happened to the Harbour Board?"), the lowercase words of its name; empty for any
    other question. Its answer is what the passages say of that thing, which no candidate answers
    better than another that names it, and it is answered whenever one does."""
    if not (q.kind is AnswerKind.DESCRIPTION or (q.kind is AnswerKind.ENTITY and not q.focus)):
        return frozenset()
    names = q.named_tokens | name_words(t.text for t in q.doc if _name_like(t) and t.lower_ not in _WH)
    if not names:
        return frozenset()
    # a request's own words: an imperative's ("Tell me about", "Describe"), what "you know", what
    # "happened"; in a question, "what did she tell the board" asks for a statement
    own = q.wh == "" or q.kind is AnswerKind.DESCRIPTION or any(t.lower_ == "you" for t in q.doc)
    rest = {w for w in q.content if not name_words([w]) <= names and not (own and w in _REQUEST_WORDS)}
    return frozenset() if rest else names


# what a request for an overview of the articles says besides its request words: "Summarise the
# articles", "What are the main points?", "Give me the key stories"
_OVERVIEW = frozenset({"summarise", "summarize", "summary", "overview", "main", "key", "point", "article",
                       "story", "headline", "gist", "give", "top", "today", "news", "happen"})


def asks_overview(q: AnalysedQuestion) -> bool:
    """A request for an overview that names no topic ("What happened?", "Summarise the articles",
    "What are the main points?"): what the articles lead with answers it, not one fact."""
    if q.wh not in ("", "what"):
        return False
    asked = [t for t in q.doc if t.lower_ in q.content or t.text in q.named]
    known = _OVERVIEW | _REQUEST_WORDS
    return bool(asked) and all(t.lower_ in known or t.lemma_.lower() in known for t in asked) and any(
        t.lower_ in _OVERVIEW or t.lemma_.lower() in _OVERVIEW for t in asked)


def topic_nouns(q: AnalysedQuestion) -> frozenset[str]:
    """For a request about a thing it names by a common noun phrase and nothing else ("Tell me about
    the nuclear plant", "Describe the ferry strike", "What happened at the summit?"), the phrase's
    words as the lexical index stems them ("plant" also names "plants"); empty for any other
    question, and for one about a named thing (`topic_words`). Like a named topic, it is answered by
    what the passages say in sentences that name it: the phrase states no relation to ask about,
    so the answer type and the answerability model, fit on questions that do, have nothing to
    weigh."""
    from newsqa.index.lexical import tokenize

    if q.kind is not AnswerKind.DESCRIPTION or topic_words(q):
        return frozenset()
    # a stance ("What is the union's position on the offer?") is what is asked, not a word the
    # sentences that answer must use
    rest = [t for t in q.doc if t.lower_ in q.content and t.lower_ not in _REQUEST_WORDS
            and t.lemma_.lower() not in _REQUEST_WORDS and t.lemma_.lower() not in _STANCE
            and t.lemma_.lower() not in _CLASSIFIERS]
    if not rest or len(rest) > 4 or not all(t.pos_ in ("NOUN", "ADJ", "PROPN") for t in rest):
        return frozenset()
    if not any(t.pos_ == "NOUN" for t in rest):
        return frozenset()
    return frozenset(tokenize(" ".join(t.text for t in rest)))


def analysed_parts(q: AnalysedQuestion) -> list[AnalysedQuestion]:
    """Each part of `question_parts(q)` analysed; `q` itself when it asks one thing."""
    texts = question_parts(q)
    return [q] if len(texts) < 2 else [analyse(t) for t in texts]


def without_parts(question: str, dropped: Iterable[str]) -> str:
    """`question` without the parts (analysed_parts' texts) in `dropped`: the one part left, or the
    parts left joined again as one compound question ("A?", "B?" -> "A, and b?")."""
    gone = set(dropped)
    left = [p.text for p in analysed_parts(analyse(question)) if p.text not in gone]
    if not left or not gone:
        return question
    if len(left) == 1:
        return left[0]
    rest = [t[:1].lower() + t[1:] if t[:1].isupper() and not t[1:2].isupper() else t for t in left[1:]]
    return ", and ".join(t.rstrip("?") for t in [left[0], *rest]) + "?"


def _antecedent(first_part: str) -> "tuple[Span, frozenset[str]] | None":
    """What a pronoun of a later part of a compound question stands for ("Where is the plant, and
    who built it?"), with the kinds of pronoun that stand for it ("person", "thing"): the first
    part's subject when it is no question phrase, else, after "who", its object for "it" ("Who
    built the plant, and when did it open?"). A kind is left out when the first part names
    something else a pronoun of that kind could stand for ("When did Acme open its plant, and
    where is it?"). Where the subject is a question phrase that the pronoun could stand for
    ("Which firm bought the mill, and when did it close?"), it may stand for that part's answer,
    which is not known before it is answered: nothing then; likewise after "Who is X?", whose
    answer names X (a statement is found by its speaker's name, not by "X"). The part is parsed
    alone: the small parser misreads a compound question as a whole more often."""
    first = analyse_question(first_part.rstrip(" ,;?") + "?")
    root = next((t for t in first if t.dep_ == "ROOT"), None)
    if root is None or root.lemma_ == "do":  # "When did the ferry sink": "sink" read as a noun
        return None
    if any(t.tag_ in WH_TAGS and t.dep_ == "attr" for t in root.children):
        return None  # "Who is Putin's spokesman, and what did he say?": he is the answer, by name
    subject = next((t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    only = {"person", "thing"}
    if subject is not None and subject.lower_ in ("who", "whom"):
        subject, only = next((t for t in root.children if t.dep_ == "dobj"), None), {"thing"}
    if subject is None or subject.pos_ == "PRON" or any(t.tag_ in WH_TAGS for t in subject.subtree):
        return None
    # the noun phrase up to its head, and the "of" phrases after it ("the mayor of Tarn")
    end = subject.i + 1
    for c in subject.rights:
        if c.dep_ == "prep" and c.lower_ == "of" and c.i == end:
            end = c.right_edge.i + 1
    named = first[subject.left_edge.i:end]
    kinds = _pronoun_kinds(subject) & only
    for t in first:
        if t.pos_ in ("NOUN", "PROPN") and not named.start <= t.i < named.end:
            kinds -= _pronoun_kinds(t)  # another thing the pronoun could stand for
    return (named, frozenset(kinds)) if kinds else None


def _pronoun_kinds(t: "Token") -> set[str]:
    """The pronouns that can stand for a noun: "he"/"she" for a person, "it" for a thing, either
    for a name the small NER types unreliably (a person's name is often an ORG)."""
    if t.pos_ == "PROPN":
        return {"thing"} if t.ent_type_ in ("GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART") \
            else {"person", "thing"}
    if t.pos_ == "NOUN" and is_person_noun(t.lemma_):
        return {"person"}
    return {"thing"}


def _resolved(part: "Span", antecedent: "tuple[Span, frozenset[str]] | None") -> str:
    """The part's text with its third-person singular pronouns replaced by the antecedent where
    their kind is one it takes; possessives take "'s"."""
    if antecedent is None:
        return part.text
    named, kinds = antecedent
    text = named.text
    if named[0].pos_ == "DET" and named[0].is_title:
        text = text[:1].lower() + text[1:]  # "The plant" opened the first part
    out = []
    for t in part:
        if SINGULAR_KIND.get(t.lower_) in kinds:
            owner = t.tag_ == "PRP$" or t.lower_ in ("its", "his")
            out.append((f"{text}'s" if owner else text) + t.whitespace_)
        else:
            out.append(t.text_with_ws)
    return "".join(out)


def question_parts(q: AnalysedQuestion) -> list[str]:
    """The questions a compound question asks ("Which firm bought the mill, and when did it
    close?"): split before every "and" followed by a question word, so each part is answered on its
    own. A part without a verb of its own borrows the last part's ("Which city and which year did
    the fair open in?"), and a later part's pronoun that stands for the first part's subject is
    replaced by it ("Where is the plant, and who built it?" asks "Who built the plant?"). One
    part (the question itself) when it asks one thing."""
    doc = q.doc
    cuts = [t.i for t in doc[1:-1] if t.lower_ == "and" and doc[t.i + 1].tag_ in WH_TAGS]
    if not cuts:
        return [q.text]
    spans, start = [], 0
    for i in cuts:
        spans.append(doc[start:i])
        start = i + 1
    spans.append(doc[start:])
    named = _antecedent(spans[0].text)
    texts = [spans[0].text.strip(" ,;")] + [_resolved(s, named).strip(" ,;") for s in spans[1:]]
    last = spans[-1]
    verb = next((t for t in last if t.pos_ in ("AUX", "VERB") and t.tag_ not in WH_TAGS), None)
    out = []
    for span, text in zip(spans[:-1], texts[:-1]):
        if verb is not None and not any(t.pos_ in ("AUX", "VERB") for t in span):
            text = f"{text} {doc[verb.i:last.end].text}"
        out.append(text.rstrip(" ,;?") + "?")
    out.append(texts[-1])
    out = [t[:1].upper() + t[1:] for t in out if len(t.split()) > 1]
    return out if len(out) > 1 else [q.text]
