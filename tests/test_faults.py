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


# --- the write lease in a Chroma server: writers on two hosts --------------------------------------
# Two hosts are two processes with their own local folders (so no shared lock file), writing to one
# `chroma run`.
HOLD_THE_LOCK = """
import sys
from newsqa.index.store import ingest_lock
from newsqa.settings import Settings
with ingest_lock(Settings()):
    print("held", flush=True)
    sys.stdin.readline()
"""


def _host_env(cli_env: dict[str, str], tmp_path: Path, host: str, url: str, **extra: str) -> dict[str, str]:
    return {**cli_env, "NEWSQA_STORE": str(tmp_path / host), "NEWSQA_CHROMA_URL": url, **extra}


def _hold(env: dict[str, str]) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held", proc.stderr.read()
    return proc


def _ingest_demo(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsqa.cli", "ingest", "--demo"], env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_writer_on_another_host_is_refused_naming_the_holder(tmp_path, chroma_server, cli_env):
    import socket

    host_a = _host_env(cli_env, tmp_path, "host-a", chroma_server.url)
    host_b = _host_env(cli_env, tmp_path, "host-b", chroma_server.url)
    holder = _hold(host_a)
    try:
        refused = _ingest_demo(host_b)
        assert refused.returncode == 1
        assert (f"another ingest or removal is writing to {chroma_server.url} (collection newsqa) "
                f"({socket.gethostname()} pid {holder.pid}, writing since") in refused.stderr, refused.stderr
    finally:
        holder.communicate("\n", timeout=60)
    assert holder.returncode == 0
    done = _ingest_demo(host_b)
    assert done.returncode == 0 and "added 2" in done.stdout, done.stderr


def test_a_dead_writers_lease_is_taken_over_after_it_expires(tmp_path, chroma_server, cli_env):
    lease = {"NEWSQA_WRITE_LEASE_SECONDS": "3"}
    holder = _hold(_host_env(cli_env, tmp_path, "host-a", chroma_server.url, **lease))
    holder.kill()  # no release: the lease stays in the server until it expires
    holder.communicate(timeout=30)
    died = time.monotonic()
    host_b = _host_env(cli_env, tmp_path, "host-b", chroma_server.url, **lease)
    refused = _ingest_demo(host_b)
    if time.monotonic() - died < 3:  # a slow machine may already be past the expiry
        assert refused.returncode == 1 and f"pid {holder.pid}" in refused.stderr, refused.stderr
    time.sleep(max(0.0, 3.5 - (time.monotonic() - died)))
    done = _ingest_demo(host_b)
    assert done.returncode == 0 and "added 2" in done.stdout, done.stderr


def test_two_hosts_ingesting_at_once_never_interleave(tmp_path, chroma_server, cli_env):
    ids_a = _write_jsonl(tmp_path / "a.jsonl", 0, 150)
    ids_b = _write_jsonl(tmp_path / "b.jsonl", 150, 150)
    envs = [_host_env(cli_env, tmp_path, h, chroma_server.url) for h in ("host-a", "host-b")]
    procs = [_ingest_proc(tmp_path / "a.jsonl", envs[0]), _ingest_proc(tmp_path / "b.jsonl", envs[1])]
    done = []
    for p, ids in zip(procs, (ids_a, ids_b)):
        out, err = p.communicate(timeout=300)
        if p.returncode == 0:
            assert sorted(json.loads(out)["added"]) == sorted(ids)
            done += ids
        else:  # refused, never interleaved: a clear message and nothing written by it
            assert p.returncode == 1 and "another ingest or removal is writing to" in err, err
    assert done, "at least one of the two ingests must complete"
    settings = Settings(store=tmp_path / "reader", chroma_url=chroma_server.url, embedder="hash")
    store = Store(settings, HashingEmbedder().fingerprint)
    infos = store.article_infos()
    assert sorted(infos) == sorted(done)
    assert sum(i.n_chunks for i in infos.values()) == store.count_chunks()
    assert store.lexical().chunk_ids() == {c.id for c in store.iter_chunks()}
