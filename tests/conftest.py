"""Shared fixtures and fakes for the whole suite.

Each section below is owned by the module family it serves; add new shared
fakes here rather than re-inventing them per test file.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _no_ambient_llm_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never inherit a developer's LLM or GitHub credentials.

    The CLI reads the environment at its edge; a real OPENAI_API_KEY in the
    shell must not turn an offline test into a network call.
    """
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "REVIEWBOT_", "GITHUB_", "AZURE_OPENAI")):
            monkeypatch.delenv(name, raising=False)
