"""The one place a model is built from a configuration."""

from __future__ import annotations

from reviewbot.adapters.llm import open_model
from reviewbot.adapters.openai_model import OpenAIChatModel
from reviewbot.config import Config


def test_no_model_without_an_llm_or_when_offline() -> None:
    assert open_model(Config()) is None
    assert open_model(Config(model="m", api_key="k", offline=True)) is None
    assert open_model(Config(api_key="k")) is None  # a key but no model


def test_a_configured_llm_gets_an_openai_compatible_model() -> None:
    model = open_model(Config(model="gpt-4o-mini", api_key="sk-test"))
    assert isinstance(model, OpenAIChatModel) and model.name == "gpt-4o-mini"
    local = open_model(Config(model="qwen2.5-coder", base_url="http://localhost:11434/v1"))
    assert isinstance(local, OpenAIChatModel) and local.name == "qwen2.5-coder"
