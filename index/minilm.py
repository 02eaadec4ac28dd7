"""A BERT sentence encoder (mean pooling, unit vectors) in numpy, reading the model folder's
safetensors and tokenizer.json directly: torch's vectors without importing torch, transformers or
sentence-transformers.

Why: a fresh `newsqa ask` spent about 9 s importing and quantising the torch stack to embed one
question; this loads in a fraction of a second. It is used where it pays (questions, the support
scorer's sentences, small ingests); large ingests still load torch, whose int8 kernels are faster
in bulk.

The same arithmetic as the runtime the store was built with. "fp32" agrees with torch to float
rounding. "int8" reproduces torch's dynamic quantisation of every Linear layer step by step:
  weights: int8, one symmetric scale per matrix, scale = max|w| / 127.5 (MinMaxObserver, qint8);
  activations: quantised per forward pass over the whole (padded) batch tensor to 0..127 (fbgemm's
    reduce_range), scale = (max(x, 0) - min(x, 0)) / 127, zero point round(-min / scale), the
    value rounded from one fused x * (1 / scale) + zero_point;
  product: integer accumulation, times the two scales, plus the float bias.
Each layer gives torch's output exactly for torch's input. Between layers, softmax, layer norm and
GELU round floats a little differently from torch's kernels, which now and then flips one int8
rounding, and a flip grows through the layers: most vectors come out identical, the others move
less than torch's own int8 vectors move with their batchmates (on the sample articles' sentences,
median cosine to torch 1.0000 and minimum 0.979, against a median of 0.967 between one sentence
embedded alone and batched by torch). `tests/index/test_minilm.py` checks both runtimes.
The integer products are exact in float32 (|127 * 128| * 384 < 2^24; the 1536-wide layer checks
its input and falls back to float64 when a sum could pass 2^24).
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


class UnsupportedModel(ValueError):
    """The folder holds a model this encoder does not implement (the torch runtime still can)."""


def read_safetensors(path: str) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file as read-only arrays mapped from the file (no copy)."""
    with open(path, "rb") as fh:
        (n,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(n))
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    out: dict[str, np.ndarray] = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        if meta["dtype"] not in _DTYPES:
            raise UnsupportedModel(f"{path}: tensor {name} has dtype {meta['dtype']}")
        start, end = meta["data_offsets"]
        out[name] = raw[8 + n + start:8 + n + end].view(_DTYPES[meta["dtype"]]).reshape(meta["shape"])
    return out


