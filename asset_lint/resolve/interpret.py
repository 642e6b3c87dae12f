"""Run the statements of project functions, comprehensions and module-level scripts over known values.

A call of a project function binds its arguments as Python does and runs its body in a Frame: its
locals, the locals of the functions around it (a closure), and a memo of the calls evaluated in it.
Names a frame does not hold are module names, then builtins (the Evaluator looks them up). What
cannot be followed becomes a named Unknown: an `if` on an unknown condition never takes a branch,
it makes every name either branch binds unknown. Everything is bounded (depth, items, steps).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from asset_lint.extract.facts import FunctionFacts
from asset_lint.resolve import operators
from asset_lint.resolve.gaps import function_could_be, type_of_sample
from asset_lint.resolve.statements import assign, run_body
from asset_lint.resolve.values import (
    Cls, Const, Definition, DictV, Func, Instance, Loaded, Method, Opaque, Seq, Unknown, Value,
)

MAX_DEPTH = 30             # project function calls nested deeper are cut off
MAX_STEPS = 100_000        # statements and loop items (some 200,000 expressions) per module-level evaluation
MISSING = object()


class Frame:
    """One running function body (or comprehension, or module-level script)."""

    __slots__ = ("locals", "module", "closure", "memo", "tick")

    def __init__(self, module: str, locals_: Optional[dict] = None, closure: tuple = ()) -> None:
        self.locals: dict = locals_ if locals_ is not None else {}
        self.module = module
        self.closure = closure      # the locals of the enclosing frames, innermost first
        self.memo: dict = {}        # (id(call IR), tick) -> (IR, Value): one call evaluated once per pass
        self.tick = 0               # a new loop pass: the same call makes a new object

    def find(self, name: str):
        """The value of a local or enclosing name, or MISSING."""
        value = self.locals.get(name, MISSING)
        if value is MISSING:
            for scope in self.closure:
                value = scope.get(name, MISSING)
                if value is not MISSING:
                    break
        return value

    def scopes(self) -> tuple:
        """Its locals and the enclosing ones, innermost first: the closure of a def made in it."""
        return (self.locals,) + self.closure

    def rebind(self, name: str, value: Value) -> None:
        """Set a name where it lives (an enclosing frame's list grows in place), else as a local."""
        for scope in self.scopes():
            if name in scope:
                scope[name] = value
                return
        self.locals[name] = value


class _Cutoff(Exception):
    """The step budget ran out: the whole module-level evaluation under way is unknown."""


class Interpreter:
    """Runs bodies for one Evaluator; the Evaluator's `frame` is the frame running now (None at module level)."""

    def __init__(self, ev) -> None:
        self.ev = ev
        self.depth = 0
        self.active = 0
        self.steps = 0
        self.calling: list = []    # the functions being called, outermost first

    def run(self, frame: Frame, work):
        """`work()` with `frame` active; the outermost run owns the step budget and reports its cut-off."""
        ev = self.ev
        outer, outermost = ev.frame, self.active == 0
        if outermost:
            self.steps = 0
        self.active += 1
        ev.frame = frame
        try:
            return work()
        except _Cutoff:
            if not outermost:
                raise
            return Unknown(f"evaluation took more than {MAX_STEPS:,} steps")
        finally:
            ev.frame = outer
            self.active -= 1

    def step(self) -> None:
        """Count one statement or loop item against the budget."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Cutoff()

    # calls ---------------------------------------------------------------------------------
    def call_function(self, func: Func, args: tuple, kwargs: dict, lenient: bool = False) -> Value:
        """The value a call of a project function returns, its body run with the arguments bound."""
        facts = func.facts
        body = getattr(facts, "body", None)
        where = f"{facts.name} at {func.rel}:{facts.pos[0]}"
        if body is None and facts.returns is None:
            if any(_holds_definitions(a) for a in args + tuple(kwargs.values())):
                return Unknown(f"{where} is handed definitions and its body is not kept")
            return Opaque(f"result of {facts.name}")
        if body is None and facts.returns[0] == "unknown":
            return Unknown(f"factory {where}: {facts.returns[2]}", function_could_be(self.ev, func))
        identity = (func.module, facts.pos)
        if self.depth >= MAX_DEPTH:
            if identity in self.calling:
                return Unknown(f"{facts.name} calls itself more than {MAX_DEPTH} deep")
            return Unknown(f"factory calls nested deeper than {MAX_DEPTH}")
        bound = self.bind(func, args, kwargs, lenient)
        if isinstance(bound, str):
            return Unknown(f"call of {where} would fail: {bound}")
        frame = Frame(func.module, bound, func.closure or ())
        self.depth += 1
        self.calling.append(identity)
        try:
            if body is None:
                result = self.run(frame, lambda: self.ev.eval(func.module, facts.returns))
            else:
                result = self.run(frame, lambda: self.returned(frame, body))
        finally:
            self.depth -= 1
            self.calling.pop()
        if self.depth == 0:
            result = _told_where(result, where)
        return _typed(result, function_could_be(self.ev, func)) if _has_unknown(result) else result

    def returned(self, frame: Frame, body: tuple) -> Value:
        """What running `body` in `frame` returns."""
        signal = run_body(self, frame, body)
        if signal is None or signal[0] != "return":
            return Unknown("it raises an exception") if signal == ("raise",) else Const(None)
        return signal[1]

    def bind(self, func: Func, args: tuple, kwargs: dict, lenient: bool):
        """Parameter name -> argument, as Python binds them; a str says why the call would fail."""
        params = func.facts.params
        bound: dict = {}
        positional = [p for p in params if p.kind in ("posonly", "normal")]
        for param, value in zip(positional, args):
            bound[param.name] = value
        extra = args[len(positional):]
        vararg = next((p for p in params if p.kind == "vararg"), None)
        varkw = next((p for p in params if p.kind == "varkw"), None)
        if extra and vararg is None:
            return f"{len(args)} positional arguments for {len(positional)} parameters"
        if vararg is not None:
            bound[vararg.name] = Seq(tuple(extra), "tuple")
        by_name = {p.name: p for p in params if p.kind in ("normal", "kwonly")}
        rest = []
        for name, value in kwargs.items():
            if name in by_name:
                if name in bound:
                    return f"two values for {name}"
                bound[name] = value
            else:
                rest.append((Const(name), value))
        if rest and varkw is None:
            return f"no parameter {rest[0][0].value}"
        if varkw is not None:
            bound[varkw.name] = DictV(tuple(rest))
        for param in params:
            if param.name in bound or param.kind in ("vararg", "varkw"):
                continue
            if param.has_default:
                bound[param.name] = self.default(func, param)
            elif lenient:
                bound[param.name] = Unknown(f"argument {param.name} that Dagster passes")
            else:
                return f"no value for {param.name}"
        return bound

    def default(self, func: Func, param) -> Value:
        """A parameter's default, evaluated where the def is (its module, or the frames around it)."""
        expr = getattr(param, "default", None)
        if expr is None:
            return Unknown(f"default of {param.name}")
        if not func.closure:
            return self.run(None, lambda: self.ev.eval(func.module, expr)) if self.ev.frame is not None \
                else self.ev.eval(func.module, expr)
        return self.run(Frame(func.module, {}, func.closure), lambda: self.ev.eval(func.module, expr))

    def instantiate(self, cls: Cls, args: tuple, kwargs: dict, rel: str) -> Value:
        """An object of a plain project class: a dataclass, a NamedTuple, or an __init__ that stores arguments."""
        facts = cls.facts
        methods = {m.name: m for m in getattr(facts, "method_facts", ())}
        kind = _plain_class_kind(facts)
        if kind is None:
            return Opaque(f"instance of {facts.name}")
        instance = Instance(cls, {})
        if "__init__" in methods:
            result = self.call_function(Func(cls.module, methods["__init__"], rel), (instance,) + args, kwargs)
            return instance if not isinstance(result, Unknown) else result
        fields = [f for f in getattr(facts, "fields", ()) if f[1] is not None]
        if len(args) > len(fields):
            return Unknown(f"{facts.name}() with more arguments than fields")
        for (name, _, _), value in zip(fields, args):
            instance.attributes[name] = value
        for name, value in kwargs.items():
            if name in instance.attributes or name not in {f[0] for f in fields}:
                return Unknown(f"{facts.name}() with an argument it has no field for: {name}")
            instance.attributes[name] = value
        for name, _, default in fields:
            if name not in instance.attributes:
                if default is None:
                    return Unknown(f"{facts.name}() without a value for {name}")
                instance.attributes[name] = self.field_default(cls.module, default)
        return instance

    def field_default(self, module: str, expr) -> Value:
        """A dataclass field's default; `field(default=...)` and `field(default_factory=list)` too."""
        if expr[0] == "call" and (expr[2][0] == "name" and expr[2][2] == "field"
                                  or expr[2][0] == "attr" and expr[2][3] == "field"):
            given = dict(expr[4])
            if "default" in given:
                return self.ev.eval(module, given["default"])
            if "default_factory" in given:
                return self.ev.eval(module, ("call", expr[1], given["default_factory"], (), ()))
            return Unknown("a field without a default")
        return self.ev.eval(module, expr)

    def attribute(self, base: Value, attr: str) -> Optional[Value]:
        """`instance.attr` or `Class.attr` of a project class; None when neither."""
        if isinstance(base, Instance):
            found = base.attributes.get(attr, MISSING)
            if found is not MISSING:
                return found
            cls = base.cls
        elif isinstance(base, Cls):
            cls = base
        else:
            return None
        for method in getattr(cls.facts, "method_facts", ()):
            if method.name == attr:
                func = Func(cls.module, method, self.ev.modules[cls.module].rel)
                return Method(func, base) if isinstance(base, Instance) else func
        for name, _, value in tuple(getattr(cls.facts, "fields", ())) + tuple(getattr(cls.facts, "attributes", ())):
            if name == attr and value is not None:
                return self.ev.eval(cls.module, value)
        return Unknown(f"attribute {attr} of {cls.facts.name}")

    # expressions ---------------------------------------------------------------------------
    def comprehension(self, module: str, generators: tuple, produce) -> Value:
        """Run a comprehension's generators in a frame of its own; `produce(frame)` makes each element."""
        outer = self.ev.frame
        frame = Frame(module, {}, outer.scopes() if outer is not None else ())
        made: list = []

        def walk(level: int):
            if level == len(generators):
                made.append(produce())
                return None
            target, iter_ir, ifs = generators[level]
            items = operators.items_of(self.ev.eval(module, iter_ir))
            if isinstance(items, Unknown):
                return self.sampled(frame, target, items, produce)
            for item in items:
                self.step()
                frame.tick += 1
                assign(self, frame, target, item)
                keep = True
                for test in ifs:
                    truth = operators.truth(self.ev.eval(module, test))
                    if truth is None:
                        return Unknown("a filter asset-lint cannot decide")
                    if not truth:
                        keep = False
                        break
                if keep:
                    problem = walk(level + 1)
                    if problem is not None:
                        return problem
                    if len(made) > operators.MAX_ITEMS:
                        return Unknown(f"a comprehension of more than {operators.MAX_ITEMS:,} items")
            return None

        problem = self.run(frame, lambda: walk(0))
        return problem if problem is not None else Seq(tuple(made), "list")

    def sampled(self, frame: Frame, target, items: Unknown, produce) -> Unknown:
        """A comprehension over items asset-lint cannot enumerate: unknown, but typed by one element made
        with the loop variables unknown (`[make_raw(t) for t in os.getenv(...)]` can only be assets under raw/)."""
        if items.could_be:
            return items
        assign(self, frame, target, items)
        sample = produce()
        could_be, prefix = type_of_sample(sample)
        return replace(items, could_be=could_be, prefix=prefix) if could_be else items

    def lambda_value(self, module: str, expr) -> Func:
        """A lambda: a function whose body returns one expression."""
        facts = FunctionFacts("<lambda>", expr[1], (), expr[2], expr[3], (), (), False, ())
        frame = self.ev.frame
        return Func(module, facts, self.ev.modules[module].rel, closure=frame.scopes() if frame is not None else None)


def _has_unknown(result: Value) -> bool:
    """The result is unknown, or a list holding unknowns."""
    return isinstance(result, Unknown) or (isinstance(result, Seq)
                                           and any(isinstance(item, Unknown) for item in result.items))


def _typed(result: Value, could_be: frozenset) -> Value:
    """An unknown a factory returns can only be what the factory's body can make (resolve/gaps.py)."""
    if isinstance(result, Unknown):
        return result if result.could_be or not could_be else replace(result, could_be=could_be)
    return Seq(tuple(_typed(item, could_be) if isinstance(item, Unknown) else item for item in result.items),
               result.kind)


def _told_where(result: Value, where: str) -> Value:
    """The outermost call's unknowns (the result, or items of a returned list) say which call made them."""
    if isinstance(result, Unknown):
        if result.reason.startswith("factory "):
            return result
        return replace(result, reason=f"factory {where}: {result.reason}")
    if isinstance(result, Seq) and any(isinstance(item, Unknown) for item in result.items):
        return Seq(tuple(_told_where(item, where) if isinstance(item, Unknown) else item for item in result.items),
                   result.kind)
    return result


def _holds_definitions(value: Value) -> bool:
    if isinstance(value, (Definition, Loaded)):
        return True
    if isinstance(value, Seq):
        return any(_holds_definitions(item) for item in value.items)
    return False


def _plain_class_kind(facts) -> Optional[str]:
    """"dataclass", "namedtuple" or "plain" (bases none, an __init__ of its own), else None."""
    names = {_last_name(d) for d in getattr(facts, "decorators", ())}
    if "dataclass" in names:
        return "dataclass"
    bases = {_last_name(b) for b in facts.bases}
    if bases == {"NamedTuple"}:
        return "namedtuple"
    if not facts.bases or bases == {"object"}:
        return "plain" if "__init__" in facts.methods else None
    return None


def _last_name(expr) -> str:
    if expr[0] == "call":
        expr = expr[2]
    return expr[2] if expr[0] == "name" else expr[3] if expr[0] == "attr" else ""
