"""Readers' feedback exported as an evaluation set, and that set run by `newsqa eval`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tiny_eval_set import ARTICLES

from newsqa.cli import main
from newsqa.evals.feedback_export import accepted_answer, export_feedback
from newsqa.evals.questions import load_questions
from newsqa.rag.feedback import Feedback, FeedbackStore, make_feedback
from newsqa.settings import Settings


def _json(question: str, text: str, article: str = "a1", short: str | None = None, refused: bool = False,
          as_of: str = "2026-02-10") -> dict:
    return {"question": question, "answer": text, "refused": refused, "as_of": as_of,
            "short_answer": {"text": short, "n": 1, "start": 0, "end": len(short)} if short else None,
            "sentences": [{"text": text, "citations": [] if refused else [1], "supported": not refused}],
            "citations": [{"n": 1, "article_id": article, "text": text}]}


def _fb(i: int, rating: str, answer: dict, user: str = "", turns: tuple[str, ...] = (), note: str = "") -> Feedback:
    fb = make_feedback(rating, answer, user=user, turns=turns, note=note)
    return Feedback(**{**fb.__dict__, "id": i})


def test_accepted_answer_prefers_the_short_answer_then_the_first_supported_cited_sentence():
    assert accepted_answer(_json("Q?", "Long sentence here.", short="Short")) == (["Short"], ["a1"])
    two = _json("Q?", "First.")
    two["sentences"] = [{"text": "Unsupported one.", "citations": [1], "supported": False},
                        {"text": "Supported one.", "citations": [2], "supported": True}]
    two["citations"].append({"n": 2, "article_id": "a2"})
    assert accepted_answer(two) == (["Supported one."], ["a1", "a2"])
    assert accepted_answer(_json("Q?", "Nothing cited.", refused=True)) is None
    # a compound question's short answers are one part each
    both = _json("Where is the plant, and who runs it?", "The plant is in Vellin and Ana Moss runs it.",
                 short="Vellin")
    both["short_answers"] = [both["short_answer"], {"text": "Ana Moss", "n": 1, "start": 30, "end": 38}]
    assert accepted_answer(both) == (["Vellin", "Ana Moss"], ["a1"])


def test_grouping_latest_verdict_per_reader_and_review():
    rows = [
        _fb(1, "up", _json("Where is the plant?", "The plant is in Vellin.")),
        _fb(2, "up", _json("Where is the plant?", "The plant is in Vellin."), user="bo"),
        _fb(3, "up", _json("Who runs it?", "Ana Moss runs it.")),
        _fb(4, "down", _json("Who runs it?", "Ana Moss runs it."), note="she left in 2025"),  # same reader changed mind
        _fb(5, "wrong_citation", _json("How big is it?", "It is big."), user="cy"),
        _fb(6, "up", _json("How big is it?", "It is big.")),  # another reader: still goes to review
        _fb(7, "up", _json("Is there a moon base?", "The indexed articles don't answer this.", refused=True)),
        _fb(8, "up", _json("And its output?", "It makes 40 vans a day.", short="40 vans"), turns=("Where is the plant?",)),
        _fb(9, "up", _json("Where is the plant?", "The plant is in Vellin.", as_of="2027-01-01")),  # another day
    ]
    out = export_feedback(rows)
    by_q = {(q["question"], q.get("as_of")): q for q in out.questions}
    assert set(by_q) == {("Where is the plant?", "2026-02-10"), ("Is there a moon base?", "2026-02-10"),
                         ("And its output?", "2026-02-10"), ("Where is the plant?", "2027-01-01")}
    plant = by_q[("Where is the plant?", "2026-02-10")]
    assert plant["answers"] == [["The plant is in Vellin."]] and plant["evidence_ids"] == ["a1"]
    assert plant["answerable"] is True and plant["feedback_ids"] == [1, 2] and plant["type"] == "feedback"
    moon = by_q[("Is there a moon base?", "2026-02-10")]
    assert (moon["answers"], moon["evidence_ids"], moon["answerable"]) == ([], [], False)
    output = by_q[("And its output?", "2026-02-10")]
    assert output["answers"] == [["40 vans"]] and output["turns"] == ["Where is the plant?"]
    assert len({q["id"] for q in out.questions}) == 4
    review = {r["question"]: r for r in out.review}
    assert set(review) == {"Who runs it?", "How big is it?"}
    assert review["Who runs it?"]["notes"] == ["she left in 2025"] and review["Who runs it?"]["reason"] == "rated down"
    assert review["How big is it?"]["users"] == ["cy"] and "wrong citation" in review["How big is it?"]["reason"]


@pytest.fixture
def store_with_feedback(tmp_path: Path) -> Settings:
    """A store of the tiny test articles, with readers' verdicts on real answers from it."""
    from newsqa.index.embed import HashingEmbedder
    from newsqa.index.ingest import ingest
    from newsqa.rag.qa import build_qa

    articles = tmp_path / "articles.jsonl"
    articles.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    # the rule backend: the hashing embedder's similarities mean nothing to the learned refusal,
    # which may then refuse what the tiny articles answer; the round trip is what is tested here
    settings = Settings(store=tmp_path / "store", embedder="hash", backend="extractive")
    emb = HashingEmbedder()
    qa = build_qa(settings, embedder=emb)
    ingest([str(articles)], settings, emb, store=qa.store)
    fbs = FeedbackStore.for_settings(settings)
    good = qa.ask("In which year did the Danube flood Passau?")
    assert not good.refused
    fbs.add(make_feedback("up", good.to_json(), user="ines"))
    employ = qa.ask("How many people does the Lyon plant employ?")
    assert not employ.refused
    fbs.add(make_feedback("up", employ.to_json(), user="omar"))
    fbs.add(make_feedback("up", qa.ask("What colour is the Lyon mayor's bicycle?").to_json(), user="ines"))
    fbs.add(make_feedback("down", qa.ask("Who won the Oslo chess open?").to_json(), user="omar",
                          note="should name the runner-up too"))
    return settings


