"""Shared fixtures. The network is blocked (pytest-socket, see pyproject addopts) except loopback,
so an accidental download fails loudly instead of hanging."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsqa.settings import Settings, configure_offline_environment

configure_offline_environment()

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "newsqa" / "demo"
RGB_DEV = ROOT.parent / "shared" / "data" / "rgb-dev"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a fresh temporary store with the fast hashing embedder."""
    return Settings(store=tmp_path / "store", embedder="hash")


@pytest.fixture
def hash_embedder():
    from newsqa.index.embed import HashingEmbedder

    return HashingEmbedder()


@pytest.fixture
def scorer():
    """The one support scorer over the fast hashing embedder."""
    from newsqa.index.embed import HashingEmbedder
    from newsqa.rag.support import SupportScorer

    return SupportScorer(HashingEmbedder())


@pytest.fixture(scope="session")
def real_embedder():
    from newsqa.index.embed import LocalEmbedder

    return LocalEmbedder()


@pytest.fixture
def demo_files() -> list[str]:
    return sorted(str(p) for p in DEMO.glob("*.txt"))


def default_sigint() -> None:
    """`preexec_fn` for a CLI child that a test stops with Ctrl-C (SIGINT).

    A job started in the background by a non-interactive shell (CI runners, `cmd &`) inherits SIGINT
    ignored, and Python then installs no KeyboardInterrupt handler: the child gets the default
    disposition back so that it behaves as under a terminal user's Ctrl-C."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running the `newsqa` CLI in a subprocess against a temporary store."""
    env = dict(os.environ)
    env.update(NEWSQA_STORE=str(tmp_path / "store"), NEWSQA_EMBEDDER="hash", GRADIO_ANALYTICS_ENABLED="False",
               HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1")
    return env


# One implementation of "a free loopback port", "wait until the server answers" and "start a
# server without a port race", shared with the benchmarks that start the same servers.
from newsqa.evals.servers import ChromaProcess, free_port, on_free_port, wait_http as _wait_http  # noqa: E402,F401


def wait_http(url: str, timeout: float = 60.0) -> None:
    _wait_http(url, timeout)


def launch_app(app, settings: Settings, **kwargs) -> str:
    """Serve a Gradio page in this process on a free port (another one if the port was taken
    meanwhile); returns its URL."""
    from newsqa.ui.serve import launch

    def start(port: int) -> str:
        launch(app, settings, port=port, prevent_thread_lock=True, quiet=True, **kwargs)
        return f"http://127.0.0.1:{port}/"

    return on_free_port(start)


class ChromaServer:
    """A real `chroma run` on 127.0.0.1, stoppable and restartable on the same port and data."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._proc: ChromaProcess | None = None

    @property
    def port(self) -> int:
        assert self._proc is not None
        return self._proc.port

    @property
    def url(self) -> str:
        assert self._proc is not None
        return self._proc.url

    def start(self) -> "ChromaServer":
        if self._proc is None:
            self._proc = ChromaProcess(self.path)
        else:  # a restart keeps the address clients already hold
            self._proc.start(self._proc.port)
        return self

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.stop()


@pytest.fixture
def chroma_server(tmp_path: Path):
    server = ChromaServer(tmp_path / "chroma-data").start()
    yield server
    server.stop()
