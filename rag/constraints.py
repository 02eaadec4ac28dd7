"""What a question pins down besides its topic, and whether a sentence honours it.

A sentence on the right topic can still answer another question: the men's champion for a women's
question, the former president for "who is the president", the young Ada Marsh, what Ushakov
said when the question asks what Xi said. Each check below names one such constraint; a sentence
that breaks one is a near miss, not an answer. (Years, dates and numbers are the other constraint
family; `answer_type.required_factor` weighs those.)

The checks read a candidate sentence, its `window` (the one or two sentences before it in its
passage, which resolve "He said:" and quotations running over several sentences) and its passage:

qualifier - exclusive qualifiers: women's/men's/mixed, singles/doubles, winner/runner-up,
            summer/winter, CEO/founder/chairman (anywhere in
            the sentence, else in its passage) and national/state/regional/local, junior/senior,
            indoor/outdoor (only right before a word of the question: "State Teacher of the Year").
            The sentence may not name another member of the group without the question's own.
modifier  - a word of the question that the sentence only ever uses with a restricting modifier the
            question lacks: "former president", "vice president", "video director", "best
            director", "young Ada Marsh".
speaker   - "What did X say/tell/describe...", "How did X describe...", "According to X, ...": X is
            the one speaking (for "According to X", only where X names someone or is a person or
            body: "a new study" or "new research" speaks through no sentence), i.e. stands before a
            speech verb of the sentence and outside a
            prepositional phrase ("in a call with X" is not X speaking), or right after it in an
            inverted attribution ('"...," said X, the mayor'); a named X is found by a name, its
            title's words anywhere in the sentence; for "He said:" or a quotation continued from
            earlier sentences, X is in the window.
about     - "What did X say about Y": every name of Y (or its initials: "EU" for "European Union")
            is in the sentence or its window.
event     - the question's verb names an event (acquired, released, died, directed); a sentence
            that tells only of a rival event of the same thing (founded, announced, born, starred)
            breaks it, as does one whose event happens to a derivative ("a soundtrack album of X
            was released", "X's update will be released").
number    - a number glued to a name ("Splatoon 2", "Grand Prix IX"): the sentence's first mention
            of that name may not carry another number.
owner     - "president of FIFA": every "president of X" in the sentence names another X
            ("presidents of CONCACAF", "a director of music videos") and none is FIFA's.
winner    - "Who won / was named ...": a sentence about the finalists or nominees names no winner;
            for "won"/"winner" questions, neither does a sentence (with its window) that has no
            word of victory at all ("the hosts head to their sixth cup final").
title     - the question's title only ever starts a longer one ("Tidewater: Rising," for
            "Tidewater").

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

from newsqa.rag.evidence import evidence_spans
from newsqa.rag.terms import STOPWORDS, key_terms, normalise_word

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
    # a company's offices: "the founder of Fidelity" does not answer "who is the CEO of Fidelity"
    (True, [frozenset({"ceo", "ceos", "executive"}), frozenset({"founder", "founders", "cofounder"}),
            frozenset({"chairman", "chairwoman", "chairperson"})]),
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
# The question's main verb names an event; a sentence about a rival event of the same thing answers
# another question: founded, not acquired; announced, not released; born, not died; starred in, not
# directed. Families list their inflections (tokens match exactly); a sentence with a word of the
# question's own family is never a near miss, whatever else it names.
_EVENT_FAMILIES: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in {
    "acquire": "acquire acquired acquires acquiring acquisition acquisitions buy buys bought buying "
               "buyer purchase purchased purchases purchasing takeover sold sell sells selling sale merger "
               "merged paid pays deal owner owns owned",
    "found": "found founded founder founders founding cofounded cofounder establish established "
             "establishes establishing",
    "release": "release released releases releasing launch launched launches launching debut debuted "
               "debuts premiere premiered premieres premiering arrive arrives arrived arriving available hit "
               "hits ships shipped coming",
    "announce": "announce announced announces announcing announcement unveil unveiled unveils reveal "
                "revealed reveals tease teased teases teaser",
    "die": "die died dies death dead",
    "born": "born birth birthday",
    "direct": "direct directed directs directing director directors",
    "perform": "star stars starred starring actor actress actors actresses portray portrayed portrays "
               "plays played",
}.items()}
_RIVALS = {"acquire": ("found",), "found": ("acquire",), "release": ("announce",), "die": ("born",),
           "born": ("die",), "direct": ("perform",), "perform": ("direct",)}
# what a sentence may be about instead of the thing asked: its soundtrack, trailer, sequel, update
DERIVATIVES = frozenset("""
soundtrack soundtracks album albums trailer trailers teaser dlc expansion expansions update updates
patch demo sequel sequels prequel remaster remake port version artbook manga adaptation bundle
""".split())
_AUX_CHAIN = frozenset({"was", "were", "is", "are", "will", "be", "been", "has", "have", "had", "being",
                        "to", "officially", "finally", "first", "originally", "also", "set", "due", "would"})
# "Who won/was named ..." asks for the winner: a sentence that lists the finalists names none
_WIN_Q = frozenset({"won", "win", "wins", "winner", "winners", "named", "crowned", "awarded", "champion"})
_WIN_S = frozenset({"won", "win", "wins", "winner", "winners", "champion", "champions", "crowned"})
_WON_Q = frozenset({"won", "win", "wins", "winner", "winners"})
# how news says someone won: "beat", "claimed the title", "took gold", "lifted the trophy"
_VICTORY = _WIN_S | frozenset('''
winning champ champs championship championships beat beats beating defeated defeat defeats defeating
victory victories victorious triumph triumphs triumphed title titles claimed claims clinched clinch
lifted lifts gold medal trophy award awards awarded prize prizes took takes taking retained retains
defended defends earned earns secured secures captured captures winners' victor victors
'''.split())
_SHORTLIST = frozenset({"finalist", "finalists", "nominee", "nominees", "nominated", "shortlist",
                        "shortlisted", "contenders", "candidates"})
# a number glued to a name makes it one thing: "Splatoon 2", "Season 4", "Grand Prix IX", "iPhone 14"
_NUMBERED = re.compile(r"(?<![\w'’.-])([A-Za-z][A-Za-z'’]+)\s+(\d{1,3}|[IVXLC]{2,}|V|X)\b"
                       r"(?![.,]\d|\s*(?:%|percent|million|billion|per\b))")
_NOT_NAMES = frozenset("""
jan january feb february mar march apr april may jun june jul july aug august sep sept september oct
october nov november dec december at on in of by to for from and or than the a an top under over
about around after before since until page chapter pages vs versus
""".split())
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# "president of FIFA": a sentence whose "president" is only ever another body's answers another
# question ("presidents of CONCACAF", "a director of music videos")
_OWNER_SKIP = frozenset({"the", "a", "an", "its", "his", "her", "their", "our"})
_NOT_HEADS = frozenset({"name", "names", "number", "kind", "type", "part", "one", "some", "most",
                        "all", "each", "rest", "end", "lot", "lots", "title", "release", "date"})


def _numeral(raw: str) -> int:
    if raw.isdigit():
        return int(raw)
    total = 0
    for a, b in zip(raw, raw[1:] + " "):
        v = _ROMAN[a]
        total += -v if b != " " and _ROMAN[b] > v else v
    return total


def numbered_names(text: str) -> list[tuple[str, int]]:
    """(name word, number) for every number glued to a name in `text`, in order: "Splatoon 2" ->
    ("splatoon", 2), "Grand Prix IX" -> ("prix", 9)."""
    out = []
    for m in _NUMBERED.finditer(text):
        word = normalise_word(m.group(1))
        if word and word not in _NOT_NAMES and (word not in STOPWORDS or word == "no"):
            out.append((word, _numeral(m.group(2))))
    return out


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
    events: tuple[str, ...] = ()  # event families of the question's verbs ("acquire", "release")
    numbered: tuple[tuple[str, int], ...] = ()  # names with their number ("splatoon", 2)
    owned: tuple[tuple[str, tuple[str, ...]], ...] = ()  # "president of FIFA": ("president", ("fifa",))
    winner: bool = False  # asks who won or was named (a list of finalists does not say)
    titles: tuple[tuple[str, ...], ...] = ()  # the question's names ("avengers",): see `_longer_title`

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
    events = tuple(k for k, fam in _EVENT_FAMILIES.items() if words & fam) if not says else ()
    winner = bool(words & _WIN_Q) and not words & _SHORTLIST
    kt = key_terms(question)
    titles = tuple(sorted(set(kt.names) | {(w,) for w in kt.initial}))
    return Constraints(words, content, tuple(quals), speaker, about, says, events,
                       tuple(numbered_names(question)), _owned(toks, content), winner, titles)


def _owned(toks: list[str], content: frozenset[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The question's "head of Owner" pairs: ("president", ("fifa",)) for "the president of the FIFA"."""
    out = []
    for i, t in enumerate(toks[:-2]):
        if toks[i + 1] != "of" or t not in content or t in _NOT_HEADS:
            continue
        j = i + 2
        while j < len(toks) and toks[j] in _OWNER_SKIP:
            j += 1
        owner = []
        while j < len(toks) and len(owner) < 4 and toks[j] not in STOPWORDS:
            owner.append(toks[j])
            j += 1
        if owner:
            out.append((t, tuple(owner)))
    return tuple(out)


