"""What a question asks for, and how well a passage sentence answers it: the one question analysis.

Shared by the retriever's reranker (`rerank_score`), the extractive backend (which picks the best
sentences) and the refusal rule (which asks whether the chosen sentences answer at all), so that all
three read a question the same way.

Reading a question (`Question.parse`): its kind comes from the leading question word ("In which
year...", "According to Trump, how does..."; keywords only when there is none); "In which year/On
which day/what date" narrow a date question to a unit; a compound question ("Which UAE leader ...,
and what did Trump ...") splits into parts; names carried over from an earlier turn (the
parenthesised tail `chat.standalone_question` writes) set the topic but are not the question's own
words; "What did X say" asks for a statement by X (`constraints.py` checks the speaker), not a name.

A sentence's answer score:

    relevance = 0.35 * cosine(question, sentence)
              + 0.45 * overlap: IDF-weighted share of the question's content words in the sentence
                       (IDF over the candidate sentences: the topic words every passage shares weigh
                       little, the asking words - "revenue", "acquired" - weigh much)
              + 0.12 * share of the question's name tokens in the sentence (half credit: its passage)
              + 0.08 * retrieval rank
    score     = relevance * typed * required * fragment * corroboration * 0.35 ** broken

`typed` = 0.4 + 0.6 * answer type, for questions that ask for a kind of thing: who -> a person-like
name the question lacks (a place only for team contests), when -> a date (with its year: best),
how many/much -> a number (money for money questions), where -> a place, what/which -> a name or a
quoted title. `required` multiplies, per year/number/date/code of the question, 1 (in the sentence),
0.85 (a neighbouring sentence), 0.7 (elsewhere in the passage) or 0.25 (absent), halved again when the
sentence names another year; numbers and years that are part of a name ("Season 4", "Wonder Woman
1984") weigh less (0.95 / 0.9 / 0.6). `fragment` is 0.85 for a snippet cut mid-sentence (0.7 when
cut down to a function word: "to researching ..."), 0.6 for a sentence that asks rather than tells
and 0.6 for a product listing ("Date First Available: ...; ASIN: ...") or a social-media post. `corroboration` adds 8% per further article (up to 3) that
carries the same candidate answer (name, date or number; a person's surname will do). A nationality
("a Colombian") is not a person. `broken` counts (up to two) the question's
constraints the sentence breaks (`newsqa.rag.constraints`: another gender, level or role, another
speaker or topic). Words match through inflection ("supplied"/"supplier"). A sentence opening with
"He/She ..." takes its answer type from the sentence before it, in its article (across chunks).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from newsqa.index.lexical import tokenize
from newsqa.rag.chat import split_carried
from newsqa.rag.constraints import (
    SPEECH_VERBS, Constraints, has_word, parse_constraints, same_word, speaker_named, tokens,
    violations, with_speaker,
)
from newsqa.rag.support import STOPWORDS, KeyTerms, Num, _union, evidence_spans, key_terms, normalise_word

if TYPE_CHECKING:
    from newsqa.rag.support import SupportScorer
    from newsqa.rag.types import Passage

W_SEM, W_WORDS, W_NAMES, W_RANK = 0.35, 0.45, 0.12, 0.08
MAX_EMBEDDED = 16  # candidate sentences embedded per question (see score_candidates)
TYPE_FLOOR = 0.4  # a typed question's sentence without that type keeps this share of its score
REQ_NEAR, REQ_PASSAGE, REQ_ABSENT = 0.85, 0.7, 0.25
REQ_NEAR_SOFT, REQ_PASSAGE_SOFT, REQ_ABSENT_SOFT = 0.95, 0.9, 0.6
REQ_CONFLICT = 0.5
CORROBORATION = 0.08  # per further article that carries the same answer (name, date, number), up to 3
ASKING = 0.6  # "... and who is winning the": a sentence that asks rather than tells
_ASKS = re.compile(r"\b(?:who|what|when|where|which|how)\s+(?:is|are|was|were|will|does|did|do|can)\b"
                   r"|\?\s*$", re.I)
_QUOTE_MARK = re.compile(r"[“”‘\"«»]|(?:^|\s)'")
# a sentence that opens with a question word and ends with "?" asks, quoted titles inside or not
_DIRECT_QUESTION = re.compile(r"^\s*(?:who|whom|whose|what|when|where|which|why|how|is|are|was|were|"
                              r"will|would|does|did|do|can|could|should)\b.*\?\s*$", re.I)
# "Date First Available: January 13, 2017; Manufacturer: Nintendo; ASIN: ...": a product listing's
# label-value pairs, not a sentence that tells anything
_LISTING = re.compile(r"(?:^|[;|·•]\s*)[A-Z][\w ]{0,30}:\s*[^;|·•]{1,60}[;|·•]\s*[A-Z][\w ]{0,30}:")
LISTING = 0.6
# a social-media post quoted in a search snippet ("418K likes, 2054 comments - user on ...: ...
# #hashtag"): chatter, not reporting
_SOCIAL = re.compile(r"\b\d[\d.,]*[KkMm]?\s+likes\b|(?:^|\s)[@#][A-Za-z]\w{2,}")
# a snippet whose opening was cut off, down to a function word ("to researching Amazon's AI
# assistant and ...", "and the company said"): its subject and verb are lost
_TAIL_START = re.compile(r"^(?:to|and|or|of|for|with|by|from|in|on|at|as|but|than|that|which|who)\s", )
TAIL = 0.7
FRAGMENT = 0.85
MIN_WORDS = 4
VIOLATION = 0.35  # per broken constraint of the question (rag/constraints.py), up to two
WINDOW = 3  # sentences before a candidate that may name its speaker ("He said:", a long quotation)
PRONOUN_TYPE = 0.9  # a "She said:" sentence holds the answer type of the sentence before it
TITLE_CASE = 0.6  # answer-type confidence left to a name found in a title-case line
_PRONOUN_OPENING = re.compile(r"^[“\"']?\s*(?:he|she|they|his|her|their)\b", re.I)

_QUESTION_WORDS = {"who", "whom", "whose", "what", "when", "where", "which", "why", "how", "name",
                   "did", "does", "do", "is", "was", "were", "are", "will", "new", "current",
                   "currently"}
# name tokens that mark an institution, event or place rather than a person
_GENERIC = {
    "states", "united", "stadium", "club", "tournament", "election", "elections", "awards", "award",
    "cup", "championship", "championships", "open", "games", "olympic", "olympics", "world",
    "national", "league", "series", "season", "edition", "university", "college", "news", "times",
    "post", "day", "year", "prize", "trophy", "festival", "park", "street", "city", "county",
    "center", "centre", "hall", "school", "academy", "company", "group", "inc", "corp", "ltd",
    "records", "studios", "pictures", "entertainment", "network", "party", "department", "ministry",
    "council", "committee", "association", "federation", "foundation", "institute", "agency",
    "office", "house", "senate", "congress", "court", "final", "finals", "round", "grand", "slam",
    "tour", "race", "match", "team", "media", "press", "official", "general", "results", "winners",
    "update", "blog", "video", "photo", "trailer", "review", "edt", "est", "pm", "am", "gmt", "utc",
    "release", "date", "details", "edition", "definitive", "soundtrack", "album", "version",
}

# What a question asks for is read from its leading question word ("In which year...", "According
# to Trump, how does..."): a "when" inside a later clause ("What did Trump say ... when Putin
# offered") does not make it a date question. Questions without one ("Super Bowl 2021 location")
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
    # no question word: a search-style query ("Super Bowl 2021 location")
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


# "Which UAE leader and which Chinese leader ...", "At which forum ..., and who warned ...": each
# part is answered on its own
_PART = re.compile(r",?\s+and\s+(?=(?:who|whom|whose|what|when|where|which|how)\b)", re.I)


def question_parts(question: str) -> list[str]:
    """The sub-questions of a question that asks several things at once (one part: itself)."""
    parts = [p.strip(" ,") for p in _PART.split(question) if p.strip(" ,")]
    if len(parts) < 2:
        return [question]
    # the first part often leaves its verb phrase to the last ("Which UAE leader and which Chinese
    # leader did Putin tell about..."): borrow it
    last = parts[-1]
    m = re.match(r"^\s*\w+\s+(?:\w+\s+){0,3}?(?=(?:did|does|do|is|was|are|were|has|have)\b)", last, re.I)
    out = []
    for p in parts[:-1]:
        if m and len(content_words(p)) <= 2:
            p = p + " " + last[m.end():]
        out.append(p)
    out.append(last)
    return out


_IRREGULAR = {
    "won": "win", "wins": "win", "winning": "win", "winner": "win", "winners": "win", "victory": "win",
    "bought": "buy", "buys": "buy", "purchased": "buy", "purchase": "buy", "acquired": "buy",
    "acquisition": "buy", "acquire": "buy", "acquires": "buy", "takeover": "buy",
    "established": "found", "establish": "found", "launched": "releas", "launch": "releas",
    "launches": "releas", "debuted": "releas", "debut": "releas", "debuts": "releas",
    "sold": "sell", "took": "take", "taken": "take", "held": "hold",
    "led": "lead", "became": "become", "began": "begin", "begun": "begin", "chose": "choose",
    "chosen": "choose", "gave": "give", "given": "give", "made": "make", "named": "name",
    "directed": "direct", "director": "direct", "directors": "direct", "released": "releas",
    "release": "releas", "premiered": "premier", "premiere": "premier", "premieres": "premier",
    "ran": "run", "met": "meet", "paid": "pay", "said": "say", "says": "say", "told": "tell",
    "beat": "beat", "defeated": "beat", "defeats": "beat", "defeat": "beat", "hosted": "host",
    "hosts": "host", "host": "host", "awarded": "award", "died": "die", "dead": "die", "death": "die",
    "born": "birth", "killed": "kill", "elected": "elect", "election": "elect",
}


def stem(word: str) -> str:
    """A crude suffix stripper plus a few irregular forms: "won"/"wins" -> "win"."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suf in ("ing", "ed", "es", "s", "e"):
        if len(word) > len(suf) + 3 and word.endswith(suf):
            return word[: -len(suf)]
    return word


