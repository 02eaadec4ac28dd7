"""A question typed without capitals ("who is ada quist") or in capitals only, given the case its
words have in the passages retrieved for it.

spaCy's small English pipeline finds names by their shape: in "who is ada quist" it finds none, and
every later stage reads the question's named things from its entities (the features that ask
whether a sentence names what the question names, the refusal check that the cited articles do,
the short answer that must not repeat them). Retrieval does not need this (the embedding model is
uncased and BM25 folds case); the analysis does. So after retrieval, a question with no case of its
own takes each word's usual form in the passages: a word written capitalised there more often than
not, away from the start of a sentence, is a name ("Quist", "NATO"), any other word is lowercase,
and the question begins with a capital. A question with some capitals and some lowercase letters is
the asker's own casing and is left alone.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_OPENERS = " \t\"'“‘(["
_ENDS = ".!?:\n"


def needs_case(question: str) -> bool:
    """No lowercase-uppercase mix of its own: all lowercase, or all capitals over two words."""
    letters = [ch for ch in question if ch.isalpha()]
    if not letters:
        return False
    if not any(ch.isupper() for ch in letters):
        return True
    return not any(ch.islower() for ch in letters) and len(_WORD.findall(question)) > 2


def _starts_sentence(text: str, i: int) -> bool:
    """Whether the word at `i` opens a sentence, a line or a quotation after one."""
    j = i
    while j > 0 and text[j - 1] in _OPENERS:
        j -= 1
    while j > 1 and text[j - 1] in "”’)]" and text[j - 2] in _ENDS:  # '... strike." Quist said'
        j -= 1
    return j == 0 or text[j - 1] in _ENDS


def usual_forms(texts: Iterable[str]) -> dict[str, str]:
    """Lowercased word -> its most frequent written form in `texts`, counting occurrences away from
    the start of a sentence, where every word is capitalised (a form wins over the lowercase one
    when written so more often: "Quist", "NATO"); a word seen only opening sentences keeps the form
    it has there."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    initial: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for m in _WORD.finditer(text):
            w = m.group()
            (initial if _starts_sentence(text, m.start()) else counts)[w.lower()][w] += 1
    out = {}
    for low, forms in counts.items():
        form, n = forms.most_common(1)[0]
        if form != low and n > forms.get(low, 0):
            out[low] = form
    for low, forms in initial.items():
        # seen only opening sentences: "Ada Quist will start": a name written as it is there
        if low not in counts and len(low) > 1:
            out[low] = forms.most_common(1)[0][0]
    return out


def recase(question: str, texts: Iterable[str]) -> str:
    """`question` with the case its words have in `texts` when it has none of its own
    (`needs_case`); otherwise unchanged."""
    if not needs_case(question):
        return question
    forms = usual_forms(texts)

    def one(m: re.Match[str]) -> str:
        low = m.group().lower()
        return forms.get(low, low)

    cased = _WORD.sub(one, question)
    first = next((i for i, ch in enumerate(cased) if ch.isalpha()), None)
    if first is not None:
        cased = cased[:first] + cased[first].upper() + cased[first + 1:]
    return cased
