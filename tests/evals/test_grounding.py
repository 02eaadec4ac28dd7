"""How much of a question set the articles can ground (evals/grounding.py)."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

from newsqa.evals.grounding import band_of, grounding, main, report_lines
from newsqa.evals.questions import Question
from newsqa.index.articles import Article


def _article(title: str, body: str, day: date) -> Article:
    return Article(id=title[:8], title=title, body=body,
                   published_at=datetime(day.year, day.month, day.day, tzinfo=timezone.utc))


ARTICLES = [
    _article("Kites end long wait", "The Varrow Kites won the Ostrel Cup on Saturday. "
             "A crowd of 14,250 watched at the Saltmere Arena.", date(2026, 3, 7)),
    _article("Harbour news", "The harbour board met on Monday. Gulls were seen near the Kites' old ground.",
             date(2026, 3, 2)),
    _article("Later report", "The Lanterns won the Ostrel Cup final replay.", date(2026, 3, 20)),
]


def test_each_answerable_question_gets_its_best_answer_holding_sentence() -> None:
    qs = [Question(evidence_ids=[], id="a", question="Which team won the Ostrel Cup?", answers=[["Varrow Kites", "Kites"]],
                   as_of=date(2026, 3, 10)),
          Question(evidence_ids=[], id="b", question="Who were the Lanterns' coaches?", answers=[["Ada Lind"]]),
          Question(evidence_ids=[], id="c", question="Who won the replay?", answers=[["Lanterns"]], as_of=date(2026, 3, 10)),
          Question(evidence_ids=[], id="d", question="Who won?", answers=[], answerable=False)]
    rows = {r.question_id: r for r in grounding(qs, ARTICLES)}
    assert set(rows) == {"a", "b", "c"}  # unanswerable questions are not counted
    # the sentence with the answer and the question's words (all but "team": 3 of 4 lemmas), not the
    # one with the answer alone ("the Kites' old ground")
    assert rows["a"].sentence.startswith("The Varrow Kites won") and rows["a"].coverage == 0.75
    assert rows["b"].coverage == -1.0 and rows["b"].sentence == ""  # no sentence holds the answer
    # the replay's report is dated after the as-of day
    assert rows["c"].coverage == -1.0


def test_bands_and_the_report_s_right_answers_per_band(tmp_path: Path, capsys) -> None:
    assert [band_of(x) for x in (-1.0, 0.0, 0.3, 0.5, 1.0)] == [0, 0, 1, 2, 2]
    qs = [Question(evidence_ids=[], id="a", question="Which team won the Ostrel Cup?", answers=[["Varrow Kites"]],
                   as_of=date(2026, 3, 10)),
          Question(evidence_ids=[], id="b", question="Who were the Lanterns' coaches?", answers=[["Ada Lind"]])]
    lines = report_lines(grounding(qs, ARTICLES), {"a": True, "b": False})
    assert lines[0].startswith("coverage 0.00-0.25: 1 questions (1 without") and lines[0].endswith("right 0")
    assert lines[2].startswith("coverage 0.50-1.00: 1 questions") and lines[2].endswith("right 1")
    # the command reads a question file and the articles as `newsqa ingest` reads them
    qfile = tmp_path / "q.jsonl"
    qfile.write_text("\n".join(json.dumps({"id": q.id, "question": q.question, "answers": q.answers,
                                           "answerable": True, "as_of": "2026-03-10", "evidence_ids": []}) for q in qs))
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "kites.txt").write_text("Title: Kites end long wait\nDate: 2026-03-07\n\n"
                                      "The Varrow Kites won the Ostrel Cup on Saturday.\n")
    assert main(["--questions", str(qfile), "--articles", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "2 answerable questions (all), 1 articles" in out and "coverage 0.50-1.00: 1 questions" in out
