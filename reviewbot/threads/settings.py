"""Guard-rail settings of the why-threads, read from the environment mapping handed in.

    REVIEWBOT_THREAD_REPLIERS   author | write (default): who may talk to a thread;
                                "write" = the PR author or anyone with write access
    REVIEWBOT_THREAD_QUOTA      model-written replies per person per PR per hour (default 20;
                                0 = always answer from the principle graph)
    REVIEWBOT_THREAD_MAX_DEPTH  layers below the review comment one thread may go (default 8)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reviewbot.errors import ConfigError
from reviewbot.threads.data import ThreadLimits

REPLIERS = ("author", "write")


@dataclass(frozen=True)
class ThreadSettings:
    repliers: str = "write"
    quota_per_hour: int = 20
    max_depth: int = 8

    @property
    def limits(self) -> ThreadLimits:
        return ThreadLimits(max_depth=self.max_depth)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ThreadSettings:
        return cls(
            repliers=_choice(env, "REVIEWBOT_THREAD_REPLIERS", REPLIERS, "write"),
            quota_per_hour=_whole(env, "REVIEWBOT_THREAD_QUOTA", 20, 0, 10_000),
            max_depth=_whole(env, "REVIEWBOT_THREAD_MAX_DEPTH", 8, 1, 50),
        )


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    value = env.get(name, "").strip().lower() or default
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _whole(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, got {text!r}")
    return int(text)
