"""The torch module built from the model folder gives sentence-transformers' vectors (all slow: real model)."""

from __future__ import annotations

import numpy as np
import pytest

from newsqa.index.embed import LocalEmbedder, _quantize

TEXTS = ["The harbour authority raised mooring fees by a tenth for the summer season.",
         "Two red pandas arrived at the city zoo from a breeding programme abroad; keepers say they "
         "will be on show in April, once they have settled in.",
         "Short one.",
         "  Leading and trailing spaces are stripped before tokenising.  "]


@pytest.fixture(scope="module")
def pair():
    from newsqa.index.bert_torch import TorchMiniLM

    e = LocalEmbedder(runtime="fp32", light=False)
    return TorchMiniLM(e.model_path), e.sentence_transformer()


@pytest.mark.slow
def test_fp32_vectors_match_sentence_transformers(pair):
    mine, st = pair
    a = mine.encode(TEXTS, batch_size=4)
    b = st.encode(TEXTS, batch_size=4, normalize_embeddings=True, convert_to_numpy=True)
    assert a.shape == (4, 384) and np.allclose(a, b, atol=2e-5)
    assert mine.max_seq_length == st.max_seq_length and mine.get_embedding_dimension() == 384


@pytest.mark.slow
def test_a_long_text_is_cut_at_the_models_window_like_sentence_transformers(pair):
    mine, st = pair
    long = " ".join(["The committee met again and discussed the harbour budget at length."] * 60)
    assert mine.tokenize([long])["input_ids"].shape[1] == st.max_seq_length
    a = mine.encode([long, TEXTS[2]])
    b = st.encode([long, TEXTS[2]], normalize_embeddings=True, convert_to_numpy=True)
    assert np.allclose(a, b, atol=2e-5)


@pytest.mark.slow
def test_int8_and_bf16_runs_match_sentence_transformers_with_the_same_treatment(pair):
    import torch

    from newsqa.index.embed import _features

    mine, st = pair
    a = _quantize(mine).encode(TEXTS, batch_size=4)
    b = _quantize(st).encode(TEXTS, batch_size=4, normalize_embeddings=True, convert_to_numpy=True)
    assert float(np.min(np.sum(a * b, axis=1))) > 0.999
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
        c = mine(_features(mine, TEXTS))["sentence_embedding"].float().numpy()
        d = st(_features(st, TEXTS))["sentence_embedding"].float().numpy()
    d = d / np.linalg.norm(d, axis=1, keepdims=True)
    assert float(np.min(np.sum(c * d, axis=1))) > 0.999


@pytest.mark.slow
def test_bf16_products_without_autocast_give_autocasts_vectors_to_rounding(pair):
    import torch

    from newsqa.index.bert_torch import TorchMiniLM
    from newsqa.index.embed import _features

    mine, _ = pair
    fast = TorchMiniLM(LocalEmbedder(runtime="fp32", light=False).model_path).use_bf16()
    assert fast.bf16 and not mine.bf16
    # the oneDNN product with its GELU, where this torch has it, gives F.linear's and F.gelu's
    from newsqa.index.bert_torch import _linear_bf16

    x, w, b = (torch.randn(*shape).to(torch.bfloat16) for shape in ((2, 7, 384), (96, 384), (96,)))
    for gelu in (False, True):
        want = torch.nn.functional.linear(x, w, b)
        want = torch.nn.functional.gelu(want) if gelu else want
        assert torch.allclose(_linear_bf16()(x, w, b, gelu=gelu).float(), want.float(), atol=0.07, rtol=0.02)
    with torch.inference_mode():
        with torch.autocast("cpu", dtype=torch.bfloat16):
            auto = mine(_features(mine, TEXTS))["sentence_embedding"].float().numpy()
        own = fast(_features(fast, TEXTS))["sentence_embedding"].float().numpy()
        fp32 = mine(_features(mine, TEXTS))["sentence_embedding"].float().numpy()
    assert float(np.min(np.sum(auto * own, axis=1))) > 0.9999
    # as close to fp32's as autocast's (a fused GELU rounds its product once, autocast twice)
    assert float(np.min(np.sum(fp32 * own, axis=1))) >= float(np.min(np.sum(fp32 * auto, axis=1))) - 1e-5
    assert not np.allclose(own, fp32, atol=1e-6)  # the products did run in bfloat16
    # the fp32 weights are untouched (what int8 quantisation and the state dict see)
    assert all(p.dtype == torch.float32 for p in fast.parameters())


@pytest.mark.slow
def test_a_batch_built_from_token_ids_is_the_batch_tokenised_alone(pair):
    import torch

    mine, _ = pair
    long = " ".join(["The committee met again and discussed the harbour budget at length."] * 60)
    texts = [*TEXTS, long]
    ids = mine.token_ids(texts)
    assert len(ids[-1]) == mine.max_seq_length  # cut to the window, [CLS] and [SEP] included
    assert len(ids[2]) == 5 and ids[2][0] == 101 and ids[2][-1] == 102  # [CLS] short one . [SEP]
    for part in ([0, 2], [1, 3], [4, 2, 0]):
        got = mine.features([ids[i] for i in part])
        alone = mine.tokenize([texts[i] for i in part])
        assert got.keys() == alone.keys()
        assert all(torch.equal(got[k], alone[k]) for k in got)
        assert got["input_ids"].shape[1] == max(len(ids[i]) for i in part)  # padded to its own longest
