"""Near-duplicate articles: the same wire story under several outlets, a page saved twice.

MinHash over word 5-shingles estimates the Jaccard similarity of two bodies; locality-sensitive
hashing (bands of the signature) finds the candidates without comparing every pair. An article whose
estimated similarity to an indexed one reaches `DUPLICATE_JACCARD` joins that article's group: it is
recorded (so it is listed and cited as "also in"), but its text is neither chunked nor embedded
again. The first article of a group to be ingested is the one whose text is indexed and shown.

The hash family is multiply-shift over 64-bit shingle hashes, vectorised with numpy: a few
milliseconds per article, so grouping costs nothing next to embedding.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np

NUM_PERM = 64
BANDS = 16  # 16 bands of 4 rows: pairs above ~0.5 Jaccard become candidates, then are checked
SHINGLE = 5
# Same story, edits around the edges (an outlet's own headline, credit and sign-off lines). Two
# versions of one story that were rewritten between them stay apart: both are indexed.
DUPLICATE_JACCARD = 0.8

_WORD = re.compile(r"\w+")
_rng = np.random.default_rng(20261202)
# odd multipliers and offsets for multiply-shift hashing (arithmetic wraps modulo 2**64)
_A = (_rng.integers(1, 2**63 - 1, NUM_PERM, dtype=np.int64).astype(np.uint64) << np.uint64(1)) | np.uint64(1)
_B = _rng.integers(0, 2**63 - 1, NUM_PERM, dtype=np.int64).astype(np.uint64)
_ROWS = NUM_PERM // BANDS


def _shingle_hashes(text: str) -> np.ndarray:
    words = _WORD.findall(text.lower())
    if not words:
        return np.zeros(0, np.uint64)
    n = max(1, len(words) - SHINGLE + 1)
    grams = {" ".join(words[i:i + SHINGLE]) for i in range(n)}
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") for g in grams),
        np.uint64, len(grams))


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a body: NUM_PERM uint32 values (all-ones for a body without words)."""
    h = _shingle_hashes(text)
    if h.size == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, np.uint32)
    with np.errstate(over="ignore"):
        mixed = (h[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
    return mixed.min(axis=0).astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return float(np.mean(a == b))


def to_hex(sig: np.ndarray) -> str:
    return sig.astype(">u4").tobytes().hex()


def from_hex(s: str) -> np.ndarray | None:
    try:
        raw = bytes.fromhex(s)
    except ValueError:
        return None
    if len(raw) != NUM_PERM * 4:
        return None  # written by another signature size: treated as unknown, never as a match
    return np.frombuffer(raw, ">u4").astype(np.uint32)


@dataclass
class DuplicateIndex:
    """The signatures of the articles whose text is indexed, banded for candidate lookup."""

    _sigs: dict[str, np.ndarray] = field(default_factory=dict)
    _buckets: dict[tuple[int, bytes], set[str]] = field(default_factory=dict)

    def _keys(self, sig: np.ndarray) -> list[tuple[int, bytes]]:
        return [(b, sig[b * _ROWS:(b + 1) * _ROWS].tobytes()) for b in range(BANDS)]

    def add(self, article_id: str, sig: np.ndarray) -> None:
        self.discard(article_id)
        self._sigs[article_id] = sig
        for key in self._keys(sig):
            self._buckets.setdefault(key, set()).add(article_id)

    def discard(self, article_id: str) -> None:
        old = self._sigs.pop(article_id, None)
        if old is not None:
            for key in self._keys(old):
                members = self._buckets.get(key)
                if members is not None:
                    members.discard(article_id)
                    if not members:
                        del self._buckets[key]

    def find(self, sig: np.ndarray, exclude: str = "", threshold: float = DUPLICATE_JACCARD) -> str | None:
        """The indexed article most similar to `sig` at or above `threshold`, else None."""
        candidates: set[str] = set()
        for key in self._keys(sig):
            candidates |= self._buckets.get(key, set())
        candidates.discard(exclude)
        best, best_sim = None, threshold
        for aid in sorted(candidates):  # sorted: the same corpus always groups the same way
            sim = similarity(sig, self._sigs[aid])
            if sim >= best_sim and (best is None or sim > best_sim):
                best, best_sim = aid, sim
        return best

    def __len__(self) -> int:
        return len(self._sigs)
