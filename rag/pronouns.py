"""Personal pronouns, a closed class: a sentence that opens with one has its subject elsewhere,
usually in the sentence before it ("She said: ..." needs the sentence that names her).

One definition for every reader: the rule path's answer type (candidates.py), the learned path's
`pronoun_start` feature (features.py), both quoting backends' choice to quote the sentence before
(backends/extractive.py, backends/ranked.py) and the parts of a compound question (query.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PEOPLE = ("he", "she", "they", "his", "her", "their")  # third person, standing for people
THIRD_PERSON = PEOPLE + ("it", "its")
PERSONAL = frozenset(THIRD_PERSON + ("we", "i"))  # and the speaker's own, in a quotation
# the third person singular by what it can stand for (a compound question's later part: query.py)
SINGULAR_KIND = {"he": "person", "him": "person", "his": "person", "she": "person", "her": "person",
                 "it": "thing", "its": "thing"}


def opening(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching text that opens with one of `words` (any case), after an opening
    quotation mark and spaces, if any."""
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"^[“\"']?\s*(?:{alternatives})\b", re.I)
