"""The default embedding model through the runtimes available offline: speed and retrieval quality.

Variants of the bundled all-MiniLM-L6-v2, all built from the local model folder with no download:
  torch-fp32   sentence-transformers as shipped (LocalEmbedder(runtime="fp32"));
  torch-int8   the same with its Linear layers dynamically quantised (LocalEmbedder(runtime="int8"),
               the product's default since this benchmark measured it);
  onnx-fp32    the BERT body exported with `torch.onnx.export` and run by ONNX Runtime (tokenising
               and mean pooling done here); the export needs the `onnx` package (extra `bench`);
  onnx-int8    that graph after ONNX Runtime's own dynamic int8 quantisation.
(sentence-transformers' backend="onnx" needs `optimum`, whose current release pins transformers
below the version installed here, so the export is done directly instead.)

Speed is chunks/s on the same synthetic chunk texts, best of interleaved repeats; quality is hit@5
on rgb-dev through the product's hybrid retriever and through vector search alone.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from newsqa.index.embed import Embedder, LocalEmbedder

VARIANTS = ("torch-fp32", "torch-int8", "onnx-fp32", "onnx-int8")


class _OnnxVariant:
    """The exported BERT body in ONNX Runtime; tokenisation, mean pooling and normalisation here."""

    def __init__(self, path: Path, tokenizer: Any, max_len: int, fingerprint: str, dim: int,
                 batch_size: int = 32) -> None:
        import os

        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = os.cpu_count() or 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self._tok = tokenizer
        self._max_len = max_len
        self.fingerprint = fingerprint
        self.dim = dim
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # sorted by length so each batch pads to its own longest text, as sentence-transformers does
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for b in range(0, len(order), self.batch_size):
            idx = order[b:b + self.batch_size]
            enc = self._tok([texts[i] for i in idx], padding=True, truncation=True, max_length=self._max_len,
                            return_tensors="np")
            mask = enc["attention_mask"].astype(np.int64)
            hidden = self._session.run(None, {"ids": enc["input_ids"].astype(np.int64), "mask": mask,
                                              "tt": enc["token_type_ids"].astype(np.int64)})[0]
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            out[idx] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out


def export_onnx(base: LocalEmbedder, folder: Path) -> tuple[Path, Path]:
    """Export the model body to `folder`/minilm.onnx and its int8 twin; returns both paths."""
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    fp32, int8 = folder / "minilm.onnx", folder / "minilm-int8.onnx"
    model = base.sentence_transformer()
    bert = model[0].auto_model.eval()

    class Body(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, ids, mask, tt):  # type: ignore[no-untyped-def]
            return self.inner(input_ids=ids, attention_mask=mask, token_type_ids=tt).last_hidden_state

    if not fp32.exists():
        enc = model.tokenizer(["an example sentence", "and a second, somewhat longer one"], padding=True,
                              return_tensors="pt")
        axes = {0: "batch", 1: "tokens"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(Body(bert), (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]),
                              str(fp32), input_names=["ids", "mask", "tt"], output_names=["hidden"],
                              dynamic_axes={"ids": axes, "mask": axes, "tt": axes, "hidden": axes},
                              opset_version=17, dynamo=False)
    if not int8.exists():
        import logging

        from onnxruntime.quantization import QuantType, quantize_dynamic

        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)  # it advises optional pre-processing on the root logger
        try:
            quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
        finally:
            root.setLevel(level)
    return fp32, int8


def make_variants(model_path: str, workdir: Path, names: Sequence[str] = VARIANTS,
                  batch_size: int = 0) -> dict[str, Embedder | str]:
    """Embedders for the named variants; a variant that cannot be built maps to the reason why.

    The torch variants are the product's own LocalEmbedder with each runtime setting (and its
    batching: `batch_size` 0 = the product's default); the ONNX ones use the same batch size."""
    out: dict[str, Embedder | str] = {}
    fp32 = LocalEmbedder(model_path, batch_size=batch_size, runtime="fp32", light=False)
    if "torch-fp32" in names:
        out["torch-fp32"] = fp32
    if "torch-int8" in names:
        try:
            int8 = LocalEmbedder(model_path, batch_size=batch_size, runtime="int8", light=False)
            int8._load()
            out["torch-int8"] = int8
        except Exception as e:  # an unsupported CPU or torch build: reported, not fatal
            out["torch-int8"] = f"int8 quantisation failed: {e}"
    if any(n.startswith("onnx") for n in names):
        try:
            model = fp32._load()
            # from a copy of its own: after tracing, the traced model ran fp32 at half its speed
            onnx32, onnx8 = export_onnx(LocalEmbedder(model_path, runtime="fp32", light=False), workdir / "onnx")
            max_len = int(getattr(model, "max_seq_length", 256) or 256)
            if "onnx-fp32" in names:
                out["onnx-fp32"] = _OnnxVariant(onnx32, model.tokenizer, max_len, f"{fp32.fingerprint}:onnx-fp32",
                                                fp32.dim, fp32.batch_size)
            if "onnx-int8" in names:
                out["onnx-int8"] = _OnnxVariant(onnx8, model.tokenizer, max_len, f"{fp32.fingerprint}:onnx-int8",
                                                fp32.dim, fp32.batch_size)
        except Exception as e:  # e.g. the `onnx` package is missing
            for n in names:
                if n.startswith("onnx"):
                    out[n] = f"ONNX export unavailable: {type(e).__name__}: {e}"
    return out


