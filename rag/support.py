"""The one support scorer: how well does a passage (or a few passages jointly) back a sentence?

Citation checks, refusal, extractive selection and the evaluations all use this module, so "supported"
means the same thing everywhere.

Formula
-------
A passage is cut into evidence units: its sentences (see `evidence_spans`, which also breaks snippet
text at "..." and table separators) and each pair of adjacent sentences. For a sentence `s`:

    semantic(s, u) = clip((cos(e(s), e(u)) - floor) / (ceiling - floor), 0, 1)
    coverage(s, T) = product over the key terms t of s that T does not contain of penalty(t)
    support(s, P)  = max( max over units u of P:  semantic(s, u) * coverage(s, u),
                          joint * max over units u of P: semantic(s, u) * coverage(s, all text of P) )

`e` is the embedder (unit vectors, so cosine is a dot product). The first term asks for one place in
the passages that both says the same thing and contains the sentence's names, numbers and dates; the
second (discounted by `joint`, 0.9) lets a sentence draw its terms from elsewhere in the passages, so
that a sentence combining two passages can be supported by both together.

Key terms (`key_terms`) and their penalties when absent from the evidence:

    year, number, day of a date, code ("Q1", "PS5")   0.15  (near-fatal: 2019 vs 2021, $10.4bn vs $11.4bn)
    month without a day                               0.4
    name (capitalised sequence), no token present     0.3
    name whose evidence has another person there      0.3   ("Venus Williams" where it says "Serena
                                                            Williams"; the same title, another name)
    name, some of its tokens present                  0.6   ("Rafael Nadal" where it says "Nadal")
    sentence-initial capitalised word, title words    0.8 or 0.45 (0.8 for "Speaking", "Currently"...)

    name or capitalised word found only in `context`  0.8   (the question: "Tesla's revenue was ...")

and, from `claims`, when the sentence says the opposite of the evidence:

    negated where the evidence is not, or the reverse 0.3   ("did not build" / "built")
    a claim word whose contrary the evidence uses     0.3   ("cut" / "raised", "rejected" / "approved",
                                                            "tripled" / "doubled", "dozens" / "hundreds")

Penalties multiply, so a sentence whose year and name both differ scores about 0.05 of its semantic
similarity. `floor` = 0.25 and `ceiling` = 0.9 suit all-MiniLM-L6-v2; the threshold (0.5) was tuned on
hand-written paraphrases (supported) against year-, name- and number-swapped versions of them and
other stories' passages (not supported): both sides are classified right about 89% of the time,
flat between 0.45 and 0.65. Numbers are compared by value after normalisation ("1,000" == "1000", "10.4 billion" ==
"$10.4bn", "five" == "5"); a passage number matches a less precise sentence number it rounds to
("10.389 billion" backs "10.4 billion", not "11.4 billion"). Names are compared token by token, case-
and accent-insensitively, against all words of the evidence, so a common word capitalised at the start
of a sentence is covered whenever the passage uses it at all.

Known limit: a sentence that recombines terms that all occur in one passage ("Pliskova won" from
"Barty beat Pliskova"), or adds a claim the passage does not make, keeps its key terms covered and
scores on semantics alone; telling those apart needs an entailment model, which the offline default
does not ship. The negation and contrary-word rules are word lists, not understanding: they catch
the common news reversals, not every paraphrase of one.

Embeddings are cached by text (LRU), because the same passages are scored many times per answer.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Sequence

import numpy as np

from newsqa.index.embed import Embedder
from newsqa.index.text import sentence_spans

DEFAULT_THRESHOLD = 0.5

# Penalty factors, per missing key term (see the module docstring).
P_NUMERIC = 0.15
P_MONTH = 0.4
P_NAME = 0.3
P_NAME_PART = 0.6
P_WEAK = 0.8
P_INITIAL = 0.45
P_CONTEXT = 0.8
P_POLARITY = 0.3
P_CONTRAST = 0.3
JOINT = 0.9


# --------------------------------------------------------------------------------------------------
# Evidence units
# --------------------------------------------------------------------------------------------------

# Snippet fragments ("Jan 22, 2021 ... Super Bowl LV will be ...") and table-like cells (" · ", " ; ").
_SNIPPET_BREAK = re.compile(r"\s*(?:\.\.\.|…)(?:\s+|$)|\s+[·•|]\s+|\s+;\s+")
_EDGE_JUNK = " \t\n\u00a0.…·•;|-–—"


def evidence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of `text`, also broken at "..." and table separators, trimmed of ellipses.

    The shared sentence splitter keeps "Jan 22, 2021 ... the game" together (lowercase after the
    break) and never breaks at " · "; search-snippet passages need both as boundaries.
    """
    out: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        start = a
        for m in _SNIPPET_BREAK.finditer(text, a, b):
            # an ellipsis right after a number/letter with no space before could be "U.S..." — the
            # regex requires whitespace or end after it, so mid-token dots never split.
            _push(text, start, m.start(), out)
            start = m.end()
        _push(text, start, b, out)
    return out


