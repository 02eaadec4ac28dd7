"""spaCy is loaded without importing torch, and torch stays importable afterwards (fresh
processes: the test process itself has long imported both)."""

from __future__ import annotations

import subprocess
import sys

_CHILD = """
import sys, threading
from newsqa.rag.analyse import analyse_sentences
seen = {}
def other():  # another thread importing torch while spaCy loads is not refused
    import torch
    seen["other"] = torch.ones(3).sum().item()
t = threading.Thread(target=other)
t.start()
ents = [(e.text, e.label_) for e in analyse_sentences(["Mayor Ada Quist of Port Elnor opened the bridge."])[0].ents]
t.join()
import thinc.compat
print(ents, seen["other"], thinc.compat.has_torch in (True, False))
"""

_ALONE = """
import sys
from newsqa.rag.analyse import analyse_sentences
ents = [e.label_ for e in analyse_sentences(["Mayor Ada Quist of Port Elnor opened the bridge."])[0].ents]
loaded = "torch" in sys.modules
import torch
print(ents, loaded, float(torch.ones(2).sum()))
"""


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_spacy_loads_without_torch_and_torch_still_imports_after():
    ents, loaded, total = _run(_ALONE).rsplit(" ", 2)
    assert "PERSON" in ents
    assert loaded == "False"
    assert total == "2.0"


def test_another_thread_may_import_torch_while_spacy_loads():
    out = _run(_CHILD)
    assert "PERSON" in out and out.endswith("3.0 True")
