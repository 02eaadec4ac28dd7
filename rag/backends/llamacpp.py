"""An in-process GGUF model through llama-cpp-python (default: the bundled SmolLM2-135M).

The model is loaded on first use and kept; one lock serialises loading, token counting and
generation, because a `llama_cpp.Llama` holds one context and is not safe to use from two threads.
Each passage is shown as an excerpt of its most relevant sentences (`llm_excerpt_tokens`): on a
laptop CPU the prompt's prefill is most of the wait for the first token. Passages that still do not
fit the context window (prompt + `llm_max_tokens`) are dropped, lowest-ranked first, counted with
the model's own tokenizer.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from typing import Any, Iterator

from newsqa.rag.backends.generated import BackendError, GeneratedBackend, fit_passages
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import Passage
from newsqa.settings import Settings, bundled_gguf_path

__all__ = ["BackendError", "LlamaCppBackend", "llamacpp_available", "model_path"]

N_THREADS = 2
# llama.cpp adds BOS and the chat template's own tokens; keep a margin so the count never overflows.
SAFETY_TOKENS = 32


def model_path(settings: Settings) -> str:
    """The GGUF file the backend will load: `llm_path`, else the bundled SmolLM2."""
    return settings.llm_path or bundled_gguf_path()


def llamacpp_available(settings: Settings) -> bool:
    """llama-cpp-python is installed and the GGUF file exists (checked without loading either)."""
    path = model_path(settings)
    return importlib.util.find_spec("llama_cpp") is not None and bool(path) and os.path.isfile(path)


class LlamaCppBackend(GeneratedBackend):
    name = "llamacpp"

    def __init__(self, settings: Settings, scorer: SupportScorer) -> None:
        super().__init__(settings, scorer)
        self.model_path = model_path(settings)
        self._llm: Any = None
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Load the model now, so the first question does not pay for it."""
        with self._lock:
            self._load()

    def _load(self) -> Any:
        # the caller holds self._lock
        if self._llm is not None:
            return self._llm
        path = self.model_path
        if not path or not os.path.isfile(path):
            raise BackendError(f"no GGUF model file at {path or '(none configured)'}; "
                               "set NEWSQA_LLM_PATH or --llm-path")
        try:
            from llama_cpp import Llama
        except ImportError as e:
            raise BackendError(f"llama-cpp-python is not installed ({e}); "
                               "install it with: pip install 'newsqa[llamacpp]'") from e
        try:
            self._llm = Llama(model_path=path, n_ctx=self.settings.llm_context, n_threads=N_THREADS,
                              verbose=False)
        except (ValueError, RuntimeError, OSError) as e:
            raise BackendError(f"cannot load the GGUF model {path}: {e}") from e
        return self._llm

    def _count(self, llm: Any, text: str) -> int:
        return len(llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def _fit(self, question: str, passages: list[Passage]) -> list[Passage]:
        with self._lock:
            llm = self._load()
            budget = llm.n_ctx() - self.settings.llm_max_tokens - SAFETY_TOKENS
            count = lambda t: self._count(llm, t)  # noqa: E731
            shown = self.excerpts(question, passages, self.settings.llm_excerpt_tokens, count)
            return fit_passages(question, shown, count, budget)

    def _complete(self, messages: list[dict[str, str]], max_tokens: int) -> Iterator[str]:
        with self._lock:
            llm = self._load()
            prompt_tokens = sum(self._count(llm, m["content"]) + 12 for m in messages) + SAFETY_TOKENS
            # never ask for more than the window has left after the prompt
            max_tokens = max(16, min(max_tokens, llm.n_ctx() - prompt_tokens))
            # a fresh context each time: reusing the previous prompt's cached prefix evaluates the
            # rest in other batches, and greedy decoding then gave another answer to the same prompt
            llm.reset()
            try:
                chunks = llm.create_chat_completion(messages=messages, stream=True, temperature=0.0,
                                                    max_tokens=max_tokens)
                for chunk in chunks:
                    choices = chunk.get("choices") or [{}]
                    delta = choices[0].get("delta") or {}
                    text = delta.get("content")
                    if text:
                        yield text
            except (ValueError, RuntimeError) as e:
                raise BackendError(f"the model {self.model_path} failed: {e}") from e
