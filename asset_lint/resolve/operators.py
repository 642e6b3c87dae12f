"""Python's operators over known values: truth, comparisons, arithmetic, `+`/`*` of sequences and
strings, `%` and f-string formatting, slices; and the expression kinds of the IR that use them.

Each answers with a Value; sizes are bounded: a sequence longer than MAX_ITEMS or a string longer than
MAX_STRING is a named Unknown, never built. Reads of the environment (ENVIRONMENT) are never guessed.
"""
from __future__ import annotations

import operator
from typing import Optional

from asset_lint.resolve.values import Const, DictV, External, Loaded, Opaque, Seq, Unknown, Value

MAX_ITEMS = 10_000          # a loop, a comprehension or a range() over more is cut off
MAX_STRING = 1_000_000      # characters

NOT_PLAIN = object()   # "not a plain Python value"

# Where a value comes from the environment the code runs in: never guessed (qualname prefix -> source).
ENVIRONMENT = (
    ("os.getenv", "os.environ"), ("os.environ", "os.environ"), ("os.getenvb", "os.environ"),
    ("sys.argv", "sys.argv"), ("datetime.datetime.now", "the clock"), ("datetime.datetime.today", "the clock"),
    ("datetime.datetime.utcnow", "the clock"), ("datetime.date.today", "the clock"), ("time.", "the clock"),
    ("random.", "random"), ("uuid.", "uuid"), ("socket.gethostname", "the host"), ("getpass.", "the user"),
    ("platform.", "the platform"),
)


def environment_source(qualname: str) -> Optional[str]:
    """What in the environment a name reads ("os.environ"), or None when it reads none of it."""
    for prefix, source in ENVIRONMENT:
        if qualname == prefix or qualname.startswith(prefix if prefix.endswith(".") else prefix + "."):
            return source
    return None


def from_environment(qualname: str) -> Optional[Unknown]:
    """The Unknown a read of the environment is, or None when `qualname` reads none of it."""
    source = environment_source(qualname)
    return Unknown(f"comes from {source}") if source is not None else None


def plain(value: Value):
    """The Python value a Value certainly is (str, number, bool, None, tuples, lists, dicts of them), else NOT_PLAIN."""
    if isinstance(value, Const):
        return value.value
    if isinstance(value, Seq):
        items = [plain(item) for item in value.items]
        if any(item is NOT_PLAIN for item in items):
            return NOT_PLAIN
        if value.kind == "set":
            try:
                return frozenset(items)
            except TypeError:
                return NOT_PLAIN
        return tuple(items) if value.kind == "tuple" else items
    if isinstance(value, DictV):
        pairs = [(plain(k), plain(v)) for k, v in value.items]
        if any(k is NOT_PLAIN or v is NOT_PLAIN for k, v in pairs):
            return NOT_PLAIN
        try:
            return dict(pairs)
        except TypeError:
            return NOT_PLAIN
    return NOT_PLAIN


def known(obj) -> Value:
    """A Python value (as `plain` returns them) as a Value."""
    if isinstance(obj, (list, tuple)):
        return Seq(tuple(known(item) for item in obj), "tuple" if isinstance(obj, tuple) else "list")
    if isinstance(obj, (set, frozenset)):
        return Seq(tuple(known(item) for item in obj), "set")
    if isinstance(obj, dict):
        return DictV(tuple((known(k), known(v)) for k, v in obj.items()))
    if isinstance(obj, str) and len(obj) > MAX_STRING:
        return Unknown(f"a string longer than {MAX_STRING:,} characters")
    return Const(obj)


def truth(value: Value) -> Optional[bool]:
    """Whether the value is truthy, or None when that is not known."""
    if isinstance(value, Const):
        return bool(value.value)
    if isinstance(value, (Seq, DictV)):
        return bool(value.items)
    if isinstance(value, (Unknown, External)) or type(value).__name__ == "Opaque":
        return None
    return True   # a definition, a function, a class, a module, a key, an instance


def items_of(value: Value):
    """The items a `for` over the value walks (a tuple of Values), or an Unknown saying why not."""
    if isinstance(value, Seq):
        items = value.items
    elif isinstance(value, DictV):
        items = tuple(k for k, _ in value.items)
    elif isinstance(value, Const) and isinstance(value.value, str):
        items = tuple(Const(c) for c in value.value[:MAX_ITEMS + 1])
    elif isinstance(value, Loaded) and value.key_prefix == () and value.group_name == "":
        # what a loader returns, as the list Dagster's loader returns (a prefix or group would change it)
        items = value.definitions + (() if value.complete else (Unknown(f"an object {value.loader} cannot follow"),))
    elif isinstance(value, Unknown):
        return value
    else:
        return Unknown("a loop over a value asset-lint cannot enumerate")
    if len(items) > MAX_ITEMS:
        return Unknown(f"a loop over more than {MAX_ITEMS:,} items")
    return items


