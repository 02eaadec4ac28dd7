"""Features of a candidate sentence as an answer to an analysed question: named floats.

Two sets, because analysing a sentence with spaCy and embedding it are most of an answer's cost:
  cheap (every candidate): word overlap and BM25 over the candidate sentences, the question's named
    things and years in the sentence and in its article's retrieved text, retrieval rank, shape,
    and the rule path's reading of it (stack.py: its rule score, whether the rules quote it);
  full (the few best by the cheap model): adds the semantic similarity of question and sentence
    (the support scorer's embedder), lemma overlap, and whether the sentence holds an entity of the
    kind the question asks for that the question does not already name, and how close it stands to
    the question's words.
The ranker (ranker.py) weighs them; its weights are fit by `newsqa train-ranker`.
"""

from __future__ import annotations

import calendar
import math
import re
from collections import Counter
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from newsqa.index.lexical import tokenize
from newsqa.rag.ages import asked_ages, states_age
from newsqa.rag.families import relatives
from newsqa.rag.pronouns import PERSONAL as _PRONOUNS
from newsqa.rag.sentences import Candidate, asks

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from newsqa.rag.query import AnalysedQuestion
    from newsqa.rag.stack import RuleView
    from newsqa.rag.types import Passage

_WORD = re.compile(r"[^\W_]+")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
BM25_K1, BM25_B = 1.2, 0.75
_QUOTE = re.compile(r"[\"“”]|(?:^|\s)'|'(?:\s|$)")
# forms of the common reporting verbs (a closed class), for sentences that report speech
_REPORTED = frozenset("""said says saying told tells described describes called calls claimed
    claims announced announces warned warns stated states added confirmed denied explained
    argued insisted suggested admitted revealed promised wrote reported praised urged replied
    noted acknowledged predicted vowed pledged according""".split())
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# numbers news writes out (wire style spells one to nine; "a dozen", "hundreds"): a count of three is
# "Three children", which a digit search misses. "one" is left out: mostly not a count ("one of the")
_NUMBER_WORDS = frozenset("""two three four five six seven eight nine ten eleven twelve thirteen
    fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred hundreds thousand thousands million millions billion billions dozen
    dozens""".split())
# ... and dates news writes in words ("on Thursday", "in March"): for a question asking when, a
# weekday or a month the question does not name is a date it has not got, as a new number is.
# Capitalised only: "may" is mostly the verb
_CALENDAR_NAME = re.compile(r"\b(?:" + "|".join([*calendar.month_name[1:], *calendar.day_name]) + r")\b")


class NamedFloats:
    """A model's input as named float fields (`Features`, `refusal.QuestionFeatures`,
    `span.SpanFeatures`), read in the order a fitted model lists them."""

    def vector(self, names: list[str]) -> list[float]:
        # getattr, not dataclasses.asdict: asdict deep-copies every field on each call, which was
        # about a tenth of the ranker's time per question
        return [float(getattr(self, n)) for n in names]


