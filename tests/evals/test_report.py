"""Reports: files written, HTML self-contained and escaped, the console table, --compare markers
and --fail-under exit codes through the CLI."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from tiny_eval_set import QUESTIONS, XSS_QUESTION, write_tiny_set

from newsqa.cli import main
from newsqa.evals.metrics import METRICS, wilson_interval
from newsqa.evals.report import (
    METRIC_DIRECTIONS, bar_chart, check_fail_under, compare_reports, format_comparison, format_table,
    histogram, parse_fail_under, refusal_reasons, render_html, write_report,
)
from newsqa.evals.run import run_eval
from newsqa.settings import Settings


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("report")
    questions, articles = write_tiny_set(tmp / "set")
    result = run_eval(questions, Settings(store=tmp / "store", embedder="hash"), articles=[str(articles)],
                      baseline=True)
    return result.to_report()


def test_report_json_and_html_files(report: dict[str, Any], tmp_path: Path) -> None:
    json_path, html_path = write_report(report, tmp_path / "out")
    assert json_path == tmp_path / "out" / "report.json" and html_path.name == "report.html"
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert set(data) == {"aggregates", "questions", "baseline_questions", "meta"}
    assert set(data["aggregates"]) == {"product", "baseline", "support_scorer"}
    for side in ("product", "baseline"):
        assert set(data["aggregates"][side]["overall"]) >= set(METRICS)
        assert set(data["aggregates"][side]["by_type"]) == {q["type"] for q in QUESTIONS}
    assert data["aggregates"]["support_scorer"]["accuracy"] is not None
    assert [r["id"] for r in data["questions"]] == [q["id"] for q in QUESTIONS]
    assert [r["id"] for r in data["baseline_questions"]] == [q["id"] for q in QUESTIONS]
    for key in ("question_file", "article_source", "backend", "k", "store", "timestamp", "machine"):
        assert key in data["meta"], key


def test_html_is_self_contained_and_escaped(report: dict[str, Any]) -> None:
    page = render_html(report)
    # the question text is shown, escaped, and never becomes markup
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    assert XSS_QUESTION not in page
    # nothing is fetched: no external scripts, stylesheets, fonts or images
    assert not re.search(r"""(src|href)\s*=|@import|url\(|<link\b""", page, re.I)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    # charts: by type, latency per stage, latency histogram, product vs baseline (twice)
    assert page.count("<svg") == 5
    for title in ("Answer correctness and hit@5 by question type", "Latency per stage",
                  "latency histogram", "Product vs baseline"):
        assert title in page
    # per-question table: every id, and the citation passages behind the answers
    for q in QUESTIONS:
        assert f"<td>{q['id']}</td>" in page
    assert "Questions (baseline)" in page


def test_html_escapes_answers_and_passages() -> None:
    evil = "<img src=x onerror=alert(1)>"
    rep = {
        "aggregates": {"product": {"overall": {"n": 1}, "by_type": {evil: {"n": 1}}, "latency": {}},
                       "support_scorer": {"n": 0, "by_kind": {}}},
        "questions": [{"id": evil, "question": evil, "answer": evil + " [1]", "refused": False,
                       "sentences": [{"text": evil, "citations": [1]}],
                       "citations": [{"n": 1, "title": evil, "text": evil}],
                       "timings_ms": {"total": 5.0},
                       "eval": {"type": evil, "answerable": True, "expected": [[evil]], "turns": [evil],
                                "correct": False}}],
        "baseline_questions": [], "meta": {"question_file": evil},
    }
    page = render_html(rep)
    assert "<img" not in page and "onerror=alert(1)&gt;" in page


def test_refusals_are_counted_by_reason_and_shown_with_the_closest_sentence() -> None:
    evil = "<b>bold</b>"
    def record(i: int, answerable: bool, reason: str | None, closest: str = "") -> dict[str, Any]:
        refusal = None if reason is None else {"reason": reason, "closest": {"text": closest, "citations": [1]}
                                               if closest else None}
        return {"id": f"q{i}", "question": "Q?", "answer": "", "refused": reason is not None,
                "sentences": [], "citations": [], "timings_ms": {"total": 1.0},
                **({"refusal": refusal} if refusal else {}),
                "eval": {"type": "who", "answerable": answerable, "expected": [], "turns": []}}
    rep = {"aggregates": {"product": {"overall": {"n": 5}, "by_type": {}, "latency": {}},
                          "support_scorer": {"n": 0, "by_kind": {}}},
           "questions": [record(1, True, "no sentence answers the question (score 0.31, below 0.41)", evil),
                         record(2, False, "no sentence answers the question (score 0.05, below 0.41)"),
                         record(3, False, "the passages are about something else"),
                         record(4, True, "the passages are about something else; no passage names it"),
                         record(5, True, None)],
           "baseline_questions": [], "meta": {}}
    assert refusal_reasons(rep) == [("no sentence answers the question", 1, 1),
                                    ("the passages are about something else", 1, 1),
                                    ("no passage names it", 1, 0)]
    table = format_table(rep)
    assert "Refused because" in table and "no passage names it" in table
    page = render_html(rep)
    assert "closest: &lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold" not in page
    assert "no sentence answers the question (score 0.31, below 0.41)" in page


def test_console_table(report: dict[str, Any]) -> None:
    table = format_table(report)
    lines = table.splitlines()
    assert lines[0] == "Overall" and "product" in lines[1] and "baseline" in lines[1]
    for name in METRICS:
        assert any(line.split()[:1] == [name] for line in lines), name
    for t in {q["type"] for q in QUESTIONS}:
        assert any(line.startswith(t + " ") for line in lines), t
    assert "Support scorer on" in table and "Latency p50/p95" in table
    # product/baseline cells by type line up under their headers
    header = next(line for line in lines if line.startswith("type"))
    row = next(line for line in lines if line.startswith("who"))
    assert len(row) == len(header)
    # a share of questions shows how many questions it is of, and its 95 % interval
    k, n = report["aggregates"]["product"]["counts"]["answered_rate"]
    lo, hi = wilson_interval(k, n)
    answered = next(line for line in lines if line.startswith("answered_rate "))
    assert answered.split()[-2:] == [f"{k}/{n}", f"{lo:.2f}-{hi:.2f}"]
    assert next(line for line in lines if line.startswith("mrr ")).split()[-1] != f"{k}/{n}"
    assert "95% interval" in lines[1] and "95% interval" in render_html(report)


def _with(report: dict[str, Any], **values: Any) -> dict[str, Any]:
    out = copy.deepcopy(report)
    out["aggregates"]["product"]["overall"].update(values)
    return out


def test_compare_markers(report: dict[str, Any]) -> None:
    old = _with(report, **{"hit@5": 0.5, "answer_correctness": 0.8, "latency_p50_ms": 10.0,
                           "unsupported_share": 0.2, "citation_recall": 0.9, "refusal_recall": None})
    new = _with(report, **{"hit@5": 0.75, "answer_correctness": 0.6, "latency_p50_ms": 20.0,
                           "unsupported_share": 0.1, "citation_recall": 0.9, "refusal_recall": 1.0})
    rows = {name: (a, b, marker) for name, a, b, marker in compare_reports(old, new)}
    assert rows["hit@5"] == (0.5, 0.75, "+")
    assert rows["answer_correctness"][2] == "-"
    assert rows["latency_p50_ms"][2] == "-"  # slower is worse
    assert rows["unsupported_share"][2] == "+"  # fewer unsupported sentences is better
    assert rows["citation_recall"][2] == "="
    assert rows["refusal_recall"][2] == ""  # nothing to compare against
    assert rows["n"][2] == ""
    text = format_comparison(compare_reports(old, new))
    assert re.search(r"hit@5\s+0\.500 -> 0\.750\s+\+$", text, re.M)
    assert re.search(r"latency_p50_ms\s+10 -> 20\s+-$", text, re.M)


def test_fail_under_parsing_and_checks(report: dict[str, Any]) -> None:
    assert parse_fail_under(["hit@5=0.9", "latency_p50_ms = 500"]) == [("hit@5", 0.9), ("latency_p50_ms", 500.0)]
    with pytest.raises(ValueError, match="unknown metric 'acc'.*answer_correctness"):
        parse_fail_under(["acc=0.9"])
    with pytest.raises(ValueError, match="not a number"):
        parse_fail_under(["hit@5=high"])
    with pytest.raises(ValueError, match="metric=value"):
        parse_fail_under(["hit@5"])
    rep = _with(report, **{"hit@5": 0.8, "latency_p50_ms": 100.0, "refusal_precision": None})
    assert check_fail_under(rep, [("hit@5", 0.8), ("latency_p50_ms", 100.0)]) == []
    msgs = check_fail_under(rep, [("hit@5", 0.81), ("latency_p50_ms", 99.0), ("refusal_precision", 0.5)])
    assert len(msgs) == 3
    assert "hit@5 = 0.800 is below the required 0.81" in msgs[0]
    assert "latency_p50_ms = 100 is above the limit 99" in msgs[1]
    assert "refusal_precision was not measured" in msgs[2]
    assert set(METRIC_DIRECTIONS) >= set(METRICS) - {"n"}


def test_charts_handle_missing_values() -> None:
    svg = bar_chart("t <b>", ["a", "b"], [("s", [0.5, None], "#000")], ymax=1.0)
    assert svg.startswith("<svg") and "n/a" in svg and "t &lt;b&gt;" in svg
    assert histogram([]) == ([], [])
    labels, counts = histogram([1.0, 2.0, 3.0, 10.0], bins=3)
    assert len(labels) == 3 and sum(c or 0 for c in counts) == 4 and counts[0] == 3


# --- the CLI -------------------------------------------------------------------------------------

@pytest.fixture
def cli_args(tmp_path: Path) -> list[str]:
    questions, articles = write_tiny_set(tmp_path / "set")
    return ["eval", "--questions", str(questions), "--articles", str(articles),
            "--store", str(tmp_path / "store"), "--embedder", "hash"]


def test_cli_writes_reports_and_passes_thresholds(cli_args: list[str], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main([*cli_args, "--out", str(out), "--fail-under", "hit@5=0.5",
                 "--fail-under", "latency_p95_ms=600000"]) == 0
    printed = capsys.readouterr().out
    assert "answer_correctness" in printed and str(out / "report.html") in printed
    assert (out / "report.json").is_file() and (out / "report.html").is_file()


def test_cli_fail_under_exit_codes(cli_args: list[str], tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*cli_args, "--out", str(tmp_path / "o1"), "--fail-under", "answer_correctness=1.01"]) == 1
    err = capsys.readouterr().err
    assert "answer_correctness" in err and "below the required 1.01" in err
    assert main([*cli_args, "--out", str(tmp_path / "o2"), "--fail-under", "latency_p50_ms=0"]) == 1
    assert "latency_p50_ms" in capsys.readouterr().err
    # an unknown metric is a usage error, reported before anything runs
    assert main([*cli_args, "--out", str(tmp_path / "o3"), "--fail-under", "accuracy=0.5"]) == 2
    err = capsys.readouterr().err
    assert "unknown metric 'accuracy'" in err and "hit@5" in err and "citation_precision" in err
    assert not (tmp_path / "o3").exists()


def test_cli_compare(cli_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*cli_args, "--out", str(tmp_path / "a")]) == 0
    old_path = tmp_path / "a" / "report.json"
    old = json.loads(old_path.read_text(encoding="utf-8"))
    old["aggregates"]["product"]["overall"]["hit@5"] = 0.1  # pretend the last run retrieved badly
    # ... and refused a question this run answers right: the paired comparison counts it
    right = [r for r in old["questions"] if r["eval"]["correct"]]
    assert right
    right[0].update(refused=True, answer="")
    old_path.write_text(json.dumps(old), encoding="utf-8")
    capsys.readouterr()
    assert main([*cli_args, "--out", str(tmp_path / "b"), "--compare", str(old_path)]) == 0
    printed = capsys.readouterr().out
    assert "Compared with the earlier report" in printed
    # the aggregate moved, no question did: a paired comparison tells the two apart
    assert re.search(r"^hit@5\s+0\.100 -> 1\.000\s+\+\s+0 better, 0 worse of \d+, p=1\.00$", printed, re.M)
    assert re.search(r"^answer_correctness\s+.* 1 better, 0 worse of \d+, p=1\.00$", printed, re.M)
    assert re.search(r"^citation_validity\s+1\.000 -> 1\.000\s+=$", printed, re.M)
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    assert main([*cli_args, "--out", str(tmp_path / "c"), "--compare", str(bad)]) == 2
    assert "not a readable report.json" in capsys.readouterr().err


def test_cli_bad_question_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    assert main(["eval", "--questions", str(bad), "--store", str(tmp_path / "s"), "--embedder", "hash"]) == 2
    assert "missing field" in capsys.readouterr().err
