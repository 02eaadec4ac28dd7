"""The served app, in-process on 127.0.0.1 with a temporary store and the hashing embedder: the
public API through gradio_client, logins, and the library's add/remove path (no browser)."""

from __future__ import annotations

import json
from datetime import date

import http.server
import threading
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from newsqa.index.embed import HashingEmbedder
from newsqa.index.ingest import ingest
from newsqa.rag.qa import QA, build_qa
from newsqa.settings import Settings
from newsqa.ui.app import UI, build_app
from newsqa.ui.serve import AuthError, parse_auth

from conftest import default_sigint, launch_app, on_free_port

DEMO = Path(__file__).resolve().parents[2] / "newsqa" / "demo"
DATA = Path(__file__).resolve().parents[1] / "data"
JSON_KEYS = {"question", "standalone_question", "answer", "refused", "backend", "sentences", "citations",
             "retrieved", "timings_ms"}


def _qa(store: Path, with_demo: bool = True) -> tuple[QA, Settings]:
    settings = Settings(store=store, embedder="hash")
    emb = HashingEmbedder()
    qa = build_qa(settings, embedder=emb)
    if with_demo:
        ingest(sorted(str(p) for p in DEMO.glob("*.txt")), settings, emb, store=qa.store)
    return qa, settings


def _serve(qa: QA, settings: Settings, auth=None) -> Iterator[str]:
    app = build_app(qa, settings)
    url = launch_app(app, settings, host="127.0.0.1", auth=auth)
    try:
        yield url
    finally:
        app.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, QA]]:
    qa, settings = _qa(tmp_path_factory.mktemp("api") / "store")
    for url in _serve(qa, settings):
        yield url, qa


served_auth_store: list[str] = []  # the store folder of `served_auth`, for reading what it kept


@pytest.fixture(scope="module")
def served_auth(tmp_path_factory) -> Iterator[str]:
    qa, settings = _qa(tmp_path_factory.mktemp("auth") / "store")
    served_auth_store[:] = [str(settings.store)]
    yield from _serve(qa, settings, auth=[("reader", "s3cret:pw")])


# --- the public API ----------------------------------------------------------------------------
def test_api_is_one_clean_endpoint(served):
    from gradio_client import Client

    url, _ = served
    info = Client(url, verbose=False).view_api(return_format="dict", print_info=False)
    assert list(info["named_endpoints"]) == ["/ask", "/feedback"]
    assert info["unnamed_endpoints"] == {}
    params = [p["parameter_name"] for p in info["named_endpoints"]["/ask"]["parameters"]]
    assert params == ["question", "backend", "k", "since", "until", "source", "as_of"]
    params = [p["parameter_name"] for p in info["named_endpoints"]["/feedback"]["parameters"]]
    assert params == ["answer", "rating", "note"]


def test_ask_returns_the_cli_json_shape(served):
    from gradio_client import Client

    url, qa = served
    client = Client(url, verbose=False)
    out = client.predict("Who offered to mediate between Israel and Iran?", api_name="/ask")
    assert JSON_KEYS <= set(out)
    assert out["question"] == "Who offered to mediate between Israel and Iran?"
    assert out["backend"] == "ranked"
    assert out["citations"] and {"n", "article_id", "title", "text", "url", "score"} <= set(out["citations"][0])
    assert set(out["retrieved"]) <= {"000_d17cc11a6fb020e6", "003_f412a60b1a2d2441"}
    # what the API says is what QA says for the same question
    direct = qa.ask("Who offered to mediate between Israel and Iran?").to_json()
    assert (out["answer"], out["refused"], out["retrieved"]) == (direct["answer"], direct["refused"], direct["retrieved"])


def test_ask_filters_and_k(served):
    from gradio_client import Client

    client = Client(served[0], verbose=False)
    one = client.predict("Putin Iran", "extractive", 1, api_name="/ask")
    assert len(one["citations"]) == 1
    # the demo articles have no date and no source: a date or source filter leaves nothing
    none = client.predict("Putin Iran", "extractive", 5, "2025-01-01", "", "", api_name="/ask")
    assert none["refused"] is True and none["citations"] == []
    none = client.predict("Putin Iran", "extractive", 5, "", "", "Nowhere Daily", api_name="/ask")
    assert none["citations"] == []


