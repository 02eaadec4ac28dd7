"""When to say "the indexed articles don't answer this" instead of showing an answer.

A calibrated decision on the ranker's own scores:
  - nothing to say: no answer sentence, or none supported by its cited passages (support.py);
  - the question is unlikely to be answered by these passages: a question-level logistic regression
    (`RankerModel.answerable`) over `QuestionFeatures` (the best candidate's probability, its lead
    over the next candidates, whether the question's named things and content words are in the best
    sentence, around it and in its article, its similarity to the question, the kind of answer
    asked for, whose weights act as per-kind offsets, and the rule path's verdict: whether its
    refusal checks pass, its best score, whether it quotes the same sentence; stack.py) gives a
    probability, refused below the threshold. A probability read relative to the question's own candidates and to what the question
    names carries across corpora better than the raw probability of one sentence, whose scale
    moves with how long and how many the passages are;
  - the cited articles (title and retrieved text) hold less than `min_names` of the words of the
    question's named things: they are about something else.
The model, the threshold and `min_names` are chosen by cross-validation on the training part of the
question sets when `newsqa train-ranker` fits the ranker, and stored with its weights
(rag/data/ranker.json; a weights file without the model thresholds the best probability).
A refused answer still carries its passages, which the page lists as related reading.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Sequence

from newsqa.rag.features import NamedFloats
from newsqa.rag.sentences import Candidate, asks, telling
from newsqa.rag.query import AnalysedQuestion, AnswerKind, analyse
from newsqa.rag.ranker import RankerModel, load_model, rank
from newsqa.rag.stack import RuleView, read_rules
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import Passage, Refusal, Sentence

if TYPE_CHECKING:
    from newsqa.rag.reported import SpeakerReading

_WORD = re.compile(r"[^\W_]+")


@dataclass
class QuestionFeatures(NamedFloats):
    """Named floats about a question and its ranked candidates, for the answerability model.

    What the question asks for (a number, a statement, a description, whether it names anything)
    is not among them: such indicators carry each training set's own rate of unanswerable questions
    of that kind. Fit on two of the three training sets and judged on the third (their training
    parts), the model without them refused 0.538 of RGB's unanswerable questions instead of 0.423
    (answered right 0.885 both) and 0.862 of rtqa-dev's instead of 0.800 (answered right 0.347
    against 0.388); cross-validated on all three pooled, the objective was the same (1.540 against
    1.537)."""

    best_logit: float = -6.0  # logit of the best candidate's probability (clipped to +-6)
    margin: float = 0.0  # best probability minus the next one's
    best_share: float = 0.0  # best probability / the sum over the ranked candidates
    names_best: float = 0.0  # share of the question's named-thing words in the best sentence
    names_near: float = 0.0  # ... in the sentences around it
    names_article: float = 0.0  # ... in its article's title and retrieved text
    overlap_best: float = 0.0  # IDF-weighted share of the question's words in the best sentence
    passage_overlap: float = 0.0  # ... in its passage and title
    lemma_overlap: float = 0.0  # share of the question's content lemmas in the best sentence
    sem_best: float = 0.0  # cosine of question and best sentence
    sem_max: float = 0.0  # the highest cosine among the ranked candidates
    expected: float = 0.0  # the best sentence holds an entity of the kind asked for
    year_missing: float = 0.0  # the question's year is not in the best sentence's article
    # the rule path's verdict (stack.py): the answerability model learns where to trust it
    rule_answers: float = 0.0  # the rules' refusal checks pass
    rule_best: float = 0.0  # the best rule score of the question's candidates (capped at 1.5)
    rule_agree: float = 0.0  # the ranker's best sentence is one the rules quote


QUESTION_FEATURES = [f.name for f in fields(QuestionFeatures)]
# The ranker's own verdict on its best sentence (its probability, its lead over the next ones, its
# share of their sum) can only count for answering: the fit keeps those weights >= 0
# (train_ranker.fit_answerable). Unconstrained, they took negative weights against correlated
# evidence features, which cancel on the training sets' long articles and not elsewhere: on a few
# short, clean articles a clear best sentence (share near 1) counted against answering, and a
# question answered word for word by one sentence was refused. Constraining the evidence features
# too cost more on the training parts (cross-validated objective 1.354 unconstrained, 1.350 with
# these three, 1.337 with every evidence feature signed).
SIGNS = {"best_logit": 1, "margin": 1, "best_share": 1}


def question_features(q: AnalysedQuestion, ranked: list[Candidate], passages: list[Passage],
                      rules: RuleView | None = None) -> QuestionFeatures:
    """The answerability model's input for `ranked` (best first, full features filled); the rule
    features stay 0 without `rules`."""
    qf = QuestionFeatures()
    if rules is not None:
        qf.rule_answers = float(not rules.refuse)
        qf.rule_best = min(rules.best, 1.5)
    scored = [c for c in ranked if c.features is not None]
    if not scored:
        return qf
    # the sentences the answer can quote: one that asks ("How many times has she won?", a page's
    # section heading) is never quoted (select.py), so its words and similarity say nothing of
    # whether the passages answer
    scored = telling(scored)
    best = scored[0]
    f = best.features
    p1 = min(max(best.score, 1e-6), 1 - 1e-6)
    qf.best_logit = max(-6.0, min(6.0, math.log(p1 / (1 - p1))))
    qf.margin = best.score - (scored[1].score if len(scored) > 1 else 0.0)
    qf.best_share = best.score / (sum(c.score for c in scored) or 1.0)
    qf.names_best = f.names
    qf.names_near = f.names_near
    by_n = {p.n: p for p in passages}
    qf.names_article = names_share(q, [by_n[best.n]], passages) if best.n in by_n else 0.0
    qf.overlap_best = f.overlap
    qf.passage_overlap = f.passage_overlap
    qf.lemma_overlap = f.lemma_overlap
    qf.sem_best = f.sem
    qf.sem_max = max(c.features.sem for c in scored)
    # a description question ("Why ...?", "How ...?", "Is X willing to ...?") asks for no entity,
    # so none is missing from its best sentence; read as missing, it took the penalty (about -0.8
    # on the log-odds) of a typed question whose best sentence holds nothing of the asked kind
    qf.expected = 1.0 if q.kind is AnswerKind.DESCRIPTION else f.expected
    qf.year_missing = f.year_missing
    if rules is not None:
        qf.rule_agree = float((best.n, best.index) in rules.chosen)
    return qf


def answer_probability(model: RankerModel, q: AnalysedQuestion, ranked: list[Candidate],
                       passages: list[Passage], rules: RuleView | None = None) -> float:
    """What the refusal threshold is compared with: the answerability model's probability, or
    (weights without one) the best candidate's."""
    if model.answerable is None:
        return ranked[0].score if ranked else 0.0
    if not ranked:
        return 0.0
    return model.answerable.probability(question_features(q, ranked, passages, rules))  # type: ignore[arg-type]


