"""The one module that imports `openai`: Chat Completions on any compatible server.

OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp's server and LM Studio all speak
this API; they differ in which `response_format` they accept. We ask for
`json_schema` (strict structured outputs) first; a server that rejects it is
asked in `json_object` mode, then in plain text, and the mode that worked is
remembered for the rest of the run.

Retries are ours, not the SDK's (`max_retries=0`): the SDK retries every 429,
but `insufficient_quota` must fail at once with one clear message. Waits honour
`retry-after-ms` / `Retry-After`; the sleep, clock and jitter are injectable so
tests run without waiting.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openai

from reviewbot.config import MAX_TIMEOUT, Config
from reviewbot.errors import ModelError
from reviewbot.llm.model import (
    MODES,
    Completion,
    Message,
    PromptTooLongError,
    TransientModelError,
)
from reviewbot.llm.retry import RetryPolicy, retry_after
from reviewbot.llm.tokens import token_counter
from reviewbot.models import Usage

DEFAULT_POLICY = RetryPolicy()
NO_KEY = "unused"  # local servers (Ollama, llama.cpp) need no key, the SDK needs a string
_FORMAT_STATUSES = (400, 422, 500, 501)  # how servers say "I do not support this response_format"
_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "structured output", "grammar")
_TOO_LONG_WORDS = ("context_length_exceeded", "context length", "maximum context", "too many tokens")


@dataclass(frozen=True)
class _Failure:
    kind: str  # retry | fatal | format | too_long
    message: str
    delay: float | None = None  # what the server asked us to wait, if anything
    hint: str = "try again later"  # what to do when the retries are used up


class _FormatRejected(Exception):
    """The server does not support the requested response_format."""


class OpenAIChatModel:
    """A `ChatModel` backed by the `openai` package's synchronous client.

    Synchronous on purpose: the reviewer runs chunks on a bounded thread pool,
    the client's connection pool is shared by those threads, and the rest of
    the core stays free of async.
    """

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 60.0,
        api_version: str | None = None,
        http_client: Any = None,
        policy: RetryPolicy = DEFAULT_POLICY,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.name = model
        self.base_url = base_url or "https://api.openai.com/v1"
        self.timeout = min(float(timeout), MAX_TIMEOUT)
        self.mode = MODES[0]
        self.counter = token_counter(model)  # used to size chunks; offline (tiktoken cache or estimate)
        self._policy, self._sleep, self._clock, self._jitter = policy, sleep, clock, jitter
        self._lock = threading.Lock()
        self._client = _client(self.base_url, api_key, self.timeout, api_version, http_client)
        self._chat = self._client.chat.completions  # loads the SDK's resource modules now, not on the first call

    @classmethod
    def from_config(cls, config: Config, **options: Any) -> OpenAIChatModel:
        """Build from a Config (model, base_url, api_key, timeout are read there)."""
        if not config.model:
            raise ModelError("no model configured: set REVIEWBOT_MODEL or pass --model")
        return cls(config.model, base_url=config.base_url, api_key=config.api_key,
                   timeout=config.timeout, **options)

    def complete(self, messages: list[Message], schema: dict[str, Any] | None) -> Completion:
        mode = self.mode if schema is not None else "text"
        while True:
            try:
                return self._with_retries(messages, schema, mode)
            except _FormatRejected:
                mode = self._downgrade(mode)

    def _downgrade(self, mode: str) -> str:
        following = MODES[MODES.index(mode) + 1]
        with self._lock:
            if MODES.index(self.mode) < MODES.index(following):
                self.mode = following
        return following

    def _with_retries(self, messages: list[Message], schema: dict[str, Any] | None, mode: str) -> Completion:
        for attempt in range(1, self._policy.attempts + 1):
            try:
                return self._call(messages, schema, mode)
            except openai.OpenAIError as exc:
                failure = self._classify(exc, mode)
            delay = self._next_delay(failure, attempt)
            if delay is None:
                raise _final_error(failure, attempt)
            self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _next_delay(self, failure: _Failure, attempt: int) -> float | None:
        if failure.kind == "format":
            raise _FormatRejected()
        if failure.kind != "retry" or attempt >= self._policy.attempts:
            return None
        if failure.delay is not None:
            return failure.delay if failure.delay <= self._policy.max_retry_after else None
        return self._policy.backoff(attempt, self._jitter())

    def _call(self, messages: list[Message], schema: dict[str, Any] | None, mode: str) -> Completion:
        options: dict[str, Any] = {"model": self.name, "messages": messages, "timeout": self.timeout}
        response_format = _response_format(mode, schema)
        if response_format is not None:
            options["response_format"] = response_format
        response = self._chat.create(**options)
        return _completion(response, mode, self.base_url)

    def _classify(self, exc: openai.OpenAIError, mode: str) -> _Failure:
        if isinstance(exc, openai.APITimeoutError):
            return _Failure("retry", f"the model server did not answer within {self.timeout:g} s",
                            hint=f"raise `timeout` in the configuration (at most {MAX_TIMEOUT:g} s) "
                            "or lower --concurrency")
        if isinstance(exc, openai.APIConnectionError):
            return _Failure("retry", f"could not connect to the model server at {self.base_url}",
                            hint="check OPENAI_BASE_URL and that the server is running")
        if isinstance(exc, openai.APIStatusError):
            return self._classify_status(exc, mode)
        return _Failure("fatal", f"the model server sent an unusable answer: {_server_words(exc)}")

    def _classify_status(self, exc: openai.APIStatusError, mode: str) -> _Failure:
        status, words = exc.status_code, _server_words(exc)
        wanted = retry_after(exc.response.headers, self._clock())
        if status in _FORMAT_STATUSES and mode != "text" and _mentions(words, _FORMAT_WORDS):
            return _Failure("format", words)
        if status == 400 and (_mentions(words, _TOO_LONG_WORDS) or exc.code == "context_length_exceeded"):
            return _Failure("too_long", f"the prompt is longer than model '{self.name}' accepts (HTTP 400)")
        if status == 429 and "insufficient_quota" in (exc.code, exc.type):
            return _Failure("fatal", _QUOTA)
        if status in (408, 409, 429) or status >= 500:
            hint = "lower --concurrency or try again later" if status == 429 else "try again later"
            return _Failure("retry", _retry_message(status, wanted), wanted, hint)
        return _Failure("fatal", self._fatal_message(status, words))

    def _fatal_message(self, status: int, words: str) -> str:
        template = _FATAL.get(status, "the model server rejected the request (HTTP {status}): {words}")
        return template.format(status=status, words=words, model=self.name, base_url=self.base_url)


_QUOTA = (
    "the account behind the API key has no quota left (HTTP 429 insufficient_quota): "
    "add credit or raise its spending limit, or run with --offline"
)
_FATAL = {
    401: "the model server rejected the API key (HTTP 401): set OPENAI_API_KEY to a valid key",
    403: "the API key may not use model '{model}' (HTTP 403): check the key's permissions "
    "or choose another model with --model",
    404: "model '{model}' was not found at {base_url} (HTTP 404): check --model / REVIEWBOT_MODEL "
    "and OPENAI_BASE_URL",
}


def _retry_message(status: int, wanted: float | None) -> str:
    if status == 429:
        text = "the model server kept rate-limiting requests (HTTP 429)"
    else:
        text = f"the model server failed with HTTP {status}"
    if wanted is not None:
        text += f" and asked to wait {wanted:g} s"
    return text


def _final_error(failure: _Failure, attempt: int) -> ModelError:
    if failure.kind == "too_long":
        return PromptTooLongError(failure.message)
    if failure.kind == "fatal":
        return ModelError(failure.message)
    tries = "1 attempt" if attempt == 1 else f"{attempt} attempts"
    return TransientModelError(f"{failure.message} ({tries}): {failure.hint}")


def _mentions(words: str, needles: tuple[str, ...]) -> bool:
    lowered = words.lower()
    return any(needle in lowered for needle in needles)


def _server_words(exc: openai.OpenAIError) -> str:
    """The server's own explanation, on one line and short."""
    body = getattr(exc, "body", None)
    text = body.get("message") if isinstance(body, dict) else None
    text = text if isinstance(text, str) and text else getattr(exc, "message", None) or str(exc)
    return " ".join(str(text).split())[:300]


