"""What a question asks for: the one question analysis (`Question.parse`).

Shared by the retriever's reranker (rerank.py), the extractive backend's candidate scoring
(candidates.py: which sentences answer best) and the refusal rule (refuse.py: whether the chosen
sentences answer at all), so that all three read a question the same way.

Reading a question (`Question.parse`): its kind comes from the leading question word ("In which
year...", "According to Trump, how does..."; keywords only when there is none); "In which year/On
which day/what date" narrow a date question to a unit; a compound question ("Which UAE leader ...,
and what did Trump ...") splits into parts; names carried over from an earlier turn (the
parenthesised tail `chat.standalone_question` writes) set the topic but are not the question's own
words; "What did X say" asks for a statement by X (`constraints.py` checks the speaker), not a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from newsqa.rag.chat import split_carried
from newsqa.rag.constraints import SPEECH_VERBS, Constraints, parse_constraints, speaker_named, with_speaker
from newsqa.rag.query import analyse, question_parts
from newsqa.rag.terms import MONTH_WORDS, STOPWORDS, KeyTerms, key_terms
from newsqa.rag.words import content_words, stem

# What a question asks for is read from its leading question word ("In which year...", "According
# to Trump, how does..."): a "when" inside a later clause ("What did Trump say ... when Putin
# offered") does not make it a date question. Questions without one ("Tour final 2021 location")
# fall back to keywords anywhere.
_WH = re.compile(r"\b(who|whom|whose|what|when|where|which|how|why)\b", re.I)
_ACCORDING = re.compile(r"^\s*according to\s+[^,]+,\s*", re.I)
_DATE_WORDS = re.compile(r"^\s*(?:year|date|day|month|time|decade|century|season|week)s?\b", re.I)
_DATE_ANY = re.compile(r"\b(?:release|premiere|launch|air|start|opening|due|expiry|birth)\s+date\b", re.I)
_NUMBER_HOW = re.compile(r"^\s*(?:many|much|long|old|far|tall|big|high|fast|often|large|heavy|deep)\b", re.I)
_NUMBER_ANY = re.compile(
    r"\b(?:revenue|price|cost|worth|salary|population|number of|amount|budget|sales|profit|loss|"
    r"percentage|attendance)\b", re.I)
_PLACE_NEXT = re.compile(r"^\s*(?:city|country|state|place|venue|stadium|town|location|region|county|"
                         r"continent|nation|capital)\b", re.I)
_PLACE_ANY = re.compile(r"\blocation\b|\bheadquarter|\bwhere\b", re.I)
_PERSON_NEXT = re.compile(
    r"^\s*(?:(?!(?:did|does|do|is|was|are|were|has|have|had|will)\b)\w+\s+){0,2}?"
    r"(?:person|people|director|actor|actress|player|team|company|author|writer|"
    r"singer|band|driver|club|president|leader|ceo|winner|artist|firm|spokesman|spokeswoman|"
    r"spokesperson|minister|prime minister|chancellor|king|queen|coach|manager|founder|owner|"
    r"chairman|governor|senator|official|champion|candidate|prince|princess|leaders)\b", re.I)
_PERSON_ANY = re.compile(r"\b(?:no\.? ?1|number one|champion|winner|leader|ceo|chairman|founder|owner)\b",
                         re.I)
# "What was Tesla's revenue" asks for a number; "What sanctions did..." for a thing
_WHAT_BE = re.compile(r"^\s*(?:is|was|are|were|will be|has been)\b", re.I)


def _lead(question: str) -> tuple[str, str]:
    """The leading question word (lowercase, "" when none) and the text after it."""
    q = _ACCORDING.sub("", question)
    m = _WH.search(q)
    if not m:
        return "", q
    return m.group(1).lower(), q[m.end():]


def question_kind(question: str) -> str:
    """"date", "number", "place", "person", "entity" (a named thing) or "other"."""
    wh, rest = _lead(question)
    if wh == "when":
        return "date"
    if wh == "where":
        return "place"
    if wh in ("who", "whom", "whose"):
        return "person"
    if wh == "how":
        return "number" if _NUMBER_HOW.match(rest) else "other"
    if wh == "why":
        return "other"
    if wh in ("what", "which"):
        if _DATE_WORDS.match(rest) or _DATE_ANY.search(question):
            return "date"
        if _NUMBER_ANY.search(rest) and (_WHAT_BE.match(rest) or wh == "which"):
            return "number"
        if _PLACE_NEXT.match(rest) or re.search(r"\blocation\b", rest, re.I):
            return "place"
        if _PERSON_NEXT.match(rest) or (_WHAT_BE.match(rest) and _PERSON_ANY.search(rest)):
            return "person"
        return "entity"
    # no question word: a search-style query ("Tour final 2021 location")
    if _DATE_ANY.search(question):
        return "date"
    if _NUMBER_ANY.search(question):
        return "number"
    if _PLACE_ANY.search(question):
        return "place"
    if _PERSON_ANY.search(question):
        return "person"
    return "other"


def wanted_unit(question: str) -> str:
    """For date questions, the unit asked for: "year" ("In which year..."), "day" ("On which
    day..."), "date" ("On what date", "release date": a calendar day), else ""."""
    wh, rest = _lead(question)
    if wh in ("what", "which"):
        m = _DATE_WORDS.match(rest)
        if m:
            word = m.group(0).strip().lower().rstrip("s")
            return {"year": "year", "day": "day", "date": "date"}.get(word, "")
    if _DATE_ANY.search(question):
        return "date"  # "release date": a day, not just a year
    return ""


_TITLE_YEAR = re.compile(r"\w\s*\((\d{4})\)")
_PERSONAL = re.compile(r"\b(?:he|she|him|her|his|they|them)\b", re.I)
_AUX = {"is", "was", "are", "were", "did", "does", "do", "has", "have", "had", "can", "could", "will",
        "would", "should", "may", "might"}


def head_noun(question: str) -> str:
    """The kind of thing a which/what question asks for: "war" in "Which war turned...", "term" in
    "In which of his terms...", "" for "What did Putin say"."""
    wh, rest = _lead(question)
    if wh not in ("what", "which"):
        return ""
    for w in re.findall(r"[^\W\d_]+", rest):
        w = w.lower()
        if w in ("of", "the", "his", "her", "its", "their", "a", "an", "these", "those", "our", "your"):
            continue
        return "" if w in _AUX or w in STOPWORDS else stem(w)
    return ""


_SPEECH_STEMS = frozenset(stem(v) for v in SPEECH_VERBS)
_MONEY_Q = re.compile(r"\b(?:revenue|price|cost|worth|salary|budget|sales|profit|loss|earn|paid|pay|"
                      r"spend|spent|fund|valuation|income|fine|deal)", re.I)
_TEAM_EVENT = re.compile(r"\b(?:cup|final|finals|championship|league|olympics?|games|match|"
                         r"tournament|series|bowl|relay|derby)\b", re.I)
# a year or number glued to a capitalised word names a thing: "Starfall 2049", "Season 4"
_TITLE_NUMBER = re.compile(r"\b([A-Z][A-Za-z']*)\s+(\d{1,4})\b(?!\s*(?:%|percent|million|billion))")


@dataclass
class Question:
    text: str  # as asked, carried names included
    kind: str
    terms: KeyTerms
    words: set[str]
    name_tokens: set[str]
    title_numbers: set[str]  # years/numbers that are part of a name
    money: bool
    team_event: bool = False  # a contest that teams or countries win ("a cup final")
    # "who" asks for the one who acted ("Who built the plant?"), whom news names a country as often
    # as a person or a body ("Russia built it"): query.analyse's reading, so both paths agree; but
    # for "won", which a country does only in a contest (`team_event`: not an election or a prize)
    acted: bool = False
    own: str = ""  # the words of the question itself, without names carried over from earlier turns
    context: set[str] = field(default_factory=set)  # carried-over name tokens: the topic, not the ask
    # "year", "day" or "date": "In which year", "On which day", "release date", "When was it released"
    unit: str = ""
    parts: list[str] = field(default_factory=list)  # sub-questions of a compound question
    constraints: Constraints | None = None
    wh: str = ""  # the leading question word
    head: str = ""  # what a which/what question asks for ("war", "term"), stemmed
    # "Skyreach (2019)": a year in brackets after a title names the work released that year
    title_year: str = ""

    @classmethod
    def parse(cls, question: str) -> "Question":
        """The question's analysis (cached: the same question is read by selection and refusal)."""
        return _parse(cls, question)

    @classmethod
    def _parse(cls, question: str) -> "Question":
        own, carried = split_carried(question)
        terms = key_terms(own)
        names = {t for n in terms.names for t in n} | set(terms.initial)
        titled = {m.group(2) for m in _TITLE_NUMBER.finditer(own)
                  if m.group(1).lower().rstrip(".") not in MONTH_WORDS}
        context = key_terms(", ".join(carried)) if carried else None
        carried_tokens = ({t for n in context.names for t in n} | set(context.initial) | set(context.weak)
                          if context else set()) - names
        # the parts the learned path answers and refuses one by one (query.py): one splitter, so
        # both paths name the same parts
        analysed = analyse(own)
        parts = question_parts(analysed)
        constraints = parse_constraints(own)
        kind = question_kind(own)
        head = head_noun(own)
        if kind == "entity" and constraints.says and not head:
            kind = "other"  # "What did Putin say...": a statement answers it, not a name
        if constraints.says and constraints.speaker is None and carried and _PERSONAL.search(own):
            # "What did he say about Trump?" after an answer naming Peskov: Peskov is the speaker
            constraints = with_speaker(constraints, speaker_named(carried[0]))
        words = content_words(own)
        if constraints.says:
            # the speaker and the verb of saying are checked as a constraint, not matched as words
            spoken = {stem(t) for t in (constraints.speaker.names | constraints.speaker.words)} \
                if constraints.speaker else set()
            words = {w for w in words if w not in spoken and w not in _SPEECH_STEMS} or words
        wh = _lead(own)[0]
        unit = wanted_unit(own)
        if not unit and kind == "date" and wh == "when" and "release" in constraints.events:
            # a release, launch or premiere happens on a day, and the news reports the day: "in
            # early 2020" does not answer "When was it released?" (a year stays fine for "founded")
            unit = "date"
        return cls(question, kind, terms, words, names, titled,
                   bool(_MONEY_Q.search(own)), bool(_TEAM_EVENT.search(own)), own=own,
                   context=carried_tokens, unit=unit, parts=parts if len(parts) > 1 else [],
                   constraints=constraints, wh=wh, head=head,
                   acted=(kind == "person" and "GPE" in analysed.labels and analysed.slot is not None
                          and analysed.slot.verb != "win"),
                   title_year=m.group(1) if (m := _TITLE_YEAR.search(own)) else "")

    def fresh(self, token: str) -> bool:
        """A name token the question (or the names carried into it) does not already contain."""
        return (token not in self.name_tokens and stem(token) not in self.words and token not in self.words
                and token not in self.context)


@lru_cache(maxsize=1024)
def _parse(cls: type[Question], question: str) -> Question:
    return cls._parse(question)
