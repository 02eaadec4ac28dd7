"""Sentence-aware chunking measured in tiktoken tokens, with exact character offsets.

A chunk is a run of whole sentences of the article's text (its headline, then its cleaned body) up
to `max_tokens`; the next chunk starts with the trailing sentences of the previous one that fit in
`overlap` tokens, and with at least its last whole sentence where that is at most half a chunk, so
a fact that spans a boundary is still retrievable in one piece and a sentence that leans on the one
before it ("She said: ...") keeps it. A single sentence longer than a chunk is cut at word
boundaries. Offsets index `article_text`, so a citation can always be shown in its article.

Contextual chunks: a chunk of a long article rarely names what it is about ("He said the deal ...").
What gets BM25-indexed is `contextual_text`: the article's title, then its outlet and date, then
the chunk; what gets embedded is the same header with the text the chunk adds to the one before it
(`embedded_texts`: the overlap's words are embedded once, in the chunk they first appear in); what
is shown and cited stays `Chunk.text`, the article's own words.

Given the embedding model's `Window` (its tokenizer and input size), a chunk also ends where the
header and the chunk together would pass what the model reads, counted in the model's own word
pieces: otherwise the model cuts the text's end, and those words are in no vector (with 256
cl100k-token chunks and MiniLM's 256-word-piece window, 803 of 1,551 rtqa-dev chunks were cut and
1.2% of the words never embedded). Ingest passes the window with `chunk_fit_window` on (the
default, see newsqa/settings.py). Without a window (that setting off, an HTTP embedder) chunks are
sized in cl100k tokens only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Callable, Sequence

from newsqa.index.articles import Article, Chunk, chunk_id_for
from newsqa.index.text import count_tokens_batch, sentence_spans

_WORDS = re.compile(r"\S+")
_WWW = re.compile(r"^(?:https?://)?(?:www\d?\.)?", re.IGNORECASE)
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)$")
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+([^|–—-]{1,40})$")


@dataclass(frozen=True)
class Window:
    """What the embedding model reads of a text: `size` tokens, its `specials` (e.g. [CLS] and
    [SEP]) included; `count` gives each text's tokens without them. The counts of texts joined by
    whitespace must add up (true of BERT's word pieces, which never cross whitespace), so that a
    chunk's count is its sentences' sum."""

    size: int
    count: Callable[[list[str]], list[int]]
    specials: int = 2


def context_header(title: str, source: str = "", published_at: str = "") -> str:
    """The lines put in front of every chunk of an article for embedding and BM25: its title, then
    its outlet and date ("example-news.com, March 4, 2023") when known. The date is spelled out so
    that a question's "in March" or "2023" meets it as words."""
    outlet = _WWW.sub("", source.strip()).rstrip("/")
    day = ""
    if published_at:
        try:
            d = datetime.fromisoformat(published_at)
            day = f"{d:%B} {d.day}, {d.year}"
        except ValueError:
            day = ""
    second = ", ".join(p for p in (outlet, day) if p)
    return "\n".join(p for p in (title.strip(), second) if p)


def _title_for(title: str, text: str, source: str = "") -> str:
    """The title, unless the text opens with it (the lead chunk holds the headline; a title derived
    from the body's first sentence adds no context to the chunk that holds that sentence, only
    weight to its words)."""
    opening = text.lstrip()
    t = title.strip().rstrip(".…").strip()
    h = headline(title, source)
    return "" if (t and opening.startswith(t)) or (h and opening.startswith(h)) else title


def contextual_text(chunk: Chunk) -> str:
    """What is BM25-indexed for a chunk: its article's context header, then the chunk."""
    header = context_header(_title_for(chunk.title, chunk.text, chunk.source), chunk.source, chunk.published_at)
    return f"{header}\n{chunk.text}" if header else chunk.text


def embedded_texts(chunks: Sequence[Chunk]) -> list[str]:
    """What is embedded for one article's chunks (in order): each chunk's context header, then the
    text it adds to the chunk before it. The sentences a chunk repeats from its predecessor (the
    overlap) stay in the passage that is shown, cited and BM25-indexed, but their words already
    have a vector, the predecessor's. Embedding them again was 11 % of the word pieces embedded
    for 300 real news pages, and ingest slower than plain llama-index's for it; retrieval on
    rtqa-dev moved by a question at most without them (docs/measurements.md)."""
    out: list[str] = []
    prev: Chunk | None = None
    for c in chunks:
        new = c.text
        if prev is not None and prev.article_id == c.article_id and c.char_start < prev.char_end < c.char_end:
            new = c.text[prev.char_end - c.char_start:].lstrip()
        out.append(contextual_text(replace(c, text=new) if new and new != c.text else c))
        prev = c
    return out


def _split_long(text: str, start: int, end: int, max_tokens: int, budget: int | None,
                window: Window | None) -> list[tuple[int, int, int, int]]:
    """Cut one over-long sentence at word boundaries into pieces of at most ~max_tokens (and at
    most `budget` of the window's tokens). A single word longer than the budget stays whole."""
    words = [(start + m.start(), start + m.end()) for m in _WORDS.finditer(text[start:end])]
    counts = count_tokens_batch([text[a:b] for a, b in words])
    pieces_wp = window.count([text[a:b] for a, b in words]) if window else [0] * len(words)
    pieces: list[tuple[int, int, int, int]] = []
    cur_start, cur_tokens, cur_wp, last_end = None, 0, 0, start
    for (a, b), c, w in zip(words, counts, pieces_wp):
        # a word costs its own tokens plus roughly one for the space before it
        if cur_start is not None and (cur_tokens + c > max_tokens or (budget is not None and cur_wp + w > budget)):
            pieces.append((cur_start, last_end, cur_tokens, cur_wp))
            cur_start, cur_tokens, cur_wp = None, 0, 0
        if cur_start is None:
            cur_start = a
        cur_tokens += c
        cur_wp += w
        last_end = b
    if cur_start is not None:
        pieces.append((cur_start, last_end, cur_tokens, cur_wp))
    return pieces


def _budget(article: Article, window: Window) -> int:
    """The window's tokens left for a chunk of `article` after its header and the special tokens.
    The header is counted with the title even where `contextual_text` drops it (a bound, not an
    estimate). A title so long that less than half the window is left gets half the window: the
    model then cuts that header's chunks, which beats chunks of a few words."""
    header = context_header(article.title, article.source, article.published_iso)
    head = window.count([header])[0] if header else 0
    return max(window.size - window.specials - head, window.size // 2)


def _next_start(units: list[tuple[int, int, int, int]], first: int, end: int, overlap: int,
                max_tokens: int, budget: int | None) -> int:
    """Where the chunk after units[first:end] starts: back over the trailing units that fit in
    `overlap` tokens, and over at least the last whole one where it is at most half a chunk and it
    fits in one chunk with the next unit. A sentence often leans on the one before it ("She said:
    ..." after the sentence naming her); a 32-token overlap does not reach back over a long one,
    and the chunk that starts with the quote would lose who said it. Always makes progress."""
    k, back = end, 0
    while k - 1 > first and back + units[k - 1][2] <= overlap:
        back += units[k - 1][2]
        k -= 1
    if k == end and end - 1 > first and overlap > 0:
        last, nxt = units[end - 1], units[end]
        half_tokens = max_tokens // 2
        fits = last[2] <= half_tokens and last[2] + nxt[2] + 2 <= max_tokens
        if budget is not None:
            fits = fits and last[3] <= budget // 2 and last[3] + nxt[3] <= budget
        if fits:
            k = end - 1
    return k


def headline(title: str, source: str = "") -> str:
    """The title as a page shows it above its article: without a trailing ellipsis (a title a
    listing cut short) and without the outlet's own name after a separator ("... | Example News"
    from example-news.com), which names the page, not the story."""
    t = _ELLIPSIS.sub("", title.strip()).strip()
    m = _SITE_SUFFIX.search(t)
    if m:
        name = re.sub(r"[^a-z0-9]", "", m.group(1).lower())
        host = re.sub(r"[^a-z0-9]", "", _WWW.sub("", source.strip().lower()))
        if len(name) >= 2 and name in host:
            t = t[:m.start()].rstrip()
    return t


def article_text(article: Article) -> str:
    """What is chunked, and what chunk offsets index: the headline as the article's first
    paragraph, then its cleaned body (the body alone when it opens with the headline, e.g. a title
    taken from its first sentence). A headline is the article's own words and often states the
    news itself ("... turns 31"); left out of the text, it was embedded but could not be shown or
    cited, and an answer that sits only there was lost."""
    h = headline(article.title, article.source)
    if not h or article.body.lstrip().startswith(h):
        return article.body
    return f"{h}\n\n{article.body}"


def chunk_article(article: Article, max_tokens: int = 256, overlap: int = 32,
                  window: Window | None = None) -> list[Chunk]:
    """Chunks of at most ~`max_tokens` cl100k tokens, the next starting with up to `overlap` tokens
    of the previous one; with a `window`, each chunk's `contextual_text` also fits in it."""
    body = article_text(article)
    spans = sentence_spans(body)
    if not spans:
        return []
    texts = [body[a:b] for a, b in spans]
    counts = count_tokens_batch(texts)
    budget = _budget(article, window) if window else None
    wps = window.count(texts) if window else [0] * len(texts)
    units: list[tuple[int, int, int, int]] = []  # (start, end, tokens, window tokens)
    for (a, b), c, w in zip(spans, counts, wps):
        if c > max_tokens or (budget is not None and w > budget):
            units.extend(_split_long(body, a, b, max_tokens, budget, window))
        else:
            units.append((a, b, c, w))

    windows: list[tuple[int, int]] = []  # (first unit, last unit) inclusive
    i = 0
    while i < len(units):
        total, wp, j = 0, 0, i
        while j < len(units) and (j == i or (total + units[j][2] + 1 <= max_tokens
                                             and (budget is None or wp + units[j][3] <= budget))):
            total += units[j][2] + 1
            wp += units[j][3]
            j += 1
        windows.append((i, j - 1))
        if j >= len(units):
            break
        i = _next_start(units, i, j, overlap, max_tokens, budget)

    chunks: list[Chunk] = []
    for ordinal, (first, last) in enumerate(windows):
        a, b = units[first][0], units[last][1]
        text = body[a:b]
        chunks.append(
            Chunk(
                id=chunk_id_for(article.id, a, b, text),
                article_id=article.id,
                ordinal=ordinal,
                text=text,
                char_start=a,
                char_end=b,
                title=article.title,
                source=article.source,
                url=article.url,
                published_at=article.published_iso,
                published_ts=article.published_ts,
            )
        )
    return chunks