def _push(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a] in _EDGE_JUNK:
        a += 1
    while b > a and text[b - 1] in " \t\n\u00a0…·•;|":
        b -= 1
    # keep a sentence's own full stop, drop a dangling ellipsis ("... the home\u00a0...")
    while b - a >= 3 and text[b - 3 : b] == "...":
        b -= 3
        while b > a and text[b - 1] in " \t\n\u00a0":
            b -= 1
    if b > a and any(c.isalnum() for c in text[a:b]):
        out.append((a, b))


def split_evidence(text: str) -> list[str]:
    return [text[a:b] for a, b in evidence_spans(text)]


# --------------------------------------------------------------------------------------------------
# Key terms
# --------------------------------------------------------------------------------------------------

class Num(NamedTuple):
    """A number by value. `tol` is half a unit of its last written digit (at its scale), so a more
    precise number elsewhere can be checked against it; `kind` is "", "%" or "ord"."""

    value: float
    tol: float
    kind: str

    def __str__(self) -> str:
        v = f"{self.value:.6g}"
        return v + ("%" if self.kind == "%" else "th" if self.kind == "ord" else "")


@dataclass(frozen=True)
class KeyTerms:
    """Normalised names, numbers and dates of a text (lowercase, accents stripped)."""

    names: frozenset[tuple[str, ...]]  # capitalised sequences, as word tuples: ("ashleigh", "barty")
    weak: frozenset[str]  # single capitalised words at a sentence start, titles: "speaking", "president"
    initial: frozenset[str]  # sentence-initial single words that look like names ("halep")
    numbers: frozenset[Num]
    years: frozenset[str]
    dates: frozenset[str]  # month-day "07-21"
    months: frozenset[str]  # "07", including the months of dates
    codes: frozenset[str]  # letter-digit tokens "q1", "ps5"
    words: frozenset[str]  # every normalised word, for name coverage
    full_dates: frozenset[str] = frozenset()  # "2017-07-21", for dates written with their year

    @property
    def required(self) -> frozenset[str]:
        """Years, numbers, dates and codes as strings: terms an answer cannot do without."""
        return frozenset(
            set(self.years) | {str(n) for n in self.numbers} | {f"date:{d}" for d in self.dates}
            | set(self.codes)
        )

    def name_tokens(self) -> set[str]:
        return {t for n in self.names for t in n} | set(self.initial)

    def is_empty(self) -> bool:
        return not (self.names or self.initial or self.numbers or self.years or self.dates
                    or self.months or self.codes)