def _speed(variants: dict[str, Embedder], texts: list[str], repeats: int) -> dict[str, float]:
    best = {n: float("inf") for n in variants}
    for e in variants.values():
        e.embed(texts[:4])  # warm-up: first calls allocate
    for _ in range(max(1, repeats)):
        for n, e in variants.items():  # interleaved, so a busy neighbour slows every variant alike
            t = time.perf_counter()
            e.embed(texts)
            best[n] = min(best[n], time.perf_counter() - t)
    return {n: len(texts) / s for n, s in best.items()}


def _hits(embedder: Embedder, rgb_dir: Path, workdir: Path, k: int = 5) -> dict[str, float]:
    from newsqa.evals.metrics import hit_at_k
    from newsqa.evals.questions import load_questions
    from newsqa.index.ingest import ingest
    from newsqa.index.store import Store
    from newsqa.rag.retrieve import Retriever
    from newsqa.settings import Settings

    safe = embedder.fingerprint.replace(":", "_").replace("/", "_")
    settings = Settings(store=workdir / f"rgb-{safe}")
    ingest([str(rgb_dir / "articles.jsonl")], settings, embedder)
    store = Store(settings, embedder.fingerprint)
    retriever = Retriever(store, embedder)
    questions = [q for q in load_questions(rgb_dir / "questions.jsonl") if q.answerable and q.evidence_ids]
    hybrid = vector = 0
    for q in questions:
        got = retriever.retrieve(q.question, k=k).passages
        hybrid += hit_at_k(list(dict.fromkeys(p.chunk.article_id for p in got)), q.evidence_ids, k)
        hits = store.vector_search(embedder.embed([q.question])[0], 4 * k)
        vector += hit_at_k(list(dict.fromkeys(c.article_id for c, _ in hits)), q.evidence_ids, k)
    n = max(1, len(questions))
    return {"hybrid_hit@5": hybrid / n, "vector_hit@5": vector / n, "questions": len(questions)}


def bench_embedders(texts: list[str], workdir: Path, rgb_dir: Path | None, model_path: str = "",
                    repeats: int = 3, names: Sequence[str] = VARIANTS,
                    log: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """chunks/s and rgb-dev hit@5 of each runtime variant, and which one should be the default."""
    built = make_variants(model_path, workdir, names)
    ok = {n: e for n, e in built.items() if not isinstance(e, str)}
    out: dict[str, Any] = {"variants": {n: {"error": e} for n, e in built.items() if isinstance(e, str)},
                           "texts": len(texts)}
    log(f"embedder runtimes: timing {', '.join(ok)} on {len(texts)} chunks")
    for n, cps in _speed(ok, texts, repeats).items():
        out["variants"][n] = {"chunks_per_s": cps}
    base_cps = out["variants"].get("torch-fp32", {}).get("chunks_per_s")
    if rgb_dir is not None and (rgb_dir / "questions.jsonl").exists():
        for n, e in ok.items():
            log(f"embedder runtimes: rgb-dev hit@5 with {n}")
            out["variants"][n].update(_hits(e, rgb_dir, workdir))
    for n, v in out["variants"].items():
        if base_cps and "chunks_per_s" in v:
            v["speedup"] = v["chunks_per_s"] / base_cps
    out["recommended"] = recommend(out["variants"])
    return out


def recommend(variants: dict[str, dict[str, Any]], tolerance: float = 0.01) -> str:
    """The fastest variant whose hybrid hit@5 is within `tolerance` of torch-fp32 (else torch-fp32)."""
    ref = variants.get("torch-fp32", {}).get("hybrid_hit@5")
    best, best_cps = "torch-fp32", variants.get("torch-fp32", {}).get("chunks_per_s", 0.0)
    for n, v in variants.items():
        if "chunks_per_s" not in v or ref is None or "hybrid_hit@5" not in v:
            continue
        if v["hybrid_hit@5"] >= ref - tolerance - 1e-9 and v["chunks_per_s"] > best_cps:
            best, best_cps = n, v["chunks_per_s"]
    return best