def _json(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def supported(model_path: str) -> bool:
    """Whether `model_path` is a sentence-transformers BERT with mean pooling this encoder runs."""
    try:
        _check(model_path)
        return True
    except (UnsupportedModel, OSError, ValueError, KeyError, TypeError):
        return False


def _check(model_path: str) -> dict:
    cfg = _json(os.path.join(model_path, "config.json"))
    if cfg.get("model_type") != "bert" or cfg.get("hidden_act") != "gelu" or \
            cfg.get("position_embedding_type", "absolute") != "absolute":
        raise UnsupportedModel(f"{model_path}: not a plain BERT")
    modules = [m.get("type", "") for m in _json(os.path.join(model_path, "modules.json"))]
    if modules[:2] != ["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling"] or \
            modules[2:] not in ([], ["sentence_transformers.models.Normalize"]):
        raise UnsupportedModel(f"{model_path}: modules {modules}")
    pooling = _json(os.path.join(model_path, "1_Pooling", "config.json"))
    modes = [k for k, v in pooling.items() if k.startswith("pooling_mode") and v]
    if modes != ["pooling_mode_mean_tokens"]:
        raise UnsupportedModel(f"{model_path}: pooling {modes}")
    st = _json(os.path.join(model_path, "sentence_bert_config.json"))
    if st.get("do_lower_case"):
        raise UnsupportedModel(f"{model_path}: do_lower_case")
    for f in ("model.safetensors", "tokenizer.json"):
        if not os.path.isfile(os.path.join(model_path, f)):
            raise UnsupportedModel(f"{model_path}: no {f}")
    return {**cfg, "max_seq_length": int(st.get("max_seq_length") or 512)}


@dataclass
class _Linear:
    w: np.ndarray  # (in, out): fp32 weights, or int8 values held as floats for BLAS
    b: np.ndarray
    scale: np.float32 | None  # the weight scale when int8
    exact64: bool  # int8 only: wide enough that float32 may not hold the integer sums exactly


def _quantize_weight(w: np.ndarray) -> tuple[np.ndarray, np.float32]:
    """torch's per-tensor symmetric qint8 weight quantisation (MinMaxObserver), as floats."""
    amax = np.float32(max(-float(w.min()), float(w.max()), 0.0))
    scale = np.float32(max(amax / np.float32(127.5), np.finfo(np.float32).eps))
    q = np.clip(np.rint(w * (np.float32(1.0) / scale)), -128, 127).astype(np.float32)
    return q, scale


def _activation_params(lo32: np.float32, hi32: np.float32) -> tuple[float, int, np.float32]:
    """fbgemm's scale and zero point for a tensor whose min and max (each taken with 0) are given:
    (1 / scale as torch rounds it, the zero point, the scale)."""
    lo, hi = float(lo32), float(hi32)
    scale = float(np.float32(hi32 - lo32)) / 127.0  # float difference, double quotient (fbgemm)
    if np.float32(scale) == 0 or np.isinf(np.float32(1.0) / np.float32(scale)):
        scale = 0.1
    if scale < 6.1e-5:  # fbgemm's smallest scale; min and max are stretched to match
        lo, hi, scale = lo * 6.1e-5 / scale, hi * 6.1e-5 / scale, 6.1e-5
    zp = -lo / scale if -abs(lo / scale) < 127 - abs(hi / scale) else 127 - hi / scale
    zp = 0 if zp < 0 else 127 if zp > 127 else int(np.rint(zp))
    s32 = np.float32(scale)
    return float(np.float32(1.0) / s32), zp, s32


def _quantize_activation(x: np.ndarray) -> tuple[np.ndarray, np.float32]:
    """fbgemm's dynamic activation quantisation with reduce_range (0..127), one scale over the whole
    tensor (every text of the batch, padding included); returns (x_q - zero_point) as floats and
    the scale."""
    rows = x.reshape(-1, x.shape[-1])
    xq, scales = _quantize_segments(rows, np.array([0, len(rows)]))
    return xq.reshape(x.shape), scales[0, 0]


def _quantize_segments(x: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`_quantize_activation` applied to each run of rows x[bounds[i]:bounds[i+1]] on its own, as
    if each were a batch by itself: (x_q - zero_point) as floats and each row's scale, (rows, 1)."""
    lo = np.minimum(np.minimum.reduceat(x.min(-1), bounds[:-1]), np.float32(0))
    hi = np.maximum(np.maximum.reduceat(x.max(-1), bounds[:-1]), np.float32(0))
    params = [_activation_params(a, b) for a, b in zip(lo, hi)]
    lengths = np.diff(bounds)
    inv = np.repeat(np.array([p[0] for p in params], np.float64), lengths)[:, None]
    zp = np.repeat(np.array([p[1] for p in params], np.float32), lengths)[:, None]
    # fbgemm computes x * (1 / scale) + zero_point as one fused multiply-add, then rounds: an exact
    # product in float64, one rounding to float32. Rounding the product first differs at ties.
    t = (x.astype(np.float64) * inv + zp.astype(np.float64)).astype(np.float32)
    q = np.clip(np.rint(t), 0, 255)
    return (q - zp).astype(np.float32), np.repeat(np.array([p[2] for p in params], np.float32), lengths)[:, None]


class MiniLM:
    """`encode(texts)` -> unit vectors (float32), one forward pass over all `texts` padded together."""

    def __init__(self, model_path: str, runtime: str = "int8") -> None:
        cfg = _check(model_path)
        from tokenizers import Tokenizer

        _blas_controller()  # imported now, not while another thread may be importing (ingest's writer)

        self.runtime = runtime
        self.max_len = min(int(cfg["max_seq_length"]), int(cfg["max_position_embeddings"]))
        self.heads = int(cfg["num_attention_heads"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        self.tokenizer = Tokenizer.from_file(os.path.join(model_path, "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_len)
        pad_id = int(cfg.get("pad_token_id") or 0)
        self.tokenizer.enable_padding(pad_id=pad_id, pad_token=self.tokenizer.id_to_token(pad_id) or "[PAD]")
        t = read_safetensors(os.path.join(model_path, "model.safetensors"))
        p = "bert." if "bert.embeddings.word_embeddings.weight" in t else ""
        f32 = lambda name: np.asarray(t[p + name], dtype=np.float32)  # noqa: E731
        self.word = t[p + "embeddings.word_embeddings.weight"]  # mapped: only the rows used are read
        self.pos = f32("embeddings.position_embeddings.weight")
        self.type = f32("embeddings.token_type_embeddings.weight")
        self.ln = (f32("embeddings.LayerNorm.weight"), f32("embeddings.LayerNorm.bias"))
        self.layers = []
        for i in range(int(cfg["num_hidden_layers"])):
            L = f"encoder.layer.{i}."

            def lin(name: str) -> _Linear:
                w = f32(L + name + ".weight")
                if runtime == "int8":
                    q, s = _quantize_weight(w)
                    return _Linear(np.ascontiguousarray(q.T), f32(L + name + ".bias"), s, w.shape[1] > 1024)
                return _Linear(np.ascontiguousarray(w.T), f32(L + name + ".bias"), None, False)

            self.layers.append({
                # Q, K and V read the same input, so one activation scale: fused into one product
                "qkv": _fuse([lin("attention.self.query"), lin("attention.self.key"), lin("attention.self.value")]),
                "out": lin("attention.output.dense"),
                "ln1": (f32(L + "attention.output.LayerNorm.weight"), f32(L + "attention.output.LayerNorm.bias")),
                "up": lin("intermediate.dense"),
                "down": lin("output.dense"),
                "ln2": (f32(L + "output.LayerNorm.weight"), f32(L + "output.LayerNorm.bias")),
            })
        self.dim = int(self.pos.shape[1])

    def _linear(self, x: np.ndarray, lin: _Linear, bounds: np.ndarray | None = None) -> np.ndarray:
        """x @ W + b; int8 quantises x as one batch, or, given `bounds`, each run of rows of x
        between two bounds as a batch of its own."""
        if lin.scale is None:
            return x @ lin.w + lin.b
        xq, xs = _quantize_activation(x) if bounds is None else _quantize_segments(x, bounds)
        # float32 holds every integer partial sum exactly while sum|x_q| * max|w_q| < 2^24, which
        # a wide layer's input can pass in principle (not seen in practice): then float64
        if lin.exact64 and float(np.abs(xq).sum(-1).max()) * 128.0 >= 2.0 ** 24:
            acc = (xq.astype(np.float64) @ lin.w.astype(np.float64)).astype(np.float32)
        else:
            acc = xq @ lin.w
        scale = lin.col_scale if isinstance(lin, _FusedInt8) else lin.scale
        return acc * (xs * scale) + lin.b

    def _layer_norm(self, x: np.ndarray, wb: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        mu = x.mean(-1, keepdims=True)
        d = x - mu
        var = (d * d).mean(-1, keepdims=True)
        return d / np.sqrt(var + np.float32(self.eps)) * wb[0] + wb[1]

    def _layers(self, h: np.ndarray, attend: Callable[[np.ndarray], np.ndarray],
                gelu: Callable[[np.ndarray], np.ndarray], bounds: np.ndarray | None = None) -> np.ndarray:
        """The transformer layers over hidden states `h`; `attend` turns a layer's packed query,
        key and value projections into the attention context (a padded batch or text by text),
        `bounds` as in `_linear`."""
        for layer in self.layers:
            ctx = attend(self._linear(h, layer["qkv"], bounds))
            h = self._layer_norm(self._linear(ctx, layer["out"], bounds) + h, layer["ln1"])
            up = gelu(self._linear(h, layer["up"], bounds))
            h = self._layer_norm(self._linear(up, layer["down"], bounds) + h, layer["ln2"])
        return h

    def tokenize(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # sentence-transformers strips each text before tokenising
        enc = self.tokenizer.encode_batch([str(t).strip() for t in texts])
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
        types = np.array([e.type_ids for e in enc], dtype=np.int64)
        return ids, mask, types

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One forward pass over `texts` padded together (int8: one activation scale for the batch,
        as torch computes it)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with _one_blas_thread():
            return self._encode(texts)

    def encode_each(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's vector as `encode([text])` gives it, bit for bit, from one pass over all of
        them: the texts' tokens are stacked without padding, the position-wise layers (the products,
        layer norms, GELU) run on the stack with int8 activation scales taken per text, and only
        attention and pooling run text by text. Why: the support scorer needs vectors that do not
        depend on their batchmates (int8 scales are per batch) and used to pay a whole forward pass
        per sentence."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        ids, mask, types = self.tokenize(texts)
        lengths = mask.sum(1)
        out, start, tokens = [], 0, 0
        with _one_blas_thread():
            for i, n in enumerate(lengths):
                # a pass's activations kept within the cache: more tokens per pass ran slower
                if tokens and tokens + n > EACH_PASS_TOKENS:
                    out.append(self._encode_each(ids[start:i], mask[start:i], types[start:i]))
                    start, tokens = i, 0
                tokens += n
            out.append(self._encode_each(ids[start:], mask[start:], types[start:]))
        return np.concatenate(out)

    def _encode_each(self, ids: np.ndarray, mask: np.ndarray, types: np.ndarray) -> np.ndarray:
        lengths = mask.sum(1).astype(np.int64)
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        keep = mask.astype(bool)
        # each text alone: its own positions, no padding, the erf GELU picks as for its own size
        h = np.asarray(self.word[ids[keep]], dtype=np.float32) + np.concatenate(
            [self.pos[:n] for n in lengths]) + self.type[types[keep]]
        h = self._layer_norm(h, self.ln)
        H, D = self.heads, self.dim // self.heads
        inv = np.float32(1.0 / np.sqrt(D))
        spans = [(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])]

        def attend(qkv: np.ndarray) -> np.ndarray:
            ctx = np.empty((qkv.shape[0], H * D), dtype=np.float32)
            for a, b in spans:
                # shaped as `_encode` shapes a batch of one, so that each product is the same call
                t = qkv[a:b].reshape(1, b - a, 3, H, D).transpose(2, 0, 3, 1, 4)
                ctx[a:b] = _attention(t, inv).reshape(b - a, H * D)
            return ctx

        def gelu(up: np.ndarray) -> np.ndarray:
            # the erf GELU picks its implementation by size: each text as for its own size
            if any((b - a) * up.shape[1] > _GELU_SCIPY_SIZE for a, b in spans):
                return np.concatenate([_gelu(up[a:b]) for a, b in spans])
            return _gelu(up, scipy=False)

        h = self._layers(h, attend, gelu, bounds)
        pooled = np.concatenate([h[a:b][None].sum(1) / np.float32(b - a) for a, b in spans])
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        ids, mask, types = self.tokenize(texts)
        B, T = ids.shape
        h = np.asarray(self.word[ids], dtype=np.float32) + self.pos[:T][None] + self.type[types]
        h = self._layer_norm(h, self.ln)
        H, D = self.heads, self.dim // self.heads
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        inv = np.float32(1.0 / np.sqrt(D))

        def attend(qkv: np.ndarray) -> np.ndarray:
            t = qkv.reshape(B, T, 3, H, D).transpose(2, 0, 3, 1, 4)
            return _attention(t, inv, bias).reshape(B, T, H * D)

        h = self._layers(h, attend, _gelu)
        pooled = (h * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


# Tokens per pass of `encode_each`: 300 sentences took 7.3 s in one pass, 4.1 s in passes of 256
# tokens, against 4.5 s one by one (2-core machine); 15 sentences 195 against 247 ms.
EACH_PASS_TOKENS = 256

_blas = None


def _blas_controller():
    global _blas
    if _blas is None:
        from threadpoolctl import ThreadpoolController

        _blas = ThreadpoolController()
    return _blas


def _one_blas_thread():
    """OpenBLAS on one thread for the encoder's products: they are small, and a second BLAS thread
    spinning for work made a one-line question 10x slower on a busy 2-core machine (9 ms against
    0.9 ms per product). Parallelism comes from whole batches on threads instead."""
    return _blas_controller().limit(limits=1, user_api="blas")


def _fuse(parts: list[_Linear]) -> _Linear:
    """Linear layers reading one input side by side. int8: each keeps its own weight scale, which
    folds into its columns only after the integer product, so the fused one stays exact."""
    if parts[0].scale is None:
        return _Linear(np.concatenate([p.w for p in parts], 1), np.concatenate([p.b for p in parts]), None, False)
    return _FusedInt8(np.concatenate([p.w for p in parts], 1), np.concatenate([p.b for p in parts]),
                      np.float32(1.0), False,
                      np.concatenate([np.full(p.w.shape[1], p.scale, np.float32) for p in parts]))


@dataclass
class _FusedInt8(_Linear):
    col_scale: np.ndarray | None = None


_GELU_SCIPY_SIZE = 1_000_000  # elements: three chunks or more


def _attention(t: np.ndarray, inv: np.float32, bias: np.ndarray | None = None) -> np.ndarray:
    """Softmax attention over `t` (query, key, value stacked first: 3 x batch x heads x tokens x
    head size), `bias` added to the scores (padding); the context as batch x tokens x heads x head
    size."""
    scores = (t[0] @ t[1].transpose(0, 1, 3, 2)) * inv
    if bias is not None:
        scores = scores + bias
    scores -= scores.max(-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(-1, keepdims=True)
    return (scores @ t[2]).transpose(0, 2, 1, 3)


def _gelu(x: np.ndarray, scipy: bool | None = None) -> np.ndarray:
    """The exact (erf) GELU BERT uses. A batch of chunks takes scipy's erf (fast, and loaded with
    BM25 anyway); a question or a sentence an Abramowitz-Stegun 7.1.26 erf (error below 1.5e-7),
    which spares a cold `newsqa ask` importing scipy.special. `scipy` forces the choice."""
    if x.size > _GELU_SCIPY_SIZE if scipy is None else scipy:
        from scipy.special import erf

        return np.float32(0.5) * x * (1.0 + erf(x * np.float32(1 / np.sqrt(2))))
    z = np.abs(x) * np.float32(1 / np.sqrt(2))
    t = 1.0 / (1.0 + np.float32(0.3275911) * z)
    poly = t * (np.float32(0.254829592) + t * (np.float32(-0.284496736) + t * (
        np.float32(1.421413741) + t * (np.float32(-1.453152027) + t * np.float32(1.061405429)))))
    erf_abs = 1.0 - poly * np.exp(-z * z)
    return np.float32(0.5) * x * (1.0 + np.sign(x) * erf_abs)