_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun"}
_TITLES = {
    "president", "prime", "minister", "chancellor", "king", "queen", "prince", "princess", "mr",
    "mrs", "ms", "dr", "prof", "sir", "dame", "lord", "lady", "gen", "general", "sen", "senator",
    "rep", "gov", "governor", "mayor", "ceo", "chairman", "chairwoman", "chief", "secretary",
    "director", "coach", "judge", "justice", "pope", "saint", "st", "captain", "former", "vice",
    "spokesman", "spokeswoman", "spokesperson",
}
STOPWORDS = frozenset("""
a about above after again against all also although am an and any are as at be because been before
being below between both but by can could did do does doing down during each either else even ever
every few for from further had has have having he her here hers herself him himself his how however
i if in into is it its itself just least less let like many may me might more most much must my
myself neither no nor not now of off on once only or other our ours ourselves out over own per
perhaps quite rather same shall she should since so some still such than that the their theirs them
themselves then there these they this those though through thus to too under until up upon us very
was we were what whatever when whenever where whereas whether which while who whoever whom whose why
will with within without would yes yet you your yours yourself yourselves
according meanwhile moreover furthermore nevertheless instead indeed overall finally first firstly
secondly lastly today yesterday tomorrow sure here's there's it's that's okay ok well oh
""".split())
_CONNECTORS = {"of", "de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "bin", "ibn",
               "al", "el", "la", "le", "y"}
_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]
_ORDS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
         "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
         "seventeenth", "eighteenth", "nineteenth"]
# "one" and "first" are left out: "one of the", "the first time" are rarely figures
_NUM_WORDS = {w: i for i, w in enumerate(_UNITS) if i >= 2}
_NUM_WORDS.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12})
_ORD_WORDS = {w: i for i, w in enumerate(_ORDS) if i >= 2}
_ORD_WORDS.update({"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "hundredth": 100})
_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9,
    "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "tr": 1e12,
}
_QUARTERS = {"first": "q1", "second": "q2", "third": "q3", "fourth": "q4"}

_MONTH_RE = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
             r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DAY_RE = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_TAIL = r"(?:,?\s+(?:of\s+)?(?P<y>(?:1[89]|20)\d\d)(?!\d))?"
_DATE_MDY = re.compile(rf"\b(?P<m>{_MONTH_RE})\s+{_DAY_RE}(?![\d:])(?:\s*[–-]\s*[0-3]?\d)?{_YEAR_TAIL}")
_DATE_DMY = re.compile(rf"\b{_DAY_RE}(?:\s+of)?\s+(?P<m>{_MONTH_RE}){_YEAR_TAIL}")
_DATE_ISO = re.compile(r"\b(?P<y>(?:1[89]|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
_MONTH_ONLY = re.compile(rf"\b(?P<m>{_MONTH_RE})(?=[\s,.;)]|$)")
_CODE_RE = re.compile(r"\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{2,}\b")
_QUARTER_RE = re.compile(r"\b(first|second|third|fourth)[\s-]quarter\b", re.I)
_NUMBER_RE = re.compile(
    r"(?<![\w.])(?P<neg>-)?[$€£¥]?\s?(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:\s?(?P<pct>%|percent\b|per cent\b)|(?P<ord>st|nd|rd|th)\b"
    r"|\s?(?P<scale>thousand|million|billion|trillion|mn|mln|bn|tn|tr|k|m|b)\b)?",
    re.I,
)
_NUMWORD_RE = re.compile(
    r"\b(?P<w>" + "|".join(list(_NUM_WORDS) + list(_ORD_WORDS)) + r")\b"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion))?",
    re.I,
)
_HAS_DIGIT = re.compile(r"\d")
_TOKEN_RE = re.compile(r"[^\W\d_](?:[\w'’.&-]*[^\W_])?")


@lru_cache(maxsize=262144)  # called for every word of every candidate; the vocabulary repeats
def normalise_word(w: str) -> str:
    """Lowercase, accents stripped, possessive and dots removed: "Plíšková's" -> "pliskova"."""
    w = unicodedata.normalize("NFKD", w)
    w = "".join(c for c in w if not unicodedata.combining(c)).lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return w.strip("'").replace(".", "")


