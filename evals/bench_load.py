"""Load: concurrent clients asking a real `newsqa serve` through its `ask` API, over loopback only.

Every loop is bounded (a fixed number of questions and an overall deadline) and stops by itself;
servers started here are stopped here. Two setups: one worker over an embedded store, and two
workers sharing one `chroma run` server (each keeps its own BM25 cache folder).
"""

from __future__ import annotations

import json
import queue
import threading
import time
from pathlib import Path
from typing import Any, Sequence

from newsqa.settings import Settings

# the child servers live in evals/servers.py (the tests start the same ones)
from newsqa.evals.servers import HOST, ChromaProcess, ServeProcess, free_port, wait_http  # noqa: E402,F401


def ask(client: Any, base: str, question: str, timeout: float = 120.0, k: int = 5) -> dict[str, Any]:
    """One question through the Gradio HTTP API (`/gradio_api/call/ask`); returns the answer JSON.

    Raises RuntimeError with the server's message when the call ends in an error event.
    """
    # plain HTTP must send every input: question, backend ('' = the server's default), k, since,
    # until, source, as_of ('' = today)
    r = client.post(f"{base}gradio_api/call/ask", json={"data": [question, "", k, "", "", "", ""]}, timeout=timeout)
    r.raise_for_status()
    event_id = r.json()["event_id"]
    event = ""
    with client.stream("GET", f"{base}gradio_api/call/ask/{event_id}", timeout=timeout) as stream:
        stream.raise_for_status()
        for line in stream.iter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                data = json.loads(line[5:].strip() or "null")
                if event == "error":
                    message = data.get("error") if isinstance(data, dict) else data
                    raise RuntimeError(f"the server answered with an error: {message}")
                return data[0] if isinstance(data, list) else data
    raise RuntimeError("the event stream ended without an answer")


def run_load(bases: Sequence[str], questions: Sequence[str], clients: int, deadline_s: float = 600.0,
             timeout: float = 120.0) -> dict[str, Any]:
    """`clients` threads share the questions; client i talks to bases[i % len(bases)].

    Stops when the questions run out or at the deadline, whichever is first.
    """
    import httpx

    todo: queue.Queue[str] = queue.Queue()
    for q in questions:
        todo.put(q)
    lock = threading.Lock()
    latencies: list[float] = []
    per_base: dict[str, int] = {b: 0 for b in bases}
    errors: list[str] = []
    refused = 0
    stop_at = time.monotonic() + deadline_s

    def client_loop(i: int) -> None:
        nonlocal refused
        base = bases[i % len(bases)]
        with httpx.Client() as c:
            while time.monotonic() < stop_at:
                try:
                    q = todo.get_nowait()
                except queue.Empty:
                    return
                t = time.perf_counter()
                try:
                    out = ask(c, base, q, timeout)
                    ok = "answer" in out
                    err = "" if ok else f"unexpected reply {str(out)[:200]}"
                except Exception as e:  # counted, never raised: the run must finish
                    ok, err, out = False, f"{type(e).__name__}: {e}", {}
                dt = time.perf_counter() - t
                with lock:
                    if ok:
                        latencies.append(dt * 1000)
                        per_base[base] += 1
                        refused += bool(out.get("refused"))
                    else:
                        errors.append(err)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(i,), daemon=True) for i in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(max(0.0, stop_at - time.monotonic()) + timeout + 5)
    wall = time.perf_counter() - t0
    import numpy as np

    lat = np.asarray(latencies) if latencies else np.zeros(0)
    return {
        "clients": clients, "questions": len(questions), "answered": len(latencies), "errors": len(errors),
        "not_sent": todo.qsize(), "refused": refused, "error_samples": errors[:5], "per_worker": per_base,
        "wall_s": wall, "throughput_qps": len(latencies) / wall if wall else 0.0,
        "latency_ms": {"p50": float(np.percentile(lat, 50)) if lat.size else None,
                       "p95": float(np.percentile(lat, 95)) if lat.size else None,
                       "max": float(lat.max()) if lat.size else None},
    }


def bench_load(store_settings: Settings, questions: Sequence[str], clients: int, workdir: Path,
               server_filler: Any = None, articles: Sequence[Any] = (), deadline_s: float = 600.0,
               log: Any = lambda _: None) -> dict[str, Any]:
    """The single-worker run over `store_settings`, then two workers sharing a Chroma server.

    The Chroma server's collection is filled from `articles` with `server_filler` (an embedder,
    typically one that remembers the vectors already computed for the embedded store).
    """
    from newsqa.index.ingest import ingest

    out: dict[str, Any] = {}
    log(f"load: 1 worker, {clients} clients, {len(questions)} questions")
    worker = ServeProcess(store_settings, workdir / "logs")
    try:
        out["single"] = run_load([worker.url], questions, clients, deadline_s)
    finally:
        worker.stop()

    log("load: 2 workers sharing a Chroma server")
    chroma = ChromaProcess(workdir / "chroma-data")
    workers: list[ServeProcess] = []
    try:
        shared = store_settings.with_overrides(store=workdir / "server-filler", chroma_url=chroma.url)
        if articles and server_filler is not None:
            ingest(list(articles), shared, server_filler)
        for name in ("worker-a", "worker-b"):
            workers.append(ServeProcess(shared.with_overrides(store=workdir / name), workdir / "logs"))
        out["two_workers"] = run_load([w.url for w in workers], questions, clients, deadline_s)
    finally:
        for w in workers:
            w.stop()
        chroma.stop()
    return out