@pytest.mark.parametrize("args,message", [
    (("Putin", "extractive", 5, "June 1st"), "YYYY-MM-DD"),
    (("Putin", "no-such-backend"), "not available"),
    (("   ",), "empty"),
])
def test_ask_errors_are_reported(served, args, message):
    from gradio_client import Client

    with pytest.raises(Exception, match=message):
        Client(served[0], verbose=False).predict(*args, api_name="/ask")


def test_empty_store_answers_with_a_hint(tmp_path):
    from gradio_client import Client

    qa, settings = _qa(tmp_path / "store", with_demo=False)
    for url in _serve(qa, settings):
        out = Client(url, verbose=False).predict("Anything?", api_name="/ask")
        assert out["refused"] is True and "empty" in out["error"]
        page = httpx.get(url, timeout=10)
        assert page.status_code == 200
        assert "No articles yet" in page.text and "newsqa ingest" in page.text


# --- logins ------------------------------------------------------------------------------------
def test_auth_client_without_credentials_fails(served_auth):
    from gradio_client import Client

    with pytest.raises(Exception):
        Client(served_auth, verbose=False).predict("Who offered to mediate?", api_name="/ask")


def test_auth_client_with_credentials_works(served_auth):
    from gradio_client import Client

    out = Client(served_auth, auth=("reader", "s3cret:pw"), verbose=False).predict(
        "Who offered to mediate between Israel and Iran?", api_name="/ask")
    assert JSON_KEYS <= set(out)
    with pytest.raises(Exception):
        Client(served_auth, auth=("reader", "wrong"), verbose=False)


def test_auth_refuses_unauthenticated_http(served_auth):
    base = served_auth
    page = httpx.get(base, timeout=10)
    assert page.status_code == 401
    assert '"auth_required":true' in page.text.replace(" ", "")
    assert "window.gradio_api_info = null;" in page.text  # the API description is not handed out
    assert "/ask" not in page.text and "mediate" not in page.text
    for path in ("gradio_api/info", "config", "gradio_api/openapi.json"):
        r = httpx.get(base + path, timeout=10)
        assert r.status_code == 401, path
    r = httpx.post(base + "gradio_api/call/ask", json={"data": ["x"]}, timeout=10)
    assert r.status_code == 401
    # after logging in, the same page is served
    with httpx.Client(base_url=base, timeout=10) as c:
        assert c.post("login", data={"username": "reader", "password": "s3cret:pw"}).status_code == 200
        ok = c.get("/")
        assert ok.status_code == 200 and '"auth_required":true' not in ok.text.replace(" ", "")
        assert c.get("gradio_api/info").status_code == 200


def test_parse_auth(tmp_path):
    f = tmp_path / "users.txt"
    f.write_text("# team\nann:pw1\n\nbob:pa:ss\n", encoding="utf-8")
    assert parse_auth(["me:x"], f) == [("me", "x"), ("ann", "pw1"), ("bob", "pa:ss")]
    with pytest.raises(AuthError, match="user:password"):
        parse_auth(["nopassword"])
    with pytest.raises(AuthError, match="user:password"):
        parse_auth([":pw"])
    with pytest.raises(AuthError, match="cannot read"):
        parse_auth([], tmp_path / "missing.txt")


