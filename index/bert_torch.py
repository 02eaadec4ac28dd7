"""The sentence-transformers BERT (mean pooling, unit vectors) as a small torch module built straight
from the model folder's safetensors and tokenizer.json: torch's arithmetic, without importing
sentence-transformers or transformers.

Why: a whole `newsqa ingest` of a few hundred articles spent about 3.5 s importing
sentence-transformers (and transformers under it) and building its model, against about 1.3 s
for torch alone; on 300 news articles that is a tenth of the process. The module holds the same
layers (embeddings, LayerNorm, per-layer query/key/value/output/intermediate/output Linear layers,
exact GELU, scaled dot-product attention over the padding mask, mean pooling over the mask), so
`torch.ao.quantization.quantize_dynamic` quantises the same Linear layers the same way, and torch
autocast runs the same products in bfloat16. Vectors agree with sentence-transformers' to float
rounding (`tests/index/test_bert_torch.py`).

It answers the calls the embedder makes of a sentence-transformers model: `tokenize`, calling it on
the features (`{"sentence_embedding": ...}`), `encode`, `max_seq_length`, `device`,
`get_embedding_dimension`. Folders it does not implement (`minilm.supported` is False) still load
through sentence-transformers.
"""

from __future__ import annotations

import os
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from newsqa.index import minilm