def _word_set(text: str) -> set[str]:
    out: set[str] = set()
    for m in _TOKEN_RE.finditer(text):
        w = normalise_word(m.group(0))
        if not w:
            continue
        out.add(w)
        if "-" in w or "'" in w:
            out.update(p for p in re.split(r"[-']", w) if p)
            out.add(w.replace("-", "").replace("'", ""))
    return out


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            chars[i] = " "
    return "".join(chars)


def _month_num(token: str) -> int:
    return _MONTHS[token.lower().rstrip(".")]


def _parse_number(raw: str, scale_word: str | None) -> tuple[float, float]:
    digits = raw.replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    value = float(digits)
    scale = _SCALES.get((scale_word or "").lower(), 1.0)
    return value * scale, 0.5 * (10.0 ** -decimals) * scale


@lru_cache(maxsize=65536)
def key_terms(text: str) -> KeyTerms:
    """Names, numbers (incl. "10.4", "1,000", "$10.4 billion", "23%"), years, dates and months."""
    years: set[str] = set()
    dates: set[str] = set()
    full_dates: set[str] = set()
    months: set[str] = set()
    numbers: set[Num] = set()
    codes: set[str] = set()
    consumed: list[tuple[int, int]] = []

    for rx in (_DATE_ISO, _DATE_MDY, _DATE_DMY):
        for m in rx.finditer(_mask(text, consumed)):
            mon = m.group("m")
            month = int(mon) if rx is _DATE_ISO else _month_num(mon)
            if not 1 <= int(m.group("d")) <= 31 or not 1 <= month <= 12:
                continue
            dates.add(f"{month:02d}-{int(m.group('d')):02d}")
            months.add(f"{month:02d}")
            if m.group("y"):
                years.add(m.group("y"))
                full_dates.add(f"{m.group('y')}-{month:02d}-{int(m.group('d')):02d}")
            consumed.append(m.span())
    masked = _mask(text, consumed)
    for m in _MONTH_ONLY.finditer(masked):
        tok = m.group("m")
        with_year = re.match(r",?\s+(?:1[89]|20)\d\d\b", masked[m.end():])
        # "May" and abbreviations ("Jan Koum") count as months only when a year follows
        if (tok.rstrip(".") == "May" or len(tok.rstrip(".")) <= 4) and not with_year:
            continue
        months.add(f"{_month_num(tok):02d}")
    for m in _QUARTER_RE.finditer(masked):
        codes.add(_QUARTERS[m.group(1).lower()])
    for m in _CODE_RE.finditer(masked):
        tok = m.group(0)
        if re.fullmatch(r"\d+(?:st|nd|rd|th|s|k|m|b|bn|mn|tn|am|pm|km|kg|cm|mm)", tok, re.I):
            continue  # ordinals, decades and units are numbers
        codes.add(tok.lower())
        consumed.append(m.span())
    masked = _mask(text, consumed)
    for m in _NUMBER_RE.finditer(masked):
        raw = m.group("n")
        if re.fullmatch(r"(?:1[89]|20)\d\d", raw) and not (m.group("pct") or m.group("scale")) \
                and not masked[m.start():m.start("n")].strip():
            years.add(raw)
            continue
        value, tol = _parse_number(raw, m.group("scale"))
        kind = "%" if m.group("pct") else "ord" if m.group("ord") else ""
        numbers.add(Num(value, tol, kind))
    for m in _NUMWORD_RE.finditer(masked):
        w = m.group("w").lower()
        if w in _ORD_WORDS:
            if re.match(r"[\s-]quarter", masked[m.end():], re.I):
                continue
            numbers.add(Num(float(_ORD_WORDS[w]), 0.5, "ord"))
        else:
            scale = _SCALES.get((m.group("scale") or "").lower(), 1.0)
            numbers.add(Num(_NUM_WORDS[w] * scale, 0.5 * scale, ""))

    names, weak, initial = _names(_mask(text, consumed))
    return KeyTerms(
        names=frozenset(names), weak=frozenset(weak), initial=frozenset(initial),
        numbers=frozenset(numbers), years=frozenset(years), dates=frozenset(dates),
        months=frozenset(months), codes=frozenset(codes), words=frozenset(_word_set(text)),
        full_dates=frozenset(full_dates),
    )