# --- the library (the handlers the page calls) -------------------------------------------------
@pytest.fixture
def local_site(tmp_path) -> Iterator[str]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "story.txt").write_text("Harbour reopens\n\nThe harbour of Port Alma reopened on Monday after "
                                    "repairs that lasted three months.", encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(site), **kw)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_library_add_and_remove(tmp_path, local_site):
    qa, settings = _qa(tmp_path / "store", with_demo=False)
    settings = settings.with_overrides(max_file_bytes=5000)
    ui = UI(qa, settings)
    uploads = tmp_path / "gradio-uploads" / "abc123"
    uploads.mkdir(parents=True)
    src = uploads / "ui_xss_article.md"
    src.write_bytes((DATA / "ui_xss_article.md").read_bytes())
    big = uploads / "big.txt"
    big.write_text("x " * 4000, encoding="utf-8")
    outside = tmp_path / "private.txt"
    outside.write_text("Private\n\nNot for the store.", encoding="utf-8")
    steps: list[tuple[int, int, str]] = []
    rows, status = ui.add([str(src), str(big), str(outside)],
                          f"{local_site}/story.txt\n/etc/passwd\n{local_site}/missing.txt",
                          lambda i, n, d: steps.append((i, n, d)), upload_root=tmp_path / "gradio-uploads")
    by_name = {r[0]: r for r in rows}
    assert by_name["ui_xss_article.md"][1] == "added" and by_name["ui_xss_article.md"][2]
    assert by_name[f"{local_site}/story.txt"][1] == "added"
    assert by_name[f"{local_site}/missing.txt"][1].startswith("skipped: HTTP 404")
    assert "over the limit of 5000" in by_name["big.txt"][1]
    assert by_name["private.txt"][1] == "rejected: not an uploaded file"
    assert by_name["/etc/passwd"][1].startswith("rejected: only http")
    assert status.startswith("added 2")
    assert steps[0][:2] == (0, 3) and steps[-1] == (3, 3, "done")
    assert not src.exists()  # Gradio's cached copy is gone; the store is the only place it went
    assert outside.exists()
    infos = qa.store.article_infos()
    assert len(infos) == 2 and not any("private" in i.title.lower() for i in infos.values())
    # the store names the upload, not the private folder it was staged in
    assert sorted(i.origin for i in infos.values()) == [f"{local_site}/story.txt", "upload:ui_xss_article.md"]

    # re-adding the same content is reported unchanged
    src.write_bytes((DATA / "ui_xss_article.md").read_bytes())
    rows, _ = ui.add([str(src)], "", upload_root=tmp_path / "gradio-uploads")
    assert rows == [["ui_xss_article.md", "unchanged", by_name["ui_xss_article.md"][2]]]

    xss_id = by_name["ui_xss_article.md"][2]
    status_html, cleared, table, *_ = ui.on_remove(f"{xss_id}, nope", [], "")
    assert "Removed 1 article" in status_html and "No article with id nope" in status_html
    assert [r[4] for r in table] == [by_name[f"{local_site}/story.txt"][2]]


def test_library_write_reports_store_errors(tmp_path):
    from newsqa.index.store import ingest_lock

    qa, settings = _qa(tmp_path / "store", with_demo=False)
    ui = UI(qa, settings)
    uploads = tmp_path / "up"
    uploads.mkdir()
    f = uploads / "a.txt"
    f.write_text("A title\n\nSome body text here.", encoding="utf-8")
    with ingest_lock(settings):  # another writer holds the store
        # flock is per open file description, so a second open in this process is refused too
        rows, status = ui.add([str(f)], "", upload_root=uploads)
        status_html, *_ = ui.on_remove("someid", [], "")
    assert "another ingest or removal" in status and rows[0][1].startswith("not added")
    assert "another ingest or removal" in status_html


# --- the CLI -----------------------------------------------------------------------------------
def _cli_run(tmp_path: Path, cli_env: dict[str, str], port: int) -> tuple[str, str, Path]:
    """`newsqa run` on an empty store of its own until its page answers, then Ctrl-C; returns
    (the first page's HTML, the whole output, the store). A port taken before the server bound it
    raises OSError (another port is tried)."""
    import signal
    import subprocess
    import sys
    import threading
    import time

    from newsqa.evals.servers import is_bind_failure

    store = tmp_path / f"store-{port}"
    proc = subprocess.Popen([sys.executable, "-m", "newsqa.cli", "run", "--port", str(port)],
                            env={**cli_env, "NEWSQA_STORE": str(store)},
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=default_sigint)
    lines: list[str] = []
    # read the output as it comes: the page answers a moment before `run` prints its address
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    serving = f"newsqa: serving on http://127.0.0.1:{port}/; Ctrl-C stops"
    try:
        deadline = time.monotonic() + 90
        page = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        if page is None and proc.poll() is not None:
            reader.join(timeout=5)
            if is_bind_failure("".join(lines)):
                raise OSError(f"port {port} was taken: {''.join(lines)[-500:]}")
        assert page is not None and page.status_code == 200, (proc.poll(), "".join(lines)[-2000:])
        while time.monotonic() < deadline and not any(serving in line for line in lines):
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=5)
    out = "".join(lines)
    assert serving in out
    return page.text, out, store


def test_cli_run_ingests_the_demo_then_serves(tmp_path, cli_env):
    page, out, store = on_free_port(lambda port: _cli_run(tmp_path, cli_env, port))
    assert "Who offered to mediate between Israel and Iran?" in page  # the demo examples
    assert "adding the bundled sample articles" in out and "added 2" in out
    from newsqa.index.store import Store

    assert Store(Settings(store=store, embedder="hash")).count_articles() == 2


