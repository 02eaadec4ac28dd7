"""Importing spaCy without torch.

spaCy's machine-learning library, thinc, imports torch when it is installed, only to offer torch
interop; the small English pipeline runs on thinc's own numpy layers and never touches it. In a
process that has not loaded torch (a fresh `newsqa ask`, whose embedder is the numpy MiniLM) that
import cost 1.5 of spaCy's 2.5 s and about 180 MB (2.67 s / 335 MB for import and pipeline load
against 1.32 s / 154 MB without it, measured here). thinc then records that torch is absent, which
changes nothing for this pipeline; torch stays importable for everything else, in every thread.
"""

from __future__ import annotations

import importlib.abc
import sys
import threading
from types import ModuleType


class _NoTorchHere(importlib.abc.MetaPathFinder):
    """Refuses `torch` to one thread while it imports spaCy; other threads import it as usual."""

    def __init__(self, thread: int) -> None:
        self.thread = thread

    def find_spec(self, name, path=None, target=None):  # noqa: ANN001 (the finder protocol)
        if threading.get_ident() == self.thread and (name == "torch" or name.startswith("torch.")):
            raise ModuleNotFoundError(f"No module named {name!r} (kept out of spaCy's import)", name=name)
        return None


def import_spacy() -> ModuleType:
    """`spacy`, imported without pulling in torch when torch is not loaded yet."""
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    finder = _NoTorchHere(threading.get_ident())
    sys.meta_path.insert(0, finder)
    try:
        import spacy
    finally:
        sys.meta_path.remove(finder)
    return spacy
