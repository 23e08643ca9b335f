"""Which values a string built in code can hold: only constants, or anything a caller passes?

SQL built from strings (ruff's S608) is an injection only when a value from
outside reaches the text. A value is a constant here when it is a literal, an
UPPER_CASE name or attribute (a constant by Python's naming convention), a
module-level name bound once to a literal, or a parameter of a private
function (`_name`, called only from its own module) that every call in the
module passes such a constant. Pure functions over the syntax tree.
"""

from __future__ import annotations

import ast
import re

from reviewbot.review.pyfacts import PySource

_UPPER = re.compile(r"_*[A-Z][A-Z0-9_]*\Z")
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


def interpolated(node: ast.AST) -> list[ast.expr] | None:
    """The values formatted into a string built by `node` (f-string, `%`, `+`, `.format`); None if it builds none."""
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        right = node.right
        if isinstance(right, ast.Tuple):
            return list(right.elts)
        return [v for v in right.values if v is not None] if isinstance(right, ast.Dict) else [right]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [value for side in (node.left, node.right) for value in _operand(side)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return [*node.args, *(k.value for k in node.keywords)]
    return None


def _operand(side: ast.expr) -> list[ast.expr]:
    if isinstance(side, ast.Constant):
        return []
    inner = interpolated(side) if isinstance(side, ast.JoinedStr | ast.BinOp) else None
    return [side] if inner is None else inner


def only_constants(source: PySource, node: ast.AST) -> str | None:
    """S608: why every value in the SQL text at `node` is a constant, or None."""
    built = next((a for a in (node, *source.ancestors(node)) if interpolated(a) is not None), None)
    values = interpolated(built) if built is not None else None
    if not values:
        return None
    if all(is_constant(source, value, node) for value in values):
        return "every value formatted into the SQL is a constant of this code, not input"
    return None


def is_constant(source: PySource, value: ast.AST, at: ast.AST) -> bool:
    if _plain_constant(source, value):
        return True
    return isinstance(value, ast.Name) and _constant_parameter(source, value.id, at)


def _plain_constant(source: PySource, value: ast.AST) -> bool:
    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, ast.Attribute):
        return bool(_UPPER.match(value.attr))
    if isinstance(value, ast.Name):
        return bool(_UPPER.match(value.id)) or _module_literal(source, value.id)
    return False


def _module_literal(source: PySource, name: str) -> bool:
    """`name` is bound once in the module, at its top level, to a literal."""
    tree = source.tree
    stores = [n for n in source.nodes if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)]
    top = [s for s in (tree.body if tree else []) if isinstance(s, ast.Assign | ast.AnnAssign)
           and any(t in stores for t in (s.targets if isinstance(s, ast.Assign) else [s.target]))]  # fmt: skip
    return len(stores) == 1 and len(top) == 1 and isinstance(top[0].value, ast.Constant)


def _constant_parameter(source: PySource, name: str, at: ast.AST) -> bool:
    function = next((a for a in source.ancestors(at) if isinstance(a, _DEFS)), None)
    if function is None or not _private(function.name) or _rebinds(function, name):
        return False
    params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    if name not in params and name not in [a.arg for a in function.args.kwonlyargs]:
        return False
    method = isinstance(source.parents.get(function), ast.ClassDef) and params[:1] in (["self"], ["cls"])
    index = params.index(name) - method if name in params else None
    uses = [n for n in source.nodes if _names(n, function.name)]
    calls = [source.parents.get(n) for n in uses]
    if not uses or not all(isinstance(c, ast.Call) and c.func is u for c, u in zip(calls, uses, strict=True)):
        return False  # referenced without being called (passed on, exported): its callers are unknown
    return all(_passes_constant(source, call, name, index) for call in calls if isinstance(call, ast.Call))


def _passes_constant(source: PySource, call: ast.Call, name: str, index: int | None) -> bool:
    keyword = next((k.value for k in call.keywords if k.arg == name), None)
    positional = call.args[index] if index is not None and index < len(call.args) else None
    given = keyword if keyword is not None else positional
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return False
    return given is not None and _plain_constant(source, given)


def _names(node: ast.AST, name: str) -> bool:
    return (isinstance(node, ast.Name) and node.id == name) or (isinstance(node, ast.Attribute) and node.attr == name)


def _private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")


def _rebinds(function: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store) for n in ast.walk(function))