_CONTENT = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def content_words(text: str) -> set[str]:
    words = (normalise_word(w) for w in _CONTENT.findall(text))
    out = set()
    for w in words:
        if not w or w in STOPWORDS or w in _QUESTION_WORDS or w.isdigit():
            continue
        out.add(stem(w))
        if "-" in w:
            out.update(stem(p) for p in w.split("-") if p and p not in STOPWORDS)
    return out


_SPEECH_STEMS = frozenset()  # filled below, once `stem` exists


def idf_weights(texts: list[str]) -> dict[str, float]:
    """Inverse document frequency over the candidate sentences: within one question's passages the
    topic words ("Tesla", "Wimbledon") are everywhere and the asking words ("revenue") are not."""
    df: dict[str, int] = {}
    for t in texts:
        for w in content_words(t):
            df[w] = df.get(w, 0) + 1
    n = len(texts)
    return {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}


_SPEECH_STEMS = frozenset(stem(v) for v in SPEECH_VERBS)

# Countries, US states and large cities: enough to tell "Las Vegas" from a person in a who-question
# and to recognise a place in a where-question. Lowercase, accents stripped, multiword as tuples.
_PLACES = {tuple(w.split("|")) for w in """
afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas
bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei
bulgaria burundi cambodia cameroon canada chad chile china colombia comoros congo croatia cuba cyprus
czechia czech|republic denmark djibouti dominica ecuador egypt el|salvador england eritrea estonia
eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece grenada guatemala
guinea guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica
japan jordan kazakhstan kenya kiribati korea south|korea north|korea kosovo kuwait kyrgyzstan laos
latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia
maldives mali malta mauritania mauritius mexico moldova monaco mongolia montenegro morocco mozambique
myanmar namibia nauru nepal netherlands new|zealand nicaragua niger nigeria norway oman pakistan palau
palestine panama paraguay peru philippines poland portugal qatar romania russia rwanda samoa
san|marino saudi|arabia scotland senegal serbia seychelles singapore slovakia slovenia somalia
south|africa spain sri|lanka sudan suriname sweden switzerland syria taiwan tajikistan tanzania
thailand togo tonga trinidad tunisia turkey turkmenistan tuvalu uganda ukraine united|arab|emirates
uae united|kingdom uk united|states usa us america uruguay uzbekistan vanuatu vatican venezuela
vietnam wales yemen zambia zimbabwe europe asia africa antarctica oceania
alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho
illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
mississippi missouri montana nebraska nevada new|hampshire new|jersey new|mexico new|york
north|carolina north|dakota ohio oklahoma oregon pennsylvania rhode|island south|carolina
south|dakota tennessee texas utah vermont virginia washington west|virginia wisconsin wyoming
athens atlanta bangkok barcelona beijing berlin boston brussels budapest buenos|aires cairo
cape|town chicago dallas delhi new|delhi denver detroit dubai dublin edinburgh geneva glendale
hong|kong houston istanbul jakarta jerusalem johannesburg kabul kyiv kiev lagos las|vegas lisbon
london los|angeles madrid manchester melbourne miami milan montreal moscow mumbai munich nairobi
new|orleans paris philadelphia phoenix prague rio|de|janeiro rio rome san|diego san|francisco
santiago sao|paulo seattle seoul shanghai singapore stockholm sydney tampa tampa|bay tehran tokyo
toronto vancouver vienna warsaw zurich
""".split()}
_PLACE_WORDS = {w for p in _PLACES for w in p}


