"""Faults with real processes: the Chroma server going away under a running `newsqa serve`, and two
`newsqa ingest` processes writing to one store at once."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from newsqa.evals.bench_load import ServeProcess, ask
from newsqa.evals.synth import synthetic_articles
from newsqa.index.embed import HashingEmbedder
from newsqa.index.ingest import ingest
from newsqa.index.store import Store
from newsqa.settings import Settings

pytestmark = pytest.mark.slow

QUESTION = "Who offered to mediate between Israel and Iran?"


def test_chroma_server_stopped_and_back_under_a_running_app(tmp_path, chroma_server, demo_files):
    data = Settings(store=tmp_path / "filler", chroma_url=chroma_server.url, embedder="hash")
    ingest(demo_files, data, HashingEmbedder())
    app = ServeProcess(data.with_overrides(store=tmp_path / "worker"), tmp_path / "logs")
    try:
        with httpx.Client() as client:
            before = ask(client, app.url, QUESTION, timeout=60)
            assert not before["refused"] and "Putin" in before["answer"]

            chroma_server.stop()
            t = time.monotonic()
            with pytest.raises(RuntimeError) as err:
                ask(client, app.url, QUESTION, timeout=60)
            assert time.monotonic() - t < 30  # a clear error, not a hang
            assert f"cannot reach the Chroma server at {chroma_server.url}" in str(err.value)

            chroma_server.start()  # same port, same data folder; the app is not restarted
            after = ask(client, app.url, QUESTION, timeout=60)
            assert (after["answer"], after["retrieved"]) == (before["answer"], before["retrieved"])
    finally:
        app.stop()


def _write_jsonl(path: Path, start: int, n: int) -> list[str]:
    arts = synthetic_articles(n, seed=7, start=start)
    with path.open("w", encoding="utf-8") as fh:
        for a in arts:
            fh.write(json.dumps({"id": a.id, "title": a.title, "body": a.body, "source": a.source, "url": a.url,
                                 "published_at": a.published_iso}) + "\n")
    return [a.id for a in arts]


def _ingest_proc(path: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "newsqa.cli", "ingest", str(path), "--json"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_ingests_at_once_never_corrupt_the_store(tmp_path, cli_env):
    ids_a = _write_jsonl(tmp_path / "a.jsonl", 0, 250)
    ids_b = _write_jsonl(tmp_path / "b.jsonl", 250, 250)
    procs = [_ingest_proc(tmp_path / "a.jsonl", cli_env), _ingest_proc(tmp_path / "b.jsonl", cli_env)]
    outcomes = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        outcomes.append((p.returncode, out, err))
    done = []
    for (rc, out, err), ids in zip(outcomes, (ids_a, ids_b)):
        if rc == 0:
            assert sorted(json.loads(out)["added"]) == sorted(ids)
            done += ids
        else:  # refused, never interleaved: a clear message and nothing written by it
            assert rc == 1 and "another ingest or removal is writing to" in err, err
    assert done, "at least one of the two ingests must complete"

    settings = Settings(store=Path(cli_env["NEWSQA_STORE"]), embedder="hash")
    store = Store(settings, HashingEmbedder().fingerprint)
    infos = store.article_infos()
    assert sorted(infos) == sorted(done)
    assert sum(i.n_chunks for i in infos.values()) == store.count_chunks()
    assert store.lexical().chunk_ids() == {c.id for c in store.iter_chunks()}

    # a refused ingest simply runs again afterwards
    for (rc, _, _), name in zip(outcomes, ("a.jsonl", "b.jsonl")):
        if rc != 0:
            again = _ingest_proc(tmp_path / name, cli_env)
            assert again.wait(300) == 0
    store = Store(settings, HashingEmbedder().fingerprint)
    assert store.count_articles() == 500
    assert len(store.lexical()) == store.count_chunks() == sum(i.n_chunks for i in store.article_infos().values())
