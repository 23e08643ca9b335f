"""The model a configuration names: the one place a `ChatModel` is built.

`reviewbot check`, the webhook server's workers and the Action all open
their model here, so an LLM is configured the same way everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewbot.config import Config
    from reviewbot.llm.model import ChatModel


def open_model(config: Config) -> ChatModel | None:
    """The configured LLM; None when none is configured (or offline), and the built-in reviewer runs alone."""
    if not config.llm_configured:
        return None
    from reviewbot.adapters.openai_model import OpenAIChatModel

    return OpenAIChatModel.from_config(config)
