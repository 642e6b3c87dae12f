"""Evaluate the IR of any module in the context of the whole project: names across imports,
constants, string building, and Dagster API calls. Anything else is Unknown."""
from __future__ import annotations

import posixpath
from contextlib import contextmanager
from typing import Optional

from asset_lint.dagster_api_table import PACKAGES, STAR_NAMES
from asset_lint.extract.facts import Binding, FileFacts
from asset_lint.findings import Site
from asset_lint.resolve import operators
from asset_lint.resolve.builtins import lookup_key
from asset_lint.resolve.interpret import MISSING as _FRAME_MISSING, Frame, Interpreter
from asset_lint.resolve.operators import EXPRESSIONS as _EXPRESSIONS, joined
from asset_lint.resolve.statements import run_body
from asset_lint.resolve.values import (
    Call, Cls, Const, Dagster, DictV, External, Func, ModuleV, Opaque, Seq, Unknown, Value, constant_str,
)

# Dagster's public subpackages: reached as attributes (`dg.components`), they hold names, not one.
_DAGSTER_SUBPACKAGES = frozenset({"components", "deprecated", "preview"})


def dagster_name(qualname: str) -> Optional[str]:
    """`dagster._core....asset` -> `asset`; None when the name is not from Dagster."""
    root = qualname.split(".", 1)[0]
    if root in PACKAGES and "." in qualname:
        return qualname.rsplit(".", 1)[1]
    return None


# IR kinds the evaluator does not compute yet (the interpreter will): why each is unknown
_MISSING = object()   # "not memoised yet", distinct from every stored value
AFTER_NAMES = ("\uffff",)   # a position after every (file, binding index)