def _demonyms() -> frozenset[str]:
    """Nationality words ("Colombian", "French"): a people, not a person. The regular ones are
    derived from the country names above ("colombia" -> "colombian", "italy" -> "italian")."""
    out = set("""
    french british english dutch swiss greek thai danish swedish finnish polish spanish irish scottish
    welsh turkish german filipino argentine argentinian peruvian chilean mexican lebanese pakistani
    israeli iraqi saudi emirati kuwaiti qatari yemeni bangladeshi nepali afghan uzbek kazakh norwegian
    icelandic portuguese chinese japanese vietnamese taiwanese sudanese senegalese congolese maltese
    american canadian russian ukrainian european african asian latin
    """.split())
    for (p,) in (x for x in _PLACES if len(x) == 1):
        out.update({p + "n", p + "an", p + "ian", p[:-1] + "an", p[:-1] + "ian", p + "ese"})
    return frozenset(out | {w + "s" for w in out})


_DEMONYMS = _demonyms()
_MONEY_Q = re.compile(r"\b(?:revenue|price|cost|worth|salary|budget|sales|profit|loss|earn|paid|pay|"
                      r"spend|spent|fund|valuation|income|fine|deal)", re.I)
_MONEY = re.compile(r"[$€£¥]\s?\d|\d\s?(?:dollars|euros|pounds|usd|eur|gbp)\b", re.I)
_TEAM_EVENT = re.compile(r"\b(?:cup|final|finals|championship|league|olympics?|games|match|"
                         r"tournament|series|bowl|relay|derby)\b", re.I)