@dataclass
class Features(NamedFloats):
    # cheap
    overlap: float = 0.0  # IDF-weighted share of the question's words in the sentence
    bm25: float = 0.0  # BM25 of the sentence over the candidate sentences, / the best candidate's
    bm25_abs: float = 0.0  # the same, / the question's total IDF (comparable across questions)
    names: float = 0.0  # share of the question's named-thing words in the sentence
    names_article: float = 0.0  # ... in the sentence's article (title and retrieved chunks)
    passage_overlap: float = 0.0  # IDF-weighted share of the question's words in its passage and title
    neighbour_overlap: float = 0.0  # ... in the sentences just before and after it
    year: float = 0.0  # share of the question's years in the sentence (0 when it has none)
    year_missing: float = 0.0  # 1 when the question has a year its article's text lacks
    rank: float = 0.0  # 1 / (1 + passage rank)
    lead: float = 0.0  # the first sentence of its chunk
    asks: float = 0.0  # a sentence ending in "?"
    length: float = 0.0  # words / 40, capped at 1.5
    has_digit: float = 0.0  # holds a number (numeric and date questions; a date question: or a
    # weekday or month in words)
    numeric_q: float = 0.0  # the question asks for a date, number, amount or share
    typed: float = 0.0  # the question asks for a kind of entity
    names_near: float = 0.0  # share of the question's named-thing words in the sentences around it
    speech: float = 0.0  # holds a quotation or a reporting verb ("said", "told")
    statement_q: float = 0.0  # the question asks what someone said (query.AnswerKind.STATEMENT)
    statement_speech: float = 0.0  # both: a reported statement for a question about one
    numeric_new: float = 0.0  # a numeric question, and the sentence holds a number it does not
    # (a date question: or a weekday or month it does not name)
    position: float = 0.0  # the sentence's index in its chunk / 10, capped at 1
    overlap_rel: float = 0.0  # overlap minus the best candidate's: relative to the question's own
    # candidates, which carries across corpora (a long article has more words for every sentence)
    topic: float = 0.0  # IDF-weighted share of the question's words other than its named things;
    # for a statement question, other than its speaker and its verb of saying (what it is about)
    speaker_context: float = 0.0  # share of the question's named-thing words in the sentence or the
    # three before it (a quotation's later sentences name their speaker earlier)
    statement_topic: float = 0.0  # a statement question: topic of a sentence that reports speech
    statement_speaker: float = 0.0  # a statement question: its speaker in context of reported speech
    speaker_match: float = 0.0  # a statement question's speaker named in a sentence reporting speech
    # (1), or in one of the three before a sentence that reports speech without naming anyone (0.5)
    # the rule path's reading of the same sentence (stack.py): learned where the rules are right
    rule_rel: float = 0.0  # its rule score over the best rule score of the question's candidates
    rule_pick: float = 0.0  # the rule backend quotes it
    rule_top: float = 0.0  # ... as its first sentence
    rule_broken: float = 0.0  # constraints of the question it breaks by the rules (0, 0.5, 1)
    # full
    sem: float = 0.0  # cosine of question and sentence embeddings
    lemma_overlap: float = 0.0  # share of the question's content lemmas in the sentence
    expected: float = 0.0  # it holds what the question asks for: an entity of an expected label
    # the question does not name, or, for a statement question, a statement by its speaker
    expected_near: float = 0.0  # 1 / (1 + words between that entity and the question's words)
    new_entity: float = 0.0  # any named entity the question does not name
    pronoun_start: float = 0.0  # opens with a pronoun ("She said ..."): its subject is elsewhere
    focus_near: float = 0.0  # the question's focus noun ("leader") within three words of an entity
    # of the kind asked for ("union leader Tomas Reyes")


CHEAP = ["overlap", "bm25", "bm25_abs", "names", "names_article", "passage_overlap",
         "neighbour_overlap", "year", "year_missing", "rank",
         "lead", "asks", "length", "has_digit", "numeric_q", "typed",
         "names_near", "speech", "statement_q", "statement_speech", "numeric_new", "position",
         "overlap_rel", "topic", "speaker_context", "statement_topic", "statement_speaker",
         "speaker_match", "rule_rel", "rule_pick", "rule_top", "rule_broken"]
FULL = [f.name for f in fields(Features)]