_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
            ">=": operator.ge}


def compare(op: str, left: Value, right: Value) -> Value:
    """`left op right`."""
    if op in ("is", "is not"):
        same = _identical(left, right)
        return same if isinstance(same, Unknown) else Const(same.value if op == "is" else not same.value)
    if op in ("in", "not in"):
        found = _contains(right, left)
        return found if isinstance(found, Unknown) else Const(found.value if op == "in" else not found.value)
    a, b = plain(left), plain(right)
    if a is not NOT_PLAIN and b is not NOT_PLAIN:
        try:
            return Const(_COMPARE[op](a, b))
        except TypeError:
            return Unknown(f"a comparison Python would refuse ({op})")
    if op in ("==", "!=") and not isinstance(left, (Unknown, External)) and left is right:
        return Const(op == "==")
    return unknown_of(left, right, "a comparison")


_MAYBE_NONE = (Const, Unknown, External, Opaque)


def _identical(left: Value, right: Value) -> Value:
    singletons = isinstance(left, Const) and isinstance(right, Const) \
        and (left.value is None or right.value is None or isinstance(left.value, bool))
    if singletons:
        return Const(left.value is right.value)
    if left is right and not isinstance(left, Unknown):
        return Const(True)
    # a definition, a list, a key... is certainly not None (an external or opaque result may be)
    for one, other in ((left, right), (right, left)):
        if isinstance(one, Const) and one.value is None and not isinstance(other, _MAYBE_NONE):
            return Const(False)
    return unknown_of(left, right, "an identity test")


def _contains(container: Value, item: Value) -> Value:
    if isinstance(container, Const) and isinstance(container.value, str):
        text = plain(item)
        return Const(text in container.value) if isinstance(text, str) else unknown_of(item, item, "a test")
    if isinstance(container, DictV):
        container = Seq(tuple(k for k, _ in container.items))
    if not isinstance(container, Seq):
        return unknown_of(container, container, "a membership test")
    wanted = plain(item)
    for element in container.items:
        if element is item:
            return Const(True)
        value = plain(element)
        if value is NOT_PLAIN or wanted is NOT_PLAIN:
            return unknown_of(element if value is NOT_PLAIN else item, item, "a membership test")
        if value == wanted:
            return Const(True)
    return Const(False)


def unknown_of(left: Value, right: Value, what: str) -> Unknown:
    for side in (left, right):
        if isinstance(side, Unknown):
            return side
        if isinstance(side, External) and environment_source(side.qualname) is not None:
            return from_environment(side.qualname)
    return Unknown(f"{what} of values asset-lint does not know")


def binop(op: str, left: Value, right: Value) -> Value:
    """`left op right` for the arithmetic, `+`/`*` of sequences and strings, and `%` formatting."""
    if op == "add" and isinstance(left, Seq) and isinstance(right, Seq):
        if len(left.items) + len(right.items) > MAX_ITEMS:
            return Unknown(f"a list of more than {MAX_ITEMS:,} items")
        return Seq(left.items + right.items, left.kind)
    if op == "*" and (isinstance(left, Seq) or isinstance(right, Seq)):
        seq, times = (left, right) if isinstance(left, Seq) else (right, left)
        count = plain(times)
        if not isinstance(count, int) or isinstance(count, bool):
            return unknown_of(times, times, "a repeated list")
        if len(seq.items) * max(count, 0) > MAX_ITEMS:
            return Unknown(f"a list of more than {MAX_ITEMS:,} items")
        return Seq(seq.items * count, seq.kind)
    a, b = plain(left), plain(right)
    if a is NOT_PLAIN or b is NOT_PLAIN:
        return unknown_of(left, right, "an operation")
    if op == "*" and isinstance(a, str) and isinstance(b, int) and len(a) * b > MAX_STRING \
            or op == "*" and isinstance(b, str) and isinstance(a, int) and len(b) * a > MAX_STRING:
        return Unknown(f"a string longer than {MAX_STRING:,} characters")
    if op == "**" and isinstance(b, (int, float)) and abs(b) > 64:
        return Unknown("a power too large to compute")
    if op == "add" and isinstance(a, str) and isinstance(b, str) and len(a) + len(b) > MAX_STRING:
        return Unknown(f"a string longer than {MAX_STRING:,} characters")
    try:
        return known(_BINOPS[op](a, b))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, KeyError, IndexError):
        return Unknown(f"an operation Python would refuse ({op})")


_BINOPS = {"add": operator.add, "-": operator.sub, "*": operator.mul, "%": operator.mod, "//": operator.floordiv,
           "**": operator.pow, "|": operator.or_, "&": operator.and_, "div": operator.truediv}


