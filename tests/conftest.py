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


# One implementation of "a free loopback port" and "wait until the server answers", shared with
# the load benchmark that starts the same servers.
from newsqa.evals.bench_load import free_port, wait_http as _wait_http  # noqa: E402


def wait_http(url: str, timeout: float = 60.0) -> None:
    _wait_http(url, timeout)


class ChromaServer:
    """A real `chroma run` on 127.0.0.1, stoppable and restartable on the same port and data."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ChromaServer":
        import shutil
        import subprocess
        import sys

        chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        log = open(self.path.parent / f"chroma-{self.port}.log", "ab")
        self.proc = subprocess.Popen(
            [chroma, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
        wait_http(f"{self.url}/api/v2/heartbeat")
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except Exception:
                self.proc.kill()
        self.proc = None


@pytest.fixture
def chroma_server(tmp_path: Path):
    server = ChromaServer(tmp_path / "chroma-data").start()
    yield server
    server.stop()
