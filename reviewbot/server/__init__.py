"""The GitHub App server: webhook intake (FastAPI), workers, metrics and wiring.

Nothing is imported here, so `reviewbot --help` can list the server commands
(reviewbot.server.cli) without loading the web stack.
"""
