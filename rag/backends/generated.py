"""What the generated backends share: prompt -> streamed model text -> verified sentences.

A subclass says how to stream text from its model (`_complete`) and, if its context window is
small, which passages fit (`_fit`). Everything else is common: the one prompt (`build_prompt`),
temperature 0, the citation check (`cite.check_answer`) on the raw text, the refusal sentence
turned into [] so QA's refusal rule decides, and follow-up rewriting that falls back to the
question whenever the model fails or replies with something that is not a question.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterator

from newsqa.rag.backends.base import build_prompt, format_passage
from newsqa.rag.chat import Turn, rewrite_prompt
from newsqa.rag.cite import check_answer, is_refusal
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import Passage, Sentence
from newsqa.settings import Settings

REWRITE_MAX_TOKENS = 64
# Chat templates wrap each message in role markers; a few tokens each, rounded up.
MESSAGE_OVERHEAD = 12


class BackendError(RuntimeError):
    """The language model could not be reached, loaded or used; the message is meant for the user
    (it names the URL or file at fault)."""


class GeneratedBackend:
    """Base of the LLM backends; subclasses set `name` and implement `_complete`."""

    name = "generated"

    def __init__(self, settings: Settings, scorer: SupportScorer) -> None:
        self.settings = settings
        self.scorer = scorer

    # -- to implement ----------------------------------------------------------------------------
    def _complete(self, messages: list[dict[str, str]], max_tokens: int) -> Iterator[str]:
        """Text deltas of the model's reply at temperature 0; raises BackendError."""
        raise NotImplementedError

    def _fit(self, question: str, passages: list[Passage]) -> list[Passage]:
        """The passages to put in the prompt (all of them unless the context window is small)."""
        return passages

    def excerpts(self, question: str, passages: list[Passage], budget: int,
                 count_tokens: Callable[[str], int]) -> list[Passage]:
        """Each passage cut to its sentences that best answer `question`, about `budget` tokens of
        them, kept in passage order and joined by " … ". Only the prompt sees excerpts: citations are
        checked against the whole passages, so offsets and support are unaffected. The ranking is the
        extractive backend's (`rag.candidates`), so both backends read the same evidence first.
        """
        from newsqa.rag.candidates import rule_candidates, score_candidates
        from newsqa.rag.sentences import passage_candidates
        from newsqa.rag.evidence import evidence_spans

        if budget <= 0 or not passages:
            return passages
        cands = rule_candidates(passage_candidates(passages))
        if cands:
            score_candidates(question, passages, cands, self.scorer)
        by_n: dict[int, list] = {}
        for c in cands:
            by_n.setdefault(c.n, []).append(c)
        out: list[Passage] = []
        for p in passages:
            text = p.chunk.text
            if count_tokens(text) <= budget:
                out.append(p)
                continue
            # the best-scored sentences first; a passage without candidates keeps its opening
            ranked = sorted(by_n.get(p.n, []), key=lambda c: -c.score)
            spans = [c.span for c in ranked] or evidence_spans(text)[:1] or [(0, len(text))]
            kept: list[tuple[int, int]] = []
            used = 0
            for a, b in spans:
                cost = count_tokens(text[a:b])
                if kept and used + cost > budget:
                    continue
                kept.append((a, b))
                used += cost
                if used >= budget:
                    break
            excerpt = " … ".join(text[a:b].strip() for a, b in sorted(kept))
            out.append(replace(p, chunk=replace(p.chunk, text=excerpt)))
        return out

    # -- AnswerBackend ---------------------------------------------------------------------------
    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | list[Sentence]]:
        """The model's text deltas as they arrive, then the checked sentences."""
        shown = self._fit(question, passages)
        parts: list[str] = []
        for delta in self._complete(build_prompt(question, shown), self.settings.llm_max_tokens):
            if delta:
                parts.append(delta)
                yield delta
        # check against the full passages the model saw (a cut one was shown only in part)
        seen = {p.n for p in shown}
        yield self.check("".join(parts), question, [p for p in passages if p.n in seen])

    def answer(self, question: str, passages: list[Passage]) -> list[Sentence]:
        out: list[Sentence] = []
        for item in self.stream(question, passages):
            if not isinstance(item, str):
                out = item
        return out

    def check(self, raw: str, question: str, passages: list[Passage]) -> list[Sentence]:
        """Verified sentences of a raw model reply; [] for the refusal sentence."""
        if is_refusal(raw):
            return []
        return check_answer(strip_lead_ins(raw), passages, self.scorer, question=question)

    # -- conversation ----------------------------------------------------------------------------
    def rewrite(self, question: str, history: list[Turn]) -> str:
        """The follow-up `question` as a standalone question, or `question` itself when there is no
        history or the model fails (a rewrite is a nicety; it must never break the answer)."""
        if not history:
            return question
        try:
            text = "".join(self._complete(rewrite_prompt(question, history), REWRITE_MAX_TOKENS))
        except Exception:
            return question
        return clean_rewrite(text, question)


