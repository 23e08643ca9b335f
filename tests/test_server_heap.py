"""The server's processes freeze their start-up heap, so full collections skip it."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from server_support import app_env

from reviewbot.server.asgi import app_from_env


def test_a_server_process_freezes_what_start_up_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in app_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        app_from_env()  # what each process of `reviewbot serve --workers N` runs
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()  # the rest of the test process keeps its usual collector
    assert frozen > 10_000  # the imported framework, store and routes: none of it is scanned again
