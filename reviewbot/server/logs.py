"""Logging for the server processes (`reviewbot serve`, its worker processes, `reviewbot worker`)."""

from __future__ import annotations

import logging

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging() -> None:
    """INFO to stderr; the queue library and migrations only when something is wrong."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    for noisy in ("huey", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
