"""The statements of a function body (or a module-level script), run in a Frame.

`run_body` runs them in order; `return`, `break`, `continue` and `raise` end them with a signal. An `if`
on a known condition takes its branch; on an unknown one (and a `for` over an unknown iterable)
every name the statements could bind becomes Unknown, and a `return` under it makes the result one.
A mutating method (`append`, `extend`, `update`, ...) or an item assignment rebinds the name holding
the list or dict to the changed value.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from asset_lint.findings import Site
from asset_lint.resolve import builtins
from asset_lint.resolve.operators import items_of, joined, truth, unknown_of
from asset_lint.resolve.values import Cls, Const, DictV, Func, Instance, Loaded, Seq, Unknown, Value

if TYPE_CHECKING:
    from asset_lint.resolve.interpret import Frame

MUTATORS = frozenset({"append", "extend", "insert", "pop", "update", "setdefault"})


# statements ----------------------------------------------------------------------------
def run_body(interp, frame: Frame, statements: tuple):
    """Run statements; None, or the signal that ended them: ("return", v), ("break",), ("continue",), ("raise",)."""
    for statement in statements:
        interp.step()
        signal = _STATEMENTS[statement[0]](interp, frame, statement)
        if signal is not None:
            return signal
    return None


def _assign(interp, frame: Frame, statement):
    value = interp.ev.eval(frame.module, statement[3])
    for target in statement[2]:
        assign(interp, frame, target, value)


def _augassign(interp, frame: Frame, statement):
    _, pos, target, op, value_ir = statement
    current = interp.ev.eval(frame.module, target)
    value = interp.ev.eval(frame.module, value_ir)
    if op == "add" and isinstance(current, Seq) and not isinstance(value, Seq):
        items = items_of(value) if not isinstance(value, (Unknown, Loaded)) else value
        value = Seq(items if isinstance(items, tuple) else (items,), "list")
    assign(interp, frame, target, joined(op, current, value))


def _expr(interp, frame: Frame, statement):
    value = statement[2]
    if value[0] == "call" and value[2][0] == "attr" and value[2][3] in MUTATORS:
        mutate(interp, frame, value)
    else:
        interp.ev.eval(frame.module, value)


def mutate(interp, frame: Frame, call) -> None:
    """`holder.append(x)` and friends: the name (or attribute) holding the list or dict is rebound."""
    ev, module = interp.ev, frame.module
    holder_ir, method = call[2][2], call[2][3]
    holder = ev.eval(module, holder_ir)
    args = tuple(ev.eval(module, a) for a in call[3])
    changed = builtins.mutated(holder, method, args) if not call[4] else None
    if changed is None:
        ev.eval(module, call)
        if not isinstance(holder, (Seq, DictV)):
            return   # a method of something else (a client, a logger): nothing of ours changes
        new: Value = Unknown(f"{method}() asset-lint cannot follow")
    else:
        new = changed[0]
    assign(interp, frame, holder_ir, new, in_place=True)


def _return(interp, frame: Frame, statement):
    value = statement[2]
    return ("return", interp.ev.eval(frame.module, value) if value is not None else Const(None))


def _if(interp, frame: Frame, statement):
    _, pos, test, body, orelse = statement
    condition = interp.ev.eval(frame.module, test)
    decided = truth(condition)
    if decided is not None:
        return run_body(interp, frame, body if decided else orelse)
    reason = unknown_of(condition, condition, "a condition").reason
    return undecided(interp, frame, body + orelse, f"set under an if whose condition {_as_clause(reason)}")


def undecided(interp, frame: Frame, statements: tuple, reason: str):
    """Statements that may or may not run: each name they could bind is unknown, as is a return in them."""
    names, returns = bound_names(statements)
    for name in names:
        frame.rebind(name, Unknown(reason))
    return ("return", Unknown(reason)) if returns else None


def _for(interp, frame: Frame, statement):
    _, pos, target, iter_ir, body, orelse = statement
    items = items_of(interp.ev.eval(frame.module, iter_ir))
    if isinstance(items, Unknown):
        return undecided(interp, frame, (("assign", pos, (target,), None),) + body + orelse,
                         f"set in a loop over {_as_object(items.reason)}")
    for item in items:
        interp.step()
        frame.tick += 1
        assign(interp, frame, target, item)
        signal = run_body(interp, frame, body)
        if signal is not None:
            if signal[0] == "break":
                return None
            if signal[0] != "continue":
                return signal
    return run_body(interp, frame, orelse)


def _def(interp, frame: Frame, statement):
    facts = statement[2]
    rel = interp.ev.modules[frame.module].rel
    func = Func(frame.module, facts, rel, closure=frame.scopes())
    value: Value = func
    if facts.decorators:
        value = interp.ev.interpret_call.apply_decorators(interp.ev, frame.module, func, Site(rel, facts.pos))
    frame.locals[facts.name] = value


def _class(interp, frame: Frame, statement):
    frame.locals[statement[2].name] = Cls(frame.module, statement[2])


def _import(interp, frame: Frame, statement):
    for name, binding in statement[2]:
        frame.locals[name] = interp.run(None, lambda: interp.ev.binding_value(frame.module, name, binding))


def _with(interp, frame: Frame, statement):
    for target in statement[2]:
        assign(interp, frame, target, Unknown("context manager"))
    return run_body(interp, frame, statement[3])


def _opaque(interp, frame: Frame, statement):
    for name in statement[3]:
        frame.rebind(name, Unknown(statement[2]))


def assign(interp, frame: Frame, target, value: Value, in_place: bool = False) -> None:
    """Bind an assignment target (a name, a tuple of them, `d[k]`, `obj.attr`) to a value; `in_place`: the
    value is the changed list or dict a name holds, rebound where the name lives (an enclosing frame too)."""
    kind = target[0]
    if kind == "name":
        if in_place:
            frame.rebind(target[2], value)
        else:
            frame.locals[target[2]] = value   # Python binds an assigned name in the innermost scope
    elif kind in ("tuple", "list"):
        unpack(interp, frame, target[2], value)
    elif kind == "star":
        assign(interp, frame, target[2], value)
    elif kind == "sub":
        base = interp.ev.eval(frame.module, target[2])
        new = builtins.with_item(base, interp.ev.eval(frame.module, target[3]), value)
        if new is None and not isinstance(base, (Seq, DictV, Unknown)):
            return
        assign(interp, frame, target[2], new if new is not None else Unknown("item assignment"), in_place=True)
    elif kind == "attr":
        base = interp.ev.eval(frame.module, target[2])
        if isinstance(base, Instance):
            base.attributes[target[3]] = value


def unpack(interp, frame: Frame, targets: tuple, value: Value) -> None:
    """`a, b = value` and `a, *rest = value`."""
    items = items_of(value)
    starred = [i for i, t in enumerate(targets) if t[0] == "star"]
    if not isinstance(items, Unknown) and (len(items) == len(targets) if not starred
                                           else len(items) >= len(targets) - 1):
        if starred:
            at, after = starred[0], len(targets) - starred[0] - 1
            items = items[:at] + (Seq(items[at:len(items) - after], "list"),) + items[len(items) - after:]
        for target, item in zip(targets, items):
            assign(interp, frame, target, item)
        return
    reason = items.reason if isinstance(items, Unknown) else "unpacking a value of another length"
    for target in targets:
        assign(interp, frame, target, Unknown(reason))


def bound_names(statements: tuple) -> tuple:
    """(the names the statements could bind or change, whether one of them returns)."""
    names: set = set()
    returns = False
    for statement in statements:
        kind = statement[0]
        if kind == "assign":
            for target in statement[2]:
                _target_names(target, names)
        elif kind == "augassign":
            _target_names(statement[2], names)
        elif kind == "expr" and statement[2][0] == "call" and statement[2][2][0] == "attr" \
                and statement[2][2][3] in MUTATORS:
            _target_names(statement[2][2][2], names)
        elif kind in ("def", "class"):
            names.add(statement[2].name)
        elif kind == "import":
            names.update(name for name, _ in statement[2])
        elif kind == "opaque":
            names.update(statement[3])
        elif kind == "return":
            returns = True
        for inner in _inner_bodies(statement):
            found, inner_returns = bound_names(inner)
            names |= found
            returns = returns or inner_returns
        if kind in ("for", "with"):
            for target in ((statement[2],) if kind == "for" else statement[2]):
                _target_names(target, names)
    return names, returns


def _inner_bodies(statement) -> tuple:
    kind = statement[0]
    if kind == "if":
        return statement[3], statement[4]
    if kind == "for":
        return statement[4], statement[5]
    if kind == "with":
        return (statement[3],)
    return ()


def _target_names(target, names: set) -> None:
    kind = target[0]
    if kind == "name":
        names.add(target[2])
    elif kind in ("tuple", "list"):
        for inner in target[2]:
            _target_names(inner, names)
    elif kind in ("star", "sub", "attr"):
        _target_names(target[2], names)


def _as_clause(reason: str) -> str:
    return reason if reason.startswith("comes from") else f"is unknown ({reason})"


def _as_object(reason: str) -> str:
    return f"a value that {reason}" if reason.startswith("comes from") else f"an unknown value ({reason})"


_STATEMENTS = {
    "assign": _assign, "augassign": _augassign, "expr": _expr,
    "return": _return, "if": _if, "for": _for, "def": _def,
    "class": _class, "import": _import, "with": _with,
    "opaque": _opaque,
    "pass": lambda interp, frame, statement: None, "break": lambda interp, frame, statement: ("break",),
    "continue": lambda interp, frame, statement: ("continue",), "raise": lambda interp, frame, statement: ("raise",),
}
