from pathlib import Path

from newsqa.index.articles import Chunk
from newsqa.index.lexical import LexicalFilter, LexicalIndex, tokenize


def _chunk(cid: str, text: str, article: str = "a", source: str = "S", ts: int = 0) -> Chunk:
    return Chunk(id=cid, article_id=article, ordinal=0, text=text, char_start=0, char_end=len(text),
                 source=source, published_ts=ts)


def test_tokenize_normalises_numbers_and_plurals():
    assert tokenize("The drones cost 1,000 dollars in Q1 2021") == ["drone", "cost", "1000", "dollar", "q1", "2021"]


def test_bm25_ranks_rarer_matching_terms_higher():
    idx = LexicalIndex()
    idx.add([_chunk("1", "Putin offered to mediate between Israel and Iran."),
             _chunk("2", "Israel and Iran exchanged strikes."),
             _chunk("3", "The weather in Moscow was mild.")])
    hits = idx.search("Who offered to mediate?", 3)
    assert hits[0][0] == "1"
    assert [h[0] for h in idx.search("Israel Iran", 3)] == ["2", "1"] or {h[0] for h in idx.search("Israel Iran", 3)} == {"1", "2"}
    assert idx.search("completely unrelated zebra", 3) == []


def test_remove_and_filters():
    idx = LexicalIndex()
    idx.add([_chunk("1", "nuclear talks", article="a", source="X", ts=100),
             _chunk("2", "nuclear plant", article="b", source="Y", ts=200)])
    assert {h[0] for h in idx.search("nuclear", 5, LexicalFilter(sources=frozenset({"Y"})))} == {"2"}
    assert {h[0] for h in idx.search("nuclear", 5, LexicalFilter(since_ts=150))} == {"2"}
    assert {h[0] for h in idx.search("nuclear", 5, LexicalFilter(until_ts=150))} == {"1"}
    assert {h[0] for h in idx.search("nuclear", 5, LexicalFilter(article_ids=frozenset({"a"})))} == {"1"}
    assert idx.remove_article("a") == 1
    assert [h[0] for h in idx.search("nuclear", 5)] == ["2"]
    assert len(idx) == 1


def test_save_and_load_round_trip(tmp_path: Path):
    idx = LexicalIndex()
    idx.add([_chunk(str(i), f"story number {i} about topic{i % 3}") for i in range(50)])
    idx.remove(["7"])
    idx.save(tmp_path, "tok-1")
    loaded, token = LexicalIndex.load(tmp_path)
    assert token == "tok-1" and len(loaded) == 49
    assert loaded.search("topic1", 100) == idx.search("topic1", 100)
    (tmp_path / "bm25.npz").write_bytes(b"garbage")
    assert LexicalIndex.load(tmp_path) is None