def test_cli_serve_rejects_bad_auth(tmp_path, cli_env):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "newsqa.cli", "serve", "--auth", "nocolon"], env=cli_env,
                       cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "expected user:password" in r.stderr


# --- the chat handlers with a scripted QA (streaming, follow-ups, citations) --------------------
class _ScriptedQA:
    """Stands in for QA: streams two deltas, then an Answer; records the history it was given."""

    def __init__(self, qa: QA) -> None:
        self.settings, self.store, self.embedder = qa.settings, qa.store, qa.embedder
        self.histories: list[list] = []
        self.as_ofs: list = []

    def available_backends(self) -> list[str]:
        return ["extractive", "llamacpp"]

    def stream(self, question, history=(), backend=None, k=None, flt=None, as_of=None):
        from newsqa.index.articles import Chunk
        from newsqa.rag.types import Answer, Passage, Sentence

        if backend not in self.available_backends():
            raise ValueError(f"answer backend {backend!r} is not available here")
        self.histories.append(list(history))
        self.as_ofs.append(as_of)
        yield "Putin <b>offered"
        yield " talks [1]"
        text = "Putin offered talks between Israel and Iran."
        chunk = Chunk("a:1", "a", 0, text, 0, len(text), title="T", source="S", url="https://s.example/a")
        yield Answer(question, [Sentence("Putin offered talks.", [1], 0.9, True, {1: (0, 19)})],
                     [Passage(1, chunk, 0.4)], backend, standalone_question=question)


def test_chat_streams_then_renders_the_checked_answer(tmp_path):
    import gradio as gr

    real, settings = _qa(tmp_path / "store", with_demo=False)
    qa = _ScriptedQA(real)
    ui = UI(qa, settings)  # type: ignore[arg-type]
    steps = list(ui.on_ask("Who offered talks?", [], "", None, "llamacpp", 5, "", "", "", "2026-03-04", None))
    assert qa.as_ofs[-1] == date(2026, 3, 4)
    chats = [s[0] for s in steps]
    assert "Searching the articles" in chats[0]
    assert "Putin &lt;b&gt;offered" in chats[1] and "nq-streaming" in chats[1]  # raw delta, escaped
    assert "Putin &lt;b&gt;offered talks [1]" in chats[2]
    final_chat, sources, conv, question, shown, conv_id, browser, _listing = steps[-1]
    assert conv_id and browser["conversation"] == conv_id  # kept for this browser
    assert "nq-streaming" not in final_chat and 'data-turn="0" data-cite="1"' in final_chat
    assert '<mark class="nq-hl">Putin offered talks</mark>' in sources
    assert question == "" and shown == 0 and conv[0].answer is not None

    # a follow-up passes the earlier turn as history
    steps = list(ui.on_ask("And when?", conv, conv_id, browser, "llamacpp", 5, "", "", "", "", None))
    conv = steps[-1][2]
    assert len(conv) == 2
    assert [(t.question, t.answer) for t in qa.histories[-1]] == [("Who offered talks?", "Putin offered talks. [1]")]

    # clicking a citation of the first turn shows that turn's source
    evt = gr.EventData(None, {"turn": 0, "n": 1})
    html = ui.on_cite(conv, evt)
    assert "Who offered talks?" in html and 'data-n="1"' in html
    assert ui.on_cite(conv, gr.EventData(None, {"turn": 9, "n": 1})) is not None  # ignored, no error

    # errors are shown in the conversation, not raised
    steps = list(ui.on_ask("Q?", conv, conv_id, browser, "llamacpp", 5, "not-a-date", "", "", "", None))
    assert "YYYY-MM-DD" in steps[-1][0] and "nq-error" in steps[-1][0]
    steps = list(ui.on_ask("Q?", conv, conv_id, browser, "llamacpp", 5, "", "", "", "March 4", None))
    assert "as of: expected a date" in steps[-1][0]
    steps = list(ui.on_ask("Q?", [], "", browser, "nonesuch", 5, "", "", "", "", None))
    assert "not available" in steps[-1][0]
    chat, sources, conv, question, shown, new_id, browser2 = ui.on_new(browser)
    assert conv == [] and "No articles yet" in chat and shown == -1
    assert new_id == "" and browser2 == {**browser, "conversation": ""}


