"""The command line's help states the defaults that actually run."""

from __future__ import annotations

import pytest

from newsqa.cli import build_parser
from newsqa.settings import Settings


@pytest.mark.parametrize("command", ["ask", "serve", "eval"])
def test_backend_help_names_the_settings_default(command, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    default = Settings.model_fields["backend"].default  # not the environment's: the help is static
    assert f"NEWSQA_BACKEND; default {default})" in text
    others = {"extractive", "ranked", "llamacpp", "openai"} - {default}
    assert not any(f"NEWSQA_BACKEND; default {o})" in text for o in others)