# A refusal quotes the sentence that came closest (QA) only when its score reached this share of
# the threshold: a question the articles nearly answer shows what they say; one they are not about
# at all (score near 0) would show a sentence on another subject.
CLOSE_SHARE = 0.5


def comes_close(d: Refusal, threshold: float) -> bool:
    """A refusal by the score (not by the topic) whose score reached CLOSE_SHARE of `threshold`."""
    return d.refuse and CLOSE_SHARE * threshold <= d.answer_score < threshold


def closest_sentence(d: Refusal, threshold: float, sentences: Sequence[Sentence]) -> Sentence | None:
    """The sentence a refusal quotes as the closest the articles come: the first supported, cited
    one of those that would have answered, when the refusal `comes_close`; else None."""
    if not comes_close(d, threshold):
        return None
    return next((s for s in sentences if s.supported and s.citations), None)


SPEAKER_QUOTES = 2  # the first sentences of an answer read for the speaker's own statement
SPEAKER_TOPIC = 0.6  # share of the question's topic stems the statement's passage must hold


def speaker_answers(q: AnalysedQuestion, sentences: list[Sentence], passages: list[Passage],
                    reading: SpeakerReading | None = None) -> bool:
    """A statement question that names its speaker ("What did the mayor, Ada Quist, say about the
    bridge?") is answered by that speaker's own statement: one of the first `SPEAKER_QUOTES`
    sentences of the answer reports it (reported.speaker_statement); its passage, with its title,
    holds at least `SPEAKER_TOPIC` of what the question asks about (reported.asked_about); and
    the statement, the sentences beside it or the title hold some of it. What a speaker says in
    an article about the bridge, or next to a sentence about it, is taken to be about the bridge;
    a statement far from a passing mention of it, or in a passage about something else, is not.
    `reading`: the question's reading of its passages, when the answer was made with one.

    The answerability model reads the best sentence's words and similarity, and is fit on sets
    with few such questions: a statement rarely repeats the question's words ("said co-founder
    Ada Quist" of a launch holds no "launch"), and on short articles of our own it refused most of
    them with the speaker's statement quoted first."""
    from newsqa.index.lexical import tokenize
    from newsqa.rag.reported import SpeakerReading, asked_about

    if q.kind is not AnswerKind.STATEMENT or not q.speaker:
        return False
    reading = reading or SpeakerReading(q, passages)
    for s in sentences[:SPEAKER_QUOTES]:
        n = next((c for c in s.citations if c in reading.passages and c in s.spans), None)
        if n is None:
            continue
        start = s.spans[n][0]
        read = reading.read(n, s.text, start)
        if read is None or not reading.is_speakers(n, s.text, start):
            continue
        topic = asked_about(q)
        if not topic:
            return True
        chunk = reading.passages[n].chunk
        in_passage = set(tokenize(f"{chunk.title or ''}\n{chunk.text}"))
        near = set(tokenize(f"{chunk.title or ''}\n{read.prev}\n{read.sentence}\n{read.nxt}"))
        return (sum(w in in_passage for w in topic) / len(topic) >= SPEAKER_TOPIC
                and any(w in near for w in topic))
    return False


