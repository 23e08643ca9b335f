"""Facts about a Python finding, read from the syntax tree (never by regex on code).

An analyzer reports a position; `PySource.facts_at` finds the node there and
says what a reviewer would name: the enclosing function, the call, the
identifier, the argument, the expression as written. `scope_at` names the
enclosing definition ("Repo.find"), which is how a finding is recognised when
the change only moved its code. Pure functions over source text.
"""

from __future__ import annotations

import ast
import re
import textwrap
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

MAX_FACT = 60  # characters of code quoted in a sentence
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")  # the terminators Python itself knows (not a form feed)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_LEAFY = (ast.expr, ast.alias, ast.arg, ast.keyword)


@dataclass(frozen=True)
class Scope:
    start: int
    end: int
    name: str  # qualified within the file: "Repo.find"


class PySource:
    """One Python file's text and, when it parses, its syntax tree with parent links."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def tree(self) -> ast.Module | None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes etc.
                return ast.parse(self.text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def parents(self) -> dict[ast.AST, ast.AST]:
        found: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree) if self.tree else ():
            for child in ast.iter_child_nodes(node):
                found[child] = node
        return found

    @cached_property
    def nodes(self) -> list[ast.AST]:
        return list(ast.walk(self.tree)) if self.tree else []

    @cached_property
    def _starting(self) -> dict[tuple[int, int], list[ast.AST]]:
        """Expressions and the like by where they start: what `node_at` looks up (once per file, not per finding)."""
        found: dict[tuple[int, int], list[ast.AST]] = {}
        for node in self.nodes:
            start = _start(node)
            if start is not None and isinstance(node, _LEAFY):
                found.setdefault(start, []).append(node)
        return found

    @cached_property
    def _decorated(self) -> dict[int, ast.AST]:
        """The first definition decorated on each line."""
        found: dict[int, ast.AST] = {}
        for node in self.nodes:
            if isinstance(node, _SCOPES):
                for decorator in node.decorator_list:
                    found.setdefault(decorator.lineno, node)
        return found

    @cached_property
    def imports(self) -> tuple[ast.Import | ast.ImportFrom, ...]:
        """Every `import` and `from ... import` statement, at any depth."""
        return tuple(n for n in self.nodes if isinstance(n, ast.Import | ast.ImportFrom))

    @cached_property
    def spelled(self) -> frozenset[str]:
        """Every name and attribute the code spells out (`x`, and `attr` of `obj.attr`)."""
        return frozenset(n.id if isinstance(n, ast.Name) else n.attr for n in self.nodes
                         if isinstance(n, ast.Name | ast.Attribute))  # fmt: skip

    @cached_property
    def keyword_args(self) -> frozenset[str]:
        """Every keyword argument passed by name in a call (`tz` of `now(tz=utc)`)."""
        return frozenset(n.arg for n in self.nodes if isinstance(n, ast.keyword) and n.arg)

    @cached_property
    def probed_names(self) -> frozenset[str]:
        """Names read in the body of a `try:` that catches `NameError`: the code checks whether they exist."""
        return frozenset(n.id for t in self.nodes if isinstance(t, ast.Try) and any(_catches_name_error(h) for h in t.handlers)
                         for s in t.body for n in ast.walk(s) if isinstance(n, ast.Name))  # fmt: skip

    @cached_property
    def exec_defined(self) -> frozenset[str]:
        """Names a module-level `exec("...")` of literal code defines (a `def`, `class` or assignment in the
        string): code a module runs that way to keep newer syntax from older Pythons' parsers."""
        names: set[str] = set()
        for call in self.nodes:
            if isinstance(call, ast.Call) and dotted(call.func) == "exec" and call.args and self._at_module_level(call):
                names |= _names_defined_in(_literal_code(call.args[0]))
        return frozenset(names)

    def _at_module_level(self, node: ast.AST) -> bool:
        return not any(isinstance(a, _SCOPES) for a in self.ancestors(node))

    @cached_property
    def type_comments(self) -> str:
        """The text of every PEP 484 `# type:` comment, one per line (mypy reads them; ruff does not)."""
        return "\n".join(m.group(1) for m in _TYPE_COMMENT.finditer(self.text))

    @cached_property
    def _line_texts(self) -> list[str]:
        return split_lines(self.text)

    @cached_property
    def scopes(self) -> list[Scope]:
        return list(_scopes(self.tree.body, "")) if self.tree else []

    def scope_at(self, line: int) -> str:
        """The innermost definition holding `line` ("" at module level or when the file does not parse)."""
        inside = [s for s in self.scopes if s.start <= line <= s.end]
        return max(inside, key=lambda s: s.start).name if inside else ""

    def node_at(self, line: int, column: int, end: tuple[int, int] | None = None) -> ast.AST | None:
        """The node spanning exactly (line, column)..end (1-based character columns), else the
        outermost expression starting there, else the definition decorated there, else the innermost
        node holding the position."""
        start = self._offset(line, column)
        if self.tree is None or start is None:
            return None
        stop = self._offset(*end) if end else None
        starting = self._starting.get(start, [])
        exact = [n for n in starting if stop is not None and _end(n) == stop]
        if exact or starting:
            return max(exact or starting, key=_size)
        if line in self._decorated:
            return self._decorated[line]
        return _innermost_holding(self.tree, *start)

    def _offset(self, line: int, column: int) -> tuple[int, int] | None:
        """(line, UTF-8 byte offset) for a 1-based character column, as `ast` counts."""
        if not 0 < line <= len(self.lines):
            return (line, 0) if line == len(self.lines) + 1 else None
        return line, len(self.lines[line - 1][: max(column - 1, 0)].encode("utf-8"))

    def identity_at(self, line: int, column: int, end: tuple[int, int] | None = None) -> str | None:
        """What a finding on a definition, a parameter or a context manager is about, independent of
        its line's text: "def Repo.find", "param add.items=[]" or "with pytest.raises(Exception)".
        Adding type annotations, reformatting a signature or merging nested `with` statements into
        one (`with a:` / `with b:` -> `with a, b:`) leaves it unchanged; None for other findings."""
        node = self.node_at(line, column, end)
        if isinstance(node, _SCOPES):
            return f"def {self.scope_at(node.lineno) or node.name}"
        parent = self.parents.get(node) if node is not None else None
        if node is not None and (isinstance(node, ast.arg) or isinstance(parent, ast.arguments)):
            function = self._function(node)
            return f"param {function}.{self._arg(node)}={self.segment(node) if not isinstance(node, ast.arg) else ''}"
        if isinstance(parent, ast.withitem) and node is parent.context_expr:
            return "with " + "".join(self.segment(node).split())
        return None

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        while node in self.parents:
            node = self.parents[node]
            yield node

    def facts_at(self, line: int, column: int, end: tuple[int, int] | None = None) -> dict[str, str]:
        """What a reviewer would name about the code at this position (see reviewbot.principles.ruletable.FACTS)."""
        node = self.node_at(line, column, end)
        if node is None:
            return {}
        facts = {
            "value": self.segment(node),
            "name": _name_of(node) or self._assigned(node),
            "call": self._call(node),
            "arg": self._arg(node),
            "function": self._function(node),
            "class": next((a.name for a in self.ancestors(node) if isinstance(a, ast.ClassDef)), ""),
            "exception": self._exception(node),
            "count": str(_parameter_count(node)) if isinstance(node, _DEFS) else "",
        }
        return {key: value for key, value in facts.items() if value}

    def segment(self, node: ast.AST) -> str:
        """The node's source text, shortened (what `ast.get_source_segment` returns, without splitting
        the whole file again for every finding)."""
        start, end = _start(node), _end(node)
        if start is None or end is None or end[1] is None or not 0 < start[0] <= end[0] <= len(self._line_texts):
            return ""
        (first, column), (last, end_column) = start, end
        if first == last:
            return short(self._line_texts[first - 1].encode()[column:end_column].decode(errors="replace"))
        text = (self._line_texts[first - 1].encode()[column:].decode(errors="replace")
                + "".join(self._line_texts[first:last - 1])
                + self._line_texts[last - 1].encode()[:end_column].decode(errors="replace"))  # fmt: skip
        return short(text)

    def _call(self, node: ast.AST) -> str:
        if isinstance(node, ast.Call):
            return dotted(node.func)
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, ast.Call):
                return dotted(ancestor.func)
            if isinstance(ancestor, ast.stmt):
                break
        return ""

    def _assigned(self, node: ast.AST) -> str:
        """The name a value is assigned to (`TOKEN = "..."`), else ""."""
        parent = self.parents.get(node)
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target] if isinstance(
            parent, ast.AnnAssign | ast.AugAssign) else []
        return next((_name_of(t) for t in targets if isinstance(t, ast.Name | ast.Attribute)), "")

    def _arg(self, node: ast.AST) -> str:
        if isinstance(node, ast.arg):
            return node.arg
        if isinstance(node, ast.keyword):
            return node.arg or ""
        parent = self.parents.get(node)
        if isinstance(parent, ast.keyword):
            return parent.arg or ""
        if isinstance(parent, ast.arguments):
            return parameter_with_default(parent, node)
        return ""

    def _function(self, node: ast.AST) -> str:
        if isinstance(node, _DEFS):
            return node.name
        return next((a.name for a in self.ancestors(node) if isinstance(a, _DEFS)), "")

    def _exception(self, node: ast.AST) -> str:
        for candidate in (node, *self.ancestors(node)):
            if isinstance(candidate, ast.ExceptHandler):
                return self.segment(candidate.type) if candidate.type is not None else "BaseException"
            if isinstance(candidate, ast.Raise) and candidate.exc is not None:
                exc = candidate.exc
                return dotted(exc.func) if isinstance(exc, ast.Call) else self.segment(exc)
            if isinstance(candidate, ast.stmt):
                break
        return ""


