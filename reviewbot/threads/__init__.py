"""Recursive "why?" threads: a thread (its comments as data) in, the next reply out.

The core here is pure: no I/O, no clock, no environment. The GitHub route
(`reviewbot.threads.route`) and the terminal loop (`reviewbot.interactive`)
are the edges that gather a thread, call `next_reply` and act on the result.
"""

from __future__ import annotations

from reviewbot.threads.data import (
    ProfileView,
    Reply,
    ThreadComment,
    ThreadData,
    ThreadLimits,
    ThreadState,
)
from reviewbot.threads.intents import Intent, classify
from reviewbot.threads.reply import next_reply
from reviewbot.threads.state import rebuild_state

__all__ = [
    "Intent",
    "ProfileView",
    "Reply",
    "ThreadComment",
    "ThreadData",
    "ThreadLimits",
    "ThreadState",
    "classify",
    "next_reply",
    "rebuild_state",
]
