"""The OpenAI-compatible and Ollama embedders against scripted local servers: batching, order,
normalisation, fingerprints, and clear errors."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from newsqa.index.embed import EmbedderError, OllamaEmbedder, OpenAIEmbedder, make_embedder
from newsqa.settings import Settings


def _vector(text: str) -> list[float]:
    # deterministic, not normalised, so the client's normalisation is visible
    return [float(len(text)), float(sum(map(ord, text)) % 97), 3.0]


class _Handler(BaseHTTPRequestHandler):
    calls: list[tuple[str, dict, str]] = []

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Handler.calls.append((self.path, body, self.headers.get("Authorization", "")))
        if body.get("model") == "broken":
            self.send_response(500)
            self.end_headers()
            return
        texts = body["input"]
        if self.path == "/v1/embeddings":
            # answer out of order: the client must sort by index
            data = [{"index": i, "embedding": _vector(t)} for i, t in enumerate(texts)][::-1]
            payload = {"data": data, "model": body["model"]}
        elif self.path == "/api/embed":
            payload = {"embeddings": [_vector(t) for t in texts]}
        else:
            self.send_response(404)
            self.end_headers()
            return
        raw = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


@pytest.fixture
def server():
    _Handler.calls = []
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_openai_embedder_batches_orders_and_normalises(server):
    emb = OpenAIEmbedder(f"{server}/v1", "mini", api_key="sekret", batch_size=2)
    texts = ["one", "three", "fifteen", "x"]
    out = emb.embed(texts)
    assert out.shape == (4, 3) and emb.dim == 3
    assert emb.fingerprint == "openai:mini:3"
    expected = np.array([_vector(t) for t in texts], dtype=np.float32)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(out, expected, atol=1e-6)
    batches = [c for c in _Handler.calls if c[1]["input"] != ["dimension probe"]]
    assert [len(c[1]["input"]) for c in batches] == [2, 2]
    assert all(c[2] == "Bearer sekret" and c[0] == "/v1/embeddings" for c in batches)


def test_ollama_embedder(server):
    emb = OllamaEmbedder(server, "nomic")
    out = emb.embed(["alpha", "beta"])
    assert emb.fingerprint == "ollama:nomic:3"
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0)
    assert _Handler.calls[-1][0] == "/api/embed"


def test_settings_select_the_endpoint_embedder(server):
    emb = make_embedder(Settings(embedder="openai", embed_url=f"{server}/v1", embed_model="via-settings"))
    assert emb.fingerprint == "openai:via-settings:3"


def test_endpoint_errors_name_the_url(server):
    with pytest.raises(EmbedderError, match="embedding request to .*127.0.0.1.* failed"):
        OpenAIEmbedder(f"{server}/v1", "broken")
    with pytest.raises(EmbedderError, match="NEWSQA_EMBED_URL"):
        OpenAIEmbedder("", "m")
    with pytest.raises(EmbedderError, match="NEWSQA_EMBED_MODEL"):
        OllamaEmbedder(server, "")


def test_a_remote_store_is_scored_with_the_bundled_model(server: str) -> None:
    """Retrieval reads the store's own (remote) vectors; the support scorer and the answer ranker
    score sentences with the bundled MiniLM, on whose similarities their thresholds were set."""
    from newsqa.index.embed import LocalEmbedder
    from newsqa.rag.support import SupportScorer

    remote = OpenAIEmbedder(server + "/v1", "text-embed")
    scorer = SupportScorer(remote)
    assert isinstance(scorer.embedder, LocalEmbedder) and scorer.embedder.runtime == "int8"
    assert scorer.embedder is OllamaEmbedder(server, "nomic").for_scoring()  # one per process
    assert remote.dim == 3  # the store's vectors are still the remote model's


@pytest.mark.slow
def test_scoring_a_remote_store_asks_the_endpoint_nothing(server: str) -> None:
    from newsqa.index.embed import LocalEmbedder
    from newsqa.rag.support import SupportScorer

    scorer = SupportScorer(OpenAIEmbedder(server + "/v1", "text-embed"))
    calls = len(_Handler.calls)
    sentences = ["The harbour reopened on Monday.", "The port opened again at the start of the week."]
    v = scorer.embed(sentences)
    assert len(_Handler.calls) == calls  # no request for the sentences
    assert v.shape == (2, 384) and np.allclose(v, LocalEmbedder(runtime="int8").embed_each(sentences), atol=1e-6)
    assert float(v[0] @ v[1]) > 0.5  # a paraphrase, on MiniLM's scale


@pytest.mark.slow
def test_preloading_a_remote_embedder_loads_the_scoring_model(server: str) -> None:
    """`newsqa serve` preloads its embedder: over a remote store that must load the bundled MiniLM
    that scores sentences, or they stay on the slower numpy encoder for the life of the server."""
    remote = OpenAIEmbedder(server + "/v1", "text-embed")
    calls = len(_Handler.calls)
    remote.preload()
    assert remote.for_scoring()._model is not None
    assert len(_Handler.calls) == calls  # the endpoint is not asked anything
