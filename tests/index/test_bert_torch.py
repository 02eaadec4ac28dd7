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
