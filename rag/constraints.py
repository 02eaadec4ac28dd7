"""What a question pins down besides its topic, and whether a sentence honours it.

A sentence on the right topic can still answer another question: the men's champion for a women's
question, the former president for "who is the president", the young Diana Prince, what Ushakov
said when the question asks what Xi said. Each check below names one such constraint; a sentence
that breaks one is a near miss, not an answer. (Years, dates and numbers are the other constraint
family; `question.required_factor` weighs those.)

The checks read a candidate sentence, its `window` (the one or two sentences before it in its
passage, which resolve "He said:" and quotations running over several sentences) and its passage:

qualifier - exclusive qualifiers: women's/men's/mixed, singles/doubles, winner/runner-up,
            summer/winter (anywhere in
            the sentence, else in its passage) and national/state/regional/local, junior/senior,
            indoor/outdoor (only right before a word of the question: "State Teacher of the Year").
            The sentence may not name another member of the group without the question's own.
modifier  - a word of the question that the sentence only ever uses with a restricting modifier the
            question lacks: "former president", "vice president", "video director", "best
            director", "young Diana Prince".
speaker   - "What did X say/tell/describe...", "How did X describe...", "According to X, ...": X is
            the one speaking, i.e. stands before a speech verb of the sentence and outside a
            prepositional phrase ("in a call with X" is not X speaking); for "He said:" or a
            quotation continued from earlier sentences, X is in the window.
about     - "What did X say about Y": every name of Y (or its initials: "US" for "United States")
            is in the sentence or its window.

(A check that every name of the question appears in the sentence's passage was tried and dropped:
news snippets and later chunks often leave the subject unnamed, and the refusal rule's topic check
already covers the retrieved passages as a whole.)

Words match case- and accent-insensitively, and loosely enough for inflection and typos ("Definite
Edition" finds "Definitive Edition").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from newsqa.rag.support import STOPWORDS, evidence_spans, key_terms, normalise_word

# -- words ----------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[“”\"«»„]|[,;:()]")
_QUOTE_OPEN = "“«„"
_QUOTE_CLOSE = "”»"


@lru_cache(maxsize=16384)
def tokens(text: str) -> tuple[str, ...]:
    """Normalised words and the punctuation that bounds clauses and quotations."""
    out = []
    for m in _TOKEN.finditer(text):
        t = m.group(0)
        out.append(normalise_word(t) if t[0].isalnum() else t)
    return tuple(t for t in out if t)


@lru_cache(maxsize=4096)
def word_set(text: str) -> frozenset[str]:
    """The normalised words of `text`, without punctuation."""
    return frozenset(t for t in tokens(text) if t[0].isalnum())


def same_word(a: str, b: str) -> bool:
    """Equal, or one an inflection of the other ("specialist"/"specialists", "definite"/"definitive")."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 5 and long_.startswith(short) and len(long_) - len(short) <= 3:
        return True  # an inflection ("mediat-ion", "supplier"), not a longer word ("state-ment")
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return common >= 7


def has_word(word: str, pool: set[str] | frozenset[str]) -> bool:
    """Whether `pool` holds `word` or an inflection of it (see `same_word`)."""
    return word in pool or any(same_word(word, p) for p in pool if p[:2] == word[:2])


# -- what the question pins down ----------------------------------------------------------------

# groups of exclusive qualifiers; the flag says whether a member counts anywhere in the sentence
# (gender, format, season: rarely used in passing) or only right before a word of the question
_GROUPS: list[tuple[bool, list[frozenset[str]]]] = [
    (True, [frozenset({"women", "womens", "woman", "ladies", "female", "girls"}),
            frozenset({"men", "mens", "man", "gentlemen", "male", "boys"}), frozenset({"mixed"})]),
    (True, [frozenset({"singles"}), frozenset({"doubles"})]),
    (True, [frozenset({"winner", "winners", "champion", "champions"}),
            frozenset({"runner", "runners", "finalist", "finalists"})]),
    (True, [frozenset({"summer"}), frozenset({"winter"})]),
    (False, [frozenset({"national", "federal"}), frozenset({"state", "regional", "local", "provincial",
                                                           "county", "district", "municipal"})]),
    (False, [frozenset({"junior", "juniors", "youth"}), frozenset({"senior", "seniors"})]),
    (False, [frozenset({"indoor"}), frozenset({"outdoor"})]),
]
# words that turn "the president" into someone else: the one before, the deputy, the young version
RESTRICTING = frozenset("""
former ex late then outgoing previous past erstwhile onetime one-time interim acting caretaker
deputy vice assistant associate co honorary young younger teenage video best future incoming next
would-be
""".split())
SPEECH_VERBS = frozenset("""
say says said saying tell tells told telling state states stated stating warn warns warned warning
add adds added adding describe describes described describing call calls called calling confirm
confirms confirmed confirming claim claims claimed claiming insist insists insisted note notes noted
stress stresses stressed reiterate reiterates reiterated announce announces announced declare
declares declared explain explains explained argue argues argued suggest suggests suggested
suggesting express expresses expressed boast boasts boasted boasting praise praises praised praising
disclose discloses disclosed reply replies replied respond responds responded write writes wrote
tweet tweets tweeted speak speaks spoke speaking admit admits admitted urge urges urged propose
proposes proposed ask asks asked accuse accuses accused deny denies denied threaten threatens
threatened promise promises promised quoted reveal reveals revealed predict predicts predicted
""".split())
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "him", "her", "them"})
# a name right after one of these is what is talked about or to, not who talks
_PREPOSITIONS = frozenset({"with", "to", "against", "about", "toward", "towards", "between", "among",
                           "at", "on", "from", "in", "into", "over", "regarding", "concerning"})
