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
