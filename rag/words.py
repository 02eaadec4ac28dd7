"""Words of questions and sentences: stems, content words, IDF weights and matching through inflection.

Question analysis (question.py) and candidate scoring (candidates.py) compare a question with a
sentence by these words: "won"/"wins" -> "win", and "supplied" finds "supplier".
"""

from __future__ import annotations

import math
import re

from newsqa.rag.constraints import same_word
from newsqa.rag.terms import STOPWORDS, normalise_word

_QUESTION_WORDS = {"who", "whom", "whose", "what", "when", "where", "which", "why", "how", "name",
                   "did", "does", "do", "is", "was", "were", "are", "will", "new", "current",
                   "currently"}

_IRREGULAR = {
    "won": "win", "wins": "win", "winning": "win", "winner": "win", "winners": "win", "victory": "win",
    "bought": "buy", "buys": "buy", "purchased": "buy", "purchase": "buy", "acquired": "buy",
    "acquisition": "buy", "acquire": "buy", "acquires": "buy", "takeover": "buy",
    "established": "found", "establish": "found", "launched": "releas", "launch": "releas",
    "launches": "releas", "debuted": "releas", "debut": "releas", "debuts": "releas",
    "sold": "sell", "took": "take", "taken": "take", "held": "hold",
    "led": "lead", "became": "become", "began": "begin", "begun": "begin", "chose": "choose",
    "chosen": "choose", "gave": "give", "given": "give", "made": "make", "named": "name",
    "directed": "direct", "director": "direct", "directors": "direct", "released": "releas",
    "release": "releas", "premiered": "premier", "premiere": "premier", "premieres": "premier",
    "ran": "run", "met": "meet", "paid": "pay", "said": "say", "says": "say", "told": "tell",
    "beat": "beat", "defeated": "beat", "defeats": "beat", "defeat": "beat", "hosted": "host",
    "hosts": "host", "host": "host", "awarded": "award", "died": "die", "dead": "die", "death": "die",
    "born": "birth", "killed": "kill", "elected": "elect", "election": "elect",
}


def stem(word: str) -> str:
    """A crude suffix stripper plus a few irregular forms: "won"/"wins" -> "win"."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suf in ("ing", "ed", "es", "s", "e"):
        if len(word) > len(suf) + 3 and word.endswith(suf):
            return word[: -len(suf)]
    return word


CONTENT_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def content_words(text: str) -> set[str]:
    words = (normalise_word(w) for w in CONTENT_TOKEN.findall(text))
    out = set()
    for w in words:
        if not w or w in STOPWORDS or w in _QUESTION_WORDS or w.isdigit():
            continue
        out.add(stem(w))
        if "-" in w:
            out.update(stem(p) for p in w.split("-") if p and p not in STOPWORDS)
    return out


def idf_weights(texts: list[str]) -> dict[str, float]:
    """Inverse document frequency over the candidate sentences: within one question's passages the
    topic words ("Tesla", "Wimbledon") are everywhere and the asking words ("revenue") are not."""
    df: dict[str, int] = {}
    for t in texts:
        for w in content_words(t):
            df[w] = df.get(w, 0) + 1
    n = len(texts)
    return {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}


def matched_words(question: set[str], sentence: set[str]) -> set[str]:
    """The question's content words the sentence has, inflections included ("supplied" finds
    "supplier", "mediate" finds "mediation")."""
    out = question & sentence
    for w in question - out:
        if len(w) >= 5 and any(same_word(w, x) for x in sentence if x[:2] == w[:2]):
            out.add(w)
    return out