def _speaker_about(question: str) -> tuple[Speaker | None, tuple[tuple[str, ...], ...], bool]:
    x = ""
    rest = ""
    says = False
    m = _ACCORDING.match(question)
    according = bool(m)
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
                    says, according = True, False
                break
    speaker = None
    if x:
        xt = [t for t in tokens(x) if t[0].isalnum() and t not in STOPWORDS]
        if xt and not set(xt) <= _PRONOUNS:
            kt = key_terms(x)
            name_words = {t for n in kt.names for t in n} | set(kt.initial)
            if not according or name_words & set(xt) or _speaks(xt):
                speaker = Speaker(frozenset(t for t in xt if t in name_words),
                                  frozenset(t for t in xt if t not in name_words and t not in _PRONOUNS))
    about: tuple[tuple[str, ...], ...] = ()
    m = _ABOUT.search(rest) if rest else None
    if m:
        kt = key_terms(m.group("y"))
        about = tuple(sorted(set(kt.names) | {(w,) for w in kt.initial}))
    return speaker, about, says


def _speaks(words: list[str]) -> bool:
    """Some word of an unnamed source is a person or a body that speaks ("the agency's chief
    adviser", "the ministry"), by the answer-typing table's kinds of nouns; "a new study", "new
    research" or "the latest data" name none, and no sentence reports them speaking."""
    from newsqa.rag.query import AnswerKind, noun_kind

    speakers = (AnswerKind.PERSON, AnswerKind.ORGANIZATION)
    return any(noun_kind(w) in speakers or (w.endswith("s") and noun_kind(w[:-1]) in speakers) for w in words)


