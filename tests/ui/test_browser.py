"""The page as a person uses it, in Debian's Chromium driven by Playwright, against the real
embedding model and the bundled demo corpus in a temporary store.

Checks: an answer with a clickable citation that opens the highlighted passage; uploading an article
in the Library tab and asking about it; a follow-up question; an article full of markup renders as
text and runs nothing; rating answers, reloading to find the conversation, reopening and exporting
it, and the exported feedback evaluated by `newsqa eval`; and no request leaves 127.0.0.1.
Screenshots go to $NEWSQA_TEST_ARTIFACTS (default: the test's tmp_path), never the working tree.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

from conftest import launch_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
DATA = Path(__file__).resolve().parents[1] / "data"
DEMO = Path(__file__).resolve().parents[2] / "newsqa" / "demo"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
TIMEOUT = 30_000


@pytest.fixture(scope="module")
def served(tmp_path_factory, real_embedder) -> Iterator[tuple[str, "object"]]:
    from newsqa.index.ingest import ingest
    from newsqa.rag.qa import build_qa
    from newsqa.settings import Settings
    from newsqa.ui.app import build_app

    settings = Settings(store=tmp_path_factory.mktemp("browser") / "store", embedder="local")
    qa = build_qa(settings, embedder=real_embedder)
    ingest(sorted(str(p) for p in DEMO.glob("*.txt")), settings, real_embedder, store=qa.store)
    app = build_app(qa, settings)
    url = launch_app(app, settings)
    try:
        yield url, settings
    finally:
        app.close()


@pytest.fixture(scope="module")
def server(served) -> str:
    return served[0]


@pytest.fixture
def artifacts(tmp_path) -> Path:
    folder = Path(os.environ.get("NEWSQA_TEST_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _ask(page, question: str) -> "object":
    """Type a question, send it, and return the finished answer element of that turn."""
    n = page.locator("#nq-chat .nq-msg.nq-bot").count()
    page.fill("#nq-question textarea", question)
    page.click("#nq-ask")
    page.wait_for_function(
        """(n) => {
            const bots = document.querySelectorAll('#nq-chat .nq-msg.nq-bot');
            return bots.length > n && !bots[n].querySelector('.nq-streaming');
        }""", arg=n, timeout=TIMEOUT)
    return page.locator("#nq-chat .nq-msg.nq-bot").nth(n)


def test_person_uses_the_page(server, artifacts):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed: run scripts/ensure-chromium.sh")
    from playwright.sync_api import expect, sync_playwright

    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server)
            page.wait_for_selector("#nq-question textarea", timeout=TIMEOUT)
            expect(page.locator("#nq-examples")).to_contain_text("Who offered to mediate between Israel and Iran?")
            page.screenshot(path=str(artifacts / "01-start.png"), full_page=True)

            # 1. a cited answer; its sources show beside it
            answer = _ask(page, "Who offered to mediate between Israel and Iran?")
            expect(answer.locator(".nq-refusal")).to_have_count(0)
            expect(answer).to_contain_text("Putin")
            expect(answer.locator(".nq-short-text")).to_contain_text("Putin")  # the short answer leads
            cited = answer.locator(".nq-sent", has=page.locator("button.nq-cite")).filter(has_text="Putin")
            assert cited.count() >= 1
            expect(page.locator("#nq-sources .nq-source.nq-focused")).to_be_visible(timeout=TIMEOUT)

            # 2. a follow-up in the same conversation (the panel now shows the follow-up's sources)
            follow = _ask(page, "Where are his specialists working?")
            expect(follow.locator(".nq-refusal")).to_have_count(0)
            expect(follow.locator(".nq-standalone")).to_contain_text("Putin")  # the conversation carried over
            expect(follow.locator("button.nq-cite").first).to_be_visible()
            expect(page.locator("#nq-sources .nq-sources-q")).to_contain_text("Where are his specialists working?")
            page.screenshot(path=str(artifacts / "02-follow-up.png"), full_page=True)

            # 3. clicking the first answer's citation opens that passage, highlighted, with its support
            cited.first.locator("button.nq-cite").first.click()
            expect(page.locator("#nq-sources .nq-sources-q")).to_contain_text("Who offered to mediate",
                                                                               timeout=TIMEOUT)
            focused = page.locator("#nq-sources .nq-source.nq-focused")
            mark = focused.locator("mark.nq-hl")
            expect(mark.first).to_be_visible()
            # the short answer is highlighted apart inside the cited sentence's highlight
            expect(focused.locator("mark.nq-hl-short").first).to_contain_text("Putin")
            expect(focused.locator(".nq-support")).to_contain_text("support")
            page.screenshot(path=str(artifacts / "03-citation-clicked.png"), full_page=True)

            # 4. upload an article (full of markup) in the Library tab, then ask about it
            page.get_by_role("tab", name="Library").click()
            page.locator("#nq-upload input[type=file]").set_input_files(str(DATA / "ui_xss_article.md"))
            # the file list shows the chosen file (Gradio 6.31 sets its extension apart: "ui_xss_article .md")
            expect(page.locator("#nq-upload")).to_contain_text(re.compile(r"ui_xss_article\s*\.md"), timeout=TIMEOUT)
            page.click("#nq-add")
            results = page.locator("#nq-results")
            expect(results).to_contain_text("added", timeout=TIMEOUT)
            expect(page.locator("#nq-status")).to_contain_text("added 1")
            library = page.locator("#nq-library")
            # the title's markup is shown as text
            expect(library).to_contain_text("Lighthouse <script>window.__xss=1</script> keeper", timeout=TIMEOUT)
            page.screenshot(path=str(artifacts / "04-library.png"), full_page=True)

            page.get_by_role("tab", name="Ask").click()
            page.click("#nq-new")
            expect(page.locator("#nq-chat .nq-msg")).to_have_count(0)
            about = _ask(page, "How many seabirds did Odile Marchetti count?")
            expect(about.locator(".nq-refusal")).to_have_count(0)
            expect(about).to_contain_text("412")
            about.locator("button.nq-cite").first.click()
            panel = page.locator("#nq-sources")
            expect(panel).to_contain_text("Glimmerhaven", timeout=TIMEOUT)
            # markup from the article is visible text in the panel, and nothing of it ran
            expect(panel).to_contain_text("<script>window.__xss=1</script>")
            expect(panel).to_contain_text('<img src=x onerror="window.__xss=1">')
            expect(panel.locator("script, img, iframe")).to_have_count(0)
            assert panel.locator("a[href^='javascript']").count() == 0
            assert page.locator("#nq-chat img, #nq-chat script").count() == 0
            page.screenshot(path=str(artifacts / "05-xss-article.png"), full_page=True)

            assert page.evaluate("() => typeof window.__xss") == "undefined"
            assert not errors, errors
        finally:
            browser.close()

    hosts = {urlsplit(u).hostname for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts and hosts <= LOCAL_HOSTS, hosts
    other = [u for u in requests if urlsplit(u).scheme not in ("http", "https", "ws", "wss", "data", "blob")]
    assert not other, other
    # an <img src=x> that had been rendered would have requested /x from this very server
    assert not [u for u in requests if urlsplit(u).path.endswith("/x")]


def _launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def test_reader_rates_reloads_reopens_and_exports(served, artifacts, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed: run scripts/ensure-chromium.sh")
    import json
    from datetime import date

    from playwright.sync_api import expect, sync_playwright

    from newsqa.cli import main
    from newsqa.rag.feedback import FeedbackStore

    url, settings = served
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = _launch(p)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url)
            page.wait_for_selector("#nq-question textarea", timeout=TIMEOUT)
            page.get_by_text("Options").click()
            expect(page.locator("#nq-as-of textarea, #nq-as-of input").first).to_have_value(date.today().isoformat())

            # 1. a cited answer: its source card leads with title and link, ids under a closed "details"
            answer = _ask(page, "Who offered to mediate between Israel and Iran?")
            expect(answer).to_contain_text("Putin")
            card = page.locator("#nq-sources .nq-source.nq-focused")
            expect(card.locator(".nq-source-title")).to_be_visible(timeout=TIMEOUT)
            details = card.locator("details.nq-details")
            expect(details).to_have_count(1)
            expect(details.locator(".nq-ids")).to_be_hidden()
            details.locator("summary").click()
            expect(details.locator(".nq-ids")).to_be_visible()
            expect(details.locator(".nq-ids")).to_contain_text("retrieval score")

            # 2. thumbs up with a note
            answer.locator("input.nq-fb-note").fill("clear and cited")
            answer.locator("button[data-fb='up']").click()
            expect(page.locator("#nq-chat .nq-msg.nq-bot").nth(0).locator(".nq-fb-done")).to_contain_text(
                "thumbs up", timeout=TIMEOUT)

            # 3. a follow-up, rated "wrong citation"
            follow = _ask(page, "Where are his specialists working?")
            follow.locator("button[data-fb='wrong_citation']").click()
            expect(page.locator("#nq-chat .nq-msg.nq-bot").nth(1).locator(".nq-fb-done")).to_contain_text(
                "wrong citation", timeout=TIMEOUT)
            page.screenshot(path=str(artifacts / "11-rated.png"), full_page=True)

            # 4. reload: the conversation and its ratings are back
            page.reload()
            page.wait_for_selector("#nq-question textarea", timeout=TIMEOUT)
            bots = page.locator("#nq-chat .nq-msg.nq-bot")
            expect(bots).to_have_count(2, timeout=TIMEOUT)
            expect(page.locator("#nq-chat")).to_contain_text("Where are his specialists working?")
            expect(bots.nth(0).locator("button[data-fb='up']")).to_have_attribute("aria-pressed", "true")
            expect(bots.nth(1).locator("button[data-fb='wrong_citation']")).to_have_attribute("aria-pressed", "true")
            page.screenshot(path=str(artifacts / "12-reloaded.png"), full_page=True)

            # 5. a second conversation: an approved refusal
            page.click("#nq-new")
            expect(page.locator("#nq-chat .nq-msg")).to_have_count(0)
            refusal = _ask(page, "What did the harbour master of Quillon promise the ferry crews?")
            expect(refusal.locator(".nq-refusal")).to_have_count(1)
            refusal.locator("button[data-fb='up']").click()
            expect(page.locator("#nq-chat .nq-fb-done")).to_contain_text("thumbs up", timeout=TIMEOUT)

            # 6. reopen the first conversation from the list, then export it as Markdown
            page.locator("#nq-conversations input").click()
            page.get_by_role("option", name="Who offered to mediate between Israel and Iran?").click()
            expect(page.locator("#nq-chat .nq-msg.nq-bot")).to_have_count(2, timeout=TIMEOUT)
            expect(page.locator("#nq-chat")).to_contain_text("Where are his specialists working?")
            page.click("#nq-export")
            link = page.locator("#nq-export-file a").first
            expect(link).to_be_visible(timeout=TIMEOUT)
            with page.expect_download(timeout=TIMEOUT) as dl:
                link.click()
            md = Path(dl.value.path()).read_text(encoding="utf-8")
            page.screenshot(path=str(artifacts / "13-exported.png"), full_page=True)
            assert not errors, errors
        finally:
            browser.close()

    assert md.startswith("# Who offered to mediate between Israel and Iran?")
    assert "## 1. Who offered to mediate between Israel and Iran?" in md
    assert "## 2. Where are his specialists working?" in md
    sources = md.split("## Sources", 1)[1]
    assert sources.count("\n   > ") >= 1 and "1. **" in sources and "Putin" in md
    hosts = {urlsplit(u).hostname for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts and hosts <= LOCAL_HOSTS, hosts

    # the feedback was stored with the question, the as-of date and the answer
    rows = FeedbackStore.for_settings(settings).all().rows
    assert [r.rating for r in rows] == ["up", "wrong_citation", "up"]
    assert rows[0].note == "clear and cited" and rows[0].as_of == date.today().isoformat()
    assert rows[1].turns == ("Who offered to mediate between Israel and Iran?",)

    # 7. exported as an evaluation set that `newsqa eval` runs (on a fresh store of the same articles)
    out = tmp_path / "feedback.jsonl"
    assert main(["feedback", "export", "--out", str(out), "--store", str(settings.store)]) == 0
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(q["question"], q["answerable"]) for q in exported] == [
        ("Who offered to mediate between Israel and Iran?", True),
        ("What did the harbour master of Quillon promise the ferry crews?", False)]
    report_dir = tmp_path / "eval-out"
    assert main(["eval", "--questions", str(out), "--articles", *sorted(str(p) for p in DEMO.glob("*.txt")),
                 "--embedder", "local", "--out", str(report_dir)]) == 0
    overall = json.loads((report_dir / "report.json").read_text())["aggregates"]["product"]["overall"]
    assert overall["n"] == 2 and overall["answer_correctness"] == 1.0 and overall["refusal_recall"] == 1.0
