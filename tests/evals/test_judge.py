"""The optional LLM judge: strict verdict parsing, and a scripted OpenAI-compatible server on
127.0.0.1 standing in for the model (no real judge in CI)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

import pytest

from newsqa.evals.judge import Judge, JudgeError, chat_url, parse_claims, parse_verdict


@pytest.mark.parametrize("reply, expected", [
    ('{"supported": true}', True),
    ('  {"supported": false}\n', False),
    ('{"supported": true, "reason": "passage 1 says so"}', True),
    ('```json\n{"supported": false}\n```', False),
    ("Yes", None),
    ("yes, it is supported", None),
    ('Yes. {"supported": true}', None),
    ('{"supported": "yes"}', None),
    ('{"supported": "true"}', None),
    ('{"supported": 1}', None),
    ('{"verdict": "yes"}', None),
    ('{"supported": true, "confidence": 0.9}', None),
    ('{"supported": true, "reason": 3}', None),
    ("[true]", None),
    ("", None),
    ('{"supported": true}{"supported": false}', None),
])
def test_parse_verdict_is_strict(reply: str, expected: bool | None) -> None:
    assert parse_verdict(reply) is expected


def test_parse_claims() -> None:
    assert parse_claims('{"claims": ["Putin offered to mediate.", " Russia is ready. "]}') == [
        "Putin offered to mediate.", "Russia is ready."]
    assert parse_claims('```\n{"claims": ["a"]}\n```') == ["a"]
    for bad in ('{"claims": []}', '{"claims": "a"}', '{"claims": ["a", ""]}', '["a"]', "a. b.",
                '{"claims": ["a"], "note": "x"}'):
        assert parse_claims(bad) is None, bad


def test_chat_url() -> None:
    assert chat_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080/v1/chat/completions"
    assert chat_url("http://h:1/v1/") == "http://h:1/v1/chat/completions"
    assert chat_url("http://h:1/v1/chat/completions") == "http://h:1/v1/chat/completions"
    with pytest.raises(JudgeError):
        Judge("127.0.0.1:8080")


class FakeJudgeServer:
    """Answers chat completions with `script(messages)`; remembers every request body."""

    def __init__(self, script: Callable[[list[dict[str, str]]], str]) -> None:
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"path": self.path, **body})
                reply = {"choices": [{"message": {"role": "assistant", "content": script(body["messages"])}}]}
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeJudgeServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


def scripted(messages: list[dict[str, str]]) -> str:
    """Splits "X and Y" sentences into two claims; verdicts keyed on words of the claim."""
    user = messages[-1]["content"]
    if "Break the answer sentence" in user:
        sentence = user.split("Answer sentence: ", 1)[1].split("\n", 1)[0]
        if " and " in sentence:
            a, b = sentence.rstrip(".").split(" and ", 1)
            return json.dumps({"claims": [a + ".", b + "."]})
        return "Sure! The claims are: " + sentence  # not JSON: the sentence itself is the claim
    claim = user.split("Claim: ", 1)[1].split("\n", 1)[0]
    if "Lyon" in claim:
        return '{"supported": true}'
    if "robots" in claim:
        return "Yes, the passage clearly supports this."  # affirmative prose is not a verdict
    return '```json\n{"supported": false, "reason": "not stated"}\n```'


@pytest.fixture
def fake_judge() -> Iterator[FakeJudgeServer]:
    with FakeJudgeServer(scripted) as server:
        yield server


RECORD = {
    "id": "q1", "question": "What does Acme do in Lyon?", "refused": False,
    "sentences": [
        {"text": "Acme opened a factory in Lyon and it builds robots.", "citations": [1]},
        {"text": "Acme is based in Paris.", "citations": [2]},
        {"text": "Acme has 400 staff.", "citations": []},
    ],
    "citations": [{"n": 1, "text": "Acme opened its first factory in Lyon. It builds robots."},
                  {"n": 2, "text": "Acme was founded in Grenoble."},
                  {"n": 3, "text": "UNCITED PASSAGE"}],
}


def test_judge_record_claim_by_claim(fake_judge: FakeJudgeServer) -> None:
    judge = Judge(fake_judge.url, model="judge-model")
    out = judge.judge_record(RECORD)
    assert out is not None
    claims = out["claims"]
    assert [c["claim"] for c in claims] == [
        "Acme opened a factory in Lyon.", "it builds robots.", "Acme is based in Paris.", "Acme has 400 staff."]
    assert [c["supported"] for c in claims] == [True, None, False, False]
    assert [c["sentence"] for c in claims] == [0, 0, 1, 2]
    assert claims[1]["reply"].startswith("Yes")  # the invalid reply is kept for the report
    assert out["invalid"] == 1
    assert out["faithfulness"] == pytest.approx(1 / 4)
    verdict_requests = [r for r in fake_judge.requests if "Claim: " in r["messages"][-1]["content"]]
    # an uncited sentence is never sent; each claim is checked against its own sentence's citations
    assert len(verdict_requests) == 3
    assert all("UNCITED PASSAGE" not in r["messages"][-1]["content"] for r in fake_judge.requests)
    assert "Grenoble" in verdict_requests[2]["messages"][-1]["content"]
    assert all(r["path"] == "/v1/chat/completions" and r["model"] == "judge-model" and r["temperature"] == 0
               for r in fake_judge.requests)


def test_refusals_are_not_judged(fake_judge: FakeJudgeServer) -> None:
    assert Judge(fake_judge.url).judge_record({**RECORD, "refused": True}) is None
    assert fake_judge.requests == []


def test_judge_server_errors_are_reported() -> None:
    with FakeJudgeServer(lambda m: "") as server:
        judge = Judge(server.url + "/nowhere/chat/completions")
        server.server.RequestHandlerClass.do_POST = lambda self: (self.send_response(500), self.end_headers())
        with pytest.raises(JudgeError, match="failed"):
            judge.chat([{"role": "user", "content": "hi"}])


def test_cli_eval_with_judge(fake_judge: FakeJudgeServer, tmp_path: Path) -> None:
    from tiny_eval_set import write_tiny_set

    from newsqa.cli import main

    questions, articles = write_tiny_set(tmp_path / "set")
    out = tmp_path / "out"
    code = main(["eval", "--questions", str(questions), "--articles", str(articles), "--out", str(out),
                 "--store", str(tmp_path / "store"), "--embedder", "hash",
                 "--judge-url", fake_judge.url, "--judge-model", "m"])
    assert code == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    overall = report["aggregates"]["product"]["overall"]
    answered = [r for r in report["questions"] if not r["refused"]]
    assert answered and all(r["judge"]["claims"] for r in answered)
    assert all(r["judge"] is None for r in report["questions"] if r["refused"])
    assert overall["judge_faithfulness"] is not None and 0 <= overall["judge_faithfulness"] <= 1
    assert report["meta"]["judge"]["model"] == "m"