def speaker_named(name: str) -> Speaker | None:
    """The speaker a pronoun stands for, from a name carried over from the last turn ("he" after an
    answer naming "Dmitry Peskov"): its longest proper name, any word of which will do."""
    kt = key_terms(name)
    names = sorted(kt.names, key=len) or [(w,) for w in kt.initial]
    return Speaker(frozenset(names[-1]), frozenset()) if names else None


def with_speaker(c: Constraints, speaker: Speaker | None) -> Constraints:
    return replace(c, speaker=speaker)


# -- checking a sentence ---------------------------------------------------------------------------

def violations(c: Constraints, sentence: str, window: str = "", passage: str = "", title: str = "") -> list[str]:
    """The constraints of the question that `sentence` breaks (empty: none), each as a short reason.
    `window`: the sentences before it; `passage`: its passage's text; `title`: its article's headline."""
    out: list[str] = []
    st = tokens(sentence)
    words = [t for t in st if t[0].isalnum()]
    wset = set(words)
    out += _qualifier_conflicts(c, words, passage)
    out += _restricted(c, words)
    if c.speaker is not None and not spoken_by(c.speaker, sentence, window):
        out.append("said by someone else")
    out += _rival_event(c, words)
    out += _derivative(c, list(st))
    out += _other_number(c, sentence)
    out += _other_owner(c, sentence)
    out += _longer_title(c, sentence)
    if c.winner and wset & _SHORTLIST and not wset & _WIN_S:
        out.append("the finalists, not the winner")
    elif c.words & _WON_Q and not (wset | word_set(window)) & _VICTORY:
        out.append("no one wins in it")
    if c.about:
        # a sentence is about what it, the sentences before it or its article's headline names: a
        # spokesman's quotation far down an article about a town's lottery win is about that win
        near = wset | word_set(window) | word_set(title)
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


def _rival_event(c: Constraints, words: list[str]) -> list[str]:
    """The sentence tells of a rival event and not of the question's ("founded", not "acquired")."""
    if not c.events:
        return []
    wset = set(words)
    if any(wset & _EVENT_FAMILIES[e] for e in c.events):
        return []
    for e in c.events:
        for r in _RIVALS.get(e, ()):
            found = wset & _EVENT_FAMILIES[r]
            if found and r not in c.events:
                return [f"{sorted(found)[0]}, not {e}"]
    return []


