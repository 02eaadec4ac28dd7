"""A BM25 index over the same chunks as the vector store, kept in step with it.

Sparse matrices rather than per-term Python dicts: at 100k chunks a dict-of-postings index costs
over a gigabyte, while a CSC matrix of precomputed BM25 weights costs ~12 bytes per posting and
answers a query with a few column sums. Changes are buffered (new rows appended, removed rows
tombstoned) and the matrix is rebuilt lazily on the next search.

The index is persisted next to a `sync token`, the store's change token at the time of saving; a
mismatch on open means the store changed behind our back (another process, a crash between the two
writes) and the index is rebuilt from the store.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from scipy import sparse

from newsqa.index.articles import Chunk
from newsqa.index.chunk import contextual_text

_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves s t said says""".split()
)


def _stem(w: str) -> str:
    # Deliberately light: plural and possessive endings only, so names and numbers stay exact.
    if w.isdigit() or len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and not w.endswith("us"):
        return w[:-1]
    return w


def tokenize(text: str) -> list[str]:
    return list(_tokens(text))


# Retrieval reranks the same candidate chunks question after question; their tokens are cached.
@lru_cache(maxsize=16384)
def _tokens(text: str) -> tuple[str, ...]:
    terms = map(_term, _TOKEN.findall(text.lower().replace("’", "'")))
    return tuple(t for t in terms if t)


# News repeats its words: a word's term is looked up, not worked out again (a question's
# candidate chunks, new to the cache, are most of the fusion stage's cost)
@lru_cache(maxsize=65536)
def _term(word: str) -> str:
    """The indexed term of one token ("" for a stopword)."""
    w = word.replace(",", "")  # "1,000" == "1000"
    return "" if w in STOPWORDS else _stem(w)


@dataclass(frozen=True)
class LexicalFilter:
    """The same filters the vector search applies, evaluated on the lexical side."""

    since_ts: int | None = None
    until_ts: int | None = None
    sources: frozenset[str] | None = None
    article_ids: frozenset[str] | None = None


