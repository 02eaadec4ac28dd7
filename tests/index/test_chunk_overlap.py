"""Chunk overlap that respects sentences: the next chunk starts at a sentence start and repeats at
least the previous chunk's last whole sentence (where it is at most half a chunk), so every two
neighbouring sentences are in one chunk together and a sentence that leans on the one before it
("He said: ...") is found with the sentence that names its speaker."""

from __future__ import annotations

import re

import pytest

from newsqa.index.articles import Article
from newsqa.index.chunk import Window, chunk_article, contextual_text
from newsqa.index.text import count_tokens, sentence_spans

_PIECES = re.compile(r"\w+|[^\w\s]")
_NAMING = ("Harbour master Tomasz Wielgosz, who has run the port of Ostrander for eleven years and "
           "chairs the regional shipping board, told the council on Monday that the new crane had "
           "been ordered far too late.")
_QUOTE = "He said: “We will lose the autumn grain contracts to the northern ports if it is not here by June.”"


def _count(texts: list[str]) -> list[int]:
    return [len(_PIECES.findall(t)) for t in texts]


def _filler(n: int) -> str:
    return " ".join(f"The ferry to Lindholm left {n + j} minutes late on day {j} because of fog." for j in range(n))


def _article(body: str) -> Article:
    return Article(id="p1", title="", body=body, source="www.coast-gazette.example")  # offsets index the body


def _holding(chunks, text: str, body: str):
    start = body.index(text)
    return [c for c in chunks if c.char_start <= start and start + len(text) <= c.char_end]


@pytest.mark.parametrize("window", [None, Window(96, _count)])
def test_a_quote_keeps_the_sentence_naming_its_speaker_across_a_boundary(window):
    assert count_tokens(_NAMING) > 32  # longer than the default overlap: a token overlap misses it
    crossed = 0
    for n in range(12):  # moves the boundary through the two sentences
        body = f"{_filler(n)} {_NAMING} {_QUOTE} {_filler(4)}".strip()
        chunks = chunk_article(_article(body), max_tokens=96, overlap=8, window=window)
        # some chunk holds the quote together with the sentence that names its speaker
        assert any(_NAMING in c.text for c in _holding(chunks, _QUOTE, body)), n
        # the boundary fell between them: one chunk ends with the naming sentence, the next
        # repeats it and goes on with the quote
        crossed += any(a.text.endswith(_NAMING) and b.text.startswith(_NAMING) and _QUOTE in b.text
                       for a, b in zip(chunks, chunks[1:]))
    assert crossed  # the case the overlap is for did occur


def test_overlap_starts_at_a_sentence_and_repeats_the_last_one():
    body = " ".join(f"Sentence {j} tells how the {j}th barge of gravel reached the quay at Marlow "
                    f"before the tide, with {j * 3} tonnes aboard." for j in range(30))
    starts = {a for a, _ in sentence_spans(body)}
    chunks = chunk_article(_article(body), max_tokens=80, overlap=4, window=Window(100, _count))
    assert len(chunks) > 5
    for a, b in zip(chunks, chunks[1:]):
        assert b.char_start in starts
        last = sentence_spans(a.text)[-1]
        assert b.text.startswith(a.text[last[0]:last[1]])  # at least one whole sentence repeated
        assert b.char_end > a.char_end  # and always progress


def test_a_long_last_sentence_is_not_repeated():
    # a sentence of more than half a chunk would make the next chunk mostly repetition
    long_one = ("The inspectors listed " + ", ".join(f"bollard {j} on pier {j % 4}" for j in range(5))
                + " as needing new paint.")
    body = f"{_filler(2)} {long_one} {_filler(6)}"
    chunks = chunk_article(_article(body), max_tokens=96, overlap=8)
    assert 48 < count_tokens(long_one) < 90
    holder, = _holding(chunks, long_one, body)
    assert holder.text.endswith(long_one) and holder is not chunks[-1]  # it did end a chunk


def test_every_two_neighbouring_sentences_share_a_chunk():
    body = " ".join(f"{_filler(j % 3)} {_NAMING} {_QUOTE}".strip() for j in range(6))
    chunks = chunk_article(_article(body), max_tokens=96, overlap=8, window=Window(120, _count))
    spans = sentence_spans(body)
    for (a, _), (_, d) in zip(spans, spans[1:]):
        assert any(c.char_start <= a and d <= c.char_end for c in chunks), body[a:d]


def test_no_overlap_asked_means_none():
    body = f"{_filler(10)} {_NAMING} {_QUOTE} {_filler(10)}"
    chunks = chunk_article(_article(body), max_tokens=96, overlap=0)
    for a, b in zip(chunks, chunks[1:]):
        assert b.char_start >= a.char_end


def test_every_word_still_fits_the_window_with_the_longer_overlap():
    body = " ".join(f"{_filler(3)} {_NAMING} {_QUOTE}" for _ in range(5))
    chunks = chunk_article(_article(body), max_tokens=256, overlap=32, window=Window(96, _count))
    assert all(_count([contextual_text(c)])[0] + 2 <= 96 for c in chunks)
    assert all(body[c.char_start:c.char_end] == c.text for c in chunks)
