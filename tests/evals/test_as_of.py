"""Question files' as_of days: the eval runner and `newsqa ask --questions` ask each question as of
its own day; `--ignore-as-of` asks them all as of today; `newsqa ask --as-of` sets the day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsqa.evals.run import run_eval
from newsqa.settings import Settings

ARTICLES = [
    {"id": "oil-may", "title": "Heating oil prices", "source": "Energy Wire", "date": "2024-05-06",
     "body": "The average price of heating oil rose to 1.14 euros per litre, the energy office said."},
    {"id": "oil-june", "title": "Heating oil prices", "source": "Energy Wire", "date": "2024-06-10",
     "body": "The average price of heating oil fell to 1.07 euros per litre, the energy office said."},
]
QUESTIONS = [
    {"id": "w1", "question": "What was the average price of heating oil this week?",
     "answers": [["1.07 euros"]], "evidence_ids": ["oil-june"], "as_of": "2024-06-12"},
    {"id": "w2", "question": "What was the average price of heating oil this week?",
     "answers": [["1.14 euros"]], "evidence_ids": ["oil-may"], "as_of": "2024-05-08"},
]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    q = tmp_path / "q.jsonl"
    a = tmp_path / "a.jsonl"
    q.write_text("".join(json.dumps(r) + "\n" for r in QUESTIONS), encoding="utf-8")
    a.write_text("".join(json.dumps(r) + "\n" for r in ARTICLES), encoding="utf-8")
    return q, a


def test_each_question_is_asked_as_of_its_own_day(settings: Settings, files: tuple[Path, Path]) -> None:
    q, a = files
    result = run_eval(q, settings, articles=[str(a)])
    recs = {r["id"]: r for r in result.records}
    assert recs["w1"]["as_of"] == "2024-06-12" and recs["w2"]["as_of"] == "2024-05-08"
    assert recs["w1"]["time_window"]["start"] == "2024-06-06"
    assert recs["w1"]["retrieved"] == ["oil-june"] and recs["w2"]["retrieved"] == ["oil-may"]
    assert result.aggregates["overall"]["answer_correctness"] == 1.0
    assert result.meta["as_of"] == "each question's as_of"

    # as of today no article is from "this week": both are refused
    ignored = run_eval(q, settings, articles=[str(a)], ignore_as_of=True)
    assert all(r["refused"] for r in ignored.records)
    assert ignored.aggregates["overall"]["answer_correctness"] == 0.0
    assert ignored.meta["as_of"] == "ignored (today)"


def test_cli_as_of_and_question_files(tmp_path: Path, files: tuple[Path, Path],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    from newsqa.cli import main

    q, a = files
    store = ["--store", str(tmp_path / "store"), "--embedder", "hash"]
    assert main(["ingest", "--quiet", *store, str(a)]) == 0
    capsys.readouterr()
    question = "What is the latest average price of heating oil?"
    assert main(["ask", "--json", "--as-of", "2024-05-20", *store, question]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == "2024-05-20" and out["time_window"]["recency"] is True
    assert out["standalone_question"] == question
    assert "1.14 euros" in out["answer"] and out["answer_date"] == "2024-05-06"
    assert out["retrieved"] == ["oil-may"]  # the June article is after the day of asking

    assert main(["ask", *store, "--as-of", "2024-06-11", question]) == 0
    text = capsys.readouterr().out
    assert "1.07 euros" in text and "(as of 10 June 2024)" in text
    assert "(understood as: latest = up to 11 June 2024, newest first)" in text

    # a file's own as_of wins over --as-of
    assert main(["ask", "--json", "--questions", str(q), "--as-of", "2020-01-01", *store]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert ["1.07 euros" in lines[0]["answer"], "1.14 euros" in lines[1]["answer"]] == [True, True]

    with pytest.raises(SystemExit, match="--as-of: dates are YYYY-MM-DD"):
        main(["ask", *store, "--as-of", "June 11", question])