class LexicalIndex:
    K1 = 1.2
    B = 0.75

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.ids: list[str] = []
        self.pos: dict[str, int] = {}
        # article id -> its live chunk ids: removing an article must not scan every chunk (at 100k
        # chunks a per-article scan made re-ingesting a batch quadratic)
        self.by_article: dict[str, set[str]] = {}
        self._rows: list[tuple[np.ndarray, np.ndarray] | None] = []
        self.article: list[str] = []
        self.source: list[str] = []
        self.ts: list[int] = []
        self._weights: sparse.csc_matrix | None = None
        self._alive: np.ndarray | None = None
        self._ts_arr: np.ndarray | None = None
        self._n_alive = 0
        self._df: np.ndarray | None = None

    # --- changes -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._n_alive

    def add(self, chunks: Iterable[Chunk]) -> None:
        for c in chunks:
            if c.id in self.pos:
                self.remove([c.id])
            counts: dict[int, int] = {}
            for tok in tokenize(contextual_text(c)):
                tid = self.vocab.setdefault(tok, len(self.vocab))
                counts[tid] = counts.get(tid, 0) + 1
            row = (np.fromiter(counts.keys(), np.int32, len(counts)),
                   np.fromiter(counts.values(), np.float32, len(counts)))
            self.pos[c.id] = len(self.ids)
            self.ids.append(c.id)
            self._rows.append(row)
            self.article.append(c.article_id)
            self.by_article.setdefault(c.article_id, set()).add(c.id)
            self.source.append(c.source)
            self.ts.append(c.published_ts)
            self._n_alive += 1
        self._weights = None

    def remove(self, chunk_ids: Iterable[str]) -> int:
        n = 0
        for cid in chunk_ids:
            i = self.pos.pop(cid, None)
            if i is not None:
                siblings = self.by_article.get(self.article[i])
                if siblings is not None:
                    siblings.discard(cid)
                    if not siblings:
                        del self.by_article[self.article[i]]
                self._rows[i] = None
                self._n_alive -= 1
                n += 1
        if n:
            self._weights = None
        return n

    def remove_article(self, article_id: str) -> int:
        return self.remove(list(self.by_article.get(article_id, ())))

    def chunk_ids(self) -> set[str]:
        return set(self.pos)

    def date_span(self) -> tuple[int, int] | None:
        """The earliest and latest publication time of the live chunks (an undated chunk counts as
        -1), or None when there is none."""
        if self._weights is None:
            self._build()
        assert self._ts_arr is not None
        if not len(self._ts_arr):
            return None
        return int(self._ts_arr.min()), int(self._ts_arr.max())

    def newest_until(self, until_ts: int) -> int | None:
        """The latest publication time of the live dated chunks published up to `until_ts`, or None."""
        if self._weights is None:
            self._build()
        assert self._ts_arr is not None
        ts = self._ts_arr[(self._ts_arr >= 0) & (self._ts_arr <= until_ts)]
        return int(ts.max()) if len(ts) else None

    # --- search --------------------------------------------------------------------------------
    def _compact(self) -> None:
        """Drop tombstones so that positions are dense again (done before building or saving)."""
        if len(self.ids) == self._n_alive:
            return
        keep = [i for i, r in enumerate(self._rows) if r is not None]
        self.ids = [self.ids[i] for i in keep]
        self._rows = [self._rows[i] for i in keep]
        self.article = [self.article[i] for i in keep]
        self.source = [self.source[i] for i in keep]
        self.ts = [self.ts[i] for i in keep]
        self.pos = {cid: i for i, cid in enumerate(self.ids)}

    def _build(self) -> None:
        self._compact()
        n, v = len(self.ids), max(len(self.vocab), 1)
        if n == 0:
            self._weights = sparse.csc_matrix((0, v), dtype=np.float32)
            self._ts_arr = np.zeros(0, np.int64)
            return
        lengths = np.fromiter((r[1].sum() for r in self._rows), np.float32, n)  # type: ignore[index]
        indptr = np.zeros(n + 1, np.int64)
        indptr[1:] = np.cumsum([len(r[0]) for r in self._rows])  # type: ignore[index]
        cols = np.concatenate([r[0] for r in self._rows])  # type: ignore[index]
        tf = np.concatenate([r[1] for r in self._rows])  # type: ignore[index]
        doc_of = np.repeat(np.arange(n), np.diff(indptr))
        df = np.bincount(cols, minlength=v).astype(np.float32)
        idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        avgdl = float(lengths.mean()) or 1.0
        norm = self.K1 * (1 - self.B + self.B * lengths[doc_of] / avgdl)
        w = idf[cols] * tf * (self.K1 + 1) / (tf + norm)
        self._weights = sparse.csr_matrix((w.astype(np.float32), cols, indptr), shape=(n, v)).tocsc()
        self._df = None
        self._ts_arr = np.asarray(self.ts, np.int64)

    def _mask(self, f: LexicalFilter | None) -> np.ndarray | None:
        if f is None:
            return None
        assert self._ts_arr is not None
        m = np.ones(len(self.ids), bool)
        if f.since_ts is not None:
            m &= self._ts_arr >= f.since_ts
        if f.until_ts is not None:
            m &= self._ts_arr <= f.until_ts
        if f.sources is not None:
            m &= np.fromiter((s in f.sources for s in self.source), bool, len(self.source))
        if f.article_ids is not None:
            m &= np.fromiter((a in f.article_ids for a in self.article), bool, len(self.article))
        return m

    def search(self, query: str, k: int, flt: LexicalFilter | None = None) -> list[tuple[str, float]]:
        """The top-k chunk ids by BM25 score (only chunks sharing at least one query term)."""
        if self._weights is None:
            self._build()
        assert self._weights is not None
        terms = sorted({self.vocab[t] for t in tokenize(query) if t in self.vocab})
        if not terms or self._weights.shape[0] == 0:
            return []
        scores = np.asarray(self._weights[:, terms].sum(axis=1)).ravel()
        mask = self._mask(flt)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        nz = np.flatnonzero(scores > 0)
        if nz.size == 0:
            return []
        top = nz[np.argsort(-scores[nz], kind="stable")[:k]] if nz.size > k else nz[np.argsort(-scores[nz], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top]

    def score_chunks(self, query: str, chunk_ids: Sequence[str]) -> dict[str, float]:
        """The BM25 score of each given chunk for the query (0.0 for chunks sharing no term)."""
        if self._weights is None:
            self._build()
        assert self._weights is not None
        terms = sorted({self.vocab[t] for t in tokenize(query) if t in self.vocab})
        rows = [self.pos[c] for c in chunk_ids if c in self.pos]
        if not terms or not rows:
            return {c: 0.0 for c in chunk_ids}
        sub = self._weights[:, terms].tocsr()[rows]
        scores = np.asarray(sub.sum(axis=1)).ravel()
        out = {c: 0.0 for c in chunk_ids}
        out.update({self.ids[r]: float(s) for r, s in zip(rows, scores)})
        return out

    def idf(self, tokens: Sequence[str]) -> list[float]:
        """Each (tokenized) term's inverse document frequency over the live chunks; unknown terms
        get the highest, as a word no chunk holds is the rarest there is."""
        if self._weights is None:
            self._build()
        assert self._weights is not None
        n = max(self._weights.shape[0], 1)
        if self._df is None:
            self._df = np.diff(self._weights.indptr).astype(np.float32)  # CSC: chunks holding each term
        out = []
        for t in tokens:
            tid = self.vocab.get(t)
            df = float(self._df[tid]) if tid is not None and tid < len(self._df) else 0.0
            out.append(float(np.log1p((n - df + 0.5) / (df + 0.5))))
        return out

    # --- persistence ---------------------------------------------------------------------------
    def save(self, folder: Path, sync_token: str) -> None:
        """Write atomically: a reader (or a crash) sees the old index or the new one, never half."""
        self._compact()
        folder.mkdir(parents=True, exist_ok=True)
        lens = np.array([len(r[0]) for r in self._rows], np.int64)  # type: ignore[index]
        cols = np.concatenate([r[0] for r in self._rows]) if self._rows else np.zeros(0, np.int32)  # type: ignore[index]
        tf = np.concatenate([r[1] for r in self._rows]) if self._rows else np.zeros(0, np.float32)  # type: ignore[index]
        meta = {"sync_token": sync_token, "ids": self.ids, "article": self.article,
                "source": self.source, "ts": self.ts, "vocab": list(self.vocab)}
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        os.close(fd)
        with open(tmp, "wb") as fh:
            np.savez(fh, lens=lens, cols=cols, tf=tf,
                     meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8))
        os.replace(tmp, folder / "bm25.npz")

    @classmethod
    def load(cls, folder: Path) -> tuple["LexicalIndex", str] | None:
        """The saved index and its sync token, or None when missing or unreadable."""
        path = folder / "bm25.npz"
        if not path.exists():
            return None
        try:
            with np.load(path) as z:
                meta = json.loads(bytes(z["meta"]).decode())
                lens, cols, tf = z["lens"], z["cols"], z["tf"]
        except Exception:
            return None  # a damaged file is rebuilt from the store, never trusted
        idx = cls()
        idx.vocab = {t: i for i, t in enumerate(meta["vocab"])}
        idx.ids, idx.article, idx.source, idx.ts = meta["ids"], meta["article"], meta["source"], meta["ts"]
        idx.pos = {cid: i for i, cid in enumerate(idx.ids)}
        for cid, aid in zip(idx.ids, idx.article):
            idx.by_article.setdefault(aid, set()).add(cid)
        bounds = np.concatenate([[0], np.cumsum(lens)])
        idx._rows = [(cols[bounds[i]:bounds[i + 1]], tf[bounds[i]:bounds[i + 1]]) for i in range(len(lens))]
        idx._n_alive = len(idx.ids)
        return idx, meta["sync_token"]

    def remove_missing(self, keep: Sequence[str]) -> None:
        keep_set = set(keep)
        self.remove([cid for cid in list(self.pos) if cid not in keep_set])
