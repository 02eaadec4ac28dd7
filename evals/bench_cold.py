"""Cold start: what a new user waits for, each command a fresh process (imports, model load and
store opening included), on the two bundled sample articles.

  sample ingest      `newsqa ingest --demo` into an empty store;
  unchanged re-ingest the same again (nothing to embed: no model may load);
  cold ask           `newsqa ask` on the sample question, median of `repeats` runs, peak RSS.

Wall times are measured around the child process; peak RSS is the child's own (wait4's rusage).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Sequence

SAMPLE_QUESTION = "Who offered to mediate between Israel and Iran?"


def run_measured(argv: Sequence[str], env: dict[str, str], timeout: float = 600.0) -> dict[str, Any]:
    """Run a command to its end: wall time, the child's own CPU time and peak RSS, exit code and
    output. CPU time is what the wall time would be on an idle machine, near enough for a
    single-threaded start-up: a shared machine's wall times include waiting for a core."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(list(argv), env=env, stdout=out, stderr=err)
        # wait4 rather than wait(): it also returns the child's resource usage
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"seconds": wall, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "rss_bytes": int(usage.ru_maxrss) * 1024, "rc": proc.returncode,
                "stdout": out.read().decode("utf-8", "replace"), "stderr": err.read().decode("utf-8", "replace")}


def bench_cold(workdir: Path, embedder: str = "local", repeats: int = 3,
               question: str = SAMPLE_QUESTION) -> dict[str, Any]:
    """The three cold-start figures on an empty store in `workdir`."""
    store = workdir / "cold-store"
    env = {**os.environ, "NEWSQA_STORE": str(store), "NEWSQA_EMBEDDER": embedder,
           "NEWSQA_CHROMA_URL": "", "PYTHONUNBUFFERED": "1"}
    cli = [sys.executable, "-m", "newsqa.cli"]
    out: dict[str, Any] = {"embedder": embedder, "question": question, "repeats": repeats}

    def step(argv: list[str]) -> dict[str, Any]:
        r = run_measured(cli + argv, env)
        if r["rc"] != 0:
            raise RuntimeError(f"bench cold start: `newsqa {' '.join(argv)}` exited with {r['rc']}: "
                               f"{r['stderr'][-2000:]}")
        return r

    first = step(["ingest", "--demo", "--json"])
    rep = json.loads(first["stdout"])
    out["sample_ingest"] = {"seconds": first["seconds"], "cpu_seconds": first["cpu_seconds"], "rss_bytes": first["rss_bytes"],
                            "chunks": rep["chunks_written"], "stages": rep["seconds"]}
    again = step(["ingest", "--demo", "--json"])
    rep = json.loads(again["stdout"])
    out["reingest"] = {"seconds": again["seconds"], "cpu_seconds": again["cpu_seconds"], "rss_bytes": again["rss_bytes"],
                       "unchanged": len(rep["unchanged"]), "stages": rep["seconds"]}
    asks = [step(["ask", "--json", question]) for _ in range(max(1, repeats))]
    answer = json.loads(asks[-1]["stdout"])
    out["ask"] = {"seconds": [a["seconds"] for a in asks], "cpu_seconds": [a["cpu_seconds"] for a in asks],
                  "median_s": statistics.median(a["seconds"] for a in asks),
                  "peak_rss_bytes": max(a["rss_bytes"] for a in asks),
                  "refused": bool(answer.get("refused")), "timings_ms": answer.get("timings_ms", {})}
    return out
