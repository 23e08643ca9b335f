"""Where printing is the program's job: command-line entry points, scripts and examples, by path.

A `print` or `console.log` left in library code is debugging output every user
sees; in a command-line program, a build script or an example it is the output.
The path says which, in any language; each language's checks add what its
source can tell (an argument parser imported, a `main` function, a shebang).
"""

from __future__ import annotations

from pathlib import PurePosixPath

# Folders whose files are run by people, not imported by programs.
COMMAND_LINE_DIRS = frozenset({"scripts", "script", "bin", "cli", "examples", "example", "docs", "doc", "tools",
                               "benchmarks", "benchmark", "bench", "demo", "demos", "samples", "dev",
                               "commands", "_commands", "subcommands"})  # fmt: skip  (pypa/wheel's `_commands/info.py`)
# File stems that name a command-line program (`cli.js`, `mocha-cli.ts`, `run_cli.py`) or a demo
# (sindresorhus/boxen's `example.js`); not `main`: a web app's src/main.js runs in every browser.
COMMAND_LINE_STEMS = frozenset({"cli", "__main__", "bin", "example", "demo"})


def is_command_line_path(path: str) -> bool:
    pure = PurePosixPath(path)
    stem = pure.name.split(".", 1)[0].lower()
    return (any(_folder_words(folder) & COMMAND_LINE_DIRS for folder in pure.parts[:-1]) or stem in COMMAND_LINE_STEMS
            or stem.endswith(("_cli", "-cli", ".cli")) or stem.startswith(("bench-", "bench_", "benchmark"))
            or (pure.suffix == ".py" and not pure.stem.isidentifier()))  # `oidc-exchange.py`: no `import` reaches it


def _folder_words(folder: str) -> set[str]:
    """`scripts` for `scripts/`, and `dev` and `scripts` for `dev_scripts/` or `release-scripts/` (amoffat/sh)."""
    name = folder.lower()
    return {name, *name.replace("-", "_").split("_")}


def starts_with_shebang(content: str | None) -> bool:
    """`#!/usr/bin/env node` and the like: the file is run as a program."""
    return content is not None and content.startswith("#!")