def test_cli_exports_feedback_and_eval_runs_it(store_with_feedback: Settings, tmp_path: Path, capsys):
    store = str(store_with_feedback.store)
    assert main(["feedback", "list", "--store", store, "--embedder", "hash"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 4 and "thumbs down" in listed[3] and "note: should name the runner-up too" in listed[3]
    assert main(["feedback", "list", "--json", "--rating", "down", "--store", store]) == 0
    (only,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert only["user"] == "omar" and only["answer"]["question"] == "Who won the Oslo chess open?"

    out, review = tmp_path / "feedback.jsonl", tmp_path / "review.jsonl"
    assert main(["feedback", "export", "--out", str(out), "--review", str(review), "--store", store]) == 0
    printed = capsys.readouterr().out
    assert "wrote 3 question(s)" in printed and "1 answer(s) to review" in printed
    questions = load_questions(out)
    assert len(questions) == 3
    assert [q.answerable for q in questions].count(False) == 1  # the approved refusal
    assert [json.loads(line)["question"] for line in review.read_text().splitlines()] == ["Who won the Oslo chess open?"]

    report_dir = tmp_path / "eval-out"
    assert main(["eval", "--questions", str(out), "--store", store, "--embedder", "hash",
                 "--backend", "extractive", "--out", str(report_dir)]) == 0
    report = json.loads((report_dir / "report.json").read_text())
    overall = report["aggregates"]["product"]["overall"]
    # nothing changed since the readers approved these answers, so every one comes back, and the
    # approved refusal is a refusal again
    assert overall["n"] == 3
    assert overall["answer_correctness"] == 1.0 and overall["hit@5"] == 1.0
    assert overall["refusal_recall"] == 1.0 and overall["refusal_precision"] == 1.0
    assert sorted(r["id"] for r in report["questions"]) == sorted(q.id for q in questions)


def test_export_with_no_feedback_writes_an_empty_set(tmp_path: Path, capsys):
    out = tmp_path / "none.jsonl"
    assert main(["feedback", "export", "--out", str(out), "--store", str(tmp_path / "store")]) == 0
    assert out.read_text() == "" and "wrote 0 question(s)" in capsys.readouterr().out
