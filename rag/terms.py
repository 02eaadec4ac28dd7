"""Key terms of a text: the names, numbers, dates, months and codes a supporting passage must contain.

`key_terms` parses them (numbers by value: "1,000" == "1000", "$7.2bn" == "7.2 billion", "five" ==
"5"), `normalise_word` folds case, accents and possessives, and `num_covered` compares numbers by
value within their written precision. Kept apart from the support scorer (rag/support.py), which
prices missing terms, because question analysis, answer typing, candidate scoring and constraints
read the same terms and words without scoring anything.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from newsqa.rag.evidence import evidence_spans


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


_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")
# each month's name and its abbreviations ("jan", "sept") -> its number
_MONTHS = {**{m[:3]: i for i, m in enumerate(_MONTH_NAMES, 1)}, "sept": 9,
           **{m: i for i, m in enumerate(_MONTH_NAMES, 1)}}
MONTH_WORDS = frozenset(_MONTHS)  # month names and their abbreviations, lowercased
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
    """Names, numbers (incl. "7.2", "1,000", "$7.2 billion", "23%"), years, dates and months."""
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
        # "May" and abbreviations ("Jan Koum") count as months only when a year follows; "June"
        # and "July" are whole names, however short
        name = tok.rstrip(".")
        if (name == "May" or name.lower() not in _MONTH_NAMES) and not with_year:
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
        # most words are lowercase with no name running: flush only what there is (a hot loop)
        if not w or _HAS_DIGIT.search(raw):
            if run:
                flush()
            continue
        if not raw[0].isupper():
            if run:
                if w in _CONNECTORS and not gap.strip():
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


def num_covered(n: Num, pool: frozenset[Num]) -> bool:
    """Whether `pool` holds `n` to `n`'s written precision ("7.189 billion" covers "7.2 billion",
    not "11.4 billion"); plain numbers and ordinals stand for each other."""
    for p in pool:
        if p.kind != n.kind and not (n.kind == "ord" and p.kind == "") and not (
                n.kind == "" and p.kind == "ord"):
            continue
        if abs(p.value - n.value) <= max(n.tol, 1e-9 * max(abs(n.value), 1.0)):
            return True
    return False


def union_terms(ks: list[KeyTerms]) -> KeyTerms:
    """The key terms of several texts taken together (passages read jointly, a window of sentences)."""
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