# Small models open sentences with "The answer is:" or "According to the passages,"; the words add
# nothing, and left in they dilute the sentence's support score.
_LEAD_IN = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\]\s))\s*"
    r"(?:(?:the\s+)?(?:short\s+|final\s+)?answer(?:\s+to\s+(?:the|this|your)\s+question)?\s+is\s*:"
    r"|(?:according\s+to|based\s+on)\s+the\s+(?:given\s+|provided\s+)?"
    r"(?:passages?|articles?|sources?|context)(?:\s+provided|\s+given)?\s*,)"
    r"\s*(?P<next>\w)",
    re.I)


def strip_lead_ins(text: str) -> str:
    """`text` without "The answer is:"-style sentence openings (the next word capitalised)."""
    return _LEAD_IN.sub(lambda m: m.group("next").upper(), text)


_REWRITE_LABEL = re.compile(r"^(?:rewritten|standalone|self-contained|new)?\s*(?:question|q)\s*:\s*", re.I)


def clean_rewrite(text: str, question: str) -> str:
    """The first line of a model's rewrite, without labels and quotes; `question` when the reply is
    empty, a refusal, far too long, or no longer a question (small models often answer instead)."""
    line = next((ln.strip() for ln in text.strip().splitlines() if ln.strip()), "")
    line = _REWRITE_LABEL.sub("", line).strip().strip("\"'“”‘’*`").strip()
    if not line or is_refusal(line) or len(line) > max(300, 3 * len(question)):
        return question
    if question.rstrip().endswith("?") and not line.endswith("?"):
        return question
    return line


def fit_passages(question: str, passages: list[Passage], count_tokens: Callable[[str], int],
                 budget: int) -> list[Passage]:
    """The passages whose prompt fits in `budget` tokens (as `count_tokens` counts them).

    Passages are in rank order, so the lowest-ranked are dropped first; when even the first does not
    fit alone it is cut short (a prefix of its text, so citation offsets stay valid).
    """
    def size(ps: list[Passage]) -> int:
        return sum(count_tokens(m["content"]) + MESSAGE_OVERHEAD for m in build_prompt(question, ps))

    if not passages or size(passages) <= budget:
        return list(passages)
    base = size([])
    kept: list[Passage] = []
    used = base
    for p in passages:
        cost = count_tokens(format_passage(p)) + 2  # the blank line between passages
        if used + cost > budget:
            break
        kept.append(p)
        used += cost
    # the per-passage sum is an estimate (tokens merge at the joins): confirm with whole prompts
    while kept and size(kept) > budget:
        kept.pop()
    while len(kept) < len(passages) and size(kept + [passages[len(kept)]]) <= budget:
        kept.append(passages[len(kept)])
    if kept:
        return kept
    return _cut_to_fit(question, passages[0], size, budget)


def _cut_to_fit(question: str, p: Passage, size: Callable[[list[Passage]], int],
                budget: int) -> list[Passage]:
    text = p.chunk.text
    lo, hi = 0, len(text)  # longest prefix that fits, by binary search on characters
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if size([_prefix(p, mid)]) <= budget:
            lo = mid
        else:
            hi = mid - 1
    cut = text[:lo]
    # end at a word boundary so the model never sees half a word or number
    if lo < len(text) and " " in cut:
        cut = cut[: cut.rstrip().rfind(" ")]
    if len(cut.strip()) < 20:
        return []
    return [_prefix(p, len(cut))]


def _prefix(p: Passage, length: int) -> Passage:
    chunk = replace(p.chunk, text=p.chunk.text[:length], char_end=p.chunk.char_start + length)
    return replace(p, chunk=chunk)