def _names(text: str) -> tuple[set[tuple[str, ...]], set[str], set[str]]:
    """Capitalised sequences of `text` (dates already masked out), split into strong names, weak
    words (titles, weekdays, common words capitalised at a sentence start) and single capitalised
    words at a sentence start that look like names ("Putin said")."""
    names: set[tuple[str, ...]] = set()
    weak: set[str] = set()
    initial: set[str] = set()
    starts = {a for a, _ in evidence_spans(text)} or {0}
    run: list[tuple[str, bool]] = []  # (normalised word, sentence-initial)

    def flush() -> None:
        while run and (run[0][0] in STOPWORDS or run[0][0] in _CONNECTORS):
            run.pop(0)
        while run and (run[-1][0] in STOPWORDS or run[-1][0] in _CONNECTORS):
            run.pop()
        words = tuple(w for w, _ in run if w not in _CONNECTORS and w not in STOPWORDS)
        if len(words) >= 2:
            names.add(words)
        elif len(words) == 1:
            w = words[0]
            if len(run) == 1 and run[0][1]:
                (weak if _looks_common(w) else initial).add(w)
            else:
                names.add(words)
        run.clear()

    prev_end = 0
    for m in _TOKEN_RE.finditer(text):
        raw = m.group(0)
        w = normalise_word(raw)
        gap = text[prev_end:m.start()]
        prev_end = m.end()
        if not w or _HAS_DIGIT.search(raw):
            flush()
            continue
        if not raw[0].isupper():
            if run and w in _CONNECTORS and not gap.strip():
                run.append((w, False))
            else:
                flush()
            continue
        if w in _MONTHS and (len(w) > 4 or text[m.end():m.end() + 1] == "."):
            flush()
            continue
        if w in _WEEKDAYS or w in _TITLES:
            flush()
            weak.add(w)
            continue
        if w in _NUM_WORDS or w in _ORD_WORDS or (w in STOPWORDS and w not in _CONNECTORS):
            flush()  # "Here Are the Four Finalists": numbers and function words are not names
            continue
        is_initial = _sentence_initial(text, m.start(), starts)
        if run and (is_initial or (gap.strip() and not _joins(gap))):
            flush()
        if is_initial and w in STOPWORDS:
            continue  # "The", "In", "He" opening a sentence
        run.append((w, is_initial))
    flush()
    return names, weak, initial


def _joins(gap: str) -> bool:
    # capitalised words separated by a hyphen or an ampersand still form one name
    return gap.strip() in ("&", "-")


def _sentence_initial(text: str, pos: int, starts: set[int]) -> bool:
    if pos in starts:
        return True
    i = pos
    while i > 0 and text[i - 1] in "\"'“‘(«":  # an opening quote still starts the sentence
        i -= 1
    if i in starts or i == 0:
        return True
    while i > 0 and text[i - 1] in " \t\u00a0":
        i -= 1
    return i == 0 or text[i - 1] in ":—–\n"


def _looks_common(w: str) -> bool:
    """A sentence-initial capitalised word that is probably an ordinary word, not a name."""
    return (w in STOPWORDS or w.endswith(("ly", "ing", "ed", "ion", "ions", "ment", "ness"))
            or len(w) <= 2)


# --------------------------------------------------------------------------------------------------
# Coverage
# --------------------------------------------------------------------------------------------------

def _num_covered(n: Num, pool: frozenset[Num]) -> bool:
    for p in pool:
        if p.kind != n.kind and not (n.kind == "ord" and p.kind == "") and not (
                n.kind == "" and p.kind == "ord"):
            continue
        if abs(p.value - n.value) <= max(n.tol, 1e-9 * max(abs(n.value), 1.0)):
            return True
    return False


