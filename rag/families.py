"""Word families for the ranker's lexical features: a question's word is found in a sentence that
has it in another part of speech ("financial" in the question, "finance chief" in the sentence;
"Who attended?" and "attendance was 14,000"; "the statement" and "stated").

The families are WordNet 3.0's derivationally related forms and pertainyms between words that also
share their first four letters (rag/data/word_families.txt, written by scripts/wordnet_families.py).
A question's word is looked up by its lemma; its relatives are matched in a sentence, which carries
no lemmas, through the stems (index.lexical.tokenize) of their regular inflections. A family is not
transitive: a word finds its listed relatives, not theirs.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from newsqa.index.lexical import tokenize

_FILE = Path(__file__).parent / "data" / "word_families.txt"


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line in _FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, *others = line.split()
            out[word] = tuple(others)
    return out


def _inflections(word: str) -> tuple[str, ...]:
    """The regular forms a sentence may write a word in ("state": states, stated, stating)."""
    base = word[:-1] if word.endswith("e") else word
    forms = (word, word + "s", word + "es", base + "ed", base + "ing")
    return forms + (word[:-1] + "ies",) if word.endswith("y") else forms


def family(lemma: str) -> tuple[str, ...]:
    """The words listed as `lemma`'s relatives ("statement": "state")."""
    return _table().get(lemma, ())


@lru_cache(maxsize=4096)
def relatives(lemma: str) -> frozenset[str]:
    """The stems a sentence writes the relatives of `lemma` with (none for a word without a family)."""
    return frozenset(t for r in family(lemma) for form in _inflections(r) for t in tokenize(form))
