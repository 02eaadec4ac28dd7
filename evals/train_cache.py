"""What `newsqa train-ranker` keeps between runs, so that a refit takes seconds.

Fitting reads, for every question, the passages retrieval finds and every candidate sentence's spaCy
analysis and embedding. Those are the slow part (minutes on a question set of a few hundred), and
neither depends on the features or the model being fit, so they are kept on disk:
  - retrievals: one file per question set and store, keyed by what decides retrieval: the store's
    identity (its fingerprint and change token, or the article files' bytes), the question file's
    bytes, the part used, the retrieval settings and the source of the retrieval modules;
  - analyses: the candidate sentences' spaCy documents and embeddings, keyed by the spaCy pipeline
    and the embedder (a sentence is analysed once whatever question retrieves it).
Changing features, labels or the model reuses both; changing retrieval code recomputes retrievals.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from newsqa.rag.types import Passage

# modules whose code decides which passages a question gets (a change there recomputes retrievals)
_RETRIEVAL_MODULES = ("rag/retrieve.py", "rag/rerank.py", "rag/recency.py", "rag/timeframe.py",
                      "index/lexical.py", "evals/run.py", "evals/train_cache.py")
# 2: the embeddings come from the engine that answers (torch, loaded before the first sentence;
# evals/train_ranker.py), not from the numpy encoder a cold process starts with
FORMAT = 2


@dataclass
class Asked:
    """One question asked once (with or without its evidence): what retrieval gave it."""

    qid: str
    answerable: bool  # False for an unanswerable question and for one asked without its evidence
    text: str  # the question as answering sees it (follow-up made standalone, time words removed)
    answers: list[list[str]]
    passages: list["Passage"]
    kind: str = ""  # the question set's own type label, for reports only


def source_code_digest() -> str:
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for rel in _RETRIEVAL_MODULES:
        p = root / rel
        h.update(rel.encode())
        h.update(p.read_bytes() if p.is_file() else b"-")
    return h.hexdigest()[:16]


def digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:24]


def file_digest(paths: Sequence[str | Path]) -> str:
    h = hashlib.sha256()
    files: list[Path] = []
    for p in map(Path, paths):
        files += sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
    for f in files:
        h.update(str(f.name).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:24]


def store_identity(store: Any) -> dict[str, Any]:
    """What identifies a store's content: its fingerprint and the change token every write replaces
    (index/store.py), with its chunk count."""
    state = getattr(store, "_state", {}) or {}
    return {"fingerprint": store.fingerprint, "token": str(state.get("token", "")),
            "chunks": store.count_chunks()}


@dataclass
class TrainCache:
    folder: Path | None  # None: keep nothing

    def retrievals(self, key: str) -> list[Asked] | None:
        if self.folder is None:
            return None
        p = self.folder / f"retrieval-{key}.pkl"
        if not p.is_file():
            return None
        try:
            got = pickle.loads(p.read_bytes())
        except Exception:  # a file from another version: recompute
            return None
        return got if isinstance(got, list) else None

    def save_retrievals(self, key: str, asked: list[Asked]) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f"retrieval-{key}.pkl.tmp"
        tmp.write_bytes(pickle.dumps(asked, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(self.folder / f"retrieval-{key}.pkl")


@dataclass
class Analyses:
    """Candidate sentences' spaCy documents and embeddings by text, loaded from and saved to one
    file pair per (pipeline, embedder)."""

    folder: Path | None
    key: str
    docs: dict[str, "Doc"] = field(default_factory=dict)
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    _dirty: bool = False

    @classmethod
    def load(cls, folder: Path | None, pipeline: str, embedder: str) -> "Analyses":
        out = cls(folder, digest(FORMAT, pipeline, embedder))
        if folder is None:
            return out
        texts_p, docs_p, vecs_p = out._paths()
        if texts_p.is_file() and docs_p.is_file() and vecs_p.is_file():
            from spacy.tokens import DocBin

            from newsqa.rag.analyse import nlp

            try:
                texts = json.loads(texts_p.read_text(encoding="utf-8"))
                docs = list(DocBin().from_bytes(docs_p.read_bytes()).get_docs(nlp().vocab))
                vecs = np.load(vecs_p)
            except Exception:
                return out
            if len(texts) == len(docs) == len(vecs):
                out.docs = dict(zip(texts, docs))
                out.vectors = {t: v for t, v in zip(texts, vecs)}
        return out

    def _paths(self) -> tuple[Path, Path, Path]:
        assert self.folder is not None
        base = self.folder / f"analyses-{self.key}"
        return Path(f"{base}.texts.json"), Path(f"{base}.docs.spacy"), Path(f"{base}.vectors.npy")

    def analyser(self, texts: Sequence[str]) -> list["Doc"]:
        from newsqa.rag.analyse import analyse_sentences

        missing = [t for t in dict.fromkeys(texts) if t not in self.docs]
        if missing:
            self.docs.update(zip(missing, analyse_sentences(missing)))
            self._dirty = True
        return [self.docs[t] for t in texts]

    def embedder(self, scorer: Any) -> "CachedEmbed":
        return CachedEmbed(self, scorer)

    def save(self) -> None:
        if self.folder is None or not self._dirty:
            return
        from spacy.tokens import DocBin

        self.folder.mkdir(parents=True, exist_ok=True)
        texts = [t for t in self.docs if t in self.vectors]
        dim = len(next(iter(self.vectors.values()))) if self.vectors else 0
        bin_ = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE", "SPACY"], store_user_data=False)
        for t in texts:
            bin_.add(self.docs[t])
        texts_p, docs_p, vecs_p = self._paths()
        docs_p.write_bytes(bin_.to_bytes())
        np.save(vecs_p, np.array([self.vectors[t] for t in texts], dtype=np.float32).reshape(len(texts), dim))
        texts_p.write_text(json.dumps(texts), encoding="utf-8")  # last: it marks the pair complete
        self._dirty = False


@dataclass
class CachedEmbed:
    """The support scorer's `embed`, answered from the cache where it can."""

    analyses: Analyses
    scorer: Any

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        cache = self.analyses.vectors
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            for t, v in zip(missing, self.scorer.embed(missing)):
                cache[t] = np.asarray(v, dtype=np.float32)
            self.analyses._dirty = True
        return np.stack([cache[t] for t in texts]) if texts else np.zeros((0, 0), dtype=np.float32)