# --- uploads over HTTP and the evaluation placeholder -------------------------------------------
def test_gradio_refuses_uploads_over_the_size_limit(tmp_path):
    qa, settings = _qa(tmp_path / "store", with_demo=False)
    settings = settings.with_overrides(max_file_bytes=1000)
    for url in _serve(qa, settings):
        small = httpx.post(url + "gradio_api/upload", files={"files": ("a.txt", b"x" * 100)}, timeout=10)
        assert small.status_code == 200
        big = httpx.post(url + "gradio_api/upload", files={"files": ("b.txt", b"x" * 5000)}, timeout=10)
        assert big.status_code == 413


def test_evaluation_runs_and_reports_sandboxed(tmp_path):
    from newsqa.ui.evaluation_tab import run_evaluation

    qa, settings = _qa(tmp_path / "store", with_demo=False)
    articles = tmp_path / "a.jsonl"
    articles.write_text(json.dumps({"id": "x1", "title": "<script>window.__xss=1</script> Vote",
                                    "body": "The council approved the budget on Tuesday."}) + "\n")
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "q1", "question": "What did the council approve?",
                                     "answers": [["budget"]], "evidence_ids": ["x1"], "answerable": True}) + "\n")
    seen = []
    html = run_evaluation(settings, questions, [str(articles)], lambda d, t, label: seen.append((d, t)))
    assert html.startswith('<iframe class="nq-report" sandbox=""')
    assert "<script>window" not in html and "answer_correctness" in html
    assert seen and seen[-1][0] == seen[-1][1] == 1

    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n")
    assert "evaluation failed" in run_evaluation(settings, broken, None)


def test_is_loopback():
    from newsqa.ui.serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")


def test_read_write_lock_keeps_writers_apart_from_readers():
    import time

    from newsqa.ui.rwlock import ReadWriteLock

    lock = ReadWriteLock()
    events: list[str] = []

    def writer() -> None:
        with lock.write():
            events.append("write")

    with lock.read(), lock.read():  # readers share
        t = threading.Thread(target=writer)
        t.start()
        time.sleep(0.1)
        events.append("readers done")
    t.join(5)
    assert events == ["readers done", "write"]


# --- feedback through the API, and the page's conversation and feedback handlers ----------------
def test_api_feedback_is_stored_with_the_logged_in_user(served_auth):
    from gradio_client import Client

    from newsqa.rag.feedback import FeedbackStore

    client = Client(served_auth, auth=("reader", "s3cret:pw"), verbose=False)
    answer = client.predict("Who offered to mediate between Israel and Iran?", "extractive", 5, "", "", "",
                            "2026-01-15", api_name="/ask")
    assert answer["as_of"] == "2026-01-15"
    got = client.predict(answer, "wrong_citation", "the second passage says otherwise", api_name="/feedback")
    assert got["user"] == "reader" and got["rating"] == "wrong_citation" and got["as_of"] == "2026-01-15"
    with pytest.raises(Exception, match="rating"):
        client.predict(answer, "meh", "", api_name="/feedback")
    with pytest.raises(Exception, match="as of"):
        client.predict("Who?", "extractive", 5, "", "", "", "15/01/2026", api_name="/ask")
    store_dir = Path(served_auth_store[0])
    rows = FeedbackStore(store_dir / "feedback.sqlite3").all().rows
    assert [(r.user, r.rating, r.note, r.as_of) for r in rows] == [
        ("reader", "wrong_citation", "the second passage says otherwise", "2026-01-15")]
    assert rows[0].answer == answer


def _request(user: str | None = None):
    import gradio as gr

    return gr.Request(username=user)