_QUOTED = re.compile(r"[\"“‘]([A-Z][^\"”’]{0,60}?)[\"”’]")
# a year or number glued to a capitalised word names a thing: "Wonder Woman 1984", "Season 4"
_TITLE_NUMBER = re.compile(r"\b([A-Z][A-Za-z']*)\s+(\d{1,4})\b(?!\s*(?:%|percent|million|billion))")
_MONTH_NAMES = {"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june",
                "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov",
                "november", "dec", "december"}


def asks(text: str) -> bool:
    """True for a sentence that asks rather than tells ("... and who is winning the", "What is...?").

    A question inside a quotation is reported speech ("I said ‘... let’s mediate Russia first’, OK?"):
    the sentence tells what someone asked or said.
    """
    if _DIRECT_QUESTION.match(text):
        return True  # "What would a Nolan-directed version of 'The Avengers' look like?"
    m = _ASKS.search(text)
    return bool(m) and not _QUOTE_MARK.search(text[:m.start() + 1])


def is_place(name: tuple[str, ...]) -> bool:
    return name in _PLACES or (len(name) >= 2 and name[-2:] in _PLACES) or name[:1] in _PLACES and len(name) == 1


@dataclass
class Question:
    text: str  # as asked, carried names included
    kind: str
    terms: KeyTerms
    words: set[str]
    name_tokens: set[str]
    title_numbers: set[str]  # years/numbers that are part of a name
    money: bool
    team_event: bool = False  # a contest that teams or countries win ("World Cup final")
    own: str = ""  # the words of the question itself, without names carried over from earlier turns
    context: set[str] = field(default_factory=set)  # carried-over name tokens: the topic, not the ask
    unit: str = ""  # "year"/"day" for "In which year/On which day" questions
    parts: list[str] = field(default_factory=list)  # sub-questions of a compound question
    constraints: Constraints | None = None
    wh: str = ""  # the leading question word
    head: str = ""  # what a which/what question asks for ("war", "term"), stemmed

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
                  if m.group(1).lower().rstrip(".") not in _MONTH_NAMES}
        context = key_terms(", ".join(carried)) if carried else None
        carried_tokens = ({t for n in context.names for t in n} | set(context.initial) | set(context.weak)
                          if context else set()) - names
        parts = question_parts(own)
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
        return cls(question, kind, terms, words, names, titled,
                   bool(_MONEY_Q.search(own)), bool(_TEAM_EVENT.search(own)), own=own,
                   context=carried_tokens, unit=wanted_unit(own), parts=parts if len(parts) > 1 else [],
                   constraints=constraints, wh=_lead(own)[0], head=head)

    def fresh(self, token: str) -> bool:
        """A name token the question (or the names carried into it) does not already contain."""
        return (token not in self.name_tokens and stem(token) not in self.words and token not in self.words
                and token not in self.context)


@lru_cache(maxsize=1024)
def _parse(cls: type[Question], question: str) -> Question:
    return cls._parse(question)


def has_number(num: Num, terms: KeyTerms) -> bool:
    return any(abs(n.value - num.value) <= max(num.tol, 1e-9) for n in terms.numbers)


def required_factor(q: Question, sentence: KeyTerms, near: KeyTerms | None = None,
                    passage: KeyTerms | None = None) -> float:
    """How fully the sentence carries the question's years, numbers, dates and codes (see above).

    Years and dates are what a question most often turns on ("in 2021"); numbers and codes in a
    question are more often part of a name ("Season 4", "No 1", "93rd"), so they weigh less, as do
    years glued to a title ("Wonder Woman 1984").
    """
    factor = 1.0
    items: list[tuple[str, object, bool]] = []
    items += [("year", y, y in q.title_numbers) for y in q.terms.years]
    items += [("num", n, True) for n in q.terms.numbers]
    items += [("date", d, False) for d in q.terms.dates]
    items += [("code", c, True) for c in q.terms.codes]
    for kind, item, soft in items:
        def has(t: KeyTerms | None) -> bool:
            if t is None:
                return False
            if kind == "year":
                return item in t.years or item in t.words
            if kind == "num":
                return has_number(item, t)  # type: ignore[arg-type]
            if kind == "date":
                return item in t.dates
            return item in t.codes or item in t.words
        if has(sentence):
            continue
        if kind == "year" and not soft and sentence.years - q.terms.years:
            factor *= REQ_CONFLICT  # it speaks of another year: 2019's winner, not 2021's
        if has(near):
            factor *= REQ_NEAR_SOFT if soft else REQ_NEAR
        elif has(passage):
            factor *= REQ_PASSAGE_SOFT if soft else REQ_PASSAGE
        else:
            factor *= REQ_ABSENT_SOFT if soft else REQ_ABSENT
    return factor