def unary(op: str, operand: Value) -> Value:
    """`not x`, `-x`, `+x`."""
    if op == "not":
        value = truth(operand)
        return Const(not value) if value is not None else unknown_of(operand, operand, "a negation")
    number = plain(operand)
    if isinstance(number, (int, float)):
        return Const(-number if op == "-" else +number)
    return unknown_of(operand, operand, "a sign")


def formatted(value: Value, conversion: Optional[str], spec: Optional[str]) -> Value:
    """An f-string part with a conversion (!r/!s/!a) and a format spec, as Python formats it."""
    obj = plain(value)
    if obj is NOT_PLAIN:
        return unknown_of(value, value, "an f-string part")
    try:
        if conversion is not None:
            obj = {"r": repr, "s": str, "a": ascii}[conversion](obj)
        text = format(obj, spec or "")
    except (TypeError, ValueError):
        return Unknown("an f-string format Python would refuse")
    return known(text)


def sliced(base: Value, lower: Value, upper: Value, step: Value) -> Value:
    """`base[lower:upper:step]` of a known sequence or string."""
    bounds = [None if part is None else plain(part) for part in (lower, upper, step)]
    if any(b is NOT_PLAIN or not (b is None or isinstance(b, int)) for b in bounds):
        return Unknown("a slice with unknown bounds")
    if isinstance(base, Seq):
        return Seq(base.items[slice(*bounds)], base.kind)
    if isinstance(base, Const) and isinstance(base.value, str):
        try:
            return Const(base.value[slice(*bounds)])
        except ValueError:
            return Unknown("a slice Python would refuse")
    return unknown_of(base, base, "a slice")


def joined(op: str, left: Value, right: Value) -> Value:
    """`left op right`; a known list joined to an unknown one keeps its own items (the collector
    counts the unknown as a gap, not the whole list)."""
    if op == "add" and isinstance(left, Seq) and isinstance(right, (Unknown, Loaded)):
        return Seq(left.items + (right,), left.kind)
    if op == "add" and isinstance(right, Seq) and isinstance(left, (Unknown, Loaded)):
        return Seq((left,) + right.items, right.kind)
    return binop(op, left, right)


# the expression kinds of the IR evaluated here: (evaluator, module, expr) -> Value -------------
def _comprehension(ev, module: str, expr) -> Value:
    made = ev.interpreter.comprehension(module, expr[4], lambda: ev.eval(module, expr[3]))
    return Seq(made.items, "set") if isinstance(made, Seq) and expr[2] == "set" else made


def _dict_comprehension(ev, module: str, expr) -> Value:
    made = ev.interpreter.comprehension(module, expr[4], lambda: (ev.eval(module, expr[2]), ev.eval(module, expr[3])))
    return DictV(made.items) if isinstance(made, Seq) else made


def _if_expression(ev, module: str, expr) -> Value:
    test = ev.eval(module, expr[2])
    decided = truth(test)
    if decided is None:
        return unknown_of(test, test, "a condition")
    return ev.eval(module, expr[3] if decided else expr[4])


def _compare(ev, module: str, expr) -> Value:
    left = ev.eval(module, expr[2])
    result: Value = Const(True)
    for op, comparator in zip(expr[3], expr[4]):
        right = ev.eval(module, comparator)
        result = compare(op, left, right)
        if truth(result) is not True:
            return result    # False ends the chain; an Unknown stays one
        left = right
    return result


def _boolean(ev, module: str, expr) -> Value:
    value: Value = Const(None)
    for operand in expr[3]:
        value = ev.eval(module, operand)
        decided = truth(value)
        if decided is None:
            return value if isinstance(value, Unknown) \
                else Unknown(f"an `{expr[2]}` of a value asset-lint does not know")
        if decided is (expr[2] == "or"):
            return value   # `or` stops at the first true operand, `and` at the first false one
    return value


def _unary(ev, module: str, expr) -> Value:
    return unary(expr[2], ev.eval(module, expr[3]))


def _binary(ev, module: str, expr) -> Value:
    return joined(expr[2], ev.eval(module, expr[3]), ev.eval(module, expr[4]))


def _format(ev, module: str, expr) -> Value:
    spec = ev.eval(module, expr[4]) if expr[4] is not None else Const("")
    if not (isinstance(spec, Const) and isinstance(spec.value, str)):
        return unknown_of(spec, spec, "an f-string format")
    return formatted(ev.eval(module, expr[2]), expr[3], spec.value)


def _lambda(ev, module: str, expr) -> Value:
    return ev.interpreter.lambda_value(module, expr)


def _walrus(ev, module: str, expr) -> Value:
    value = ev.eval(module, expr[3])
    if ev.frame is not None:
        ev.frame.rebind(expr[2], value)
    return value


EXPRESSIONS = {"comp": _comprehension, "dictcomp": _dict_comprehension, "ifexp": _if_expression,
               "compare": _compare, "boolop": _boolean, "unary": _unary, "binop": _binary, "fmt": _format,
               "lambda": _lambda, "named": _walrus}
