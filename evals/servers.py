"""Child servers on loopback ports for the benchmarks and the tests: `chroma run`, `newsqa serve`,
llama-cpp-python's server, and in-process Gradio apps.

A port cannot be reserved for another process, so two things keep a start from failing on a port
taken between choosing it and binding it:
  - ports are chosen below the kernel's ephemeral range. A port read back from bind(0) is an
    ephemeral one, which the kernel also hands to every outgoing connection (any HTTP client on the
    machine) as its local port; a port below that range is only ever taken by an explicit bind;
  - a server that exits because its address is in use is started again on another port (or, for a
    restart that must keep its address, on the same port after a pause).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

HOST = "127.0.0.1"
BIND_ATTEMPTS = 6
# the lowest port chosen: above the registered services most machines run
_LOWEST = 20_000
_random = random.Random()  # seeded from os.urandom: parallel test runs pick different ports

# what a server prints when its port is taken (Rust/libc, uvicorn, gradio, newsqa serve)
_BIND_FAILED = re.compile(r"address already in use|errno 98|os error 98|cannot find empty port|"
                          r"error while attempting to bind|cannot serve on", re.I)


def _ephemeral_low() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range", encoding="ascii") as fh:
            return int(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default lower bound


def free_port() -> int:
    """A loopback port nothing listens on now, outside the ephemeral range when there is room."""
    low = _ephemeral_low()
    for _ in range(200):
        port = _random.randrange(_LOWEST, low) if low - _LOWEST >= 1_000 else 0
        with socket.socket() as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def is_bind_failure(text: str) -> bool:
    """Whether a server's output (or an exception's text) says its address was in use."""
    return bool(_BIND_FAILED.search(text))


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    """Poll `url` until it answers below 500; fail early if `proc` exits."""
    import httpx

    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {proc.returncode} before answering")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError as e:  # not up yet
            last = e
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not come up in {timeout:.0f} s: {last}")


T = TypeVar("T")


def on_free_port(start: Callable[[int], T], attempts: int = BIND_ATTEMPTS) -> T:
    """`start(port)` on a fresh free port, again on another one while it fails with a bind error
    (OSError, or any error whose text says the address was in use)."""
    for attempt in range(attempts):
        try:
            return start(free_port())
        except Exception as e:
            if attempt == attempts - 1 or not (isinstance(e, OSError) or is_bind_failure(str(e))):
                raise
    raise AssertionError("unreachable")


class ServerProcess:
    """A server child process on a loopback port, its output in a log file; stop() always ends it.

    `argv(port)` is the command line for a port; `ready` the path that answers once it serves.
    """

    def __init__(self, name: str, argv: Callable[[int], Sequence[str]], ready: str, log_dir: Path,
                 env: dict[str, str] | None = None, timeout: float = 60.0, port: int | None = None) -> None:
        self.name = name
        self._argv = argv
        self._ready = ready
        self.log_dir = log_dir
        self._env = env or dict(os.environ)
        self.timeout = timeout
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self._fh: Any = None
        self.log: Path | None = None
        self._log_from = 0
        self.start(port)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, port: int | None = None) -> "ServerProcess":
        """Start on `port` (a restart that must keep its address: a taken port is waited for), or on
        a fresh free port (a taken one is replaced by another)."""
        for attempt in range(BIND_ATTEMPTS):
            self.port = port or free_port()
            self._spawn()
            try:
                wait_http(self.url + self._ready, self.timeout, self.proc)
                return self
            except Exception as e:
                tail = self.tail()
                self.stop()
                if attempt == BIND_ATTEMPTS - 1 or not is_bind_failure(tail):
                    raise RuntimeError(f"{self.name} did not start on {self.url}: {e}\n{tail}") from e
                if port:
                    time.sleep(1.0)
        raise AssertionError("unreachable")

    def _spawn(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.log = self.log_dir / f"{self.name}-{self.port}.log"
        self._fh = open(self.log, "ab")
        self._log_from = self._fh.tell()
        self.proc = subprocess.Popen(list(self._argv(self.port)), stdout=self._fh, stderr=subprocess.STDOUT,
                                     env=self._env)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def tail(self, n: int = 2000) -> str:
        """The end of this start's output."""
        if self.log is None:
            return ""
        try:
            with open(self.log, "rb") as fh:
                fh.seek(self._log_from)
                return fh.read().decode("utf-8", errors="replace")[-n:]
        except OSError:
            return ""


def _chroma_exe() -> str:
    return shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")


class ChromaProcess(ServerProcess):
    """`chroma run` on 127.0.0.1 over a data folder; `start(self.port)` restarts it on the same address."""

    def __init__(self, path: Path, port: int | None = None, timeout: float = 60) -> None:
        self.path = path
        super().__init__(
            "chroma", lambda p: [_chroma_exe(), "run", "--path", str(path), "--host", HOST, "--port", str(p)],
            "/api/v2/heartbeat", path.parent, {**os.environ, "ANONYMIZED_TELEMETRY": "False"}, timeout, port)


class ServeProcess(ServerProcess):
    """`newsqa serve` on 127.0.0.1 for the given settings (store, Chroma URL, embedder)."""

    def __init__(self, settings: Any, log_dir: Path, port: int | None = None, timeout: float = 180) -> None:
        def argv(p: int) -> list[str]:
            out = [sys.executable, "-m", "newsqa.cli", "serve", "--host", HOST, "--port", str(p),
                   "--store", str(settings.store), "--embedder", settings.embedder]
            return out + (["--chroma-url", settings.chroma_url] if settings.chroma_url else [])

        env = {**os.environ, "NEWSQA_EMBED_RUNTIME": settings.embed_runtime, "GRADIO_ANALYTICS_ENABLED": "False",
               "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
        super().__init__("serve", argv, "", log_dir, env, timeout, port)

    @property
    def url(self) -> str:  # the page, which is also what callers join API paths to
        return f"http://{HOST}:{self.port}/"


class LlamaServerProcess(ServerProcess):
    """llama-cpp-python's OpenAI-compatible server over a GGUF file; `url` is its /v1 base."""

    def __init__(self, gguf: str, log_dir: Path, alias: str = "smollm2", n_ctx: int = 2048,
                 timeout: float = 120) -> None:
        super().__init__(
            "llama-server",
            lambda p: [sys.executable, "-m", "llama_cpp.server", "--model", gguf, "--host", HOST, "--port", str(p),
                       "--n_ctx", str(n_ctx), "--n_threads", "2", "--model_alias", alias],
            "/v1/models", log_dir, None, timeout)