_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
# times a news sentence gives relative to its own date: answers to "when" that carry no calendar date
_RELATIVE_TIME = re.compile(r"\b(?:yesterday|today|tonight|tomorrow|last (?:week|month|year|night)|"
                            r"this (?:week|month|year|morning)|earlier this \w+|(?:on )?(?:mon|tues|wednes|"
                            r"thurs|fri|satur|sun)day)\b", re.I)
# counts given in words: "hundreds of scientists", "several times"
_VAGUE_COUNT = re.compile(r"\b(?:hundreds|thousands|millions|billions|dozens|tens of thousands|scores|"
                          r"several|numerous|a handful|a dozen)\b", re.I)
# a place in a locative role ("working in Bushehr", "held at the stadium", "left the Soviet Union")
_LOCATIVE = {"in", "at", "near", "outside", "inside", "from", "to", "into", "across", "throughout",
             "within", "around", "left", "fled", "leaving", "visited", "hosted", "host"}
_LOCATIVE_SKIP = {"the", "a", "an", "former", "northern", "southern", "eastern", "western", "central",
                  "nearby", "neighbouring", "neighboring", "downtown"}


def _locative(name: tuple[str, ...], words: list[str]) -> bool:
    """Whether `name` stands in the sentence right after a locative word ("in", "at", "from")."""
    first = name[0]
    for i, w in enumerate(words):
        if w != first or tuple(words[i:i + len(name)]) != name:
            continue
        j = i - 1
        while j >= 0 and words[j] in _LOCATIVE_SKIP:
            j -= 1
        if j >= 0 and words[j] in _LOCATIVE:
            return True
    return False


def _title_case(text: str) -> bool:
    """A headline or label in title case, where capitalised words are not names."""
    words = re.findall(r"[^\W\d_]+", text)
    small = [w for w in words if w.lower() in STOPWORDS]
    return len(words) >= 4 and len(small) >= 2 and sum(w[0].isupper() for w in small) * 2 > len(small)


def _person_tail(name: tuple[str, ...]) -> bool:
    """Whether a long capitalised run ends in what looks like a person's name: an organisation or
    title run straight into the name ("... Foreign Affairs Maria Zakharova")."""
    tail = name[-2:]
    return not any(t in _GENERIC or (t,) in _PLACES for t in tail) and not is_place(tail)


_ORDINALS = {"first", "second", "third", "fourth", "fifth", "last", "final", "latest", "next", "previous"}


def _head_answer(q: Question, text: str) -> float:
    """For "which war/term/organisation ..." questions: the sentence names that kind of thing with a
    word the question lacks ("the Ukraine war", "his first term", "the BRICS organisation")."""
    words = [w for w in tokens(text) if w[0].isalnum()]
    for i, w in enumerate(words):
        if i and same_word(w, q.head):
            prev = words[i - 1]
            asked = q.constraints.words if q.constraints else frozenset()
            if (prev not in STOPWORDS or prev in _ORDINALS) and stem(prev) not in q.words and prev not in asked:
                return 0.8
    return 0.0