def cheap_features(q: "AnalysedQuestion", passages: list["Passage"], cands: list[Candidate],
                   rules: "RuleView | None" = None) -> None:
    """Fill every candidate's cheap features (the rule features stay 0 without `rules`)."""
    from newsqa.rag.query import NUMERIC_KINDS, AnswerKind

    q_tokens = list(dict.fromkeys(tokenize(q.text)))
    toks = [tokenize(c.text) for c in cands]
    n_docs = max(1, len(cands))
    named_stems = set(tokenize(" ".join(q.named)))
    if q.kind is AnswerKind.STATEMENT:
        topic_tokens = statement_topic(q)
    else:
        topic_tokens = [w for w in q_tokens if w not in named_stems]
    # each question word with the stems of its word family (families.py): found as any of them
    fam = _families(q, [*q_tokens, *topic_tokens])
    df: Counter[str] = Counter()
    for t in toks:
        present = set(t)
        df.update(w for w in fam if fam[w] & present)
    idf = {w: math.log(1 + (n_docs - df[w] + 0.5) / (df[w] + 0.5)) for w in fam}
    q_idf = sum(idf[w] for w in q_tokens) or 1.0
    topic_idf = sum(idf[w] for w in topic_tokens) or 1.0
    avg_len = sum(len(t) for t in toks) / n_docs or 1.0
    article_text: dict[str, str] = {}
    for p in passages:
        article_text[p.chunk.article_id] = (article_text.get(p.chunk.article_id, p.chunk.title or "")
                                            + "\n" + p.chunk.text)
    by_n = {p.n: p for p in passages}
    article_words = {aid: words_of(t) for aid, t in article_text.items()}
    named = q.named_tokens
    numeric = q.kind in NUMERIC_KINDS
    dated = q.kind is AnswerKind.DATE
    passage_tokens = {p.n: set(tokenize(f"{p.chunk.title}\n{p.chunk.text}")) for p in passages}
    at = {(c.n, c.index): set(t) for c, t in zip(cands, toks)}
    text_at = {(c.n, c.index): c.text for c in cands}
    statement = q.kind is AnswerKind.STATEMENT
    q_numbers = set(_NUMBER.findall(q.text))
    q_words = words_of(q.text)
    bm = []
    for c, t in zip(cands, toks):
        counts = Counter(t)
        tf = {w: sum(counts[x] for x in fam[w]) for w in fam}
        score = 0.0
        for w in q_tokens:
            if tf[w]:
                score += idf[w] * tf[w] * (BM25_K1 + 1) / (tf[w] + BM25_K1 * (1 - BM25_B + BM25_B * len(t) / avg_len))
        bm.append(score)
        words = words_of(c.text)
        aid = by_n[c.n].chunk.article_id
        f = Features()
        f.overlap = sum(idf[w] for w in q_tokens if tf[w]) / q_idf
        f.bm25_abs = score / q_idf
        f.passage_overlap = sum(idf[w] for w in q_tokens if fam[w] & passage_tokens[c.n]) / q_idf
        near = at.get((c.n, c.index - 1), set()) | at.get((c.n, c.index + 1), set())
        f.neighbour_overlap = sum(idf[w] for w in q_tokens if fam[w] & near) / q_idf
        if named:
            f.names = len(named & words) / len(named)
            f.names_article = len(named & (words | article_words[aid])) / len(named)
        else:
            f.names = f.names_article = 1.0
        if q.years:
            f.year = len(q.years & set(_YEAR.findall(c.text))) / len(q.years)
            f.year_missing = float(not (q.years & set(_YEAR.findall(article_text[aid]))))
        f.rank = 1.0 / (1 + c.rank)
        f.lead = float(c.index == 0)
        f.asks = float(asks(c.text))
        f.length = min(len(t) / 40, 1.5)
        # (for other questions a number's words weigh as they were fit: "hundreds of engineers" is
        # no count a "where" question needs)
        spelled = words & _NUMBER_WORDS if numeric else set()
        if dated:
            spelled |= {w.lower() for w in _CALENDAR_NAME.findall(c.text)}
        f.has_digit = float(any(ch.isdigit() for ch in c.text) or bool(spelled))
        f.numeric_q = float(numeric)
        f.typed = float(q.typed)
        if named:
            near_words = words_of(" ".join(text_at.get((c.n, c.index + d), "") for d in (-2, -1, 1)))
            f.names_near = len(named & near_words) / len(named)
        else:
            f.names_near = 1.0
        f.speech = float(bool(_QUOTE.search(c.text)) or bool(words & _REPORTED)
                         or inside_quotation(by_n[c.n].chunk.text, c.span[0]))
        f.statement_q = float(statement)
        f.statement_speech = f.statement_q * f.speech
        f.numeric_new = float(numeric and bool(set(_NUMBER.findall(c.text)) - q_numbers or spelled - q_words))
        f.position = min(max(c.index, 0) / 10, 1.0)
        f.topic = sum(idf[w] for w in topic_tokens if tf[w]) / topic_idf
        if named:
            before = words_of(" ".join(text_at.get((c.n, c.index - d), "") for d in (1, 2, 3)))
            f.speaker_context = len(named & (words | before)) / len(named)
        else:
            f.speaker_context = 1.0
        f.statement_topic = f.statement_q * f.speech * f.topic
        if q.speaker and f.speech:
            # a person is named again by the surname alone ("Peskov said"), as reported.py reads it
            if q.speaker & words:
                f.speaker_match = 1.0
            elif q.speaker & words_of(" ".join(text_at.get((c.n, c.index - d), "") for d in (1, 2, 3))):
                f.speaker_match = 0.5
        f.statement_speaker = f.statement_q * f.speech * f.speaker_context
        if rules is not None:
            key = (c.n, c.index)
            f.rule_rel = rules.relative(key)
            f.rule_pick = float(key in rules.chosen)
            f.rule_top = float(key == rules.top())
            f.rule_broken = min(rules.violations.get(key, 0), 2) / 2
        c.features = f
    top = max(bm, default=0.0) or 1.0
    top_overlap = max((c.features.overlap for c in cands), default=0.0)
    for c, s in zip(cands, bm):
        c.features.bm25 = s / top
        c.features.overlap_rel = c.features.overlap - top_overlap


