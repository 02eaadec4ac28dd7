"""Near-duplicate articles: MinHash grouping at ingest, one indexed copy, every outlet listed."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from newsqa.index.articles import Article
from newsqa.index.dedup import DUPLICATE_JACCARD, DuplicateIndex, from_hex, signature, similarity, to_hex
from newsqa.index.embed import HashingEmbedder
from newsqa.index.ingest import ingest
from newsqa.index.store import Store

_STORY = (
    "The lighthouse keepers' union in Port Averly agreed on Thursday to a new four-year contract. "
    "The deal raises pay by 6 percent in the first year and adds a night-shift allowance. "
    "Union leader Mira Castell said members approved it by 212 votes to 40. "
    "The harbour authority, which runs the six lighthouses on the coast, had offered 4 percent in March. "
    "Talks broke down twice before a mediator from the labour ministry joined them in May. "
    "Keepers had threatened to switch off the lamps for one night a week from September. "
    "The authority said the contract would cost it about 1.3 million a year. "
    "Shipping companies welcomed the agreement, saying the threat had raised insurance quotes."
)
_OTHER = (
    "A rare comet will pass close enough to be seen without a telescope next week, astronomers said. "
    "It last came this near more than two thousand years ago. Observers in the southern hemisphere "
    "will have the best view in the hour before dawn, weather permitting."
)


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def embed(self, texts):
        self.texts.extend(texts)
        return super().embed(texts)


def _outlets() -> list[Article]:
    """One wire story under three outlets: each adds its own credit line and headline."""
    return [
        Article(id="wire-a", title="Lighthouse keepers accept new contract", body=_STORY + "\n\nCredit: Tidewire.",
                source="tidewire.example", url="https://tidewire.example/keepers",
                published_at=datetime(2026, 5, 14)),
        Article(id="paper-b", title="Keepers' union backs four-year deal", body=_STORY + "\n\nBy Coast Daily staff.",
                source="coastdaily.example", url="https://coastdaily.example/a/keepers",
                published_at=datetime(2026, 5, 14)),
        Article(id="site-c", title="Port Averly lighthouse deal approved", body="UPDATED. " + _STORY,
                source="harbourpost.example", url="https://harbourpost.example/news/1",
                published_at=datetime(2026, 5, 15)),
    ]


def test_signatures_estimate_jaccard() -> None:
    a, b = signature(_STORY), signature(_STORY + " One more closing line of text here.")
    assert similarity(a, a) == 1.0
    assert similarity(a, b) >= DUPLICATE_JACCARD
    assert similarity(a, signature(_OTHER)) < 0.2
    assert np.array_equal(from_hex(to_hex(a)), a)
    assert from_hex("zz") is None and from_hex("00") is None


def test_duplicate_index_finds_only_close_matches() -> None:
    idx = DuplicateIndex()
    idx.add("story", signature(_STORY))
    idx.add("comet", signature(_OTHER))
    assert idx.find(signature("Breaking. " + _STORY)) == "story"
    assert idx.find(signature(_STORY), exclude="story") is None
    half = " ".join(_STORY.split()[: len(_STORY.split()) // 2]) + " " + _OTHER
    assert idx.find(signature(half)) is None
    idx.discard("story")
    assert idx.find(signature(_STORY)) is None and len(idx) == 1


def test_three_outlets_ingest_as_one_group_embedded_once(settings) -> None:
    emb = CountingEmbedder()
    report = ingest([*_outlets(), Article(id="comet", title="Comet", body=_OTHER)], settings, emb)
    assert sorted(report.added) == ["comet", "paper-b", "site-c", "wire-a"]
    assert sorted(report.duplicates) == [("paper-b", "wire-a"), ("site-c", "wire-a")]
    store = Store(settings, emb.fingerprint)
    infos = store.article_infos()
    assert infos["paper-b"].n_chunks == infos["site-c"].n_chunks == 0
    assert {c.article_id for c in store.iter_chunks()} == {"wire-a", "comet"}
    assert sum("lighthouse" in t.lower() for t in emb.texts) == infos["wire-a"].n_chunks  # embedded once
    groups = store.duplicates_of(["wire-a", "comet"])
    assert [m.id for m in groups["wire-a"]] == ["paper-b", "site-c"] and "comet" not in groups

    again = ingest(_outlets(), settings, emb)  # unchanged: nothing embedded, groups kept
    assert sorted(again.unchanged) == ["paper-b", "site-c", "wire-a"] and again.chunks_written == 0


def test_a_later_batch_joins_the_group_of_an_earlier_one(settings) -> None:
    a, b, c = _outlets()
    ingest([a], settings, HashingEmbedder())
    report = ingest([b, c], settings, HashingEmbedder())
    assert sorted(report.duplicates) == [("paper-b", "wire-a"), ("site-c", "wire-a")]


def test_removing_the_indexed_article_removes_its_duplicates(settings) -> None:
    ingest(_outlets(), settings, HashingEmbedder())
    store = Store(settings, "hash:256")
    assert sorted(store.remove_articles(["wire-a"])) == ["paper-b", "site-c", "wire-a"]
    assert store.count_articles() == 0 and store.count_chunks() == 0
    report = ingest(_outlets()[1:], settings, HashingEmbedder())  # re-ingested: one of them is indexed
    assert sorted(report.added) == ["paper-b", "site-c"] and report.duplicates == [("site-c", "paper-b")]


def test_a_changed_duplicate_that_no_longer_matches_is_indexed(settings) -> None:
    ingest(_outlets(), settings, HashingEmbedder())
    b = _outlets()[1]
    rewritten = Article(id=b.id, title=b.title, body=_OTHER + " A local angle nobody else ran.", source=b.source)
    report = ingest([rewritten], settings, HashingEmbedder())
    assert report.updated == ["paper-b"] and report.duplicates == []
    store = Store(settings, "hash:256")
    assert store.article_infos(["paper-b"])["paper-b"].dup_of == ""
    assert [m.id for m in store.duplicates_of(["wire-a"])["wire-a"]] == ["site-c"]


def test_indexed_article_that_becomes_a_duplicate_releases_its_group(settings) -> None:
    ingest(_outlets(), settings, HashingEmbedder())
    ingest([Article(id="first", title="Comet", body=_OTHER)], settings, HashingEmbedder())
    a = _outlets()[0]
    # wire-a is rewritten into the comet story: nothing holds its old group's text any more, so its
    # members are removed and reported rather than listed under a story they don't tell
    changed = Article(id=a.id, title=a.title, body=_OTHER, source=a.source)
    report = ingest([changed], settings, HashingEmbedder())
    assert report.duplicates == [("wire-a", "first")] and sorted(report.regrouped) == ["paper-b", "site-c"]
    assert "ingest them again" in report.summary()
    store = Store(settings, "hash:256")
    assert [m.id for m in store.duplicates_of(["first"])["first"]] == ["wire-a"]
    again = ingest(_outlets()[1:], settings, HashingEmbedder())
    assert sorted(again.added) == ["paper-b", "site-c"] and again.duplicates == [("site-c", "paper-b")]


@pytest.mark.parametrize("schema", [1, 3])
def test_a_store_of_another_schema_is_refused_with_the_way_out(settings, schema) -> None:
    from newsqa.index.store import StoreError

    ingest(_outlets()[:1], settings, HashingEmbedder())
    store = Store(settings, "hash:256")
    store._write_state(schema=schema)
    with pytest.raises(StoreError, match="ingest the articles again"):
        Store(settings, "hash:256")


def test_list_and_stats_show_the_groups(settings, capsys, monkeypatch) -> None:
    from newsqa.cli import main

    ingest([*_outlets(), Article(id="comet", title="Comet", body=_OTHER)], settings, HashingEmbedder())
    monkeypatch.setenv("NEWSQA_EMBEDDER", "hash")
    store = ["--store", str(settings.store)]
    assert main(["list", "--groups", *store]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("wire-a\ttidewire.example")
    assert sorted(line.split("\t")[1] for line in out[1:]) == ["paper-b", "site-c"]
    assert main(["list", *store]) == 0
    listing = capsys.readouterr().out
    assert "duplicate of wire-a" in listing and "comet" in listing
    assert main(["stats", "--json", *store]) == 0
    stats = __import__("json").loads(capsys.readouterr().out)
    assert (stats["duplicate_groups"], stats["near_duplicates"], stats["articles"]) == (1, 2, 4)
    assert main(["remove", "wire-a", *store]) == 0
    assert "removed paper-b (a near-duplicate" in capsys.readouterr().out
