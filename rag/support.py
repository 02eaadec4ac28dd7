"""The one support scorer: how well does a passage (or a few passages jointly) back a sentence?

Citation checks, refusal, extractive selection and the evaluations all use this module, so "supported"
means the same thing everywhere.

Formula
-------
A passage is cut into evidence units: its sentences (see `evidence_spans` in rag/evidence.py, which
also breaks snippet text at "..." and table separators) and each pair of adjacent sentences. For a
sentence `s`:

    semantic(s, u) = clip((cos(e(s), e(u)) - floor) / (ceiling - floor), 0, 1)
    coverage(s, T) = product over the key terms t of s that T does not contain of penalty(t)
    support(s, P)  = max( max over units u of P:  semantic(s, u) * coverage(s, u),
                          joint * max over units u of P: semantic(s, u) * coverage(s, all text of P) )

`e` is the embedder (unit vectors, so cosine is a dot product). The first term asks for one place in
the passages that both says the same thing and contains the sentence's names, numbers and dates; the
second (discounted by `joint`, 0.9) lets a sentence draw its terms from elsewhere in the passages, so
that a sentence combining two passages can be supported by both together.

Key terms (`key_terms`, rag/terms.py) and their penalties when absent from the evidence:

    year, number, day of a date, code ("Q1", "PS5")   0.15  (near-fatal: 2019 vs 2021, $7.2bn vs $8.2bn)
    month without a day                               0.4
    name (capitalised sequence), no token present     0.3
    name whose evidence has another person there      0.3   ("Mira Petrov" where it says "Ana
                                                            Petrov"; the same title, another name)
    name, some of its tokens present                  0.6   ("Tomas Reyes" where it says "Reyes")
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
flat between 0.45 and 0.65. Numbers are compared by value after normalisation ("1,000" == "1000", "7.2 billion" ==
"$7.2bn", "five" == "5"); a passage number matches a less precise sentence number it rounds to
("7.189 billion" backs "7.2 billion", not "8.2 billion"). Names are compared token by token, case-
and accent-insensitively, against all words of the evidence, so a common word capitalised at the start
of a sentence is covered whenever the passage uses it at all.

Known limit: a sentence that recombines terms that all occur in one passage ("Reyes won" from
"Lind beat Reyes"), or adds a claim the passage does not make, keeps its key terms covered and
scores on semantics alone; telling those apart needs an entailment model, which the offline default
does not ship. The negation and contrary-word rules are word lists, not understanding: they catch
the common news reversals, not every paraphrase of one.

Embeddings are cached by text (LRU), because the same passages are scored many times per answer.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from newsqa.index.embed import Embedder
from newsqa.rag.evidence import split_evidence
from newsqa.rag.terms import KeyTerms, key_terms, num_covered, union_terms

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
# Coverage
# --------------------------------------------------------------------------------------------------

def coverage(s: KeyTerms, e: KeyTerms, context: KeyTerms | None = None) -> tuple[float, tuple[str, ...]]:
    """Multiplicative penalty for the key terms of `s` that evidence `e` lacks, and those terms.

    Names found only in `context` (the question) cost P_CONTEXT: "Lumera's revenue was $7.2 billion"
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
        if not num_covered(n, e.numbers):
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
    surname after another first name ("Mira Petrov" / "Ana Petrov"), or the same title run
    ending in another person ("Foreign Ministry spokesman Maria Zakharova" / "... Sergei Lavrov").
    A shorter form of the same name ("Reyes" for "Tomas Reyes") is not another person."""
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
        # A scorer whose vectors depended on their batchmates would judge the same sentence
        # differently after different earlier questions (the cache keeps the first vector): with
        # such an embedder (int8) each text gets a forward pass of its own.
        self._one_by_one = bool(getattr(embedder, "batch_dependent", False))

    def _embed(self, texts: list[str]) -> np.ndarray:
        if self._one_by_one and len(texts) > 1:
            each = getattr(self._embedder, "embed_each", None)
            return each(texts) if each is not None else np.concatenate([self._embedder.embed([t]) for t in texts])
        return self._embedder.embed(texts)

    def get(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        with self._lock:
            todo = list(dict.fromkeys(t for t in texts if t not in self._data))
        fresh = self._embed(todo) if todo else None
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
        # the thresholds (and the answer ranker's weights, which read these similarities) were set
        # on the local model's int8 vectors: a store embedded in bf16 still scores with those
        scoring = getattr(embedder, "for_scoring", None)
        embedder = scoring() if scoring is not None else embedder
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
        whole = union_terms([u.whole for u in units])
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