class _Layer(nn.Module):
    def __init__(self, hidden: int, inner: int, heads: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, hidden)
        self.ln1 = nn.LayerNorm(hidden, eps=eps)
        self.up = nn.Linear(hidden, inner)
        self.down = nn.Linear(inner, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=eps)
        # bfloat16 copies of the Linear weights (query, key and value stacked) once `use_bf16`
        # is called; a plain attribute, so the state dict and quantisation never see it
        self.bf16: dict[str, torch.Tensor] | None = None

    def forward(self, h: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, d = h.shape
        if self.bf16 is not None:
            return self._forward_bf16(h, bias)

        def split(x: torch.Tensor) -> torch.Tensor:
            return x.view(b, t, self.heads, d // self.heads).transpose(1, 2)

        ctx = F.scaled_dot_product_attention(split(self.query(h)), split(self.key(h)), split(self.value(h)),
                                             attn_mask=bias)
        h = self.ln1(self.out(ctx.transpose(1, 2).reshape(b, t, d)) + h)
        return self.ln2(self.down(F.gelu(self.up(h))) + h)

    def to_bf16(self) -> None:
        bf = torch.bfloat16
        self.bf16 = {
            "qkv_w": torch.cat([self.query.weight, self.key.weight, self.value.weight]).detach().to(bf),
            "qkv_b": torch.cat([self.query.bias, self.key.bias, self.value.bias]).detach().to(bf),
            **{f"{name}_{kind}": getattr(getattr(self, name), kind).detach().to(bf)
               for name in ("out", "up", "down") for kind in ("weight", "bias")},
        }

    def _forward_bf16(self, h: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        """What torch autocast (bfloat16) runs for `forward`: the Linear products and attention in
        bfloat16, the residual sums and LayerNorm in float32, GELU on the product."""
        w, (b, t, d) = self.bf16, h.shape
        assert w is not None
        lin = _linear_bf16()
        qkv = lin(h.to(torch.bfloat16), w["qkv_w"], w["qkv_b"]).view(b, t, 3, self.heads, d // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=bias.to(torch.bfloat16))
        h = self.ln1(lin(ctx.transpose(1, 2).reshape(b, t, d), w["out_weight"], w["out_bias"]) + h)
        up = lin(h.to(torch.bfloat16), w["up_weight"], w["up_bias"], gelu=True)
        return self.ln2(lin(up, w["down_weight"], w["down_bias"]) + h)


_LINEAR_BF16 = None


def _linear_bf16():
    """`linear(x, weight, bias, gelu=False)` in bfloat16: torch's oneDNN linear, which applies the
    GELU to the product before rounding it and costs about a sixth less than `F.linear` then
    `F.gelu` on this model's shapes (2-core AMX machine: 11.2 -> 9.2 ms per layer for 16 chunks),
    or those two where this torch build has no such kernel."""
    global _LINEAR_BF16
    if _LINEAR_BF16 is None:
        def plain(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, gelu: bool = False) -> torch.Tensor:
            y = F.linear(x, weight, bias)
            return F.gelu(y) if gelu else y

        _LINEAR_BF16 = plain
        try:
            op = torch.ops.mkldnn._linear_pointwise

            def fused(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, gelu: bool = False) -> torch.Tensor:
                return op(x, weight, bias, "gelu", [], "none") if gelu else op(x, weight, bias, "none", [], "")

            x = torch.linspace(-2, 2, 24).reshape(1, 2, 12).to(torch.bfloat16)
            wt = torch.linspace(-1, 1, 60).reshape(5, 12).to(torch.bfloat16)
            bs = torch.linspace(-1, 1, 5).to(torch.bfloat16)
            with torch.inference_mode():
                if all(torch.allclose(fused(x, wt, bs, g).float(), plain(x, wt, bs, g).float(), atol=0.05)
                       for g in (False, True)):
                    _LINEAR_BF16 = fused
        except Exception:  # no oneDNN, or no bfloat16 support on this CPU: the plain products
            pass
    return _LINEAR_BF16


class TorchMiniLM(nn.Module):
    """`minilm.MiniLM`'s model (a sentence-transformers BERT with mean pooling) in torch."""

    def __init__(self, model_path: str) -> None:
        super().__init__()
        cfg = minilm._check(model_path)
        from tokenizers import Tokenizer

        self.max_seq_length = min(int(cfg["max_seq_length"]), int(cfg["max_position_embeddings"]))
        self.device = torch.device("cpu")
        hidden, heads = int(cfg["hidden_size"]), int(cfg["num_attention_heads"])
        eps = float(cfg.get("layer_norm_eps", 1e-12))
        self.tokenizer = Tokenizer.from_file(os.path.join(model_path, "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_seq_length)
        self.tokenizer.no_padding()  # `features` pads each batch to its own longest text
        self.pad_id = int(cfg.get("pad_token_id") or 0)
        self.word = nn.Embedding(int(cfg["vocab_size"]), hidden)
        self.pos = nn.Embedding(int(cfg["max_position_embeddings"]), hidden)
        self.token_type = nn.Embedding(int(cfg.get("type_vocab_size", 2)), hidden)
        self.ln = nn.LayerNorm(hidden, eps=eps)
        self.layers = nn.ModuleList(_Layer(hidden, int(cfg["intermediate_size"]), heads, eps)
                                    for _ in range(int(cfg["num_hidden_layers"])))
        self._load(minilm.read_safetensors(os.path.join(model_path, "model.safetensors")))
        self.dim = hidden
        self.eval()

    def _load(self, t: dict[str, np.ndarray]) -> None:
        p = "bert." if "bert.embeddings.word_embeddings.weight" in t else ""
        names = {"word.weight": "embeddings.word_embeddings.weight",
                 "pos.weight": "embeddings.position_embeddings.weight",
                 "token_type.weight": "embeddings.token_type_embeddings.weight",
                 "ln.weight": "embeddings.LayerNorm.weight", "ln.bias": "embeddings.LayerNorm.bias"}
        parts = {"query": "attention.self.query", "key": "attention.self.key", "value": "attention.self.value",
                 "out": "attention.output.dense", "ln1": "attention.output.LayerNorm",
                 "up": "intermediate.dense", "down": "output.dense", "ln2": "output.LayerNorm"}
        for i in range(len(self.layers)):
            for mine, theirs in parts.items():
                for kind in ("weight", "bias"):
                    names[f"layers.{i}.{mine}.{kind}"] = f"encoder.layer.{i}.{theirs}.{kind}"
        state = {mine: torch.from_numpy(np.array(t[p + theirs], dtype=np.float32)) for mine, theirs in names.items()}
        self.load_state_dict(state, strict=True)

    @property
    def bf16(self) -> bool:
        return self.layers[0].bf16 is not None

    def use_bf16(self) -> "TorchMiniLM":
        """Run the matrix products in bfloat16 from now on, as under torch autocast (the same
        vectors), without autocast's per-call casts: autocast casts every Linear weight, and the
        input once for each of query, key and value, at every forward pass. Here the weights are
        cast once and the three products are one. On the 2-core AMX machine a forward pass of
        16 news chunks took about a tenth less CPU than under autocast."""
        for layer in self.layers:
            layer.to_bf16()
        return self

    def get_embedding_dimension(self) -> int:
        return self.dim

    def tokenize(self, texts: Sequence[str]) -> dict[str, torch.Tensor]:
        return self.features(self.token_ids(texts))

    def token_ids(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Each text's word pieces as the model reads them ([CLS] and [SEP] included, cut to the
        window), unpadded: the embedder tokenises a whole input once, sorts it into batches by these
        lengths and builds each batch's `features` from them."""
        # sentence-transformers strips each text before tokenising
        enc = self.tokenizer.encode_batch([str(t).strip() for t in texts])
        return [np.asarray(e.ids, dtype=np.int32) for e in enc]

    def features(self, ids: Sequence[np.ndarray]) -> dict[str, torch.Tensor]:
        """The model's input for texts tokenised by `token_ids`: padded on the right to the longest
        of them, the padding masked out; one segment, so every token type is 0."""
        n = max((len(x) for x in ids), default=0)
        input_ids = np.full((len(ids), n), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(ids), n), dtype=np.int64)
        for i, x in enumerate(ids):
            input_ids[i, :len(x)] = x
            mask[i, :len(x)] = 1
        return {"input_ids": torch.from_numpy(input_ids), "attention_mask": torch.from_numpy(mask),
                "token_type_ids": torch.zeros_like(torch.from_numpy(mask))}

    def forward(self, features: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        ids, mask = features["input_ids"], features["attention_mask"]
        t = ids.shape[1]
        h = self.word(ids) + self.pos(torch.arange(t).unsqueeze(0)) + self.token_type(features["token_type_ids"])
        h = self.ln(h)
        # padding is masked out of attention with the most negative float, as transformers does
        bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in self.layers:
            h = layer(h, bias)
        m = mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return {"sentence_embedding": F.normalize(pooled.float(), p=2, dim=1)}

    def encode(self, texts: Sequence[str], batch_size: int = 32, convert_to_numpy: bool = True,
               normalize_embeddings: bool = True, show_progress_bar: bool = False) -> np.ndarray:
        """Vectors in the input's order, batches of `batch_size` by length (as sentence-transformers
        forms them); always unit vectors."""
        texts = list(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        with torch.inference_mode():
            for i in range(0, len(order), batch_size):
                part = order[i:i + batch_size]
                out[part] = self(self.tokenize([texts[j] for j in part]))["sentence_embedding"].float().numpy()
        return out
