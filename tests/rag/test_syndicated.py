"""One story under three outlets, through the whole product: one group in the store, one embedding
of its text, and an answer whose source lists all three outlets."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from newsqa.index.articles import Article
from newsqa.index.embed import HashingEmbedder
from newsqa.index.ingest import ingest
from newsqa.index.store import Store
from newsqa.rag.qa import build_qa
from newsqa.settings import Settings

_STORY = (
    "The town of Welmere will open a floating solar farm on its old quarry lake in October, the "
    "council announced on Tuesday. The farm's 9,000 panels are expected to power about 2,400 homes. "
    "Construction cost 14 million euros, shared between the council and a regional energy fund. "
    "Councillor Ines Bakker said the lake was chosen because the quarry had left it too deep for "
    "swimming. Fishermen's groups had asked for a survey of the lake's pike population first. "
    "The survey found no harm to the fish, and the council approved the plan in January."
)
_OUTLETS = [("Lakeside Herald", "herald"), ("Energy Wire", "energywire"), ("Welmere Post", "post")]
_OTHERS = [
    ("Museum reopens after roof repairs", "The city museum reopened on Saturday after two years of "
     "roof repairs. Visitors queued for an hour to see the restored ceiling paintings."),
    ("Cycling race changes its route", "Organisers moved the final stage of the spring cycling race "
     "away from the coast road, which is closed for bridge works until August."),
]


def _corpus() -> list[Article]:
    syndicated = [
        Article(id=f"solar-{slug}", title=f"Welmere's floating solar farm to open ({name})",
                body=f"{_STORY}\n\nReporting by the {name} newsroom.", source=name,
                url=f"https://{slug}.example/solar", published_at=datetime(2026, 6, 2 + i))
        for i, (name, slug) in enumerate(_OUTLETS)
    ]
    others = [Article(id=f"other-{i}", title=t, body=b, source="City Desk") for i, (t, b) in enumerate(_OTHERS)]
    return [*syndicated, *others]


class _Counting(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def embed(self, texts):
        self.texts.extend(texts)
        return super().embed(texts)


def _check_answer(qa, question: str, answered: bool = True) -> None:
    """The answer's first solar passage names all three outlets; with `answered`, it is cited by an
    answer (the hashing embedder's support scores are too crude to answer, not to retrieve)."""
    ans = qa.ask(question)
    data = ans.to_json()
    cited = {n for s in data["sentences"] for n in s["citations"]} if answered else {1}
    if answered:
        assert not ans.refused, ans.text
        assert "2,400" in ans.text
    sources = [c for c in data["citations"] if c["n"] in cited and c["article_id"].startswith("solar-")]
    assert sources, data["citations"]
    outlets = {sources[0]["source"], *(m["source"] for m in sources[0]["also_in"])}
    assert outlets == {name for name, _ in _OUTLETS}
    assert all(m["url"].startswith("https://") and m["article_id"].startswith("solar-")
               for m in sources[0]["also_in"])
    json.dumps(data)  # the API returns it as JSON


def test_three_outlets_one_group_one_embedding_answer_lists_all(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store", embedder="hash")
    emb = _Counting()
    report = ingest(_corpus(), settings, emb)
    assert len(report.duplicates) == 2 and {t for _, t in report.duplicates} == {"solar-herald"}
    assert sum("floating solar farm" in t for t in emb.texts) == \
        Store(settings, emb.fingerprint).article_infos(["solar-herald"])["solar-herald"].n_chunks
    qa = build_qa(settings, embedder=emb)
    _check_answer(qa, "How many homes will the floating solar farm in Welmere power?", answered=False)


@pytest.mark.slow
def test_three_outlets_with_the_real_model_and_chroma(tmp_path: Path, real_embedder) -> None:
    settings = Settings(store=tmp_path / "store")
    report = ingest(_corpus(), settings, real_embedder)
    assert sorted(report.duplicates) == [("solar-energywire", "solar-herald"), ("solar-post", "solar-herald")]
    store = Store(settings, real_embedder.fingerprint)
    assert {c.article_id for c in store.iter_chunks()} == {"solar-herald", "other-0", "other-1"}
    qa = build_qa(settings, store=store, embedder=real_embedder)
    _check_answer(qa, "How many homes will Welmere's floating solar farm power?")
