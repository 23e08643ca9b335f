"""What every task of a run shares: the token's host, the settings from the inputs, the model, the report.

Built once per run from the Actions environment (`build`); `finish` writes
what a task did to the log, the job summary and the step outputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from reviewbot.action.environment import ActionEnv
from reviewbot.action.report import (
    Result,
    append,
    emit,
    log_text,
    outputs_text,
    summary_text,
)
from reviewbot.config import Config

if TYPE_CHECKING:
    from reviewbot.adapters.github.host import Host
    from reviewbot.llm.model import ChatModel

BUILTIN = "the built-in reviewer (ruff, detect-secrets and the diff checks)"


@dataclass(frozen=True)
class Context:
    action: ActionEnv
    env: Mapping[str, str]
    host: Host  # the workflow token's GitHub calls
    base: Config  # the review settings from the inputs, before the repository's settings file
    model: ChatModel | None  # None: the built-in reviewer
    model_note: str | None  # which reviewer runs and why, when it is not the model
    out: TextIO

    @property
    def notes(self) -> tuple[str, ...]:
        return (self.model_note,) if self.model_note else ()


def build(action: ActionEnv, env: Mapping[str, str], out: TextIO, fork: str | None, instead: str) -> Context:
    """The run's Context; `instead` says what runs without a model (for the note)."""
    from reviewbot.adapters.github.pygithub_host import GitHubToken
    from reviewbot.config_loader import parse_env

    host = GitHubToken(action.require_token(), action.api_url).host_for()
    base = Config(**parse_env(env))
    model, note = open_model(base, fork, instead)
    return Context(action, env, host, base, model, note, out)


def open_model(base: Config, fork: str | None, instead: str) -> tuple[ChatModel | None, str | None]:
    """The LLM when configured, else None and the sentence saying what runs `instead`, and why."""
    from reviewbot.adapters.llm import open_model as open_configured

    model = open_configured(base)
    if model is not None:
        return model, None
    if base.offline:
        return None, f"REVIEWBOT_OFFLINE is set: {instead}."
    if base.api_key and not base.model:
        return None, f"An OpenAI API key is set but no model: {instead}. Set the model input."
    if fork:
        return None, (
            f"This pull request comes from a fork, and GitHub gives its workflows no secrets, so there is "
            f"no OpenAI API key: {instead}."
        )
    return None, f"No OpenAI API key: {instead}. Set the openai-api-key input (from a secret) to use a model."


def finish(result: Result, ctx: Context, target: str) -> None:
    """Report what the task did: stdout (workflow commands), the job summary, the step outputs."""
    from reviewbot import __version__

    emit(log_text(result, target), ctx.out)
    append(ctx.action.step_summary, summary_text(result, target, __version__), "job summary", ctx.out)
    append(ctx.action.output, outputs_text(result), "step outputs", ctx.out)
