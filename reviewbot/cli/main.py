"""`reviewbot` entry point: parse, dispatch lazily, translate every error once.

Exit status: 0 success, 1 findings at or above --fail-on, 2 usage, input or
configuration errors (any ReviewbotError), 3 internal errors (a bug: one line,
no traceback unless REVIEWBOT_DEBUG=1), 130 interrupted (Ctrl-C), 141 the
reader of our output went away (e.g. `| head`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from importlib import import_module

from reviewbot.cli.parser import build_parser
from reviewbot.errors import ReviewbotError

EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

# subcommand -> "module:function"; modules are imported only when their command runs
HANDLERS = {
    "check": "reviewbot.cli.check:run_check",
    "why": "reviewbot.cli.why:run_why",
    "principles": "reviewbot.cli.why:run_principles",
    "learner": "reviewbot.learner.cli:run_learner",
    "serve": "reviewbot.server.cli:serve_main",
    "worker": "reviewbot.server.cli:worker_main",
    "action": "reviewbot.action.run:run_action",
}


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run the command line; returns the exit status instead of exiting."""
    environ = os.environ if env is None else env
    try:
        return _dispatch(argv, environ)
    except SystemExit as done:  # argparse: --help, --version, usage errors
        return _exit_status(done.code)
    except ReviewbotError as err:
        return _fail(f"reviewbot: error: {err}", err.exit_code)
    except KeyboardInterrupt:
        return _fail("reviewbot: interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as err:  # a bug: say so in one line, keep the traceback for debugging
        if environ.get("REVIEWBOT_DEBUG"):
            raise
        return _fail(_internal_message(err), EXIT_INTERNAL)


def _dispatch(argv: Sequence[str] | None, env: Mapping[str, str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    module_name, _, function = HANDLERS[args.command].partition(":")
    handler = getattr(import_module(module_name), function)
    return handler(args, env)


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    return code if isinstance(code, int) else 2


def _fail(message: str, code: int) -> int:
    from reviewbot.visible import visible

    with contextlib.suppress(OSError, ValueError):  # stderr closed or gone: the exit code still says it
        print(visible(message, one_line=True), file=sys.stderr)
    return code


def _internal_message(err: Exception) -> str:
    detail = str(err).splitlines()[0] if str(err) else ""
    where = f"{type(err).__name__}: {detail}" if detail else type(err).__name__
    return f"reviewbot: internal error: {where} (please report it; REVIEWBOT_DEBUG=1 shows the traceback)"


def _silence_stdout() -> None:
    """After EPIPE, point stdout at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    raise SystemExit(main())
