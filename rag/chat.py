"""Conversation: turn a follow-up into a standalone question before retrieval.

With an LLM configured, the LLM rewrites the follow-up (see `rewrite_prompt`). In extractive mode a
documented heuristic does it: when the follow-up leans on earlier turns (a pronoun such as "he",
"it", "they", "there", or no name of its own), the key names of the last turn (the names in the last
question, then the names its answer begins with) are carried over and appended to the question.
Appending rather than substituting keeps the person's own words intact for display, and both
retrievers and the answer selection read the carried names as part of the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsqa.rag.terms import STOPWORDS

_PRONOUN = re.compile(
    r"\b(he|she|they|him|her|his|hers|them|their|theirs|it|its|this|that|these|those|there|then)\b", re.I
)
_NAME = re.compile(r"\b(?:[A-Z][\w’'-]*[a-z][\w’'-]*|[A-Z]{2,})(?:\s+(?:of\s+|de\s+|bin\s+|al\s+)?(?:[A-Z][\w’'-]*[a-z][\w’'-]*|[A-Z]{2,}))*")
_QUESTION_WORDS = {"Who", "What", "When", "Where", "Why", "How", "Which", "Did", "Does", "Do", "Is", "Are",
                   "Was", "Were", "Has", "Have", "Can", "Could", "Would", "Will", "And", "But", "So", "The",
                   "In", "On", "At", "According", "Tell", "Give", "Name", "List"}


CONTEXT_TURNS = 4  # the turns a follow-up's names are read back through


@dataclass(frozen=True)
class Turn:
    question: str
    answer: str = ""


def key_names(text: str, limit: int = 4) -> list[str]:
    """Capitalised names in order of appearance, question words and duplicates dropped."""
    out: list[str] = []
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        while words and words[0] in _QUESTION_WORDS:
            words = words[1:]
        name = " ".join(words).strip("’'")
        if re.sub(r"[’']s$", "", name).lower() in STOPWORDS:
            continue  # "Such approaches...", "Indeed while...": a capitalised common word
        if len(name) > 1 and name not in out and not any(name in o for o in out):
            out.append(name)
        if len(out) >= limit:
            break
    return out


def needs_context(question: str) -> bool:
    return bool(_PRONOUN.search(question)) or not key_names(question)


def standalone_question(question: str, history: list[Turn]) -> str:
    """The question with the last turn's key names carried over when it is a follow-up."""
    if not history or not needs_context(question):
        return question
    last = history[-1]
    own = {n.lower() for n in key_names(question)}
    # the last question as it was understood: a follow-up of a follow-up ("What did he say about
    # Bushehr?", then "Who is his spokesman?") still means the person named before it
    from_q = key_names(standalone_question(last.question, history[-CONTEXT_TURNS:-1]))
    from_a = key_names(last.answer.split(". ")[0]) if last.answer else []
    # what the answer adds comes first: to "Who is Putin's spokesman?" that is "Dmitry Peskov"
    asked = _plain(last.question)
    from_a = [n for n in from_a if _plain(n) not in asked] + [n for n in from_a if _plain(n) in asked]
    # "he"/"she" usually points at the person the last answer named, not at the last question's words
    personal = re.search(r"\b(he|she|him|her|his|hers)\b", question, re.I)
    carried = [n for n in (from_a + from_q if personal else from_q + from_a) if n.lower() not in own]
    unique: dict[str, str] = {}
    for n in carried:
        unique.setdefault(_plain(n), n)
    carried = list(unique.values())[:4]
    if not carried:
        return question
    return f"{question.rstrip()} ({', '.join(carried)})"


def _plain(text: str) -> str:
    """Lowercase with straight apostrophes, so "Putin’s" and "Putin's" compare equal."""
    return text.replace("’", "'").lower()


_CARRIED = re.compile(r"^(?P<own>.*\?)\s+\((?P<names>[^()]+)\)\s*$", re.S)


def split_carried(question: str) -> tuple[str, list[str]]:
    """The inverse of `standalone_question`: the follow-up's own words and the names carried over.

    The carried names tell retrieval what the follow-up is about; choosing the answer sentence should
    still turn on the follow-up's own words ("Where are his specialists working?"). Only the exact
    shape `standalone_question` writes - a question mark, then names in parentheses - is split.
    """
    m = _CARRIED.match(question.strip())
    if not m:
        return question, []
    names = [n.strip() for n in m.group("names").split(",") if n.strip()]
    if not names or not all(n[:1].isupper() for n in names):
        return question, []
    return m.group("own"), names


def rewrite_prompt(question: str, history: list[Turn]) -> list[dict[str, str]]:
    """Chat messages asking an LLM to rewrite a follow-up as a self-contained question."""
    convo = "\n".join(f"Q: {t.question}\nA: {t.answer}" for t in history[-3:])
    return [
        {"role": "system", "content": "Rewrite the user's last question so that it can be understood "
                                      "without the conversation. Replace pronouns with the names they "
                                      "refer to. Reply with the rewritten question only."},
        {"role": "user", "content": f"Conversation:\n{convo}\n\nLast question: {question}\n\nRewritten question:"},
    ]
