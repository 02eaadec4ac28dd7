"""The fixed training/validation split of a question set.

Weights are fit and failures read on the training part only; figures are reported on the
validation part. The rule depends on nothing but the question's id, so every command, helper and
session splits a set the same way, and a question never moves between the parts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Literal, Protocol, TypeVar

Split = Literal["train", "validation"]
SPLITS: tuple[str, ...] = ("train", "validation", "all")
VALIDATION_SHARE = 0.4  # 40 % held out: rtqa-dev's 217 questions leave about 87 to report on


class _HasId(Protocol):
    id: str


Q = TypeVar("Q", bound=_HasId)


def split_of(question_id: str) -> Split:
    """'train' or 'validation', from the SHA-256 of the id (stable across machines and versions)."""
    h = int.from_bytes(hashlib.sha256(question_id.encode("utf-8")).digest()[:8], "big")
    return "validation" if (h % 1000) < VALIDATION_SHARE * 1000 else "train"


def select_split(questions: Iterable[Q], split: str) -> list[Q]:
    """The questions of one part ('train', 'validation') or all of them ('all')."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    return [q for q in questions if split == "all" or split_of(q.id) == split]
