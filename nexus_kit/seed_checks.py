"""Turn CHECK constraints into rules a value generator can follow.

Understood (per column): ``col in (...)`` / ``col = any(array[...])``, comparisons with a constant,
``between``, ``char_length(col)`` / ``length(btrim(col))`` bounds, ``col ~ 'regex'``,
``jsonb_typeof(col) = '...'``, and ``a > b`` style comparisons between two columns. Anything else
is kept by name: the database still enforces it, and a violation is reported naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pglast import ast, enums, parse_sql


@dataclass
class ColumnRule:
    choices: tuple | None = None
    lo: float | None = None
    hi: float | None = None
    lo_strict: bool = False
    hi_strict: bool = False
    len_min: int | None = None
    len_max: int | None = None
    patterns: list[str] = field(default_factory=list)
    json_kind: str | None = None
    card_min: int | None = None
    card_max: int | None = None
    constraint: str = ""


@dataclass
class ColumnRules:
    columns: dict[str, ColumnRule] = field(default_factory=dict)
    order: list[tuple[str, str, str, str]] = field(default_factory=list)  # (big, op, small, constraint)
    one_of: list[tuple[str, ...]] = field(default_factory=list)  # num_nonnulls(a, b, ...) = 1
    unknown: list[str] = field(default_factory=list)

    def of(self, column: str) -> ColumnRule:
        return self.columns.get(column) or ColumnRule()


NUMERIC_CASTS = {"int2": int, "int4": int, "int8": int, "integer": int, "smallint": int, "bigint": int,
                 "numeric": float, "float4": float, "float8": float}


def _const(node):
    cast = None
    while isinstance(node, ast.TypeCast):
        cast = cast or NUMERIC_CASTS.get(node.typeName.names[-1].sval)
        node = node.arg
    if cast is not None:
        value = _const(node)
        try:
            return cast(value) if isinstance(value, str) else value
        except ValueError:
            return _NO
    if isinstance(node, ast.A_Expr) and node.lexpr is None and node.name[-1].sval == "-":
        inner = _const(node.rexpr)
        return -inner if isinstance(inner, (int, float)) else _NO
    if isinstance(node, ast.A_Const) and not node.isnull:
        val = node.val
        return getattr(val, "sval", None) if isinstance(val, ast.String) else (
            getattr(val, "ival", None) if isinstance(val, ast.Integer) else
            float(val.fval) if isinstance(val, ast.Float) else getattr(val, "boolval", None))
    return _NO


class _No:
    pass


_NO = _No()


def _strip(node):
    while isinstance(node, ast.TypeCast):
        node = node.arg
    return node


def _column(node) -> str | None:
    node = _strip(node)
    if isinstance(node, ast.ColumnRef) and isinstance(node.fields[-1], ast.String):
        return node.fields[-1].sval
    return None


def _cardinality_of(node) -> str | None:
    if isinstance(node, ast.FuncCall) and node.funcname[-1].sval in ("cardinality", "array_length"):
        return _column(node.args[0])
    return None


def _length_of(node) -> str | None:
    """The column inside char_length(...)/length(...), through btrim()/trim()."""
    if isinstance(node, ast.FuncCall) and node.funcname[-1].sval in ("char_length", "length", "character_length"):
        inner = node.args[0]
        if isinstance(inner, ast.FuncCall) and inner.funcname[-1].sval in ("btrim", "trim"):
            inner = inner.args[0]
        return _column(inner)
    return None


FLIP = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "="}


def _expression(text: str):
    return parse_sql(f"select {text}")[0].stmt.targetList[0].val


def _expr_of(definition: str):
    text = re.sub(r"^CHECK\s*", "", definition.strip(), flags=re.IGNORECASE)
    return _expression(re.sub(r"\s+NOT VALID$", "", text, flags=re.IGNORECASE))


def _conjuncts(node):
    if isinstance(node, ast.BoolExpr) and node.boolop == enums.BoolExprType.AND_EXPR:
        for arg in node.args:
            yield from _conjuncts(arg)
    else:
        yield node


def _apply(node, rules: ColumnRules, name: str) -> bool:
    if isinstance(node, ast.NullTest):  # col is not null: the column is filled anyway
        return _column(node.arg) is not None
    if not isinstance(node, ast.A_Expr):
        return False
    op = node.name[-1].sval if node.name else ""
    kind = node.kind
    any_array = kind == enums.A_Expr_Kind.AEXPR_OP_ANY and isinstance(node.rexpr, ast.A_ArrayExpr)
    if op == "=" and (any_array or kind == enums.A_Expr_Kind.AEXPR_IN):  # col = any(array[...]) / col in (...)
        col = _column(node.lexpr)
        values = tuple(_const(e) for e in (node.rexpr.elements if any_array else node.rexpr))
        if col and not any(v is _NO for v in values):
            _rule(rules, col, name).choices = values
            return True
    if kind == enums.A_Expr_Kind.AEXPR_BETWEEN:
        lo, hi = (_const(e) for e in node.rexpr)
        target = _column(node.lexpr) or _length_of(node.lexpr)
        if target and lo is not _NO and hi is not _NO:
            return _bound(rules, node.lexpr, ">=", lo, name) and _bound(rules, node.lexpr, "<=", hi, name)
    if kind != enums.A_Expr_Kind.AEXPR_OP:
        return False
    if op == "<@" and isinstance(_strip(node.rexpr), ast.A_ArrayExpr):
        col, values = _column(node.lexpr), tuple(_const(e) for e in _strip(node.rexpr).elements)
        if col and not any(v is _NO for v in values):
            _rule(rules, col, name).choices = values
            return True
    if op in ("~", "~*"):
        col, pattern = _column(node.lexpr), _const(node.rexpr)
        if col and isinstance(pattern, str):
            _rule(rules, col, name).patterns.append(("(?i)" if op == "~*" else "") + pattern)
            return True
        return False
    if op == "=" and isinstance(node.lexpr, ast.FuncCall) and node.lexpr.funcname[-1].sval == "jsonb_typeof":
        col, kind_name = _column(node.lexpr.args[0]), _const(node.rexpr)
        if col and isinstance(kind_name, str):
            _rule(rules, col, name).json_kind = kind_name
            return True
    if op == "=" and isinstance(node.lexpr, ast.FuncCall) and node.lexpr.funcname[-1].sval == "num_nonnulls" \
            and _const(node.rexpr) == 1:
        cols = tuple(_column(a) for a in node.lexpr.args)
        if all(cols):
            rules.one_of.append(cols)
            return True
    left_col, right_col = _column(node.lexpr), _column(node.rexpr)
    if left_col and right_col and op in FLIP and op != "=":
        big, small, strict = (left_col, right_col, op == ">") if op in (">", ">=") else (right_col, left_col, op == "<")
        rules.order.append((big, ">" if strict else ">=", small, name))
        return True
    right = _const(node.rexpr)
    if right is not _NO and op in FLIP:
        return _bound(rules, node.lexpr, op, right, name)
    left = _const(node.lexpr)
    if left is not _NO and op in FLIP:
        return _bound(rules, node.rexpr, FLIP[op], left, name)
    return False


def _rule(rules: ColumnRules, col: str, name: str) -> ColumnRule:
    rule = rules.columns.setdefault(col, ColumnRule())
    rule.constraint = rule.constraint or name
    return rule


def _bound(rules: ColumnRules, target, op: str, value, name: str) -> bool:
    if op == "=" and _column(target) and isinstance(value, (str, bool)):
        _rule(rules, _column(target), name).choices = (value,)
        return True
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    card_col = _cardinality_of(target)
    if card_col:
        rule = _rule(rules, card_col, name)
        if op in (">", ">="):
            rule.card_min = int(value) + (op == ">")
        elif op in ("<", "<="):
            rule.card_max = int(value) - (op == "<")
        return True
    length_col = _length_of(target)
    col = length_col or _column(target)
    if col is None:
        return False
    rule = _rule(rules, col, name)
    if length_col:
        if op in (">", ">="):
            rule.len_min = int(value) + (op == ">")
        elif op in ("<", "<="):
            rule.len_max = int(value) - (op == "<")
        else:
            rule.len_min = rule.len_max = int(value)
        return True
    if op in (">", ">="):
        rule.lo, rule.lo_strict = value, op == ">"
    elif op in ("<", "<="):
        rule.hi, rule.hi_strict = value, op == "<"
    else:
        rule.choices = (value,)
    return True


def parse_checks(checks: dict[str, str]) -> ColumnRules:
    rules = ColumnRules()
    for name, definition in checks.items():
        try:
            expr = _expr_of(definition)
        except Exception:
            rules.unknown.append(name)
            continue
        if not all([_apply(part, rules, name) for part in _conjuncts(expr)]):
            rules.unknown.append(name)
    return rules


def parse_predicate(predicate: str) -> tuple[str, str, tuple] | None:
    """A partial unique index's WHERE as ("true", col, ()) / ("in", col, values), else None."""
    try:
        expr = _expression(predicate)
    except Exception:
        return None
    col = _column(expr)
    if col:
        return ("true", col, ())
    rules = ColumnRules()
    if _apply(expr, rules, "predicate") and len(rules.columns) == 1:
        col, rule = next(iter(rules.columns.items()))
        if rule.choices:
            return ("in", col, rule.choices)
    return None