class Evaluator:
    """Lazily evaluates names and expressions; memoised so one definition is one object."""

    def __init__(self, modules: dict, interpret_call, extract_in_full=None, track: bool = True) -> None:
        self.modules: dict = modules            # module name -> FileFacts
        self.extract_in_full = extract_in_full  # lazy FileFacts -> full FileFacts (reads the file again)
        self.interpret_call = interpret_call    # (evaluator, Call-site info) -> Value, from dagster_api
        self._names: dict = {}
        # every dotted prefix of a module name: packages, namespace packages included
        self.packages = {m.rsplit(".", i)[0] for m in modules for i in range(1, m.count(".") + 1)}
        self._exprs: dict = {}
        self._active: set = set()
        self._shadows: dict = {}
        # Which modules each module's values were computed from (imports, loaders, calls into other
        # modules): module -> set of modules. A resolved snapshot reused after an edit keeps only
        # the values of modules that depend on no edited module (resolve/snapshot.py).
        self.depends: Optional[dict] = {} if track else None   # None: not tracked (no snapshot to keep)
        self._owners: list = []            # the module of each memoised computation under way
        self._chain: list = []             # the names being computed, outermost first
        # Circular definitions cut: (modules of every computation under way, the names in the cycle,
        # position).
        # Which name of a cycle gets cut depends on where evaluation entered it (resolve/snapshot.py).
        self.cuts: list = []
        # names of cycles resumed from a snapshot -> where evaluation entered the cycle then
        self.guarded: dict = {}
        # where the resolve is: (file, binding index) of the module-level name being evaluated, in
        # the order build_project goes through them; AFTER_NAMES once it has gone through all
        self.position: tuple = AFTER_NAMES
        self.guard_tripped = False         # one was reached from a computation: a fresh run might cut it elsewhere
        self.shadow_bindings: dict = {}    # id(binding) -> binding, for the memo keys of shadowed names
        # the function body (or comprehension) running now; None at module level, where names are module names
        self.frame: Optional[Frame] = None
        self.interpreter = Interpreter(self)

    def _depend(self, module: str) -> None:
        """The computation under way reads `module` (its facts or one of its values)."""
        owners = self._owners
        if owners and owners[-1] != module and self.depends is not None:
            found = self.depends.get(owners[-1])
            if found is None:
                self.depends[owners[-1]] = {module}
            else:
                found.add(module)

    @contextmanager
    def computing_for(self, module: str):
        """Charge what is read inside to `module`, as if one of its values were being computed."""
        self._owners.append(module)
        try:
            yield
        finally:
            self._owners.pop()

    def owner(self, default: str) -> str:
        """The module whose memoised computation is under way (side effects are charged to it)."""
        return self._owners[-1] if self._owners else default

    def peek(self, module: str) -> Optional[FileFacts]:
        """A module's facts as they are (lazy or not), read as a dependency of the computation under way."""
        if self.depends is not None:
            self._depend(module)
        return self.modules.get(module)

    def facts_of(self, module: str) -> Optional[FileFacts]:
        """A module's facts, extracting a prefiltered (lazy) module on first need."""
        if self.depends is not None:
            self._depend(module)
        facts = self.modules.get(module)
        if facts is not None and facts.lazy and self.extract_in_full is not None:
            facts = self.modules[module] = self.extract_in_full(facts)
        return facts

    # names ---------------------------------------------------------------------------------
    def module_value(self, name: str) -> Value:
        """A module by absolute name: project module, or an external one."""
        if name in self.modules:
            return ModuleV(name)
        if name in self.packages:
            return ModuleV(name)  # a namespace package
        return External(name)

    def lookup(self, module: str, name: str) -> Value:
        """The value a module-level name has in `module`."""
        memo_key = (module, name)
        owners = self._owners
        if owners and owners[-1] != module and self.depends is not None:
            self._depend(module)
        if self._shadows:  # usually empty: skip the probe
            shadow = self._shadows.get(memo_key)
            if shadow is not None:  # inside `x = f(x)`: x is still the earlier binding
                frame, self.frame = self.frame, None
                try:
                    return self._shadowed(module, name, shadow)
                finally:
                    self.frame = frame
        # one probe on the hot path (most lookups are repeats); _MISSING since a value is never it
        value = self._names.get(memo_key, _MISSING)
        if value is not _MISSING:
            if self.guarded and owners and memo_key in self.guarded and self.position <= self.guarded[memo_key]:
                self.guard_tripped = True
            return value
        chain = self._chain
        if memo_key in self._active:
            cycle = tuple(chain[chain.index(memo_key):])
            self.cuts.append((frozenset(owners) | {key[0] for key in chain}, cycle, self.position))
            return Unknown("circular definition")
        self._active.add(memo_key)
        owners.append(module)
        chain.append(memo_key)
        frame, self.frame = self.frame, None   # a module-level name is computed at module level
        try:
            value = self._lookup(module, name)
        finally:
            self.frame = frame
            chain.pop()
            owners.pop()
            self._active.discard(memo_key)
        self._names[memo_key] = value
        return value

    def _lookup(self, module: str, name: str) -> Value:
        facts: Optional[FileFacts] = self.modules.get(module)
        if facts is not None and facts.lazy and name in facts.bindings:
            return self.binding_value(module, name, facts.bindings[name])  # a re-export: no need to extract
        facts = self.facts_of(module)
        if facts is None:
            if module in self.packages:  # namespace package attribute
                return self.module_value(f"{module}.{name}")
            return Unknown(f"module {module} not found")
        if facts.syntax_error:
            return Unknown("module has a syntax error")
        binding = facts.bindings.get(name)
        if binding is not None:
            return self.binding_value(module, name, binding)
        if f"{module}.{name}" in self.modules or f"{module}.{name}" in self.packages:
            return ModuleV(f"{module}.{name}")
        for star in facts.star_imports:
            star_value = self.module_value(star)
            if isinstance(star_value, ModuleV):
                found = self.lookup(star, name)
                if not (isinstance(found, Unknown) and found.reason.startswith("no name")):
                    return found
            elif dagster_name(star + ".x") is not None or star in PACKAGES:
                if name in STAR_NAMES:  # dagster has no __all__: every public name comes in
                    return Dagster(name)
            else:
                return Unknown(f"star import from {star}")
        return Unknown(f"no name {name}")

    def _shadowed(self, module: str, name: str, binding: Binding) -> Value:
        memo_key = (module, name, id(binding))
        if memo_key not in self._names:
            self.shadow_bindings[id(binding)] = binding
            del self._shadows[(module, name)]
            self._owners.append(module)
            try:
                self._names[memo_key] = self.binding_value(module, name, binding)
            finally:
                self._owners.pop()
                self._shadows[(module, name)] = binding
        return self._names[memo_key]

    def binding_value(self, module: str, name: str, binding: Binding) -> Value:
        kind = binding.kind
        if kind == "expr":
            if binding.previous is None:
                return self.eval(module, binding.value)
            outer = self._shadows.get((module, name))
            self._shadows[(module, name)] = binding.previous
            try:
                return self._eval(module, binding.value)
            finally:
                if outer is None:
                    del self._shadows[(module, name)]
                else:
                    self._shadows[(module, name)] = outer
        if kind == "import":
            return self.module_value(binding.value)
        if kind == "from":
            source, attr = binding.value
            base = self.module_value(source)
            if isinstance(base, ModuleV):
                if source == module:
                    return Unknown("self import")
                return self.lookup(source, attr)
            return self.external(f"{source}.{attr}")
        if kind == "func":
            rel = self.modules[module].rel
            if not binding.value.decorators:
                return Func(module, binding.value, rel)
            return self.interpret_call.apply_decorators(self, module, Func(module, binding.value, rel),
                                                        Site(rel, binding.pos))
        if kind == "class":
            return Cls(module, binding.value)
        if kind == "unpack":
            value, index = binding.value
            seq = self.eval(module, value)
            if isinstance(seq, Seq) and index < len(seq.items):
                return seq.items[index]
            return seq if isinstance(seq, Unknown) else Unknown("unpacking")
        if kind == "script":
            return self.run_script(module, *binding.value)
        return Unknown(f"{name}: {binding.value}", site=Site(self.modules[module].rel, binding.pos))

    def run_script(self, module: str, statements: tuple, name: str) -> Value:
        """A module-level name built by loops and mutations: run them in a fresh frame (its misses are
        module names) and take what the frame holds at the end."""
        frame = Frame(module)
        problem = self.interpreter.run(frame, lambda: run_body(self.interpreter, frame, statements))
        if isinstance(problem, Unknown):
            return problem
        return frame.locals.get(name, Unknown(f"{name} is not set by the statements that build it"))

    def external(self, qualname: str) -> Value:
        """A name from outside the project; Dagster's public API gets its own value."""
        root = qualname.split(".", 1)[0]
        if root in PACKAGES:
            short = dagster_name(qualname)
            if short in _DAGSTER_SUBPACKAGES or (short or "").startswith("_"):
                return External(qualname)  # `dg.components.definitions` names `definitions`, not an attribute
            return Dagster(short) if short else External(qualname)
        return External(qualname)

    # expressions ---------------------------------------------------------------------------
    def eval(self, module: str, expr) -> Value:
        """Evaluate one IR expression inside `module`.

        Only calls are memoised (a call may create a definition, whose identity must be stable);
        everything else is cheap to recompute and not worth the memory on large projects.
        """
        if expr[0] != "call":
            try:
                value = self._eval(module, expr)
            except RecursionError:  # an expression nested too deeply to follow is simply unknown
                value = Unknown("nested too deeply")
            if type(value) is Unknown and value.site is None:   # where it arises, to tell the user
                value = Unknown(value.reason, value.could_be, value.prefix, self.site(module, expr[1]))
            return value
        owners = self._owners
        if owners and owners[-1] != module and self.depends is not None:
            self._depend(module)
        # in a function body the call is memoised per frame and loop pass: each factory call is its own object
        memo, memo_key = (self._exprs, (module, id(expr))) if self.frame is None \
            else (self.frame.memo, (id(expr), self.frame.tick))
        cached = memo.get(memo_key)
        if cached is not None and cached[0] is expr:
            return cached[1]
        owners.append(module)
        try:
            value = self._eval(module, expr)
        except RecursionError:
            value = Unknown("nested too deeply")
        finally:
            owners.pop()
        if type(value) is Unknown and value.site is None:
            value = Unknown(value.reason, value.could_be, value.prefix, self.site(module, expr[1]))
        memo[memo_key] = (expr, value)
        return value

    def site(self, module: str, pos) -> Site:
        return Site(self.modules[module].rel, pos)

    def _eval(self, module: str, expr) -> Value:
        kind = expr[0]
        if kind == "const":
            return Const(expr[2])
        if kind == "name":
            if self.frame is not None:
                found = self.frame.find(expr[2])
                if found is not _FRAME_MISSING:
                    return found
            if expr[2] in ("__file__", "__name__"):
                return Const(self.modules[module].rel) if expr[2] == "__file__" else Const(module)
            if expr[2] in ("True", "False", "None"):
                return Const({"True": True, "False": False, "None": None}[expr[2]])
            value = self.lookup(module, expr[2])
            if isinstance(value, Unknown) and value.reason.startswith("no name"):
                return External(f"builtins.{expr[2]}")
            return value
        if kind == "attr":
            return self.attribute(module, self.eval(module, expr[2]), expr[3])
        if kind in ("list", "tuple", "set"):
            items = []
            for element in expr[2]:
                if element[0] == "star":
                    inner = self.eval(module, element[2])
                    if isinstance(inner, Seq):
                        items.extend(inner.items)
                    else:
                        items.append(inner)  # a loader's result, or Unknown: the collector decides
                else:
                    items.append(self.eval(module, element))
            return Seq(tuple(items), kind)
        if kind == "dict":
            pairs = []
            for k, v in expr[2]:
                if k is None:
                    inner = self.eval(module, v)
                    if not isinstance(inner, DictV):
                        return Unknown("** in dict")
                    pairs.extend(inner.items)
                else:
                    pairs.append((self.eval(module, k), self.eval(module, v)))
            return DictV(tuple(pairs))
        if kind == "add":
            left, right = self.eval(module, expr[2]), self.eval(module, expr[3])
            if isinstance(left, Const) and isinstance(right, Const) and type(left.value) is type(right.value) \
                    and isinstance(left.value, (str, int, float)):
                if isinstance(left.value, str) and len(left.value) + len(right.value) > operators.MAX_STRING:
                    return Unknown(f"a string longer than {operators.MAX_STRING:,} characters")
                return Const(left.value + right.value)
            if isinstance(left, Seq) and isinstance(right, Seq):
                return Seq(left.items + right.items, left.kind)
            joined_value = joined("add", left, right)
            return joined_value if not isinstance(joined_value, Unknown) or isinstance(left, Unknown) \
                or isinstance(right, Unknown) else Unknown("operands")
        if kind == "fstr":
            parts = []
            for part in expr[2]:
                value = self.eval(module, part)
                if not isinstance(value, Const) or isinstance(value.value, float):
                    return Unknown("f-string of a non-constant")
                parts.append(str(value.value) if not isinstance(value.value, bool) else str(value.value))
            return Const("".join(parts))
        if kind == "sub":
            base = self.eval(module, expr[2])
            if expr[3][0] == "slice":
                bounds = [None if part is None else self.eval(module, part) for part in expr[3][2:5]]
                return operators.sliced(base, *bounds)
            index = self.eval(module, expr[3])
            if isinstance(base, Seq) and isinstance(index, Const) and isinstance(index.value, int) \
                    and -len(base.items) <= index.value < len(base.items):
                return base.items[index.value]
            if isinstance(base, DictV):
                found = lookup_key(base, index)
                return found if found is not None else Unknown("missing dict key")
            if isinstance(base, Dagster):
                return Call(base.name + "[]", (index,), {}, self.site(module, expr[1]), module)
            if isinstance(base, External):  # Tuple[float, float], pd.Series[int]: a type, not a definition
                return operators.from_environment(base.qualname) or Opaque(f"{base.qualname}[...]")
            if isinstance(base, Const) and isinstance(base.value, str) and isinstance(index, Const) \
                    and isinstance(index.value, int) and -len(base.value) <= index.value < len(base.value):
                return Const(base.value[index.value])
            return base if isinstance(base, Unknown) else index if isinstance(index, Unknown) else Unknown("subscript")
        if kind == "call":
            return self.call(module, expr)
        if kind == "div":  # pathlib: Path(__file__).parent / "target" / "manifest.json"
            left, right = constant_str(self.eval(module, expr[2])), constant_str(self.eval(module, expr[3]))
            if left is not None and right is not None:
                return Const(posixpath.normpath(posixpath.join(left, right)))
            return Unknown("path arithmetic")
        handler = _EXPRESSIONS.get(kind)
        if handler is not None:
            return handler(self, module, expr)
        return Unknown(str(expr[2]) if kind == "unknown" else "expression")

    def attribute(self, module: str, base: Value, attr: str) -> Value:
        """`base.attr` for modules, Dagster objects and known values."""
        if isinstance(base, ModuleV):
            return self.lookup(base.name, attr)
        if isinstance(base, External):
            return self.external(f"{base.qualname}.{attr}")
        if isinstance(base, Dagster):
            return Dagster(f"{base.name}.{attr}")
        if isinstance(base, Unknown):
            return base
        if attr == "parent" and constant_str(base) is not None:  # a path, relative to the project root
            return Const(posixpath.dirname(posixpath.normpath(base.value)))
        return self.interpret_call.attribute_of(self, base, attr)

    def call(self, module: str, expr) -> Value:
        func = self.eval(module, expr[2])
        args = []
        for a in expr[3]:
            if a[0] == "star":
                inner = self.eval(module, a[2])
                if not isinstance(inner, Seq):
                    return Unknown("*args")
                args.extend(inner.items)
            else:
                args.append(self.eval(module, a))
        kwargs = {}
        for name, value in expr[4]:
            if name is None:
                given = self.eval(module, value)
                names = [constant_str(k) for k, _ in given.items] if isinstance(given, DictV) else [None]
                if None in names:
                    return given if isinstance(given, Unknown) else Unknown("**kwargs")
                kwargs.update(zip(names, (v for _, v in given.items)))
                continue
            kwargs[name] = self.eval(module, value)
        return self.interpret_call.call(self, module, func, tuple(args), kwargs, self.site(module, expr[1]), expr)


__all__ = ["Evaluator"]