def answer_type_score(q: Question, s: KeyTerms, text: str = "") -> float:
    """How clearly the sentence holds the kind of thing the question asks for, in [0, 1]."""
    kind = q.kind
    if kind == "date":
        new_years = set(s.years) - set(q.terms.years) - q.title_numbers
        if q.unit == "year":
            return 1.0 if new_years or s.full_dates else 0.0
        if q.unit == "day" and (s.dates or (set(s.weak) | set(s.words)) & _WEEKDAYS):
            return 1.0
        if q.unit == "date" and not s.dates:
            return 0.0  # "On what date": "in 2025" does not say
        if s.full_dates:
            return 1.0
        if s.dates:
            return 0.7  # "Thursday, Nov. 12": the year is usually the article's own
        if (s.months and s.years) or new_years:
            return 0.5  # "in 2014", "in May 2014"
        return 0.5 if text and _RELATIVE_TIME.search(text) else 0.0  # "yesterday", "on Thursday"
    if kind == "number":
        new = [n for n in s.numbers if not has_number(n, q.terms)]
        if not new:
            return 0.7 if text and _VAGUE_COUNT.search(text) and not q.money else 0.0
        if q.money:
            return 1.0 if _MONEY.search(text) else 0.4
        return 1.0 if any(n.value >= 1000 or n.kind == "%" for n in new) else 0.7
    if kind in ("person", "place", "entity"):
        where = kind == "place" and q.wh == "where"
        words = [w for w in tokens(text) if w[0].isalnum()] if where and text else []
        best = 0.0
        for name in s.names:
            fresh = [t for t in name if q.fresh(t)]
            if len(fresh) * 2 < len(name) or not fresh:
                continue  # mostly the question's own words ("Best Animated Feature Film")
            place = is_place(name) or is_place(tuple(fresh))
            generic = any(t in _GENERIC for t in name)
            if kind == "person" and len(name) == 1 and name[0] in _DEMONYMS:
                value = 0.7 if q.team_event else 0.3  # "a Colombian has won": a nationality, no name
            elif kind == "person":
                # countries and cities win cups and finals, not elections or prizes
                value = (0.7 if q.team_event else 0.4) if place else 0.4 if generic \
                    else 1.0 if 2 <= len(name) <= 4 else 0.7
                if len(name) > 4 and _person_tail(name):
                    value = max(value, 0.9)  # "Russian Ministry of Foreign Affairs Maria Zakharova"
            elif kind == "place":
                value = 1.0 if place else 0.7 if generic or len(name) >= 2 else 0.5
                if where:
                    # "working in Bushehr" locates whatever the name; "Russia has ties" does not
                    value = 1.0 if _locative(name, words) else min(value, 0.6)
            else:
                value = 0.8 if place else 1.0 if len(name) >= 2 else 0.8
            best = max(best, value)
        for w in s.initial:
            if q.fresh(w) and w not in _GENERIC:
                place = (w,) in _PLACES or w in _DEMONYMS
                as_person = (0.7 if q.team_event else 0.4) if place else 0.6
                as_place = 1.0 if (place and not where) or (where and _locative((w,), words)) else 0.4
                best = max(best, {"person": as_person, "place": as_place}.get(kind, 0.7))
        if kind == "entity":
            for code in s.codes:
                if q.fresh(code) and code not in q.terms.codes:
                    best = max(best, 0.8)  # "G7", "PS5"
            if q.head and text:
                best = max(best, _head_answer(q, text))
        if text and _title_case(text):
            best *= TITLE_CASE  # "Outstanding Performance By A Female Actor": capitals name nothing
        if kind == "entity" and text:
            for m in _QUOTED.finditer(text):
                words_q = [normalise_word(w) for w in m.group(1).split()]
                if words_q and all(q.fresh(w) for w in words_q if w not in STOPWORDS):
                    best = max(best, 1.0)
        return best
    return 0.5


# -- reranking retrieved chunks ------------------------------------------------------------------
# The retriever's light, model-free reranker reads the question through the same analysis: does a
# fused candidate chunk hold the kind of thing the question asks for, in the words it uses?
#   phrase coverage: adjacent content-word pairs of the question ("q1 2021", "year-end no") found in
#     the chunk (BM25 scores words independently and misses that "Q1 2021" must appear together);
#   key-term coverage: the question's years must be in the chunk;
#   answer kind: a date question wants a chunk with a full date, a number question a number, a
#     person or place question a name the question does not already contain.
_R_FULL_DATE = re.compile(
    r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,|\s+of)?\s+(?:1[89]|20)\d\d\b"
    r"|\b\d{1,2}\s+(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?,?\s+(?:1[89]|20)\d\d\b", re.I)
_R_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_R_NUMBER = re.compile(r"(?<![\w.])[$€£]?\d[\d,]*(?:\.\d+)?\s*(?:%|percent|million|billion|trillion|bn|m\b)?",
                       re.I)
_R_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|de|van|von|bin|al))*\s+[A-Z][a-z]+\b")


def rerank_score(q: Question, text: str) -> float:
    """A bonus in [0, ~1] for how squarely a chunk matches the question's phrasing and answer kind."""
    qt = tokenize(q.text)
    ct = tokenize(text)
    bonus = 0.0
    qp = set(zip(qt, qt[1:]))
    if qp:
        bonus += 0.4 * len(qp & set(zip(ct, ct[1:]))) / len(qp)
    q_years = set(_R_YEAR.findall(q.text))
    if q_years:
        bonus += 0.3 * len(q_years & set(_R_YEAR.findall(text))) / len(q_years)
    if q.kind == "date":
        bonus += 0.3 if _R_FULL_DATE.search(text) else 0.0
    elif q.kind == "number":
        q_nums = {m.group(0).strip() for m in _R_NUMBER.finditer(q.text)}
        nums = {m.group(0).strip() for m in _R_NUMBER.finditer(text)} - q_nums - set(_R_YEAR.findall(text))
        bonus += 0.3 if any(re.search(r"[$€£%]|million|billion|percent", n, re.I) or len(n) > 1
                            for n in nums) else 0.0
    elif q.kind in ("person", "place"):
        low = q.text.lower()
        bonus += 0.2 if any(n.lower() not in low for n in _R_NAME.findall(text)) else 0.0
    return bonus


