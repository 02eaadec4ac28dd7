"""The retriever's reranker: a linear model over signals the index already holds, fit on questions.

For every candidate chunk (the union of the vector and BM25 candidates) it reads:
  vector     cosine of the question to the chunk's stored vector (contextual: title, outlet and
             date in front), also for chunks only BM25 found;
  bm25       the chunk's BM25 score over the best candidate's, also for chunks only the vector
             search found;
  rrf        the two retrievers' reciprocal ranks, as fused before;
  sentence   the best single sentence's share of the question's words, weighted by rarity
             (a sentence-level max: the question's words together in one sentence, not scattered
             over a 256-token chunk);
  phrase     the share of the question's adjacent word pairs found adjacent in the chunk;
  title      the share of the question's words (rarity-weighted) in the article's title;
  article    the best vector and BM25 signal of any candidate chunk of the same article (an
             article about the question lifts its other chunks);
  year       the share of the question's years the chunk holds ("in 2021" is not "in 2023");
  other_year a question that names a year, and a chunk that names years but none of the
             question's: a report of another year's edition, season or quarter;
  when_date  a question that asks when, and a chunk that holds a full date (month, day and year):
             the one answer type read from the wording, because "when" questions are common and
             a chunk without a date cannot answer them. A search-result snippet's opening date
             ("Mar 3, 2021 ... ") is the page's date, not what the snippet reports, so it does not
             count (it counts for `year` and `other_year`, which are about what the page covers).
The weights are a logistic regression fit on the training part of a question set
(`python -m newsqa.evals.fit_rerank`); the score is its logit, so only the order matters.
Nothing here parses the question beyond tokenising it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

import numpy as np

from newsqa.index.articles import Chunk
from newsqa.index.lexical import LexicalIndex, tokenize
from newsqa.index.text import split_sentences

FEATURES = ("vector", "bm25", "rrf_vector", "rrf_bm25", "sentence", "phrase", "title",
            "article_vector", "article_bm25", "year", "other_year", "when_date")

# Fit by coordinate ascent (evals/fit_rerank.py) on the training parts of rtqa-dev (98 answerable
# questions over its 900 articles) and rgb-dev (26 over its 338 snippets) together, in stores built
# with the 2026-12-03 chunking (the headline as first paragraph, chunks fitted to the model's window;
# bf16 runtime), each question asked as answering asks it (time words read out, nothing after its
# as-of day), passages chosen by `select_passages`. On those parts: rtqa-dev gold article in the
# top-5 passages 0.969, answer inside them 0.929 (0.949 since a passage joins its neighbouring
# candidates at any rank; a refit on that selection keeps these weights); rgb-dev 1.000 and 1.000
# (the same shares as the weights fit on the earlier chunks; the refit ranks the first answering
# chunk higher). Adding the answer in the first and the first three passages to the fit's
# objective lowered hit@1, refusal recall and rgb-dev answers on the training parts. A zero
# weight is a signal the fit dropped; the reciprocal ranks are at most 1/61, so the rrf weights move
# a score by 0.1 at most.
WEIGHTS = {
    "vector": 9.375, "bm25": 0.915, "rrf_vector": -4.0, "rrf_bm25": -6.4, "sentence": 3.0, "phrase": 2.5,
    "title": 2.441, "article_vector": 0.4, "article_bm25": 2.048, "year": 2.0, "other_year": -2.0,
    "when_date": 16.0,
}
BIAS = 0.0
RRF_K = 60

_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_ASKS_WHEN = re.compile(r"^\W*(?:when\b|on what (?:date|day)\b|what (?:date|day)\b)|\b(?:release|launch) date\b",
                        re.IGNORECASE)
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
          r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
# a search-result snippet opens on its page's date and an ellipsis: "Mar 3, 2021 ... "
_DATELINE = re.compile(rf"^\W*{_MONTH}\.?\s+\d{{1,2}},?\s+(?:1[89]|20)\d\d\s*(?:\.\.\.|…)")
_FULL_DATE = re.compile(
    rf"\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,|\s+of)?\s+(?:1[89]|20)\d\d\b"
    rf"|\b\d{{1,2}}\s+{_MONTH}\.?,?\s+(?:1[89]|20)\d\d\b", re.IGNORECASE)


@dataclass
class Candidate:
    chunk: Chunk
    vector: float = 0.0  # cosine to the question
    bm25: float = 0.0
    vector_rank: int | None = None  # 0-based rank among the vector hits
    bm25_rank: int | None = None
    features: dict[str, float] = field(default_factory=dict)


def _coverage(q_tokens: Sequence[str], q_idf: Sequence[float], tokens: set[str]) -> float:
    total = sum(q_idf)
    if total <= 0:
        return 0.0
    return sum(w for t, w in zip(q_tokens, q_idf) if t in tokens) / total


@lru_cache(maxsize=8192)
def _sentence_tokens(text: str) -> tuple[tuple[str, ...], ...]:
    """Each sentence's tokens. Sentences are cut at whitespace and cover every word, so together
    they are the text's tokens: one tokenising pass per chunk, kept for the next question that
    meets the same chunk (the fusion stage's main cost)."""
    return tuple(tuple(tokenize(s)) for s in split_sentences(text))


def compute_features(question: str, candidates: Sequence[Candidate], lexical: LexicalIndex) -> np.ndarray:
    """One row of FEATURES per candidate (also stored on each candidate's `features`)."""
    q_tokens = list(dict.fromkeys(tokenize(question)))
    q_idf = lexical.idf(q_tokens) if q_tokens else []
    q_pairs = set(zip(tokenize(question), tokenize(question)[1:]))
    q_years = set(_YEAR.findall(question))
    asks_when = bool(_ASKS_WHEN.search(question))
    top_bm25 = max((c.bm25 for c in candidates), default=0.0) or 1.0
    best_vec: dict[str, float] = {}
    best_bm25: dict[str, float] = {}
    for c in candidates:
        aid = c.chunk.article_id
        best_vec[aid] = max(best_vec.get(aid, -1.0), c.vector)
        best_bm25[aid] = max(best_bm25.get(aid, 0.0), c.bm25 / top_bm25)
    title_cov: dict[str, float] = {}
    rows = []
    for c in candidates:
        text = c.chunk.text
        sent_tokens = _sentence_tokens(text)
        toks = [t for st in sent_tokens for t in st]  # the chunk's tokens: sentences cover its words
        sentence = max((_coverage(q_tokens, q_idf, set(st)) for st in sent_tokens), default=0.0)
        years = set(_YEAR.findall(text))
        aid = c.chunk.article_id
        if aid not in title_cov:
            title_cov[aid] = _coverage(q_tokens, q_idf, set(tokenize(c.chunk.title)))
        f = {
            "vector": c.vector,
            "bm25": c.bm25 / top_bm25,
            "rrf_vector": 1.0 / (RRF_K + c.vector_rank + 1) if c.vector_rank is not None else 0.0,
            "rrf_bm25": 1.0 / (RRF_K + c.bm25_rank + 1) if c.bm25_rank is not None else 0.0,
            "sentence": sentence,
            "phrase": len(q_pairs & set(zip(toks, toks[1:]))) / len(q_pairs) if q_pairs else 0.0,
            "title": title_cov[aid],
            "article_vector": best_vec[aid],
            "article_bm25": best_bm25[aid],
            "year": (len(q_years & years) / len(q_years)) if q_years else 0.0,
            "other_year": 1.0 if q_years and years and not q_years & years else 0.0,
            "when_date": 1.0 if asks_when and _FULL_DATE.search(_DATELINE.sub("", text, count=1)) else 0.0,
        }
        c.features = f
        rows.append([f[name] for name in FEATURES])
    return np.asarray(rows, dtype=np.float64).reshape(len(candidates), len(FEATURES))


def score(features: np.ndarray, weights: dict[str, float] | None = None, bias: float | None = None) -> np.ndarray:
    """The fitted model's logit for each row of features."""
    w = weights or WEIGHTS
    return features @ np.asarray([w[name] for name in FEATURES], dtype=np.float64) + (BIAS if bias is None else bias)