def _derivative(c: Constraints, words: list[str]) -> list[str]:
    """The subject of the sentence's event verb is a derivative of the thing asked about: "A
    soundtrack album of X was released", "X Re-Arranged Album was released", "X's update will be
    released"."""
    if not c.events:
        return []
    verbs = frozenset().union(*(_EVENT_FAMILIES[e] for e in c.events))
    at = next((i for i, w in enumerate(words) if w in verbs), -1)
    if at <= 0:
        return []
    # the verb's own clause: "..., the video game released by Nintendo" is about the game
    region = []
    for w in words[:at]:
        if w in (",", ";", "(", ")"):
            region = []
        elif w[0].isalnum():
            region.append(w)
    names = [i for i, w in enumerate(region) if w in c.content]
    if not names:
        return []
    j = len(region) - 1
    while j >= 0 and region[j] in _AUX_CHAIN:
        j -= 1
    for i, w in enumerate(region):
        if w in DERIVATIVES and w not in c.words and (i < names[0] or i == j):
            return [f"the {w}, not the thing itself"]
    return []


def _other_number(c: Constraints, sentence: str) -> list[str]:
    """The sentence's first mention of a numbered name asked about carries another number
    ("Splatoon 1 ... Splatoon 2" for a question on Splatoon 2)."""
    if not c.numbered:
        return []
    found = numbered_names(sentence)
    for word, num in c.numbered:
        mine = [n for w, n in found if w == word]
        if mine and mine[0] != num:
            return [f"{word} {mine[0]}, not {word} {num}"]
    return []


def _other_owner(c: Constraints, sentence: str) -> list[str]:
    """Every "head of X" in the sentence names another X than the question's ("presidents of
    CONCACAF" for "president of FIFA"), and none ties the head to the question's own X."""
    if not c.owned:
        return []
    raw = [m.group(0) for m in _WORD.finditer(sentence)]
    low = [normalise_word(w) for w in raw]
    out = []
    for head, owner in c.owned:
        right = wrong = False
        for i, w in enumerate(low):
            if not same_word(w, head):
                continue
            before = low[max(0, i - 3):i]
            if any(has_word(o, set(before)) for o in owner):
                right = True  # "FIFA President", "Harbour Lights director"
                continue
            if i + 1 >= len(low) or low[i + 1] != "of":
                continue
            j = i + 2
            while j < len(low) and low[j] in _OWNER_SKIP:
                j += 1
            if j >= len(low):
                continue
            if has_word(low[j], set(owner)):
                right = True
            elif raw[j][0].isupper() and low[j] not in STOPWORDS:
                wrong = True  # "president of CONCACAF"
            elif (low[j] not in STOPWORDS and j == i + 2 and not low[j].isdigit()
                  and not any(r.endswith(("'s", "’s")) for r in raw[j:j + 3])):
                wrong = True  # "director of music videos" (not "of world football's governing body")
        if wrong and not right:
            out.append(f"{head} of something else")
    return out


_TITLE_END = frozenset({",", ";", "(", ")", "and", "or", "“", "”", '"', "«", "»"})
_TITLE_INNER = frozenset({"of", "the", "a", "an", "in", "on", "at", "to"})


def _longer_title(c: Constraints, sentence: str) -> list[str]:
    """The sentence names the question's title only as the start of a longer one ("Tidewater:
    Rising", "Tidewater: Ebb," for "Tidewater"), never on its own. A colon followed by
    a clause ("Wimbledon: Djokovic beats Federer") is a headline, not a subtitle."""
    if not c.titles:
        return []
    raw = [m.group(0) for m in _TOKEN.finditer(sentence)]
    low = [normalise_word(t) if t[0].isalnum() else t for t in raw]
    for name in c.titles:
        longer = alone = 0
        for i, t in enumerate(low):
            if not t or not t[0].isalnum() or not same_word(t, name[-1]):
                continue
            if len(name) > 1 and (i == 0 or not same_word(low[i - 1], name[-2])):
                continue
            j = i + 2
            if i + 2 < len(raw) and raw[i + 1] == ":" and raw[j][:1].isupper() and low[j] not in c.words:
                while j < len(raw) and (raw[j][:1].isupper() or raw[j].isdigit()
                                        or (low[j] in _TITLE_INNER and j + 1 < len(raw)
                                            and raw[j + 1][:1].isupper())):
                    j += 1
                if j == len(raw) or low[j] in _TITLE_END:
                    longer += 1
                    continue
            alone += 1
        if longer and not alone:
            return [f"a longer title than {' '.join(name)}"]
    return []


def _initials_in(name: tuple[str, ...], pool: set[str] | frozenset[str]) -> bool:
    core = [t for t in name if t not in ("of", "the", "and", "de")]
    return len(core) >= 2 and "".join(t[0] for t in core) in pool


