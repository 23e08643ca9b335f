"""Functions, classes and their kin in non-Python files, from ast-grep's parsers (an edge: runs ast-grep).

The LLM reviewer shows each hunk inside its enclosing function or class.
Python's come from `ast` (`reviewbot.llm.context.python_blocks`); for the
languages in `LANGUAGES` ast-grep (the `languages` extra) parses the changed
files and this module reads the line ranges of their declarations. It runs
the way every third-party tool does (`reviewbot.analyzers.sandbox`): a
private copy of the files, reviewbot's own `sgconfig.yml` and rules (one in
the change is never read), a clean environment and a time limit. When
ast-grep is missing or fails, no blocks are returned and the reviewer finds
the enclosing lines by indentation, as before.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from reviewbot.analyzers.sandbox import ToolFailure, find_tool, run_tool, workspace
from reviewbot.llm.context import Block

CONFIG_DIR = ".reviewbot-blocks"
TIMEOUT = 20.0  # seconds for one run over all the files
HEADER_LINES = 3  # a declaration's header ends on the first of its lines that opens the body ("{")
JS_DECLARED_FUNCTION = (  # `const load = async (path) => {...}` and `const f = function () {...}`
    "    - kind: lexical_declaration\n"
    "      has: {kind: variable_declarator, has: {any: [{kind: arrow_function}, {kind: function_expression}]}}\n"
)
JS_KINDS = ("function_declaration", "generator_function_declaration", "method_definition", "class_declaration")


@dataclass(frozen=True)
class Language:
    suffixes: tuple[str, ...]
    kinds: tuple[str, ...]  # tree-sitter node kinds that are blocks worth showing around a hunk
    extra: str = ""  # more `any:` entries of the rule, as YAML


LANGUAGES = {  # ast-grep's language name -> files and block kinds
    "typescript": Language((".ts", ".mts", ".cts"), (*JS_KINDS, "abstract_class_declaration", "interface_declaration"),
                           JS_DECLARED_FUNCTION),
    "tsx": Language((".tsx",), (*JS_KINDS, "abstract_class_declaration", "interface_declaration"),
                    JS_DECLARED_FUNCTION),
    "javascript": Language((".js", ".mjs", ".cjs", ".jsx"), JS_KINDS, JS_DECLARED_FUNCTION),
    "go": Language((".go",), ("function_declaration", "method_declaration", "type_declaration")),
    "java": Language((".java",), ("method_declaration", "constructor_declaration", "class_declaration",
                                  "interface_declaration", "enum_declaration", "record_declaration")),
    "rust": Language((".rs",), ("function_item", "impl_item", "trait_item", "struct_item", "enum_item",
                                "mod_item")),
}


def language_of(path: str) -> str | None:
    suffix = PurePosixPath(path).suffix.lower()
    return next((name for name, lang in LANGUAGES.items() if suffix in lang.suffixes), None)


def find_blocks(texts: Mapping[str, str | None]) -> dict[str, list[Block]]:
    """Path -> the blocks of each file ast-grep can parse; {} when it is not installed or fails."""
    chosen = {path: text for path, text in texts.items() if text is not None and language_of(path)}
    executable = find_tool("ast-grep") if chosen else None
    if executable is None:
        return {}
    try:
        with workspace(chosen, _config()) as root:
            argv = [executable, "scan", "-c", f"{CONFIG_DIR}/sgconfig.yml", "--json=stream", "--",
                    *(f"./{path}" for path in sorted(chosen))]
            stdout = run_tool(argv, root, TIMEOUT, ok_codes=(0, 1)).stdout
        return blocks_from(stdout, chosen)
    except (ToolFailure, ValueError, KeyError, TypeError):
        return {}


def _config() -> dict[str, str]:
    files = {f"{CONFIG_DIR}/sgconfig.yml": "ruleDirs:\n  - rules\n"}
    for name, lang in LANGUAGES.items():
        kinds = "".join(f"    - kind: {kind}\n" for kind in lang.kinds)
        files[f"{CONFIG_DIR}/rules/{name}.yml"] = (
            f"id: blocks-{name}\nlanguage: {name}\nseverity: info\nrule:\n  any:\n{kinds}{lang.extra}"
        )
    return files


def blocks_from(stdout: str, texts: Mapping[str, str]) -> dict[str, list[Block]]:
    """ast-grep's JSON matches as blocks (1-based lines), per file, in the order they start."""
    found: dict[str, list[Block]] = {}
    for line in stdout.splitlines():
        if not line.strip():
            continue
        match = json.loads(line)
        path = str(match["file"]).removeprefix("./")
        start, end = match["range"]["start"]["line"] + 1, match["range"]["end"]["line"] + 1
        lines = texts[path].splitlines()
        found.setdefault(path, []).append(Block(start, header_end(lines, start, end), end))
    return {path: sorted(set(blocks), key=lambda b: (b.start, -b.end)) for path, blocks in found.items()}


def header_end(lines: list[str], start: int, end: int) -> int:
    """The last line of a declaration's header: the first line that opens its body, within HEADER_LINES."""
    last = min(end, start + HEADER_LINES - 1, len(lines))
    return next((number for number in range(start, last + 1) if "{" in lines[number - 1]), start)
