"""A real `newsqa ingest` process killed halfway (SIGKILL and Ctrl-C), then run again: every article
present exactly once, whole, and the vector and lexical indexes agree."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import default_sigint, write_jsonl
from newsqa.index.store import Store
from newsqa.settings import Settings

N = 1500


def _corpus(path: Path) -> Path:
    rng = random.Random(7)
    records = []
    for i in range(N):
        body = " ".join(f"Report {i} sentence {j}: the council of town{rng.randint(0, 99)} voted {rng.randint(1, 900)} "
                        f"to {rng.randint(1, 900)}." for j in range(40))
        records.append({"id": f"n{i:05d}", "title": f"Council vote {i}", "body": body, "source": "Wire"})
    return write_jsonl(path, records)


def _run(env: dict, src: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "newsqa.cli", "ingest", str(src), "--quiet"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=default_sigint)


def _stop_when_written(store_dir: Path, proc: subprocess.Popen, chunks: int, timeout: float = 120) -> None:
    """Return with the ingest frozen (SIGSTOP) once committed batches hold at least `chunks` chunks
    (the saved lexical index says so).

    Counting batches instead of sleeping makes "somewhere in the middle" hold on a fast machine and
    a slow one alike, and reading only while the process is frozen means it cannot run on to the
    end between the reading and the signal, however long a loaded machine keeps this test waiting."""
    from newsqa.index.lexical import LexicalIndex

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        os.kill(proc.pid, signal.SIGSTOP)
        for folder in (store_dir / "lexical").glob("*"):
            loaded = LexicalIndex.load(folder)
            if loaded is not None and len(loaded[0]) >= chunks:
                return
        os.kill(proc.pid, signal.SIGCONT)
        time.sleep(0.02)
    raise TimeoutError(f"ingest never wrote {chunks} chunks")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_ingest_completes_on_rerun(tmp_path, cli_env, sig):
    src = _corpus(tmp_path / "corpus.jsonl")
    store_dir = Path(cli_env["NEWSQA_STORE"])
    proc = _run(cli_env, src)
    # somewhere in the first third of the ~6,000 chunks: after one to a few committed batches
    _stop_when_written(store_dir, proc, random.Random(int(sig)).randint(1, 2000))
    proc.send_signal(sig)
    os.kill(proc.pid, signal.SIGCONT)  # a pending SIGINT is delivered as the process resumes
    proc.wait(60)
    assert proc.returncode != 0, "the ingest finished before it could be interrupted; make the corpus larger"

    settings = Settings(store=store_dir, embedder="hash")
    partial = Store(settings).count_articles()
    assert 0 < partial < N

    rerun = subprocess.run([sys.executable, "-m", "newsqa.cli", "ingest", str(src), "--json"], env=cli_env,
                           capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    store = Store(settings)
    infos = store.article_infos()
    assert len(infos) == N
    per_article = Counter(c.article_id for c in store.iter_chunks())
    assert set(per_article) == set(infos)
    assert all(per_article[a] == info.n_chunks for a, info in infos.items())
    assert store.count_chunks() == sum(per_article.values()) == len(store.lexical())
    # a third run finds nothing to do
    third = subprocess.run([sys.executable, "-m", "newsqa.cli", "ingest", str(src), "--json"], env=cli_env,
                           capture_output=True, text=True, timeout=600)
    assert '"added": []' in third.stdout and '"updated": []' in third.stdout
