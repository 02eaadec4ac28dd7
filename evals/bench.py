"""`newsqa bench`: ingest throughput, embedder runtimes, query latency and memory by corpus size,
and concurrent load through the served API; printed as a table, saved as bench.json and bench.svg.

The pieces live in bench_ingest / bench_embed / bench_query / bench_load; this module runs them in
order, checks the figures against the targets and renders the results. Absolute times depend on
the machine (and on whatever else it is doing); the ratios are what the targets are about.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable
from xml.sax.saxutils import escape

from newsqa.settings import Settings

DEFAULT_RGB_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "rgb-dev"

# target name -> (description, comparison) ; checked in `check_targets`
TARGETS = {
    "ingest_vs_raw": "product ingest >= 85% of the raw embedding model's chunks/s",
    # Judged where both pipelines do the same work: llama-index's default 1024-token chunks are cut
    # to MiniLM's 256-token window, so it never embeds 59% of the synthetic articles' tokens
    # (metadata included; counted with the model's tokenizer) and its chunks/s is not the same
    # unit. Its default run is still printed beside this one.
    "ingest_vs_llama": ("product ingest >= 1.3x plain llama-index, both indexing every word "
                        "(llama-index at the product's chunk size), in articles/s"),
    "reingest": "re-ingesting the unchanged corpus >= 20x faster than the first ingest",
    "ingest_process_vs_llama": ("whole-process `newsqa ingest` >= 1.0x plain llama-index with its defaults "
                                "(own HuggingFaceEmbedding of the same model), wall time"),
    "answer_p50": "a whole question p50 < 150 ms at the largest size (the default backend)",
    "answer_stage_p50": "the answer stage of each extractive backend <= 200 ms p50 at the largest size",
    "memory": "store memory < 1 GB per 100k chunks (BM25 included, models not counted)",
    "load_errors": "zero errors under load (1 worker, and 2 workers sharing a Chroma server)",
    "first_token": "first token with the local SmolLM2 model < 2 s (model load excluded)",
    "cold_ask": "a fresh `newsqa ask` on the two sample articles <= 3 s (median of 3) and <= 500 MB peak RSS",
    "sample_ingest": "`newsqa ingest --demo` into an empty store <= 10 s as a whole process",
    "cold_reingest": "re-ingesting the unchanged sample articles <= 1 s as a whole process, no model loaded",
}


@dataclass
class BenchOptions:
    sizes: list[int] = field(default_factory=lambda: [1000, 10000, 100000])
    ingest_articles: int = 200
    clients: int = 20
    questions: int = 200
    query_questions: int = 40
    repeats: int = 3
    embedder: str = "local"
    runtimes: bool = True
    rgb_dev: Path | None = DEFAULT_RGB_DEV
    out: Path = Path("bench-out")
    smoke: bool = False
    keep: bool = False
    seed: int = 0
    load_deadline_s: float = 900.0
    generate: int = 10  # questions for the local-LLM first-token figure (0: skip)
    cold: bool = True  # the cold-start section (fresh processes on the sample articles)
    cold_only: bool = False  # nothing but that section
    # whole-process ingest against plain llama-index: the first N records of this JSONL (real news
    # is what the comparison is about); without it, the synthetic ingest articles
    ingest_corpus: Path | None = None
    process_articles: int = 300
    # backends whose answer stage is timed on the same questions at every size
    answer_backends: list[str] = field(default_factory=lambda: ["extractive", "ranked"])

    @classmethod
    def smoke_defaults(cls, out: Path) -> "BenchOptions":
        """Tiny sizes and the hashing embedder: every stage runs, in well under a minute."""
        return cls(sizes=[150, 400], ingest_articles=6, clients=3, questions=9, query_questions=5, repeats=1,
                   embedder="hash", runtimes=False, out=out, smoke=True, load_deadline_s=60.0, generate=0)


def llama_hf_embedding_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("llama_index.embeddings.huggingface") is not None


# --- machine -------------------------------------------------------------------------------------
def machine_info() -> dict[str, Any]:
    """CPU model and count, RAM, load average: what the figures were measured on."""
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        load = list(os.getloadavg())
    except OSError:
        load = []
    try:
        import torch

        torch_threads = int(torch.get_num_threads())
    except Exception:
        torch_threads = None
    return {"cpus": os.cpu_count(), "cpu_model": cpu_model or platform.processor() or platform.machine(),
            "ram_bytes": ram, "loadavg": load, "python": platform.python_version(),
            "platform": platform.platform(), "torch_threads": torch_threads}


def describe_machine(m: dict[str, Any]) -> str:
    load = ", ".join(f"{x:.2f}" for x in m.get("loadavg") or []) or "?"
    return (f"{m['cpus']} CPU(s), {m['cpu_model']}, {m['ram_bytes'] / 2**30:.1f} GiB RAM, load average "
            f"{load} at start; Python {m['python']}, torch threads {m.get('torch_threads')}")


# --- running -------------------------------------------------------------------------------------
def run_bench(opts: BenchOptions, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run every stage and return the results (also written to opts.out/bench.json and bench.svg)."""
    started = time.perf_counter()
    results: dict[str, Any] = {"options": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(opts).items()},
                               "machine": machine_info()}
    log(f"machine: {describe_machine(results['machine'])}")
    workdir = Path(tempfile.mkdtemp(prefix="newsqa-bench-"))
    try:
        if opts.cold or opts.cold_only:
            # first, before this process's own work warms the page cache for the children
            from newsqa.evals.bench_cold import bench_cold

            log("cold start: fresh `newsqa` processes on the sample articles")
            results["cold"] = bench_cold(workdir, opts.embedder, repeats=1 if opts.smoke else 3)
            results.setdefault("embedder", opts.embedder)
        if not opts.cold_only:
            _run_stages(opts, results, workdir, log)
    finally:
        if opts.keep:
            log(f"working stores kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    results["targets"] = check_targets(results)
    results["wall_s"] = time.perf_counter() - started
    opts.out.mkdir(parents=True, exist_ok=True)
    (opts.out / "bench.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    (opts.out / "bench.svg").write_text(latency_svg(results.get("query", [])), encoding="utf-8")
    return results


def _run_stages(opts: BenchOptions, results: dict[str, Any], workdir: Path, log: Callable[[str], None]) -> None:
    """Ingest, embedder runtimes, query by size, local LLM, load."""
    from newsqa.evals.bench_ingest import bench_ingest, product_texts
    from newsqa.evals.bench_load import bench_load
    from newsqa.evals.bench_query import bench_query_size
    from newsqa.evals.synth import synthetic_articles, synthetic_questions
    from newsqa.index.embed import make_embedder

    base = Settings(store=workdir / "ingest", embedder=opts.embedder)  # type: ignore[arg-type]
    embedder = make_embedder(base)
    results["embedder"] = embedder.fingerprint
    articles = synthetic_articles(opts.ingest_articles, opts.seed)

    log(f"ingest: {len(articles)} synthetic articles, {opts.embedder} embedder, best of {opts.repeats}")
    ing = bench_ingest(articles, embedder, workdir, opts.repeats, base,
                       hf_model_path=getattr(embedder, "model_path", "") if opts.embedder == "local" else "")
    memo = ing.pop("_memo")
    results["ingest"] = ing

    model_path = getattr(embedder, "model_path", "") if opts.embedder == "local" else ""
    if model_path and llama_hf_embedding_available():
        from newsqa.evals.bench_ingest import bench_ingest_process, sample_articles_file, write_articles_file

        corpus = workdir / "process-articles.jsonl"
        if opts.ingest_corpus:
            sample_articles_file(opts.ingest_corpus, opts.process_articles, corpus)
        else:
            write_articles_file(articles, corpus)
        log(f"ingest, whole processes: {corpus.name}, best of {opts.repeats}")
        results["ingest_process"] = bench_ingest_process(corpus, workdir, model_path, opts.repeats, log)
        results["ingest_process"]["source"] = str(opts.ingest_corpus or "synthetic")

    if opts.runtimes and opts.embedder == "local":
        from newsqa.evals.bench_embed import bench_embedders

        rgb = opts.rgb_dev if opts.rgb_dev and (opts.rgb_dev / "questions.jsonl").exists() else None
        if rgb is None:
            log("embedder runtimes: rgb-dev not found; speed only")
        texts = product_texts(articles, base, embedder)[:128]
        results["runtimes"] = bench_embedders(texts, workdir / "runtimes", rgb, base.embed_model,
                                              repeats=max(2, opts.repeats), log=log)

    results["query"] = []
    for size in opts.sizes:
        log(f"query: building and measuring a {size:,}-chunk store")
        results["query"].append(bench_query_size(workdir, size, opts.embedder, opts.query_questions, opts.seed,
                                                backends=opts.answer_backends))

    questions = [q.question for q in synthetic_questions(opts.questions, len(articles), opts.seed)]
    store_settings = base.with_overrides(store=Path(ing["store"]))
    if opts.generate:
        from newsqa.evals.bench_generate import bench_generate

        results["generate"] = bench_generate(store_settings, memo, questions[: opts.generate], log)
    results["load"] = bench_load(store_settings, questions, opts.clients, workdir, memo, articles,
                                 opts.load_deadline_s, log)


# --- targets -------------------------------------------------------------------------------------
def check_targets(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each target's measured value and whether it is met (None when not measured)."""
    out: dict[str, dict[str, Any]] = {}

    def put(name: str, value: Any, ok: bool | None) -> None:
        out[name] = {"target": TARGETS[name], "value": value, "met": ok}

    ing = r.get("ingest")
    if ing:
        put("ingest_vs_raw", round(ing["product_vs_raw"], 3), ing["product_vs_raw"] >= 0.85)
        like = ing["product_vs_llama_matched_articles"]
        put("ingest_vs_llama", round(like, 3), like >= 1.3)
        put("reingest", round(ing["reingest_speedup"], 1), ing["reingest_speedup"] >= 20)
    proc = r.get("ingest_process")
    if proc:
        ratio = proc["newsqa_vs_llama_defaults"]
        put("ingest_process_vs_llama", round(ratio, 3), ratio >= 1.0)
    q = r.get("query") or []
    if q:
        top = max(q, key=lambda x: x["chunks"])
        p50 = top["latency_ms"]["total"]["p50"]
        put("answer_p50", {"chunks": top["chunks"], "p50_ms": round(p50, 1)}, p50 < 150)
        stage = {b: round(v["answer_p50"], 1) for b, v in (top.get("answer_by_backend") or {}).items()}
        if stage:
            put("answer_stage_p50", {"chunks": top["chunks"], "p50_ms": stage}, max(stage.values()) <= 200)
        per100k = top["rss_delta_bytes"] * 100_000 / max(top["chunks"], 1)
        # below ~50k chunks the store's fixed cost dominates and scaling it up overstates the figure
        put("memory", {"chunks": top["chunks"], "per_100k_mb": round(per100k / 2**20, 1)},
            per100k < 2**30 if top["chunks"] >= 50_000 else None)
    cold = r.get("cold")
    if cold:
        ask = cold["ask"]
        put("cold_ask", {"median_s": round(ask["median_s"], 2), "peak_rss_mb": round(ask["peak_rss_bytes"] / 2**20)},
            ask["median_s"] <= 3.0 and ask["peak_rss_bytes"] <= 500 * 2**20)
        put("sample_ingest", round(cold["sample_ingest"]["seconds"], 2), cold["sample_ingest"]["seconds"] <= 10.0)
        again = cold["reingest"]
        put("cold_reingest", {"seconds": round(again["seconds"], 2),
                              "model_load_s": again["stages"].get("model_load", 0.0)},
            again["seconds"] <= 1.0 and not again["stages"].get("model_load"))
    gen = r.get("generate")
    if gen and "skipped" not in gen:
        p50 = gen["first_token_ms"]["p50"]
        put("first_token", round(p50, 1), p50 < 2000)
    load = r.get("load")
    if load:
        errs = {k: v["errors"] + v["not_sent"] for k, v in load.items()}
        put("load_errors", errs, all(e == 0 for e in errs.values()))
    return out


# --- console table -------------------------------------------------------------------------------
def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _ms(v: float | None) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


def _cpu(v: float | list[float] | None) -> str:
    if v is None:
        return "-"
    return ", ".join(f"{x:.2f}" for x in v) if isinstance(v, list) else f"{v:.2f}"


def _mark(t: dict[str, Any] | None) -> str:
    if not t or t["met"] is None:
        return ""
    return "  [target met]" if t["met"] else "  [target MISSED]"


def format_results(r: dict[str, Any]) -> str:
    """The console report: machine, then one table per stage with targets next to the figures."""
    t = r.get("targets", {})
    parts = [f"newsqa bench{' (smoke: tiny sizes, hashing embedder)' if r['options'].get('smoke') else ''}",
             f"machine: {describe_machine(r['machine'])}", f"embedder: {r.get('embedder', '?')}"]
    cold = r.get("cold")
    if cold:
        ask, first, again = cold["ask"], cold["sample_ingest"], cold["reingest"]
        stages = ", ".join(f"{k} {v:.2f}" for k, v in first["stages"].items())
        parts += ["", f"COLD START  fresh `newsqa` processes on the two sample articles ({cold['embedder']} embedder); "
                      f"wall time of the whole process, peak RSS",
                  f"cold ask, median of {len(ask['seconds'])}: {ask['median_s']:.2f} s (runs "
                  + ", ".join(f"{x:.2f}" for x in ask["seconds"]) + f"; CPU {_cpu(ask.get('cpu_seconds'))}), "
                  f"peak RSS {ask['peak_rss_bytes'] / 2**20:.0f} MB (target <= 3 s, <= 500 MB){_mark(t.get('cold_ask'))}",
                  f"sample ingest into an empty store: {first['seconds']:.2f} s (CPU {_cpu(first.get('cpu_seconds'))}), "
                  f"{first['chunks']} chunks, peak RSS {first['rss_bytes'] / 2**20:.0f} MB (target <= 10 s)"
                  f"{_mark(t.get('sample_ingest'))}; inside (s): {stages}",
                  f"unchanged re-ingest: {again['seconds']:.2f} s (CPU {_cpu(again.get('cpu_seconds'))}), "
                  f"{again['unchanged']} unchanged, model load {again['stages'].get('model_load', 0.0):.2f} s "
                  f"(target <= 1 s, no model load){_mark(t.get('cold_reingest'))}",
                  "(CPU: the process's own CPU seconds, about its wall time on an idle machine)"]
    ing = r.get("ingest")
    if ing:
        rows = []
        for k, label in (("raw", "raw model (embedder.embed on the chunk texts)"), ("product", "newsqa ingest"),
                         ("llama", "plain llama-index VectorStoreIndex"),
                         ("llama_matched", "llama-index, the product's chunk size"),
                         ("llama_hf", "llama-index, own HuggingFaceEmbedding, same model")):
            if k not in ing["chunks"]:
                continue
            rows.append([label, str(ing["chunks"][k]), f"{ing['seconds_best'][k]:.2f}",
                         f"{ing['chunks_per_s'][k]:.1f}", f"{ing['articles_per_s'][k]:.2f}"])
        parts += ["", f"INGEST  {ing['articles']} synthetic articles, best of {ing['repeats']}",
                  _table(["pipeline", "chunks", "seconds", "chunks/s", "articles/s"], rows),
                  f"product / raw      = {ing['product_vs_raw']:.2f}  (target >= 0.85){_mark(t.get('ingest_vs_raw'))}",
                  f"product / llama at the product's chunk size (both index every word) = "
                  f"{ing['product_vs_llama_matched_articles']:.2f}x articles/s  (target >= 1.3x)"
                  f"{_mark(t.get('ingest_vs_llama'))}",
                  f"product / llama with its defaults = {ing['product_vs_llama']:.2f}x chunks/s, "
                  f"{ing['product_vs_llama_articles']:.2f}x articles/s (its 1024-token chunks are cut to the "
                  f"model's 256-token window: most of each article is never embedded)",
                  *([f"product / llama-index with its own HuggingFaceEmbedding of the same model (fp32), "
                     f"product's chunk size = {ing['product_vs_llama_hf_articles']:.2f}x articles/s"]
                    if "product_vs_llama_hf_articles" in ing else []),
                  f"re-ingest unchanged: {ing['reingest_s']:.3f} s = {ing['reingest_speedup']:.0f}x faster "
                  f"(target >= 20x){_mark(t.get('reingest'))}",
                  "product stages (s): " + ", ".join(f"{k} {v:.2f}" for k, v in ing["product_stage_seconds"].items())]
    proc = r.get("ingest_process")
    if proc:
        best = proc["seconds_best"]
        parts += [f"whole processes, {proc['articles']} articles of {proc['source']}, best of {proc['repeats']}: "
                  f"`newsqa ingest` {best['newsqa']:.1f} s, plain llama-index defaults (own "
                  f"HuggingFaceEmbedding) {best['llama_defaults']:.1f} s = "
                  f"{proc['newsqa_vs_llama_defaults']:.2f}x  (target >= 1.0x){_mark(t.get('ingest_process_vs_llama'))}"]
    rt = r.get("runtimes")
    if rt:
        rows = []
        for n, v in rt["variants"].items():
            if "error" in v:
                rows.append([n, "-", "-", "-", "-", v["error"][:60]])
                continue
            rows.append([n, f"{v['chunks_per_s']:.1f}", f"{v.get('speedup', 0):.2f}x",
                         f"{v['hybrid_hit@5']:.3f}" if "hybrid_hit@5" in v else "-",
                         f"{v['vector_hit@5']:.3f}" if "vector_hit@5" in v else "-", ""])
        parts += ["", f"EMBEDDER RUNTIMES  {rt['texts']} chunks; hit@5 on rgb-dev",
                  _table(["runtime", "chunks/s", "speed", "hybrid hit@5", "vector hit@5", "note"], rows),
                  f"fastest within 1 point of fp32 hit@5: {rt['recommended']}"]
    q = r.get("query") or []
    if q:
        stages = ["embed_query", "vector_search", "bm25", "fusion", "answer", "refusal", "total"]
        rows = []
        for x in q:
            lat = x["latency_ms"]
            rows.append([f"{x['chunks']:,}"] + [f"{_ms(lat[s]['p50'])}/{_ms(lat[s]['p95'])}" for s in stages]
                        + [f"{x['rss_delta_bytes'] / 2**20:.0f}", f"{x['disk_bytes'] / 2**20:.0f}"])
        backend = q[0].get("backend", "extractive")
        parts += ["", f"QUERY  latency p50/p95 in ms per stage ({backend} backend); store memory (RSS delta "
                      "after opening it, one vector search and BM25 loaded) and size on disk in MB",
                  _table(["chunks", "embed", "vector", "bm25", "fusion", "answer", "refusal", "total",
                          "RSS MB", "disk MB"], rows)]
        if "answer_p50" in t:
            v = t["answer_p50"]["value"]
            parts.append(f"whole question p50 at {v['chunks']:,} chunks = {v['p50_ms']} ms (target < 150 ms)"
                         f"{_mark(t['answer_p50'])}")
        if "answer_stage_p50" in t:
            v = t["answer_stage_p50"]["value"]
            each = ", ".join(f"{b} {ms} ms" for b, ms in v["p50_ms"].items())
            parts.append(f"answer stage p50 at {v['chunks']:,} chunks: {each} (target <= 200 ms)"
                         f"{_mark(t['answer_stage_p50'])}")
        if "memory" in t:
            v = t["memory"]["value"]
            how = "measured at" if t["memory"]["met"] is not None else "scaled up (not judged) from"
            parts.append(f"memory per 100k chunks = {v['per_100k_mb']} MB, {how} {v['chunks']:,} chunks "
                         f"(target < 1024 MB){_mark(t['memory'])}")
    gen = r.get("generate")
    if gen:
        parts += ["", "GENERATE  the llamacpp backend (local GGUF) through QA.stream on the ingest store"]
        if "skipped" in gen:
            parts.append(f"skipped: {gen['skipped']}")
        else:
            parts += [f"model {gen['model']}, loaded in {gen['load_s']:.1f} s (not counted below)",
                      f"first token p50/p95 = {_ms(gen['first_token_ms']['p50'])}/{_ms(gen['first_token_ms']['p95'])} ms"
                      f" (target < 2000 ms){_mark(t.get('first_token'))}; checked answer p50/p95 = "
                      f"{_ms(gen['total_ms']['p50'])}/{_ms(gen['total_ms']['p95'])} ms; "
                      f"{gen['refused']}/{gen['questions']} refused"]
    load = r.get("load")
    if load:
        rows = []
        for k, label in (("single", "1 worker, embedded store"), ("two_workers", "2 workers, shared Chroma server")):
            if k not in load:
                continue
            v = load[k]
            rows.append([label, str(v["clients"]), f"{v['answered']}/{v['questions']}", str(v["errors"]),
                         _ms(v["latency_ms"]["p50"]), _ms(v["latency_ms"]["p95"]), f"{v['throughput_qps']:.2f}"])
        parts += ["", "LOAD  concurrent clients through the served `ask` API (127.0.0.1)",
                  _table(["setup", "clients", "answered", "errors", "p50 ms", "p95 ms", "questions/s"], rows),
                  f"errors: {t.get('load_errors', {}).get('value')} (target 0){_mark(t.get('load_errors'))}"]
        for k, v in load.items():
            for e in v["error_samples"]:
                parts.append(f"  {k} error: {e}")
    parts += ["", f"total wall time {r.get('wall_s', 0):.0f} s"]
    return "\n".join(parts)


# --- plot ----------------------------------------------------------------------------------------
_SERIES = [("total", "p95", "#b91c1c", "total p95"), ("total", "p50", "#1d4ed8", "total p50"),
           ("answer", "p50", "#7c3aed", "answer p50"), ("vector_search", "p50", "#059669", "vector search p50"),
           ("fusion", "p50", "#d97706", "fusion + rerank p50"), ("bm25", "p50", "#0891b2", "BM25 p50"),
           ("embed_query", "p50", "#6b7280", "query embedding p50")]


def latency_svg(query: list[dict[str, Any]], width: int = 760, height: int = 440) -> str:
    """Latency (log ms) against corpus size (log chunks), one line per stage; plain SVG, no scripts."""
    left, right, top, bottom = 70, 200, 40, 55
    pw, ph = width - left - right, height - top - bottom
    pts = [(x["chunks"], {f"{s}:{p}": x["latency_ms"][s][p] for s, p, _, _ in _SERIES}) for x in query]
    values = [v for _, d in pts for v in d.values() if v and v > 0 and not math.isnan(v)]
    if values:
        values.append(150.0)  # keep the budget line in view
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="15" font-weight="bold">Query latency against corpus size</text>']
    if not pts or not values:
        out.append(f'<text x="{left}" y="{top + 30}">no measurements</text></svg>')
        return "\n".join(out)
    xs = [c for c, _ in pts]
    # sizes are "about" a power of ten (100,002 chunks): round before choosing the decades shown
    x0, x1 = math.floor(math.log10(min(xs)) + 0.01), math.ceil(math.log10(max(xs)) - 0.01)
    if x1 == x0:
        x1 += 1
    y0, y1 = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    if y1 == y0:
        y1 += 1
    px = lambda c: left + pw * (math.log10(c) - x0) / (x1 - x0)
    py = lambda v: top + ph - ph * (math.log10(v) - y0) / (y1 - y0)
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#9ca3af"/>')
    for e in range(x0, x1 + 1):
        x = px(10 ** e)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ph}" stroke="#e5e7eb"/>')
        out.append(f'<text x="{x:.1f}" y="{top + ph + 18}" text-anchor="middle">{10 ** e:,}</text>')
    for e in range(y0, y1 + 1):
        y = py(10 ** e)
        label = f"{10 ** e:g}"
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        out.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    out.append(f'<text x="{left + pw / 2}" y="{height - 12}" text-anchor="middle">corpus size (chunks, log scale)</text>')
    out.append(f'<text x="18" y="{top + ph / 2}" text-anchor="middle" transform="rotate(-90 18 {top + ph / 2})">'
               f'latency (ms, log scale)</text>')
    budget = 150.0
    if 10 ** y0 <= budget <= 10 ** y1:
        y = py(budget)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#b91c1c" '
                   f'stroke-dasharray="6 4"/>')
        out.append(f'<text x="{left + pw - 4}" y="{y - 4:.1f}" fill="#b91c1c" text-anchor="end">'
                   f'150 ms target (p50)</text>')
    for i, (stage, p, color, label) in enumerate(_SERIES):
        key = f"{stage}:{p}"
        line = [(px(c), py(d[key])) for c, d in pts if d[key] and d[key] > 0 and not math.isnan(d[key])]
        if line:
            dash = ' stroke-dasharray="4 3"' if p == "p95" else ""
            out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2"{dash} points="'
                       + " ".join(f"{x:.1f},{y:.1f}" for x, y in line) + '"/>')
            out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>' for x, y in line]
        ly = top + 10 + 20 * i
        out.append(f'<line x1="{left + pw + 15}" y1="{ly}" x2="{left + pw + 40}" y2="{ly}" stroke="{color}" '
                   f'stroke-width="2"/>')
        out.append(f'<text x="{left + pw + 46}" y="{ly + 4}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)