def spoken_by(sp: Speaker, sentence: str, window: str = "") -> bool:
    """Whether the sentence reports `sp` speaking (see the module docstring)."""
    st = tokens(sentence)
    verbs = [i for i, t in enumerate(st) if t in SPEECH_VERBS]
    described = frozenset(st)
    for v in verbs:
        subject = _subject_words(st[:v]) | _inverted_subject(st, v)
        if _speaker_in(sp, subject, described):
            return True
        near = [t for t in st[max(0, v - 3):v] if t[0].isalnum()]
        if any(t in _PRONOUNS for t in near) and window and _speaker_in(sp, _window_words(window)):
            return True  # "He said:", "..., she added"
    if window and (_inside_quote(window) or _bare_quotation(st)):
        # a quotation that began in an earlier sentence, or one that follows the speaker's words
        # without an attribution of its own ('... , he said. "Next year we will ..."', or one whose
        # "he said" comes after its next sentence): its speaker is named there
        return _speaker_in(sp, _window_words(window))
    return False


def _bare_quotation(st: tuple[str, ...]) -> bool:
    """The sentence opens a quotation and has no speech verb outside quotation marks: news gives a
    speaker's further quoted sentences without saying again who speaks."""
    if not st or not (st[0] in _QUOTE_OPEN or st[0] == '"'):
        return False
    inside = False
    for t in st:
        mark = _after_quote_mark(t, inside)
        if mark is not None:
            inside = mark
        elif not inside and t in SPEECH_VERBS:
            return False
    return True


def _after_quote_mark(t: str, inside: bool) -> bool | None:
    """Whether a quotation is open after the token `t`, when `t` is a quotation mark (a curly one
    opens or closes, a straight one toggles); None for any other token."""
    if t in _QUOTE_OPEN:
        return True
    if t in _QUOTE_CLOSE:
        return False
    if t == '"':
        return not inside
    return None


@lru_cache(maxsize=4096)
def _window_words(window: str) -> frozenset[str]:
    """Who speaks in the sentences before: the possible subjects of their speech verbs."""
    out: set[str] = set()
    for a, b in evidence_spans(window):
        st = tokens(window[a:b])
        for v, t in enumerate(st):
            if t in SPEECH_VERBS:
                out |= _subject_words(st[:v]) | _inverted_subject(st, v)
    return frozenset(out)


def _inverted_subject(st: tuple[str, ...], v: int) -> set[str]:
    """The speaker after the verb in news's inverted attribution ("...," said Ada Lind, the
    mayor): the words up to the next comma or stop, when a quotation or a comma ends just before
    the verb. Without it, a statement question's speaker was never found in the commonest way news
    attributes a quotation, and the rules refused the question as said by someone else."""
    if v == 0 or (st[v - 1] not in (",", '"') and st[v - 1] not in _QUOTE_CLOSE):
        return set()
    out: set[str] = set()
    commas = 0
    for t in st[v + 1:]:
        if t == ",":
            # the apposition after the name ("said Tomas Berg, the mayor, ...") describes them
            commas += 1
            if commas == 2 or len(out) > 8:
                break
            continue
        if t in (";", ":", ".", "(", '"') or t in _QUOTE_OPEN or (commas and t in ("that", "who", "which")):
            break
        out.add(t)
    return out


def _inside_quote(window: str) -> bool:
    """The window ends inside a quotation: curly marks nest, a straight one opens or closes."""
    depth = 0
    for ch in window:
        if ch in _QUOTE_OPEN or (ch == '"' and depth == 0):
            depth += 1
        elif ch in _QUOTE_CLOSE or ch == '"':
            depth = max(0, depth - 1)
    return depth > 0


def _subject_words(left: list[str]) -> set[str]:
    """Words before a speech verb that could be its subject: names inside a prepositional phrase
    ("in a call with Chinese President Xi Jinping") and inside quotations are left out."""
    out: set[str] = set()
    in_quote = False
    pp = False
    for t in left:
        mark = _after_quote_mark(t, in_quote)
        if mark is not None:
            in_quote = mark
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


def _speaker_in(sp: Speaker, pool: set[str] | frozenset[str], described: frozenset[str] = frozenset()) -> bool:
    """`pool`: who speaks (the subject words of speech verbs). A speaker named in the question is
    found by a name in it; the words describing them ("commercial director" X, X "of the growers'
    cooperative") may stand anywhere in the sentence (`described`: its words), since news names a
    speaker and gives their title in either order ("said X, the company's commercial director").
    A speaker the question only describes ("the mayor") is found by every describing word in it."""
    if sp.names:
        return any(has_word(t, pool) for t in sp.names) and all(
            has_word(t, pool) or has_word(t, described) for t in sp.words)
    return all(has_word(t, pool) for t in sp.words)
