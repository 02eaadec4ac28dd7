"""The local model's runtime setting: int8 (dynamic quantisation), fp32, bf16, or auto (the default:
the store's vectors, else the fastest faithful runtime for this CPU)."""

from __future__ import annotations

import numpy as np
import pytest

from newsqa.index import embed as embed_module
from newsqa.index.embed import EmbedderError, LocalEmbedder, make_embedder, resolve_runtime
from newsqa.index.store import Store
from newsqa.settings import Settings


def test_runtime_is_part_of_the_fingerprint_and_loads_nothing():
    int8, fp32 = LocalEmbedder(), LocalEmbedder(runtime="fp32")
    assert int8.runtime == "int8" and int8.fingerprint == "st:all-MiniLM-L6-v2:384:int8"
    assert fp32.fingerprint == "st:all-MiniLM-L6-v2:384"  # stores built before the setting stay valid
    assert int8._model is None and fp32._model is None
    assert LocalEmbedder(device="cuda", runtime="int8").fingerprint == fp32.fingerprint  # CPU-only quantisation
    with pytest.raises(EmbedderError, match="unknown embedding runtime"):
        LocalEmbedder(runtime="int4")


def test_settings_choose_the_runtime(monkeypatch):
    assert Settings().embed_runtime == "auto"
    monkeypatch.setenv("NEWSQA_EMBED_RUNTIME", "fp32")
    assert Settings().embed_runtime == "fp32"
    assert make_embedder(Settings()).fingerprint.endswith(":384")
    assert make_embedder(Settings(embed_runtime="int8")).fingerprint.endswith(":int8")


@pytest.mark.slow
def test_int8_vectors_rank_like_fp32():
    texts = ["Putin offered to mediate between Israel and Iran.",
             "The central bank raised interest rates by half a point.",
             "Heavy rain flooded the river valley overnight.",
             "The striker scored twice in the cup final."]
    query = ["Who offered to mediate between Israel and Iran?"]
    a = LocalEmbedder(runtime="fp32")
    b = LocalEmbedder(runtime="int8")
    va, vb = a.embed(texts), b.embed(texts)
    assert vb.dtype == np.float32 and np.allclose(np.linalg.norm(vb, axis=1), 1.0, atol=1e-4)
    assert float(np.mean(np.sum(va * vb, axis=1))) > 0.85
    assert int(np.argmax(va @ a.embed(query)[0])) == int(np.argmax(vb @ b.embed(query)[0])) == 0


@pytest.mark.slow
def test_int8_vectors_depend_on_batchmates_and_embed_each_does_not():
    texts = ["Halep won Wimbledon in 2019.",
             "The bridge over the Tamsin River cost 310 million euros, nearly double the original estimate, "
             "and opened two years behind schedule after a long dispute with the contractor."]
    e = LocalEmbedder(runtime="int8")
    assert e.batch_dependent and not LocalEmbedder(runtime="fp32").batch_dependent
    alone = np.concatenate([e.embed([t]) for t in texts])
    together = e.embed(texts)
    assert float(np.min(np.sum(alone * together, axis=1))) < 0.9999  # why the scorer avoids batches
    each = e.embed_each(texts)
    assert np.allclose(each, alone, atol=1e-6) and np.allclose(np.linalg.norm(each, axis=1), 1.0, atol=1e-4)
    assert e.embed_each([]).shape == (0, e.dim)


def _long_texts(n: int) -> list[str]:
    """Texts of differing lengths, together well past the one-thread threshold."""
    words = ("council budget river bridge striker election tariff vaccine harbour festival "
             "minister drought satellite museum").split()
    return [f"Item {i}: " + " ".join(words[(i + j) % len(words)] for j in range(5 + 7 * (i % 9)))
            for i in range(n)]


def test_bf16_shares_fp32s_fingerprint_and_is_not_batch_dependent():
    bf16 = LocalEmbedder(runtime="bf16")
    assert bf16.fingerprint == LocalEmbedder(runtime="fp32").fingerprint == "st:all-MiniLM-L6-v2:384"
    assert not bf16.batch_dependent and bf16._model is None


