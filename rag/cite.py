"""Citations in generated answers: parse the [n] markers, then verify every sentence against the
passages with the one support scorer, re-assigning or dropping citations the passages do not back.

A backend's say-so never makes a sentence supported: `check_answer` keeps a cited passage only when it
supports the sentence, looks for the best passage (or best two together) when the model cited none or
a wrong one, and marks the sentence unsupported when nothing backs it.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from newsqa.index.text import sentence_spans
from newsqa.rag.support import STOPWORDS, SupportScorer, evidence_spans, normalise_word
from newsqa.rag.types import REFUSAL_TEXT, Passage, Sentence

# "[1]", "[1, 2]", "[1][2]" (two markers), "[1-3]", "[Passage 2]", "[source 1; 3]"
_LABEL = r"(?:(?:passage|source|doc(?:ument)?|ref)\s*#?\s*)?"
_MARK = re.compile(
    r"\s*\[\s*" + _LABEL + r"(\d{1,3}(?:\s*(?:,|;|-|–|and)\s*" + _LABEL + r"\d{1,3})*)\s*\]",
    re.I,
)
_MAX_RANGE = 10

_FILLER = re.compile(
    r"^(?:(?:sure|certainly|of course|okay|ok|great|absolutely|yes|alright)[!.,]*"
    r"|(?:here(?:'s| is| are)|below is|the following is)\b.*"
    r"|(?:based on|according to) the (?:passages?|articles?|sources?|context)(?: provided| given| above)?[:,.]?"
    r"|i hope (?:this|that) helps.*|let me know .*|answer:?)$",
    re.I,
)


def _numbers(group: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"\s*(?:,|;|and)\s*", group):
        part = re.sub(_LABEL, "", part, flags=re.I).strip()
        if not part:
            continue
        m = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a <= b and b - a < _MAX_RANGE:
                out.extend(range(a, b + 1))
            else:
                out.extend([a, b])
        elif part.isdigit():
            out.append(int(part))
    return out


def parse_citations(text: str) -> list[tuple[str, list[int]]]:
    """Sentences of a generated answer, each with the passage numbers cited in or right after it.

    Markers are removed before splitting (so "[1]." never becomes a sentence); a marker that follows a
    sentence's final punctuation belongs to that sentence.
    """
    pieces: list[str] = []
    marks: list[tuple[int, list[int]]] = []
    length = 0
    last = 0
    for m in _MARK.finditer(text):
        seg = text[last:m.start()]
        pieces.append(seg)
        length += len(seg)
        marks.append((length, _numbers(m.group(1))))
        last = m.end()
        nxt = text[last:last + 1]
        if nxt and not nxt.isspace() and nxt not in ".,;:!?)]}\"'”’" and not _MARK.match(text, last):
            pieces.append(" ")
            length += 1
    pieces.append(text[last:])
    clean = "".join(pieces)
    spans = sentence_spans(clean)
    cited: list[list[int]] = [[] for _ in spans]
    for pos, ns in marks:
        if not spans:
            break
        idx = 0
        for k, (a, _b) in enumerate(spans):
            if a <= pos:
                idx = k
            else:
                break
        # a marker before the first sentence's text still belongs to it
        for n in ns:
            if n not in cited[idx]:
                cited[idx].append(n)
    return [(clean[a:b], cited[k]) for k, (a, b) in enumerate(spans)]


def is_filler(sentence: str) -> bool:
    """"Sure!", "Here is the answer:", "Based on the passages provided:" and the like."""
    s = sentence.strip().strip("*_#>- ").strip()
    if not s:
        return True
    if _FILLER.match(s):
        return True
    words = [normalise_word(w) for w in re.findall(r"[^\W_]+", s)]
    return not any(w and w not in STOPWORDS for w in words)


def is_refusal(text: str) -> bool:
    """True when the model gave the refusal sentence (possibly with punctuation or citations)."""
    core = re.sub(r"[\W_]+", " ", _MARK.sub("", text)).strip().lower()
    ref = re.sub(r"[\W_]+", " ", REFUSAL_TEXT).strip().lower()
    return bool(core) and (core == ref or (core.startswith(ref) and len(core) < len(ref) + 20))


def evidence_text(p: Passage) -> str:
    """What a passage offers as evidence: its chunk text, headed by the article title."""
    title = (p.chunk.title or "").strip()
    return f"{title}\n\n{p.chunk.text}" if title else p.chunk.text


def check_answer(raw_text: str, passages: list[Passage], scorer: SupportScorer,
                 question: str = "") -> list[Sentence]:
    """Verify a generated answer sentence by sentence.

    Citations to passages that do not exist are dropped; a cited passage is kept only if it supports
    the sentence on its own (or the cited passages do together). Otherwise the best-supporting passage,
    or best two jointly, is assigned; failing that the sentence is kept but marked unsupported with no
    citations. Filler sentences are dropped. `question`, when given, lets a sentence lean on it for
    names (see `support.coverage`). A refusal yields [].
    """
    if not raw_text.strip() or is_refusal(raw_text):
        return []
    parsed = [(s, ns) for s, ns in parse_citations(raw_text) if not is_filler(s)]
    if not parsed:
        return []
    if not passages:
        return [Sentence(text=s) for s, _ in parsed]
    by_n = {p.n: p for p in passages}
    order = [p.n for p in passages]
    col = {n: j for j, n in enumerate(order)}
    texts = [evidence_text(p) for p in passages]
    matrix = scorer.score_many([s for s, _ in parsed], texts, context=question)

    out: list[Sentence] = []
    for i, (s, ns) in enumerate(parsed):
        row = matrix[i]
        cited = [n for n in ns if n in by_n]
        keep = [n for n in cited if scorer.is_supported(float(row[col[n]]))]
        support = max((float(row[col[n]]) for n in keep), default=0.0)
        if not keep and len(cited) > 1:
            joint = scorer.score(s, [texts[col[n]] for n in cited], context=question)
            if scorer.supported(joint):
                keep, support = cited, joint.score
        if not keep:
            keep, support = _best_support(s, row, texts, order, scorer, question)
        if keep:
            spans = {n: highlight_span(s, by_n[n].chunk.text, scorer) for n in keep}
            out.append(Sentence(text=s, citations=keep, support=support, supported=True, spans=spans))
        else:
            out.append(Sentence(text=s, citations=[], support=support, supported=False))
    return out


def _best_support(sentence: str, row: np.ndarray, texts: list[str], order: list[int],
                  scorer: SupportScorer, question: str) -> tuple[list[int], float]:
    """The best single passage if it supports, else the best two together; ([], best score) if not."""
    ranked = [int(j) for j in np.argsort(-row, kind="stable")]
    best = float(row[ranked[0]])
    if scorer.is_supported(best):
        return [order[ranked[0]]], best
    if len(ranked) >= 2 and row[ranked[1]] > 0:
        joint = scorer.score(sentence, [texts[ranked[0]], texts[ranked[1]]], context=question)
        if scorer.supported(joint):
            return [order[ranked[0]], order[ranked[1]]], joint.score
        best = max(best, joint.score)
    return [], best


def highlight_span(sentence: str, passage_text: str, scorer: SupportScorer) -> tuple[int, int]:
    """Character span, within `passage_text`, of the sentence (or two adjacent sentences) that best
    backs `sentence`; the whole text when it cannot be split."""
    spans = evidence_spans(passage_text)
    if not spans:
        return (0, len(passage_text))
    if len(spans) == 1:
        return spans[0]
    singles = [passage_text[a:b] for a, b in spans]
    pairs = [f"{x} {y}" for x, y in zip(singles, singles[1:])]
    scores = scorer.score_many([sentence], singles + pairs)[0]
    if float(scores.max()) <= 0.0:
        # nothing supports it: fall back to plain similarity so the page still points somewhere
        scores = scorer.cosine(sentence, singles + pairs)
    k = len(singles)
    best_single = int(np.argmax(scores[:k]))
    best_pair = int(np.argmax(scores[k:])) if len(pairs) else -1
    # a pair must be clearly better, else the tighter single-sentence span is the more useful mark
    if best_pair >= 0 and scores[k + best_pair] > scores[best_single] + 0.05:
        return spans[best_pair][0], spans[best_pair + 1][1]
    return spans[best_single]


def answer_text(sentences: Sequence[Sentence]) -> str:
    """Sentences with their `[n]` markers, as `Answer.text` renders them."""
    parts = []
    for s in sentences:
        marks = "".join(f"[{n}]" for n in s.citations)
        parts.append(f"{s.text}{' ' + marks if marks else ''}")
    return " ".join(parts)
