"""The question sets of our own (evals/data/written*) load through the product's loaders, and each
answerable question's accepted answer is in its evidence article: a set whose answers its articles
do not hold would score the product on typing, not on reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsqa.evals.metrics import answer_correct
from newsqa.evals.questions import load_questions
from newsqa.index.articles import Article
from newsqa.index.load import iter_inputs
from newsqa.settings import Settings

DATA = Path(__file__).resolve().parents[2] / "evals" / "data"
SETS = sorted(p.name for p in DATA.glob("written*") if (p / "questions.jsonl").is_file())


def test_the_sets_are_there() -> None:
    assert {"written", "written-heldout", "written-heldout2", "written-heldout3", "written-heldout4",
            "written-heldout5", "written-probe"} <= set(SETS)


@pytest.mark.parametrize("name", SETS)
def test_every_answer_is_in_its_evidence_article(name: str) -> None:
    folder = DATA / name
    articles = {a.id: a for a in iter_inputs([str(folder / "articles")], Settings())
                if isinstance(a, Article)}
    questions = load_questions(folder / "questions.jsonl")
    assert len({q.id for q in questions}) == len(questions)
    assert any(not q.answerable for q in questions)
    for q in questions:
        if not q.answerable:
            assert not q.evidence_ids, q.id
            continue
        assert q.evidence_ids and all(e in articles for e in q.evidence_ids), q.id
        text = "\n".join(articles[e].title + "\n" + articles[e].body for e in q.evidence_ids)
        assert answer_correct(text, q.answers), q.id
