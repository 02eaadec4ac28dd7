"""Any OpenAI-compatible chat endpoint: OpenAI, Ollama (/v1), vLLM, LM Studio, llama.cpp's server.

Talks HTTP directly (httpx): POST {llm_url}/chat/completions with `stream: true`, read the
server-sent `data:` lines until `data: [DONE]`. A server that ignores `stream` and answers with one
JSON body is accepted too. Every failure becomes a BackendError that names the URL, so the CLI and
the page can show it as is. With no model configured, the first model the server lists is used
(servers that host one model, like llama.cpp's, need no name).

The server's tokenizer is unknown here, so passages are fitted to `llm_context` with a generous
estimate (cl100k tokens x TOKEN_FACTOR); a server with a small window (Ollama's default) would
otherwise silently cut the prompt's beginning, system rules included.
"""

from __future__ import annotations

import json
import math
import os
import threading
from typing import Any, Iterator

import httpx

from newsqa.index.text import count_tokens
from newsqa.rag.backends.generated import BackendError, GeneratedBackend, fit_passages
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import Passage
from newsqa.settings import Settings

__all__ = ["BackendError", "OpenAIBackend"]

CONNECT_TIMEOUT = 10.0
# Llama, Mistral and SmolLM tokenizers count 5-25% more tokens than cl100k on news English.
TOKEN_FACTOR = 1.3
SAFETY_TOKENS = 32


class OpenAIBackend(GeneratedBackend):
    name = "openai"

    def __init__(self, settings: Settings, scorer: SupportScorer) -> None:
        super().__init__(settings, scorer)
        if not settings.llm_url:
            raise BackendError("the openai backend needs a server URL: set NEWSQA_LLM_URL or --llm-url "
                               "(e.g. http://127.0.0.1:11434/v1 for Ollama)")
        self.base_url = settings.llm_url.rstrip("/")
        self.model = settings.llm_model
        key = settings.llm_api_key or os.environ.get("OPENAI_API_KEY", "")
        headers = {"Accept": "text/event-stream, application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self.timeout = settings.llm_timeout
        # connect fails fast; `read` bounds the silence between two streamed chunks, not the whole reply
        self._client = httpx.Client(
            headers=headers, timeout=httpx.Timeout(self.timeout, connect=min(CONNECT_TIMEOUT, self.timeout)))
        self._model_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def _fit(self, question: str, passages: list[Passage]) -> list[Passage]:
        budget = self.settings.llm_context - self.settings.llm_max_tokens - SAFETY_TOKENS
        return fit_passages(question, passages, lambda t: math.ceil(count_tokens(t) * TOKEN_FACTOR), budget)

    # -- HTTP ------------------------------------------------------------------------------------
    def model_name(self) -> str:
        """`llm_model`, else the first id of GET /models ('' when the server does not list any)."""
        with self._model_lock:
            if not self.model:
                url = f"{self.base_url}/models"
                with self._errors(url):
                    r = self._client.get(url)
                if r.status_code < 400:
                    try:
                        data = r.json().get("data") or []
                        self.model = str(data[0].get("id", "")) if data else ""
                    except (ValueError, AttributeError, IndexError):
                        pass
            return self.model

    def _complete(self, messages: list[dict[str, str]], max_tokens: int) -> Iterator[str]:
        url = f"{self.base_url}/chat/completions"
        body: dict[str, Any] = {"messages": messages, "stream": True, "temperature": 0,
                                "max_tokens": max_tokens}
        model = self.model_name()
        if model:
            body["model"] = model
        with self._errors(url):
            with self._client.stream("POST", url, json=body) as r:
                if r.status_code >= 400:
                    r.read()
                    raise BackendError(_http_error(url, r))
                if "text/event-stream" not in r.headers.get("content-type", ""):
                    r.read()  # a server that answered in one piece
                    yield _message_text(_json(r.text, url), url)
                    return
                for line in r.iter_lines():
                    if not line.startswith("data:"):
                        continue  # ": ping" comments, "event:" and blank separator lines
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    if data:
                        text = _delta_text(_json(data, url), url)
                        if text:
                            yield text

    def _errors(self, url: str) -> "_HttpErrors":
        return _HttpErrors(url, self.timeout)


class _HttpErrors:
    """Turns httpx failures into BackendErrors that say which server failed and how."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url
        self.timeout = timeout

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: object) -> bool:
        if exc is None or not isinstance(exc, httpx.HTTPError):
            return False
        if isinstance(exc, httpx.ConnectError):
            raise BackendError(f"cannot reach the LLM server at {self.url} (is it running?): {exc}") from exc
        if isinstance(exc, httpx.TimeoutException):
            raise BackendError(f"the LLM server at {self.url} did not answer within "
                               f"{self.timeout:g} s") from exc
        raise BackendError(f"the LLM server at {self.url} failed: {type(exc).__name__}: {exc}") from exc


def _http_error(url: str, r: httpx.Response) -> str:
    detail = r.text.strip()
    try:
        err = r.json().get("error")
        if isinstance(err, dict) and err.get("message"):
            detail = str(err["message"])
        elif isinstance(err, str):
            detail = err
    except (ValueError, AttributeError):
        pass
    hint = " (the URL usually ends in /v1)" if r.status_code == 404 else ""
    return f"the LLM server at {url} answered HTTP {r.status_code}{hint}: {detail[:300]}"


def _json(text: str, url: str) -> dict[str, Any]:
    try:
        obj = json.loads(text)
    except ValueError as e:
        raise BackendError(f"the LLM server at {url} sent something that is not JSON: {text[:200]!r}") from e
    if not isinstance(obj, dict):
        raise BackendError(f"the LLM server at {url} sent an unexpected reply: {text[:200]!r}")
    if obj.get("error"):
        err = obj["error"]
        msg = err.get("message", err) if isinstance(err, dict) else err
        raise BackendError(f"the LLM server at {url} reported an error: {msg}")
    return obj


def _delta_text(obj: dict[str, Any], url: str) -> str:
    choices = obj.get("choices") or []
    if not choices:
        return ""  # usage-only or keep-alive chunks
    delta = choices[0].get("delta") or choices[0].get("message") or {}
    return str(delta.get("content") or "")


def _message_text(obj: dict[str, Any], url: str) -> str:
    try:
        return str(obj["choices"][0]["message"]["content"] or "")
    except (KeyError, IndexError, TypeError) as e:
        raise BackendError(f"the LLM server at {url} answered without a message: {str(obj)[:200]}") from e