def names_share(q: AnalysedQuestion, cited: list[Passage], passages: list[Passage]) -> float:
    """Share of the question's named-thing words found in the cited passages' articles (their
    titles and every retrieved chunk of them); 1.0 when the question names nothing."""
    named = q.named_tokens
    if not named:
        return 1.0
    articles = {p.chunk.article_id for p in cited}
    text = "\n".join(f"{p.chunk.title}\n{p.chunk.text}" for p in passages if p.chunk.article_id in articles)
    words = {w.lower() for w in _WORD.findall(text)}
    return len(named & words) / len(named)


def decide(q: AnalysedQuestion, ranked: list[Candidate], sentences: list[Sentence],
           passages: list[Passage], rules: RuleView | None, model: RankerModel | None = None,
           reading: SpeakerReading | None = None) -> Refusal:
    """Refuse or not. `rules`: the rule path's reading that `ranked` was ranked with (stack.py); the
    answerability model reads its verdict, so None (the rules not read) counts as their refusal.
    `reading`: a statement question's reading of its passages, made with its answer (reported.py)."""
    model = model or load_model()
    if not sentences:
        return Refusal(True, "no sentence answers the question")
    good = [s for s in sentences if s.supported and s.citations and not asks(s.text)]
    if not good:
        return Refusal(True, "no sentence is supported by the passages")
    best = answer_probability(model, q, ranked, passages, rules)
    if best < model.threshold and not speaker_answers(q, good, passages, reading):
        return Refusal.below(best, model.threshold)
    by_n = {p.n: p for p in passages}
    cited = [by_n[n] for s in good for n in s.citations if n in by_n]
    if names_share(q, cited, passages) < model.min_names:
        return Refusal(True, "the passages are about something else", best)
    return Refusal(False, "", best)


def should_refuse(question: str, sentences: list[Sentence], passages: list[Passage],
                  scorer: SupportScorer, model: RankerModel | None = None) -> bool:
    """`decide` for a question given as text (analysed and ranked here)."""
    q = analyse(question)
    rules = read_rules(question, passages, scorer)
    return decide(q, rank(q, passages, scorer, model, rules), sentences, passages, rules, model).refuse
