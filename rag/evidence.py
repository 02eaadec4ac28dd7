"""Evidence units: how a passage is cut into the pieces a sentence is checked against.

Its sentences, also broken at snippet ellipses ("Jan 22, 2021 ... the game") and table separators
(" · ", " ; "). Kept apart from the support scorer because citation offsets, constraint checks,
candidate selection and key-term extraction cut text the same way without scoring anything.
"""

from __future__ import annotations

import re

from newsqa.index.text import sentence_spans

# Snippet fragments ("Mar 3, 2024 ... The river festival will be ...") and table-like cells (" · ", " ; ").
_SNIPPET_BREAK = re.compile(r"\s*(?:\.\.\.|…)(?:\s+|$)|\s+[·•|]\s+|\s+;\s+")
_EDGE_JUNK = " \t\n\u00a0.…·•;|-–—"


def evidence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of `text`, also broken at "..." and table separators, trimmed of ellipses.

    The shared sentence splitter keeps "Jan 22, 2021 ... the game" together (lowercase after the
    break) and never breaks at " · "; search-snippet passages need both as boundaries.
    """
    out: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        start = a
        for m in _SNIPPET_BREAK.finditer(text, a, b):
            # an ellipsis right after a number/letter with no space before could be "U.S..." — the
            # regex requires whitespace or end after it, so mid-token dots never split.
            _push(text, start, m.start(), out)
            start = m.end()
        _push(text, start, b, out)
    return out


def _push(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a] in _EDGE_JUNK:
        a += 1
    while b > a and text[b - 1] in " \t\n\u00a0…·•;|":
        b -= 1
    # keep a sentence's own full stop, drop a dangling ellipsis ("... the home\u00a0...")
    while b - a >= 3 and text[b - 3 : b] == "...":
        b -= 3
        while b > a and text[b - 1] in " \t\n\u00a0":
            b -= 1
    if b > a and any(c.isalnum() for c in text[a:b]):
        out.append((a, b))


def split_evidence(text: str) -> list[str]:
    return [text[a:b] for a, b in evidence_spans(text)]