def coverage(s: KeyTerms, e: KeyTerms, context: KeyTerms | None = None) -> tuple[float, tuple[str, ...]]:
    """Multiplicative penalty for the key terms of `s` that evidence `e` lacks, and those terms.

    Names found only in `context` (the question) cost P_CONTEXT: "Tesla's revenue was $10.4 billion"
    may lean on the question for "Tesla", never for a year or a number.
    """
    factor = 1.0
    ctx = context.words if context is not None else frozenset()
    missing: list[str] = []
    for y in s.years:
        if y not in e.years and y not in e.words:
            factor *= P_NUMERIC
            missing.append(y)
    for n in s.numbers:
        if not _num_covered(n, e.numbers):
            factor *= P_NUMERIC
            missing.append(str(n))
    for d in s.dates:
        if d not in e.dates:
            factor *= P_NUMERIC
            missing.append(f"date {d}")
    for mo in s.months:
        if mo not in e.months and not any(d.startswith(mo + "-") for d in s.dates):
            factor *= P_MONTH
            missing.append(f"month {mo}")
    for c in s.codes:
        if c not in e.codes and c not in e.words:
            factor *= P_NUMERIC
            missing.append(c)
    for name in s.names:
        parts = [p for t in name for p in (re.split(r"[-']", t) if ("-" in t or "'" in t) else [t]) if p]
        absent = [p for p in parts if p not in e.words]
        if not absent:
            continue
        if all(p in ctx for p in absent):
            factor *= P_CONTEXT
        elif len(absent) == len(parts) or any(_other_person(name, n) for n in e.names):
            factor *= P_NAME
        else:
            factor *= P_NAME_PART
        missing.append(" ".join(name))
    for w in s.initial:
        if w not in e.words:
            factor *= P_CONTEXT if w in ctx else P_INITIAL
            missing.append(w)
    for w in s.weak:
        if w not in e.words and w not in ctx:
            factor *= P_WEAK
            missing.append(w)
    return factor, tuple(missing)


