"""GitHub accounts: who is a bot, the login an App writes as, which GitHub (pure).

GitHub marks an App's or an integration's account with `type: "Bot"` and a
login ending in `[bot]` (`reviewbot[bot]`, `github-actions[bot]`); either
one makes an account a bot here. reviewbot never reviews for, nor answers,
a bot, so no two bots can talk to each other forever.
"""

from __future__ import annotations

DEFAULT_API_URL = "https://api.github.com"  # github.com's REST API; GitHub Enterprise Server: https://HOST/api/v3
USER = "User"  # GitHub's user.type for a person
BOT = "Bot"  # GitHub's user.type for an App or integration
BOT_SUFFIX = "[bot]"


def bot_login(slug: str) -> str:
    """The login GitHub gives the comments of the App (or account) named `slug`."""
    return f"{slug}{BOT_SUFFIX}"


def is_bot(login: str, account_type: str | None = None) -> bool:
    """A bot by its type or by its login."""
    return account_type == BOT or login.endswith(BOT_SUFFIX)