def test_conversations_are_kept_reopened_rated_and_exported(tmp_path):
    import gradio as gr

    real, settings = _qa(tmp_path / "store", with_demo=False)
    qa = _ScriptedQA(real)
    ui = UI(qa, settings)  # type: ignore[arg-type]
    chat, sources, conv, shown, conv_id, browser, listing, as_of = ui.on_load(None, _request())
    assert conv == [] and conv_id == "" and len(browser["client"]) == 32 and as_of == date.today().isoformat()
    steps = list(ui.on_ask("Who offered talks?", conv, conv_id, browser, "llamacpp", 5, "", "", "", "", _request()))
    _, _, conv, _, _, conv_id, browser, listing = steps[-1]
    steps = list(ui.on_ask("And <b>when</b>?", conv, conv_id, browser, "llamacpp", 5, "", "", "", "", _request()))
    _, _, conv, _, _, conv_id2, browser, listing = steps[-1]
    assert conv_id2 == conv_id and [c[1] for c in listing.choices] == [conv_id]

    # rate the second answer with a note
    chat, conv = ui.on_feedback(conv, conv_id, browser,
                                gr.EventData(None, {"turn": 1, "rating": "down", "note": " too vague "}), _request())
    assert 'data-turn="1" data-fb="down" aria-pressed="true"' in chat
    (fb,) = ui.feedback.all().rows
    assert (fb.rating, fb.note, fb.turns, fb.turn, fb.conversation_id, fb.user) == (
        "down", "too vague", ("Who offered talks?",), 1, conv_id, "")
    assert fb.answer["question"] == "And <b>when</b>?"
    # nonsense from the page is ignored or refused, never stored
    assert ui.on_feedback(conv, conv_id, browser, gr.EventData(None, {"turn": 7, "rating": "up"}), _request())[0] is not None
    ui.on_feedback(conv, conv_id, browser, gr.EventData(None, {"turn": 0, "rating": "love"}), _request())
    assert len(ui.feedback.all().rows) == 1

    # a reload (same browser state) reopens the conversation with its rating
    chat, sources, conv2, shown, cid, browser2, listing, _ = ui.on_load(browser, _request())
    assert cid == conv_id and [t.question for t in conv2] == ["Who offered talks?", "And <b>when</b>?"]
    assert "And &lt;b&gt;when&lt;/b&gt;?" in chat and 'data-fb="down" aria-pressed="true"' in chat
    assert '<mark class="nq-hl">Putin offered talks</mark>' in sources  # spans survive the round trip
    # another browser sees none of it
    _, _, other_conv, _, other_id, _, other_listing, _ = ui.on_load(None, _request())
    assert other_conv == [] and other_id == "" and other_listing.choices == []
    assert ui.on_open(conv_id, "", {"client": "f" * 32, "conversation": ""}, _request())[0] is not None
    assert ui.conversations.load(conv_id, "browser:" + "f" * 32) is None

    # a new conversation, then reopen the first one from the list
    *_, new_id, browser3 = ui.on_new(browser2)
    assert new_id == "" and browser3["conversation"] == ""
    chat, sources, conv3, shown, cid, browser4 = ui.on_open(conv_id, "", browser3, _request())
    assert cid == conv_id and browser4["conversation"] == conv_id and len(conv3) == 2 and shown == 1

    # export as Markdown with numbered sources
    f = ui.on_export(conv3, cid)
    text = Path(f.value["path"] if isinstance(f.value, dict) else f.value).read_text(encoding="utf-8")
    assert text.startswith("# Who offered talks?") and "## 2. And \\<b\\>when\\</b\\>?" in text
    assert "Putin offered talks. [1]" in text and "1. **T**, S. <https://s.example/a>" in text
    assert "> Putin offered talks" in text


def test_logged_in_readers_own_their_conversations(tmp_path):
    real, settings = _qa(tmp_path / "store", with_demo=False)
    ui = UI(_ScriptedQA(real), settings)  # type: ignore[arg-type]
    steps = list(ui.on_ask("Who offered talks?", [], "", None, "llamacpp", 5, "", "", "", "", _request("ines")))
    conv_id, browser = steps[-1][5], steps[-1][6]
    # the same user in another browser sees the conversation in the list
    *_, listing, _ = ui.on_load(None, _request("ines"))
    assert [c[1] for c in listing.choices] == [conv_id]
    # another user in this browser does not get it back, even with its id in the browser state
    _, _, conv, _, cid, _, listing, _ = ui.on_load(browser, _request("omar"))
    assert conv == [] and cid == "" and listing.choices == []


def test_evaluation_tab_runs_the_readers_approved_answers(tmp_path):
    from newsqa.rag.feedback import FeedbackStore, make_feedback
    from newsqa.ui.evaluation_tab import run_feedback_evaluation

    qa, settings = _qa(tmp_path / "store")
    assert "No approved answers yet" in run_feedback_evaluation(settings)
    answer = qa.ask("Who offered to mediate between Israel and Iran?")
    assert not answer.refused
    FeedbackStore.for_settings(settings).add(make_feedback("up", answer.to_json(), user="ines"))
    html = run_feedback_evaluation(settings)
    assert html.startswith('<iframe class="nq-report" sandbox=""') and "answer_correctness" in html
    assert "Who offered to mediate between Israel and Iran?" in html