def _response_format(mode: str, schema: dict[str, Any] | None) -> dict[str, Any] | None:
    if schema is None or mode == "text":
        return None
    if mode == "json_object":
        return {"type": "json_object"}
    return {"type": "json_schema", "json_schema": {"name": "review", "schema": schema, "strict": True}}


def _completion(response: Any, mode: str, base_url: str) -> Completion:
    choices = getattr(response, "choices", None)
    if not choices:
        raise ModelError(f"the model server at {base_url} sent no chat completion: check OPENAI_BASE_URL")
    message = choices[0].message
    return Completion(
        text=message.content or "",
        mode=mode,
        usage=_usage(getattr(response, "usage", None)),
        finish_reason=choices[0].finish_reason or "stop",
        refusal=getattr(message, "refusal", None) or None,
    )


def _usage(usage: Any) -> Usage:
    if usage is None:
        return Usage(calls=1)
    details = getattr(usage, "prompt_tokens_details", None)
    cached = getattr(details, "cached_tokens", None) or 0
    return Usage(1, usage.prompt_tokens or 0, usage.completion_tokens or 0, cached)


def _client(base_url: str, api_key: str | None, timeout: float, api_version: str | None,
            http_client: Any) -> openai.OpenAI:
    key = api_key or NO_KEY
    if api_version:
        return openai.AzureOpenAI(azure_endpoint=base_url, api_version=api_version, api_key=key,
                                  timeout=timeout, max_retries=0, http_client=http_client)
    return openai.OpenAI(base_url=base_url, api_key=key, timeout=timeout, max_retries=0,
                         http_client=http_client)
