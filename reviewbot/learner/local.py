"""Where the local learner profile lives, and opening a learner store by URL.

`reviewbot check --interactive` and `reviewbot learner` keep a person's
profile in a SQLite file in the user data directory, with the same tables and
migrations as the App's database. The environment is handed in by the edge.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reviewbot.learner.profile import LOCAL_HOST

if TYPE_CHECKING:
    from reviewbot.learner.store import LearnerStore

PROFILE_FILE = "profile.sqlite3"
__all__ = ["LOCAL_HOST", "PROFILE_FILE", "host_key", "local_login", "local_profile_path", "open_learner_store",
           "open_local_profile"]


def local_profile_path(env: Mapping[str, str]) -> Path:
    """REVIEWBOT_DATA_DIR, else $XDG_DATA_HOME/reviewbot, else ~/.local/share/reviewbot."""
    if env.get("REVIEWBOT_DATA_DIR", "").strip():
        return Path(env["REVIEWBOT_DATA_DIR"].strip()).expanduser() / PROFILE_FILE
    if env.get("XDG_DATA_HOME", "").strip():
        return Path(env["XDG_DATA_HOME"].strip()).expanduser() / "reviewbot" / PROFILE_FILE
    home = Path(env["HOME"]) if env.get("HOME", "").strip() else Path.home()
    return home / ".local" / "share" / "reviewbot" / PROFILE_FILE


def local_login(env: Mapping[str, str]) -> str:
    """Whose local profile this is: REVIEWBOT_LOGIN, else the system user name."""
    for name in ("REVIEWBOT_LOGIN", "USER", "LOGNAME", "USERNAME"):
        if env.get(name, "").strip():
            return env[name].strip()
    import getpass

    return getpass.getuser()


def open_learner_store(url: str, *, migrate: bool = True, clock: Callable[[], datetime] | None = None) -> LearnerStore:
    """A LearnerStore on `url` (sqlite:///... or postgresql://...), migrated to head unless told not to."""
    from reviewbot.learner.store import LearnerStore
    from reviewbot.store import create_engine_for
    from reviewbot.store.migrate import upgrade_to_head

    engine = create_engine_for(url)
    if migrate:
        upgrade_to_head(engine)
    return LearnerStore(engine) if clock is None else LearnerStore(engine, clock)


def open_local_profile(env: Mapping[str, str]) -> LearnerStore:
    return open_learner_store(f"sqlite:///{local_profile_path(env)}")


def host_key(api_url: str) -> str:
    """The host part of a person's identity: "github.com" for api.github.com, else the server's host."""
    from urllib.parse import urlsplit

    netloc = (urlsplit(api_url).hostname or "").lower()
    return "github.com" if netloc in ("api.github.com", "github.com", "") else netloc