def _families(q: "AnalysedQuestion", words: list[str]) -> dict[str, frozenset[str]]:
    """Each of the question's word stems with the stems of its family's words, looked up by the
    lemma of the question's token it comes from (families.py)."""
    lemma_of = {}
    for t in q.doc:
        for w in tokenize(t.text):
            lemma_of.setdefault(w, t.lemma_.lower())
    return {w: relatives(lemma_of.get(w, w)) | {w} for w in words}


def full_features(q: "AnalysedQuestion", cands: list[Candidate], sims: list[float]) -> None:
    """Fill the full features of candidates that have their `doc` (and their similarity)."""
    from newsqa.rag.query import AnswerKind
    from newsqa.rag.roles import holds_other, is_role_question, other_holders

    q_lower = q.text.lower()
    named = q.named_tokens
    # a role's holder is a person (not a nationality), and not one the sentences title for
    # something else (roles.py)
    role_q = is_role_question(q)
    others = other_holders(q, [c.doc for c in cands if c.doc is not None]) if role_q else []
    for c, sim in zip(cands, sims):
        f = c.features
        doc = c.doc
        f.sem = float(sim)
        # sentences carry no lemmas (NER only, analyse.py): the question's words in either form
        # against the sentence's words and their light stems
        words = {t.lower_ for t in doc}
        stems = set(tokenize(doc.text))
        pairs = {(t.lower_, t.lemma_.lower()) for t in q.doc if t.lower_ in q.content}
        if pairs:
            f.lemma_overlap = sum(1 for a, b in pairs if a in words or b in words
                                  or bool(set(tokenize(a)) & stems)) / len(pairs)
        anchors = question_word_positions(q, doc)
        best_near = 0.0
        expected = new = False
        # "how old" asks for an age, which a number the sentence does not state as one is not;
        # "in what year" for a year, which "last week" is not
        ages = asked_ages(doc, q.age_of) if q.wh == "how old" else None
        for e in answer_entities(q, doc, q_lower, named):
            new = True
            if (e.label_ in q.labels and (ages is None or states_age(e, ages))
                    and (not q.asks_year or _YEAR.search(e.text))
                    and not (role_q and (e.label_ == "NORP" or holds_other(e.text, others)))):
                expected = True
                if anchors:
                    dist = min(gap(a, e) for a in anchors)
                    best_near = max(best_near, 1.0 / (1 + dist))
        if q.kind is AnswerKind.STATEMENT:
            # a statement question asks for no entity: without this every one of them counted as
            # lacking its answer, and the answerability model refused them on short articles
            expected = bool(f.speech) and (not q.speaker or f.speaker_match > 0)
        f.expected = float(expected)
        f.expected_near = best_near
        if q.focus and expected:
            focus_at = [t.i for t in doc if t.lower_ == q.focus or tokenize(t.lower_) == tokenize(q.focus)]
            f.focus_near = float(any(e.label_ in q.labels and any(
                gap(a, e) <= 3 for a in focus_at)
                for e in answer_entities(q, doc, q_lower, named)))
        f.new_entity = float(new)
        first = next((t for t in doc if not t.is_punct), None)
        f.pronoun_start = float(first is not None and first.lower_ in _PRONOUNS)