def _other_person(name: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether the evidence's `other` is a different person of the same family or office: the same
    surname after another first name ("Venus Williams" / "Serena Williams"), or the same title run
    ending in another person ("Foreign Ministry spokesman Maria Zakharova" / "... Sergei Lavrov").
    A shorter form of the same name ("Nadal" for "Rafael Nadal") is not another person."""
    if len(name) < 2 or len(other) < 2 or name == other:
        return False
    if name[-1] == other[-1]:
        return name[-2] != other[-2]
    return len(name) >= 3 and len(other) >= 3 and name[:-2] == other[:-2] and name[-2:] != other[-2:]


# Negation and claims that exclude each other: the same words with "not", or "cut" for "raised",
# say the opposite, and cosine similarity barely notices (MiniLM puts them at 0.8-0.95).
_NEGATIONS = frozenset({"not", "never", "neither", "nor", "none", "nobody", "nothing", "without", "cannot",
                        "didnt", "doesnt", "dont", "isnt", "wasnt", "werent", "arent", "hasnt", "havent",
                        "hadnt", "wont", "wouldnt", "cant", "couldnt", "shouldnt"})
_CONTRASTS: tuple[tuple[frozenset[str], ...], ...] = tuple(
    tuple(frozenset(f.split()) for f in group) for group in (
        ("raise raised raises raising hike hiked hikes increase increased increases",
         "cut cuts cutting lower lowered lowers reduce reduced reduces decrease decreased decreases"),
        ("accept accepted accepts approve approved approves", "reject rejected rejects"),
        ("rise rose rises risen rising", "fall fell falls fallen falling"),
        ("double doubled doubles twice", "triple tripled triples", "quadruple quadrupled", "half halved"),
        ("dozens", "hundreds", "thousands", "millions"),
    ))


def _negated(words: frozenset[str]) -> bool:
    return bool(words & _NEGATIONS) or ("no" in words and "longer" in words)


def claims(s: KeyTerms, e: KeyTerms, unit: bool = True) -> tuple[float, tuple[str, ...]]:
    """Penalty for a sentence that says the opposite of evidence `e`: negated where `e` is not
    (and, for one evidence unit, the reverse), or a claim word whose contrary `e` uses instead
    ("cut" where `e` says "raised", "triple" for "double", "dozens" for "hundreds").
    `unit` False means `e` is a whole passage, where a "not" somewhere else proves nothing."""
    factor = 1.0
    missing: list[str] = []
    s_neg, e_neg = _negated(s.words), _negated(e.words)
    if (s_neg and not e_neg) or (unit and e_neg and not s_neg):
        factor *= P_POLARITY
        missing.append("negation" if s_neg else "the passage's negation")
    for group in _CONTRASTS:
        for i, fam in enumerate(group):
            if s.words & fam and not e.words & fam:
                other = [w for j, f in enumerate(group) if j != i for w in sorted(e.words & f)]
                if other:
                    factor *= P_CONTRAST
                    missing.append(f"{sorted(s.words & fam)[0]}, not {other[0]}")
                    break
    return factor, tuple(missing)


# --------------------------------------------------------------------------------------------------
# Scorer
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SupportScore:
    score: float
    semantic: float
    coverage: float
    missing: tuple[str, ...]


class _VectorCache:
    """LRU of text -> unit vector, shared by all scoring calls of one scorer."""

    def __init__(self, embedder: Embedder, maxsize: int) -> None:
        self._embedder = embedder
        self._maxsize = maxsize
        self._data: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        with self._lock:
            todo = list(dict.fromkeys(t for t in texts if t not in self._data))
        fresh = self._embedder.embed(todo) if todo else None
        with self._lock:
            found: dict[str, np.ndarray] = {}
            if fresh is not None:
                for t, v in zip(todo, fresh):
                    found[t] = v
                    self._data[t] = v
            for t in texts:
                if t in self._data:
                    self._data.move_to_end(t)
                    found.setdefault(t, self._data[t])
            while len(self._data) > self._maxsize:
                self._data.popitem(last=False)
        if not texts:
            return np.zeros((0, getattr(self._embedder, "dim", 0)), dtype=np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)


@dataclass(frozen=True)
class _Units:
    texts: tuple[str, ...]
    terms: tuple[KeyTerms, ...]
    whole: KeyTerms


class SupportScorer:
    """Scores how well passages back a sentence; `supported` applies the one threshold.

    `floor`/`ceiling` rescale cosine similarity: at or below `floor` a unit says something else,
    at or above `ceiling` it says the same thing (all-MiniLM-L6-v2 puts unrelated news sentences
    near 0.1-0.3 and paraphrases near 0.7-0.9).
    """

    def __init__(self, embedder: Embedder, threshold: float = DEFAULT_THRESHOLD, *,
                 floor: float = 0.25, ceiling: float = 0.9, cache_size: int = 20000) -> None:
        self.embedder = embedder
        self.threshold = threshold
        self.floor = floor
        self.ceiling = ceiling
        self._cache = _VectorCache(embedder, cache_size)

    # -- embeddings ------------------------------------------------------------------------------
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of `texts`, from the cache where possible (one batch for the rest)."""
        return self._cache.get(texts)

    def cosine(self, a: str, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0, dtype=np.float32)
        m = self.embed([a, *texts])
        return m[1:] @ m[0]

    def semantic(self, cos: np.ndarray | float) -> np.ndarray:
        return np.clip((np.asarray(cos) - self.floor) / (self.ceiling - self.floor), 0.0, 1.0)

    # -- scoring ---------------------------------------------------------------------------------
    def score(self, sentence: str, passages: Sequence[str], context: str = "") -> SupportScore:
        """Support of `sentence` by `passages` taken together (`context`: see `coverage`)."""
        passages = [p for p in passages if p and p.strip()]
        if not sentence.strip() or not passages:
            return SupportScore(0.0, 0.0, 0.0, ())
        units = [self._units(p) for p in passages]
        texts = [t for u in units for t in u.texts]
        terms = [k for u in units for k in u.terms]
        sims = self.semantic(self.cosine(sentence, texts))
        s_terms = key_terms(sentence)
        ctx = key_terms(context) if context else None
        best = SupportScore(0.0, 0.0, 0.0, ())
        for sim, k in zip(sims, terms):
            if sim <= best.score:
                continue
            cov, miss = coverage(s_terms, k, ctx)
            opp, why = claims(s_terms, k)
            if sim * cov * opp > best.score:
                best = SupportScore(float(sim * cov * opp), float(sim), cov * opp, miss + why)
        whole = _union([u.whole for u in units])
        cov, miss = coverage(s_terms, whole, ctx)
        opp, why = claims(s_terms, terms[int(np.argmax(sims))]) if len(sims) else (1.0, ())
        cov, miss = cov * opp, miss + why
        top = float(sims.max()) if len(sims) else 0.0
        if JOINT * top * cov > best.score or best.score == 0.0:
            best = SupportScore(JOINT * top * cov, top, cov, miss)
        return best

    def score_many(self, sentences: Sequence[str], passages: Sequence[str], context: str = "") -> np.ndarray:
        """[n_sentences, n_passages] support of each sentence by each passage alone."""
        out = np.zeros((len(sentences), len(passages)), dtype=np.float32)
        if not sentences or not passages:
            return out
        units = [self._units(p) if p and p.strip() else _Units((), (), key_terms("")) for p in passages]
        texts = [t for u in units for t in u.texts]
        m = self.embed([*sentences, *texts])
        sent_v, unit_v = m[: len(sentences)], m[len(sentences):]
        sims = self.semantic(sent_v @ unit_v.T) if len(texts) else np.zeros((len(sentences), 0))
        bounds = np.cumsum([0] + [len(u.texts) for u in units])
        ctx = key_terms(context) if context else None
        for i, s in enumerate(sentences):
            if not s.strip():
                continue
            s_terms = key_terms(s)
            for j, u in enumerate(units):
                row = sims[i, bounds[j]:bounds[j + 1]]
                if not len(row):
                    continue
                best = 0.0
                for sim, k in zip(row, u.terms):
                    if sim > best:  # coverage <= 1, so a unit below the current best cannot win
                        best = max(best, float(sim) * coverage(s_terms, k, ctx)[0] * claims(s_terms, k)[0])
                top = u.terms[int(np.argmax(row))]
                best = max(best, JOINT * float(row.max()) * coverage(s_terms, u.whole, ctx)[0]
                           * claims(s_terms, top)[0])
                out[i, j] = best
        return out

    def supported(self, s: SupportScore) -> bool:
        return s.score >= self.threshold

    def is_supported(self, value: float) -> bool:
        return value >= self.threshold

    def _units(self, passage: str) -> _Units:
        return _passage_units(passage)


@lru_cache(maxsize=4096)
def _passage_units(passage: str) -> _Units:
    sents = split_evidence(passage) or [passage.strip()]
    texts = list(sents)
    for a, b in zip(sents, sents[1:]):
        texts.append(f"{a} {b}")
    texts = list(dict.fromkeys(texts))
    return _Units(tuple(texts), tuple(key_terms(t) for t in texts), key_terms(passage))


def _union(ks: list[KeyTerms]) -> KeyTerms:
    if len(ks) == 1:
        return ks[0]
    return KeyTerms(
        names=frozenset().union(*(k.names for k in ks)), weak=frozenset().union(*(k.weak for k in ks)),
        initial=frozenset().union(*(k.initial for k in ks)),
        numbers=frozenset().union(*(k.numbers for k in ks)),
        years=frozenset().union(*(k.years for k in ks)), dates=frozenset().union(*(k.dates for k in ks)),
        months=frozenset().union(*(k.months for k in ks)), codes=frozenset().union(*(k.codes for k in ks)),
        words=frozenset().union(*(k.words for k in ks)),
        full_dates=frozenset().union(*(k.full_dates for k in ks)),
    )
