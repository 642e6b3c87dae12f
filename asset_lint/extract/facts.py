"""FileFacts: everything asset-lint needs from one file, as plain picklable data.

Expressions are kept as small tuples (an IR) rather than ast nodes, so the facts can be cached
and evaluated later, across modules, by `resolve`:

    ("const", pos, value)          ("name", pos, id)            ("attr", pos, value, attr)
    ("call", pos, func, args, kwargs)      kwargs: ((name or None for **, expr), ...)
    ("list" | "tuple" | "set", pos, items) ("star", pos, expr)       ("dict", pos, ((key or None, value), ...))
    ("add" | "div", pos, left, right)      ("fstr", pos, parts)        ("sub", pos, value, index)
    ("binop", pos, op, left, right)        op: "-" "*" "%" "//" "**" "|" "&" "^" "<<" ">>" "@"
    ("unary", pos, op, operand)            op: "not" "-" "+" "~"
    ("compare", pos, left, ops, comparators)   ops: "==" "!=" "<" "<=" ">" ">=" "in" "not in" "is" "is not"
    ("boolop", pos, "and" | "or", values)  ("ifexp", pos, test, body, orelse)
    ("slice", pos, lower, upper, step)     only as the index of "sub"; a missing part is None
    ("fmt", pos, value, conversion, spec)  an f-string part with !r/!s/!a (conversion "r"/"s"/"a"/None) or a
                                           format spec (an "fstr" or None); a plain part is its expression
    ("comp", pos, "list" | "set" | "gen", elt, generators)   ("dictcomp", pos, key, value, generators)
        generators: ((target, iter, ifs), ...) with target a TARGET and ifs a tuple of expressions
    ("lambda", pos, params, body)          params: a tuple of Param      ("named", pos, name, value)  (walrus)
    ("unknown", pos, reason)

A TARGET (what an assignment, a for loop or a comprehension binds) is ("name", pos, id),
("tuple" | "list", pos, targets), ("star", pos, target), ("sub", pos, value, index) or
("attr", pos, value, attr). Function bodies and module-level scripts are statements: see statements.py.

pos is (line, col, end_line, end_col): lines 1-based, columns 0-based, as in `ast`.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, Optional, Tuple

from asset_lint.picklable import pickled_as_a_call

Pos = Tuple[int, int, int, int]
Expr = Tuple[Any, ...]

# Facts are never changed once extracted, yet not frozen: a frozen __init__ sets each field through
# object.__setattr__ (a fifth of the walker's instructions, and again for every unpickled object);
# unsafe_hash keeps them hashable by value, as frozen ones were.
# Slotted facts take a third less memory; dataclass(slots=) exists from Python 3.10 (3.9 is supported).
SLOTS = {"slots": True} if sys.version_info >= (3, 10) else {}

SCHEMA_VERSION = 11  # bump when the shape of FileFacts changes (the cache keys on it)


@dataclass(unsafe_hash=True, **SLOTS)
class Param:
    """One function parameter; kind is posonly | normal | kwonly | vararg | varkw."""

    name: str
    kind: str
    annotation: Optional[Expr]
    has_default: bool
    pos: Pos
    default: Optional[Expr] = None     # the default's IR (None when there is none)


@dataclass(unsafe_hash=True, **SLOTS)
class StorageAccess:
    """A read or write of a long-lived object in a function body (a table, a file, an object-store key).

    target_kind: "table" (a table name), "path" (a file path or object key) or "sql" (SQL text whose
    table names are read at resolve time, when constants are known).
    handed_on: the function also returns the written target (a path handed to the next op).
    """

    mode: str
    method: str
    target: Optional[Expr]
    target_kind: str
    pos: Pos
    handed_on: bool = False


@dataclass(unsafe_hash=True, **SLOTS)
class Invocation:
    """One call inside a @job/@graph body; args are Refs to earlier invocations' outputs.

    A Ref is ("inv", invocation_index, output) with output None for the whole result, an int for a
    tuple position, or a str for an attribute; or ("other",) for anything else.
    """

    callee: Expr
    args: tuple
    kwargs: tuple
    pos: Pos


@dataclass(unsafe_hash=True, **SLOTS)
class FunctionFacts:
    """A def (module-level, nested or a method) with what rules need from its body."""

    name: str
    pos: Pos
    decorators: tuple[Expr, ...]
    params: tuple[Param, ...]
    returns: Optional[Expr]           # the returned expression when the body is just a return
    storage: tuple[StorageAccess, ...]
    invocations: tuple[Invocation, ...]
    dynamic_body: bool                 # loops or comprehensions in the composition: edges unknown
    resource_attrs: tuple[str, ...]    # context.resources.<name> used in the body
    first_line: int = 0                # the first decorator's line: where Dagster says the definition is
    # The statement IR of the body (statements.py), docstring dropped. Kept in modules that mention Dagster,
    # except for functions a Dagster decorator turns into a definition (asset, op, check, trigger, resource,
    # ...): None there, and in every function of a module that cannot mention Dagster.
    body: Optional[tuple] = None
    # what calling it could create (extract/creations.py; resolve/gaps.py types its unknown results by it):
    creates: frozenset = frozenset()   # "assets", "checks", "ops", "jobs", "resources", "other"; "*": anything
    calls: tuple = ()                  # dotted names of the functions whose results it returns


@dataclass(unsafe_hash=True, **SLOTS)
class ClassFacts:
    """A class: its bases (for Config / ConfigurableResource detection), fields, attributes and methods."""

    name: str
    pos: Pos
    bases: tuple[Expr, ...]
    methods: tuple[str, ...]
    decorators: tuple[Expr, ...] = ()
    fields: tuple = ()          # (name, annotation IR, default IR or None) per annotated class-level name, in order
    attributes: tuple = ()      # (name, None, value IR) per plain class-level assignment, in order
    method_facts: tuple = ()    # the FunctionFacts of its defs, in order (bodies kept as for functions)


@dataclass(unsafe_hash=True, **SLOTS)
class Binding:
    """What a module-level name is bound to.

    kind: expr (value = IR), func (value = FunctionFacts), class (value = ClassFacts),
    import (value = module), from (value = (module, name)), unpack (value = (IR, index)), unknown,
    script (value = (statements, name)): a name a module-level loop, branch or mutation builds; the
    statements (statement IR, statements.py) run from its last fresh binding through its last change,
    and the name's value is what they leave it holding.
    """

    kind: str
    value: Any
    pos: Pos
    previous: Optional["Binding"] = None   # the binding this one replaces: `x = f(x)` reads it


@dataclass(unsafe_hash=True, **SLOTS)
class SyntaxProblem:
    """The file could not be parsed: where and why."""

    message: str
    line: int
    col: int


@dataclass(unsafe_hash=True, **SLOTS)
class FileFacts:
    """Everything extracted from one file. `mentions_dagster` is false for plain-Python modules."""

    rel: str
    module: str
    is_package: bool
    bindings: dict[str, Binding] = field(default_factory=dict)
    star_imports: tuple[str, ...] = ()
    functions: tuple[FunctionFacts, ...] = ()      # module-level defs, in order
    noqa: dict[int, Optional[frozenset]] = field(default_factory=dict)  # line -> codes (None = all)
    syntax_error: Optional[SyntaxProblem] = None
    mentions_dagster: bool = False
    lazy: bool = False     # prefiltered: parsed for syntax only; resolve extracts it if a constant is needed


pickled_as_a_call(Param, StorageAccess, Invocation, FunctionFacts, ClassFacts, Binding, SyntaxProblem, FileFacts)