_SPEAK_Q = re.compile(r"^\s*(?:and\s+)?(?:what|how|why|when|where)\s+(?:did|does|do|has|have|had|will|would|"
                      r"could|can)\s+(?P<tail>.+)$", re.I)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ACCORDING = re.compile(r"^\s*according to\s+(?P<x>[^,]+),", re.I)
_ABOUT = re.compile(r"\babout\s+(?P<y>[^?]+)", re.I)
@dataclass(frozen=True)
class Speaker:
    names: frozenset[str]  # name words: any one of them will do ("Zakharova" for Maria Zakharova)
    words: frozenset[str]  # other words ("president", "iran"): all of them are needed


@dataclass(frozen=True)
class Constraints:
    words: frozenset[str]  # every normalised word of the question
    content: frozenset[str]  # its content words, whose modifiers matter
    qualifiers: tuple[tuple[int, int], ...]  # (group, member) the question names
    speaker: Speaker | None
    about: tuple[tuple[str, ...], ...]
    says: bool = False  # it asks what someone said ("What did he say about Trump?"), named or not

    def is_empty(self) -> bool:
        return not (self.qualifiers or self.speaker or self.about or self.content)


def parse_constraints(question: str) -> Constraints:
    toks = [t for t in tokens(question) if t[0].isalnum()]
    words = frozenset(toks)
    content = frozenset(t for t in toks if t not in STOPWORDS and not t.isdigit() and len(t) > 2
                        and t not in SPEECH_VERBS)
    quals = []
    for g, (_anywhere, members) in enumerate(_GROUPS):
        for m, member in enumerate(members):
            if words & member:
                quals.append((g, m))
    speaker, about, says = _speaker_about(question)
    return Constraints(words, content, tuple(quals), speaker, about, says)


def _speaker_about(question: str) -> tuple[Speaker | None, tuple[tuple[str, ...], ...], bool]:
    x = ""
    rest = ""
    says = False
    m = _ACCORDING.match(question)
    if m:
        x = m.group("x")
    q = _ACCORDING.sub("", question).strip()
    m = _SPEAK_Q.match(q)
    if m:
        tail = m.group("tail")
        for w in _WORD.finditer(tail):
            hyphenated = tail[w.start() - 1:w.start()] == "-" or tail[w.end():w.end() + 1] == "-"
            if normalise_word(w.group(0)) in SPEECH_VERBS and not hyphenated:  # "Russian-speaking"
                if w.start() > 0:
                    x, rest = tail[:w.start()], tail[w.end():]
                    says = True
                break
    speaker = None
    if x:
        xt = [t for t in tokens(x) if t[0].isalnum() and t not in STOPWORDS]
        if xt and not set(xt) <= _PRONOUNS:
            kt = key_terms(x)
            name_words = {t for n in kt.names for t in n} | set(kt.initial)
            speaker = Speaker(frozenset(t for t in xt if t in name_words),
                              frozenset(t for t in xt if t not in name_words and t not in _PRONOUNS))
    about: tuple[tuple[str, ...], ...] = ()
    m = _ABOUT.search(rest) if rest else None
    if m:
        kt = key_terms(m.group("y"))
        about = tuple(sorted(set(kt.names) | {(w,) for w in kt.initial}))
    return speaker, about, says


def speaker_named(name: str) -> Speaker | None:
    """The speaker a pronoun stands for, from a name carried over from the last turn ("he" after an
    answer naming "Dmitry Peskov"): its longest proper name, any word of which will do."""
    kt = key_terms(name)
    names = sorted(kt.names, key=len) or [(w,) for w in kt.initial]
    return Speaker(frozenset(names[-1]), frozenset()) if names else None


def with_speaker(c: Constraints, speaker: Speaker | None) -> Constraints:
    return replace(c, speaker=speaker)


# -- checking a sentence ---------------------------------------------------------------------------

