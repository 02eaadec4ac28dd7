"""A quote whose speaker is named in the sentence before it stays answerable when a chunk boundary
falls between the two (real model, real store, default chunking: fitted to the model's window,
overlap of at least one whole sentence). In a one-article store the neighbouring chunk is also
retrieved and joined, so this checks the whole path; tests/index/test_chunk_overlap.py checks the
chunk boundaries themselves."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from newsqa.index.articles import Article
from newsqa.index.chunk import chunk_article
from newsqa.index.ingest import embed_window, ingest
from newsqa.index.store import Store
from newsqa.rag.qa import build_qa
from newsqa.settings import Settings

_NAMING = ("Port authority spokeswoman Maren Olsvik, who joined the authority from the coastguard in "
           "2019 and oversees its dealings with the shipping lines and the unions, spoke after "
           "Tuesday's board meeting in the old customs house.")
_QUOTE = ("She said: “We warn the shipping lines against moving their grain cargo to the northern "
          "ports before the new crane arrives, because that would be a costly mistake.”")


def _filler(n: int) -> str:
    return " ".join(f"The ferry to Lindholm left {n + j} minutes late on day {j} because of fog at the "
                    f"harbour mouth." for j in range(n))


def _article(n: int) -> Article:
    return Article(id=f"port-{n}", title="Port of Ostrander waits for its crane",
                   body=f"{_filler(n)} {_NAMING} {_QUOTE} {_filler(3)}".strip(),
                   source="www.coast-gazette.example", published_at=datetime(2025, 3, 4, tzinfo=timezone.utc))


@pytest.mark.slow
def test_the_speaker_is_named_when_the_boundary_falls_before_the_quote(tmp_path: Path, real_embedder) -> None:
    settings = Settings(store=tmp_path / "store", chunk_tokens=128, chunk_overlap=16)
    window = embed_window(real_embedder) if settings.chunk_fit_window else None
    # the filler length that puts a boundary between the naming sentence and the quote
    n = next(n for n in range(20) if any(
        c.text.endswith(_NAMING)
        for c in chunk_article(_article(n), settings.chunk_tokens, settings.chunk_overlap, window)))
    ingest([_article(n)], settings, real_embedder)
    qa = build_qa(settings, store=Store(settings, real_embedder.fingerprint), embedder=real_embedder)
    ans = qa.ask("Who warned the shipping lines against moving their grain cargo to the northern ports?")
    assert not ans.refused, ans.text
    assert "Olsvik" in ans.text