@dataclass
class Candidate:
    """One passage sentence scored as an answer."""

    n: int
    rank: int
    span: tuple[int, int]
    text: str
    index: int  # sentence index within its passage
    score: float = 0.0
    features: dict[str, float] = field(default_factory=dict)
    citations: list[int] = field(default_factory=list)
    # for each citation of another passage: the span there of the sentence that says the same
    cited_spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    vector: np.ndarray | None = None
    violations: list[str] = field(default_factory=list)  # constraints of the question it breaks


def passage_candidates(passages: list["Passage"]) -> list[Candidate]:
    """Every sentence of every passage long enough to answer something (snippet dates and table
    labels are not)."""
    out: list[Candidate] = []
    for rank, p in enumerate(passages):
        text = p.chunk.text
        for i, (a, b) in enumerate(evidence_spans(text)):
            s = text[a:b]
            if len(_CONTENT.findall(s)) < MIN_WORDS:
                continue
            out.append(Candidate(n=p.n, rank=rank, span=(a, b), text=s, index=i))
    return out


def score_candidates(question: str, passages: list["Passage"], cands: list[Candidate],
                     scorer: "SupportScorer", pool: list[str] | None = None) -> Question:
    """Fill each candidate's `score`, `features` and `vector`; returns the parsed question.

    `pool` is the set of sentences word rarity is measured over (default: the candidates). A
    candidate with a negative `index` is not a passage sentence (a generated answer): it has no
    neighbours, only its passage `n`.
    """
    q = Question.parse(question)
    if not cands:
        return q
    pool = pool if pool is not None else [c.text for c in cands]
    idf = idf_weights(pool)
    default_idf = math.log((len(pool) + 1) / 0.5)
    q_weight = sum(idf.get(w, default_idf) for w in q.words)
    whole = {p.n: key_terms(p.chunk.text) for p in passages}
    spans = {p.n: evidence_spans(p.chunk.text) for p in passages}
    texts = {p.n: p.chunk.text for p in passages}
    titled = {p.n: f"{p.chunk.title}\n{p.chunk.text}" if p.chunk.title else p.chunk.text for p in passages}
    n_pass = max(1, len(passages))
    name_tokens = q.name_tokens or q.context
    passages_by_n = {p.n: p for p in passages}
    around = _article_sentences(passages)
    articles: dict[str, KeyTerms] = {}
    for p in passages:  # corroboration counts articles, not chunks of one article
        prev = articles.get(p.chunk.article_id)
        articles[p.chunk.article_id] = key_terms(p.chunk.text if prev is None else
                                                 f"{p.chunk.text}\n{texts_joined(passages, p.chunk.article_id)}")
    partial: list[tuple[float, float, float]] = []  # (lexical relevance, product of factors, overlap)
    for c in cands:
        terms = key_terms(c.text)
        words = content_words(c.text)
        passage_terms = whole.get(c.n, terms)
        overlap = (sum(idf.get(w, default_idf) for w in matched_words(q.words, words)) / q_weight) \
            if q_weight else 0.0
        kind = answer_type_score(q, terms, c.text)
        near_text = window = ""
        if c.index >= 0 and c.n in spans:
            sp = spans[c.n]
            near = [texts[c.n][a:b] for k, (a, b) in enumerate(sp) if abs(k - c.index) == 1]
            near_text = " ".join(near)
            previous = _window(c, sp, passages_by_n[c.n], around)
            window = " ".join(previous)
            if previous and _PRONOUN_OPENING.match(c.text) and q.kind in ("person", "place", "entity"):
                # "She said: ..." answers "who" through the sentence before it
                last = previous[-1]
                kind = max(kind, PRONOUN_TYPE * answer_type_score(q, key_terms(last), last))
        if name_tokens:
            # a name in the sentences just before ("She said: ...") counts nearly as much as in it
            # per sentence, not per joined window: each sentence's terms are cached across candidates
            before = _union([key_terms(t) for t in previous]).words if window else frozenset()
            here = sum(1.0 if has_word(t, terms.words) else 0.75 if has_word(t, before)
                       else 0.5 if has_word(t, passage_terms.words) else 0.0 for t in name_tokens)
            names = here / len(name_tokens)
        else:
            names = 1.0  # nothing to match: neutral
        req = required_factor(q, terms, _union([key_terms(t) for t in near]) if near_text else None, passage_terms)
        broken = violations(q.constraints, c.text, window, titled.get(c.n, "")) if q.constraints else []
        fragment = (TAIL if _TAIL_START.match(c.text) else FRAGMENT) if c.text[:1].islower() else 1.0
        if asks(c.text):
            fragment *= ASKING
        if _LISTING.search(c.text) or _SOCIAL.search(c.text):
            fragment *= LISTING
        rank = 1.0 - c.rank / n_pass
        lexical = W_WORDS * overlap + W_NAMES * names + W_RANK * rank
        typed = TYPE_FLOOR + (1.0 - TYPE_FLOOR) * kind if q.kind != "other" else 1.0
        corroborated = corroboration(q, terms, list(articles.values()))
        bonus = 1.0 + CORROBORATION * min(max(corroborated - 1, 0), 3)
        factor = typed * req * fragment * bonus * VIOLATION ** min(len(broken), 2)
        partial.append((lexical, factor, overlap))
        c.violations = broken
        c.features = {"sem": 0.0, "overlap": overlap, "names": names, "type": kind,
                      "required": req, "fragment": fragment, "corroborated": float(corroborated),
                      "violations": float(len(broken))}
        c.vector = None

    # Embedding the candidates is most of an answer's cost. Only the sentences that could still
    # win once similarity is added are embedded: the best by everything else, plus the best few
    # by word overlap, so a close paraphrase with one shared word is not lost.
    order = sorted(range(len(cands)), key=lambda i: -(partial[i][0] + W_SEM) * partial[i][1])
    chosen = set(order[:MAX_EMBEDDED])
    chosen.update(sorted(range(len(cands)), key=lambda i: -partial[i][2])[:MAX_EMBEDDED // 4])
    picked = sorted(chosen)
    # the follow-up's own words decide which sentence answers it; carried names only set the topic
    vecs = scorer.embed([q.own or question] + [cands[i].text for i in picked])
    sims = dict(zip(picked, (vecs[1:] @ vecs[0]).tolist()))
    for i, c in enumerate(cands):
        sim = sims.get(i, 0.0)
        lexical, factor, _ = partial[i]
        c.score = (W_SEM * max(sim, 0.0) + lexical) * factor
        c.features["sem"] = float(sim)
    for i, v in zip(picked, vecs[1:]):
        cands[i].vector = v
    return q


def _article_sentences(passages: list["Passage"]) -> dict[str, list[tuple[int, int, str]]]:
    """Per article, the sentences of all its retrieved chunks by position in the article, so that a
    sentence at the start of one chunk still sees the sentences before it in the previous chunk."""
    out: dict[str, dict[int, tuple[int, int, str]]] = {}
    for p in passages:
        base = p.chunk.char_start
        for a, b in evidence_spans(p.chunk.text):
            out.setdefault(p.chunk.article_id, {})[base + a] = (base + a, base + b, p.chunk.text[a:b])
    return {aid: sorted(d.values()) for aid, d in out.items()}


def _window(c: Candidate, spans: list[tuple[int, int]], p: "Passage",
            around: dict[str, list[tuple[int, int, str]]]) -> list[str]:
    """The up to WINDOW sentences before candidate `c` in its article."""
    start = p.chunk.char_start + spans[c.index][0]
    before = [t for a, b, t in around.get(p.chunk.article_id, []) if b <= start and a >= start - 2000]
    return before[-WINDOW:]


def matched_words(question: set[str], sentence: set[str]) -> set[str]:
    """The question's content words the sentence has, inflections included ("supplied" finds
    "supplier", "mediate" finds "mediation")."""
    out = question & sentence
    for w in question - out:
        if len(w) >= 5 and any(same_word(w, x) for x in sentence if x[:2] == w[:2]):
            out.add(w)
    return out


def texts_joined(passages: list["Passage"], article_id: str) -> str:
    return "\n".join(p.chunk.text for p in passages if p.chunk.article_id == article_id)


def answer_entities(q: Question, s: KeyTerms) -> list[tuple[str, object]]:
    """The things in a sentence that could be the answer: fresh names, dates, new numbers."""
    if q.kind == "date":
        return [("date", d) for d in s.dates]
    if q.kind == "number":
        return [("num", n) for n in s.numbers if not has_number(n, q.terms)]
    if q.kind in ("person", "place", "entity"):
        out: list[tuple[str, object]] = []
        for name in s.names:
            fresh = [t for t in name if q.fresh(t)]
            if fresh and len(fresh) * 2 >= len(name):
                out.append(("name", name))
        out += [("name", (w,)) for w in s.initial if q.fresh(w)]
        return out
    return []


def corroboration(q: Question, s: KeyTerms, articles: list[KeyTerms]) -> int:
    """How many articles carry this sentence's answer (the best of its candidate answers)."""
    best = 0
    for kind, e in answer_entities(q, s):
        if kind == "date":
            n = sum(e in a.dates for a in articles)
        elif kind == "num":
            n = sum(has_number(e, a) for a in articles)  # type: ignore[arg-type]
        else:
            name: tuple[str, ...] = e  # type: ignore[assignment]
            # a person is named in full once, then by surname ("Rafael Nadal" ... "Nadal")
            surname = name[-1] if (q.kind == "person" and len(name) >= 2 and name[-1] not in _GENERIC
                                   and not is_place(name) and name[-1] not in _PLACE_WORDS) else None
            n = sum(all(t in a.words for t in name) or (surname is not None and surname in a.words)
                    for a in articles)
        best = max(best, n)
    return best
