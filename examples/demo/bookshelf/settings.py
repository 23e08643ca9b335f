"""Settings, read from the environment."""

import os

DATABASE = os.environ.get("BOOKSHELF_DB", "bookshelf.sqlite3")