_APOSTROPHES = "'’"


def answer_entities(q: "AnalysedQuestion", doc: "Doc", q_lower: str | None = None,
                    named: frozenset[str] | None = None) -> list:
    """The sentence's entities the question does not already name: candidate answers."""
    q_lower = q_lower if q_lower is not None else q.text.lower()
    named = named if named is not None else q.named_tokens
    out = []
    for e in map(_uncut, doc.ents):
        if len(e) == 1 and e.text[:1] in _APOSTROPHES and e.text[1:].isalpha() and len(e.text) <= 3:
            continue  # the small NER's label on a clitic ("let’s" gives a place "’s"; not "’90s")
        low = e.text.lower()
        words = set(_WORD.findall(low))
        if low in q_lower or (words and words <= (named | q.content)):
            continue
        out.append(e)
    return out


def _uncut(e: "Span") -> "Span":
    """An entity the NER ended inside a hyphened compound ("the Beijing-Oslo-" of "the Beijing-Oslo-led
    bloc") without its dangling hyphen and leading article: the names alone, which the parse reads
    as the participle's agent (slots.py) and a reader as an answer. (Cutting more, the participle
    an entity ends with or the nouns after it, cost a validation short answer: docs/measurements.md.)"""
    from spacy.tokens import Span

    start, end = e.start, e.end
    if end - start < 2 or e[-1].text != "-":
        return e
    end -= 1
    while start < end - 1 and e.doc[start].lower_ in ("the", "a", "an"):
        start += 1
    return Span(e.doc, start, end, label=e.label_)


def gap(i: int, e: "Span") -> int:
    """Words between token `i` and the nearer end of span `e` (0 inside or beside it)."""
    return min(abs(i - e.start), abs(i - (e.end - 1)))


def question_word_positions(q: "AnalysedQuestion", doc: "Doc") -> list[int]:
    """Token positions of the question's content words in a sentence."""
    return [t.i for t in doc if t.lower_ in q.content]


def inside_quotation(text: str, start: int) -> bool:
    """Whether position `start` of `text` lies inside a quotation opened earlier in it: a
    quotation's later sentences are reported speech though they hold no quote mark."""
    return open_quotation(text, start) is not None


def open_quotation(text: str, end: int) -> tuple[int, int] | None:
    """The offsets of the opening mark of the quotation still open at offset `end` of `text` and of
    its closing mark (-1 when the text ends first); None when none is open there."""
    before = text[:end]
    if before.count("“") > before.count("”"):
        return before.rfind("“"), text.find("”", end)
    if before.count('"') % 2 == 1:
        return before.rfind('"'), text.find('"', end)
    return None


def statement_topic(q: "AnalysedQuestion") -> list[str]:
    """The index stems of what a statement question asks about: its own words beside its speaker
    and the verb that asks for it, named or not ("Trump" in "What did Peskov say about Trump?").
    "say" is how it asks, and matched "I say ..." inside another speaker's quotation; a
    follow-up's carried names (chat.standalone_question) are whom "he" may be, not the topic."""
    from newsqa.rag.chat import split_carried
    from newsqa.rag.query import reporting_verbs

    own, _ = split_carried(q.text)
    frame = set(tokenize(" ".join([*reporting_verbs(q), *q.speaker])))
    return [w for w in dict.fromkeys(tokenize(own)) if w not in frame]


def words_of(text: str) -> set[str]:
    """The lowercase words of `text` (letters and digits), as the question's named words are."""
    return {w.lower() for w in _WORD.findall(text)}