def violations(c: Constraints, sentence: str, window: str = "", passage: str = "") -> list[str]:
    """The constraints of the question that `sentence` breaks (empty: none), each as a short reason."""
    out: list[str] = []
    st = tokens(sentence)
    words = [t for t in st if t[0].isalnum()]
    wset = set(words)
    out += _qualifier_conflicts(c, words, passage)
    out += _restricted(c, words)
    if c.speaker is not None and not spoken_by(c.speaker, sentence, window):
        out.append("said by someone else")
    if c.about:
        near = wset | word_set(window)
        for name in c.about:
            if not any(has_word(t, near) for t in name) and not _initials_in(name, near):
                out.append(f"not about {' '.join(name)}")
    return out


def _qualifier_conflicts(c: Constraints, words: list[str], passage: str) -> list[str]:
    out = []
    wset = set(words)
    for g, m in c.qualifiers:
        anywhere, members = _GROUPS[g]
        mine = members[m]
        others = frozenset().union(*(x for i, x in enumerate(members) if i != m))
        if anywhere:
            if wset & mine:
                continue
            found = wset & others
            if not found and passage:
                pw = word_set(passage)
                found = (pw & others) if not pw & mine else set()
            if found:
                out.append(f"{sorted(found)[0]}, not {sorted(c.words & mine)[0]}")
        else:
            for i, w in enumerate(words[:-1]):
                if w in others and words[i + 1] in c.content and w not in c.words:
                    out.append(f"{w} {words[i + 1]}, not {sorted(c.words & mine)[0]}")
                    break
    return out


def _restricted(c: Constraints, words: list[str]) -> list[str]:
    """Question words the sentence uses only with a restricting modifier the question lacks."""
    seen: dict[str, list[bool]] = {}
    for i, w in enumerate(words):
        if w not in c.content:
            continue
        prev = words[i - 1] if i else ""
        seen.setdefault(w, []).append(prev in RESTRICTING and prev not in c.words)
    return [f"{words[words.index(w) - 1]} {w}" for w, flags in seen.items() if flags and all(flags)]


def _initials_in(name: tuple[str, ...], pool: set[str] | frozenset[str]) -> bool:
    core = [t for t in name if t not in ("of", "the", "and", "de")]
    return len(core) >= 2 and "".join(t[0] for t in core) in pool


def spoken_by(sp: Speaker, sentence: str, window: str = "") -> bool:
    """Whether the sentence reports `sp` speaking (see the module docstring)."""
    st = tokens(sentence)
    verbs = [i for i, t in enumerate(st) if t in SPEECH_VERBS]
    for v in verbs:
        subject = _subject_words(st[:v])
        if _speaker_in(sp, subject):
            return True
        near = [t for t in st[max(0, v - 3):v] if t[0].isalnum()]
        if any(t in _PRONOUNS for t in near) and window and _speaker_in(sp, _window_words(window)):
            return True  # "He said:", "..., she added"
    if window and _inside_quote(window):
        # a quotation that began in an earlier sentence: its speaker is named there
        return _speaker_in(sp, _window_words(window))
    return False


@lru_cache(maxsize=4096)
def _window_words(window: str) -> frozenset[str]:
    """Who speaks in the sentences before: the possible subjects of their speech verbs."""
    out: set[str] = set()
    for a, b in evidence_spans(window):
        st = tokens(window[a:b])
        for v, t in enumerate(st):
            if t in SPEECH_VERBS:
                out |= _subject_words(st[:v])
    return frozenset(out)


def _inside_quote(window: str) -> bool:
    depth = 0
    for ch in window:
        if ch in _QUOTE_OPEN:
            depth += 1
        elif ch in _QUOTE_CLOSE:
            depth = max(0, depth - 1)
    return depth > 0


def _subject_words(left: list[str]) -> set[str]:
    """Words before a speech verb that could be its subject: names inside a prepositional phrase
    ("in a call with Chinese President Xi Jinping") and inside quotations are left out."""
    out: set[str] = set()
    in_quote = False
    pp = False
    for t in left:
        if t in _QUOTE_OPEN or t == '"':
            in_quote = not in_quote if t == '"' else True
            continue
        if t in _QUOTE_CLOSE:
            in_quote = False
            continue
        if in_quote:
            continue
        if t in (",", ";", ":", "(", ")"):
            pp = False
            continue
        if t in _PREPOSITIONS:
            pp = True
            continue
        if pp and t in ("that", "who", "which", "and"):
            pp = t == "and"  # "with X and Y": still the phrase; "that Z": a new clause
            if t == "and":
                continue
        if not pp:
            out.add(t)
    return out


def _speaker_in(sp: Speaker, pool: set[str] | frozenset[str]) -> bool:
    if sp.names and not any(has_word(t, pool) for t in sp.names):
        return False
    return all(has_word(t, pool) for t in sp.words)