_TYPE_COMMENT = re.compile(r"#\s*type:(.*)")


_DEFINED_IN_TEXT = re.compile(r"^\s*(?:async\s+def|def|class)\s+(\w+)|^(\w+)\s*=[^=]", re.MULTILINE)


def _literal_code(node: ast.expr) -> str:
    """The code of `exec("...")` or `exec(textwrap.dedent("..."))`; "" when it is not a literal."""
    if isinstance(node, ast.Call) and dotted(node.func).rsplit(".", 1)[-1] == "dedent" and node.args:
        node = node.args[0]
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def _names_defined_in(code: str) -> set[str]:
    """Top-level names `code` binds; read from the text where it does not parse here."""
    try:
        tree = ast.parse(textwrap.dedent(code))
    except SyntaxError:
        return {a or b for a, b in _DEFINED_IN_TEXT.findall(code)}
    bound = set()
    for statement in tree.body:
        if isinstance(statement, _SCOPES):
            bound.add(statement.name)
        elif isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            bound |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return bound


def _catches_name_error(handler: ast.ExceptHandler) -> bool:
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type] if handler.type else []
    return any(dotted(c).rsplit(".", 1)[-1] == "NameError" for c in caught)


def dotted(node: ast.AST) -> str:
    """`a.b.c` for a name or attribute chain, else the last attribute or ""."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    if isinstance(node, ast.Call):
        return dotted(node.func)
    return ""


def short(text: str) -> str:
    """One line of at most MAX_FACT characters, safe inside a Markdown code span."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    clean = "".join(ch if ch.isprintable() else " " for ch in first).replace("`", "'")
    return clean if len(clean) <= MAX_FACT and first == text.strip() else clean[: MAX_FACT - 1].rstrip() + "…"


def _name_of(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name_of(node.func)
    if isinstance(node, ast.alias):
        return node.asname or node.name
    if isinstance(node, ast.arg):
        return node.arg
    if isinstance(node, _SCOPES):
        return node.name
    if isinstance(node, ast.ExceptHandler):
        return node.name or ""
    return ""


def parameter_with_default(arguments: ast.arguments, default: ast.AST) -> str:
    positional = [*arguments.posonlyargs, *arguments.args]
    for param, value in zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults, strict=True):
        if value is default:
            return param.arg
    for kwonly, kw_default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        if kw_default is default:
            return kwonly.arg
    return ""


def _parameter_count(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    a = node.args
    names = [p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
    return len([n for n in names if n not in ("self", "cls")])


def _scopes(body: list[ast.stmt], prefix: str) -> Iterator[Scope]:
    for node in body:
        for child in _nested_statements(node):
            if isinstance(child, _SCOPES):
                name = f"{prefix}{child.name}"
                start = min([d.lineno for d in child.decorator_list] + [child.lineno])
                yield Scope(start, child.end_lineno or child.lineno, name)
                yield from _scopes(child.body, name + ".")


def _nested_statements(node: ast.stmt) -> Iterator[ast.stmt]:
    """The statement itself, or the definitions inside an if/try/with block at the same level."""
    if isinstance(node, _SCOPES):
        yield node
        return
    for field in ("body", "orelse", "finalbody", "handlers"):
        for child in getattr(node, field, ()):
            if isinstance(child, ast.ExceptHandler):
                for inner in child.body:
                    yield from _nested_statements(inner)
            elif isinstance(child, ast.stmt):
                yield from _nested_statements(child)


def _start(node: ast.AST) -> tuple[int, int] | None:
    line = getattr(node, "lineno", None)
    return None if line is None else (line, node.col_offset)  # type: ignore[attr-defined]


def _end(node: ast.AST) -> tuple[int, int] | None:
    line = getattr(node, "end_lineno", None)
    return None if line is None else (line, node.end_col_offset)  # type: ignore[attr-defined]


def _size(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "end_lineno", 0) or 0) - node.lineno, (getattr(node, "end_col_offset", 0) or 0) - node.col_offset  # type: ignore[attr-defined]


def split_lines(text: str) -> list[str]:
    """Lines with their terminators, split the way Python tokenizes them (and `ast` counts them)."""
    return _LINE.findall(text)


def _innermost_holding(root: ast.AST, line: int, offset: int) -> ast.AST | None:
    """The smallest node whose span holds (line, offset), the first of equal ones in `ast.walk` order, found by
    walking only into nodes that may hold it: ones that do, ones without a position (`arguments`,
    `comprehension`), and definitions whose decorators start before it. Siblings may share a span (the
    parts of an f-string before Python 3.12), so every holding child is followed."""
    holding, level = [], list(ast.iter_child_nodes(root))
    while level:
        holding += [n for n in level if _holds(n, line, offset)]
        level = [c for n in level if _may_hold(n, line, offset) for c in ast.iter_child_nodes(n)]
    return min(holding, key=_size) if holding else None


def _may_hold(node: ast.AST, line: int, offset: int) -> bool:
    if _start(node) is None or _holds(node, line, offset):
        return True
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    end = _end(node)
    return bool(decorators) and end is not None and (decorators[0].lineno, decorators[0].col_offset) <= (line, offset) < end


def _holds(node: ast.AST, line: int, offset: int) -> bool:
    start, end = _start(node), (getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None))
    if start is None or end[0] is None or end[1] is None:
        return False
    return start <= (line, offset) < (end[0], end[1])