@pytest.mark.parametrize("amx", [True, False])
def test_auto_follows_the_store_and_picks_for_a_new_one(tmp_path, monkeypatch, amx):
    monkeypatch.setattr(embed_module, "cpu_has_bf16_matrix_units", lambda: amx)
    new = Settings(store=tmp_path / "new")
    assert resolve_runtime(new) == ("bf16" if amx else "int8")
    assert not (tmp_path / "new").exists()  # looking created nothing
    for built, expected in (("st:all-MiniLM-L6-v2:384:int8", "int8"),
                            ("st:all-MiniLM-L6-v2:384", "bf16" if amx else "fp32")):
        s = Settings(store=tmp_path / built.replace(":", "_"))
        Store(s, built).claim_for_ingest(built)
        assert resolve_runtime(s) == expected
        assert make_embedder(s).fingerprint == built  # so the store opens with the default settings
    assert resolve_runtime(Settings(store=tmp_path / "x", embed_runtime="fp32")) == "fp32"  # explicit wins


def test_cpu_flags_are_read_without_torch():
    assert isinstance(embed_module.cpu_has_bf16_matrix_units(), bool)


@pytest.mark.slow
def test_bf16_vectors_are_fp32s_to_rounding():
    texts = ["The harbour authority raised mooring fees by a tenth for the summer season.",
             "Two red pandas arrived at the city zoo from a breeding programme abroad."]
    fp32 = LocalEmbedder(runtime="fp32", light=False).embed(texts)
    bf16 = LocalEmbedder(runtime="bf16", light=False).embed(texts)
    assert float(np.min(np.sum(fp32 * bf16, axis=1))) > 0.999


def test_batches_group_texts_by_the_models_tokens_when_known():
    e = LocalEmbedder(batch_size=2)
    # characters and word pieces disagree: a figure-heavy text is short in characters, long in pieces
    texts = ["Rates: 4.25%/5.5% (2023-24).", "A plain and rather long sentence about the weather.",
             "Short.", "Another quite ordinary sentence of words."]
    pieces = [16, 11, 3, 8]
    assert e._batches(texts, pieces) == [[0, 1], [3, 2]]
    assert e._batches(texts) == [[1, 3], [0, 2]]  # by characters when the lengths are not given
    # the same batchmates whatever order the texts come in (int8 vectors depend on them)
    assert e._batches(texts[::-1], pieces[::-1]) == [[3, 2], [0, 1]]


def test_batch_and_worker_settings_reach_the_local_embedder():
    assert LocalEmbedder().batch_size == 16 and LocalEmbedder().workers >= 1
    e = make_embedder(Settings(embed_batch=8, embed_workers=3))
    assert (e.batch_size, e.workers) == (8, 3)
    assert make_embedder(Settings()) is not e  # another configuration, another cached embedder


@pytest.mark.slow
def test_sharded_batches_give_encodes_vectors_in_input_order_and_restore_torch_threads():
    import torch

    texts = _long_texts(40)
    assert sum(map(len, texts)) > 2_000  # takes the sharded path
    e = LocalEmbedder(runtime="fp32", batch_size=6, workers=2)
    before = torch.get_num_threads()
    got = e.embed(texts)
    assert torch.get_num_threads() == before
    ref = e._load().encode(texts, batch_size=6, normalize_embeddings=True, convert_to_numpy=True)
    assert got.shape == (40, e.dim) and np.allclose(got, ref, atol=1e-5)
    one = LocalEmbedder(runtime="fp32", batch_size=6, workers=1).embed(texts)
    assert np.allclose(one, ref, atol=1e-5)


@pytest.mark.slow
def test_sharded_int8_is_deterministic_and_safe_from_concurrent_callers():
    from concurrent.futures import ThreadPoolExecutor

    texts = _long_texts(48)
    e = LocalEmbedder(runtime="int8", batch_size=8, workers=2)
    first = e.embed(texts)
    with ThreadPoolExecutor(3) as pool:
        runs = list(pool.map(lambda part: e.embed(part), [texts, texts[::-1], texts]))
    assert np.array_equal(runs[0], first) and np.array_equal(runs[2], first)
    # reversed input: the same length-sorted batches, so the same vectors, in the caller's order
    assert np.allclose(runs[1][::-1], first, atol=1e-6)


def test_the_answer_path_scores_with_the_int8_model_it_was_calibrated_on():
    from newsqa.rag.support import SupportScorer

    bf16 = LocalEmbedder(runtime="bf16")
    scorer = SupportScorer(bf16)
    assert scorer.embedder.runtime == "int8" and scorer.embedder.model_path == bf16.model_path
    assert bf16.for_scoring() is scorer.embedder  # built once
    for runtime in ("int8", "fp32"):
        e = LocalEmbedder(runtime=runtime)
        assert SupportScorer(e).embedder is e
