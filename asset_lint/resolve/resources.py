"""What one op or asset requires of the resources its code location provides (semantics R7.3, 8.32)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from asset_lint.picklable import pickled_as_a_call
from asset_lint.resolve.values import constant_str
from asset_lint.resolve.inputs import ANNOTATION_RESOURCE, ANNOTATION_UNKNOWN, CONTEXT_NAMES
from asset_lint.resolve.values import Call, Const, DictV, Func, Seq

# Attributes of `context.resources` itself (a namedtuple), not resource keys.
_NOT_RESOURCE_KEYS = frozenset({"original_resource_dict"})
# (decorator keyword, constructors naming a manager, requirement kind, the constructors' keyword)
_MANAGER_KEYWORDS = (("outs", ("AssetOut", "Out"), "io", "io_manager_key"),
                     ("out", ("Out",), "io", "io_manager_key"),
                     ("ins", ("AssetIn", "In"), "input", "input_manager_key"))


def constant_keys(value) -> Optional[set]:
    """Constant string keys of a dict or a set/list of names; None when any cannot be known."""
    if value is None or (isinstance(value, Const) and value.value is None):
        return set()
    if isinstance(value, DictV):
        keys = [constant_str(k) for k, _ in value.items]
    elif isinstance(value, Seq):
        keys = [constant_str(v) for v in value.items]
    else:
        return None
    return None if None in keys else set(keys)


def _manager_keys(value, constructors: tuple, keyword: str) -> Optional[list]:
    """io_manager_key= / input_manager_key= of Out/AssetOut/In/AssetIn values (one, or a dict of them)."""
    if value is None:
        return []
    items = [value] if isinstance(value, Call) else [v for _, v in value.items] if isinstance(value, DictV) else None
    if items is None:
        return None
    keys = []
    for item in items:
        if not isinstance(item, Call) or item.name not in constructors:
            return None
        given = item.kwargs.get(keyword)
        if given is not None and not (isinstance(given, Const) and given.value is None):
            if constant_str(given) is None:
                return None
            keys.append(constant_str(given))
    return keys


@dataclass
class Requirements:
    """What one op or asset requires: (kind, key) pairs, plus its context.resources uses in the body."""

    known: bool          # required_resource_keys= could be read
    judged: bool         # resource_defs= could be read (else it may provide anything: nothing is judged)
    needs: list          # (kind, key); kind: resource | io | input
    own: set             # keys its own resource_defs= provide
    declared: set        # keys it requires or provides itself
    body_known: bool
    body_uses: tuple     # context.resources.<key> in its body

    @property
    def anything(self) -> bool:
        """Whether it needs any key at all (most ops and assets do not)."""
        return bool(self.needs or self.body_uses)


pickled_as_a_call(Requirements)
# what most owners require: one object for all of them
NOTHING = Requirements(True, True, [], set(), set(), False, ())


def requirements_of(decorator: Call, func: Func) -> Requirements:
    """What the decorator's keywords and the function's parameters and body require (func.annotations known)."""
    kw = decorator.kwargs
    known, needs = True, []
    required = constant_keys(kw.get("required_resource_keys"))
    own = constant_keys(kw.get("resource_defs"))
    judged = own is not None
    if required is None:
        known = False
        required = set()
    own = own or set()
    declared = required | own
    needs.extend(("resource", key) for key in sorted(required))
    params_known = True
    for index, param in enumerate(func.facts.params):
        if param.kind in ("vararg", "varkw") or (index == 0 and param.name in CONTEXT_NAMES):
            continue
        kind = func.annotations[index]
        if kind == ANNOTATION_UNKNOWN:
            params_known = False
        elif kind == ANNOTATION_RESOURCE:
            declared.add(param.name)
            needs.append(("resource", param.name))
    io_manager = constant_str(kw.get("io_manager_key"))
    if io_manager:
        needs.append(("io", io_manager))
    for keyword, constructors, kind, manager in _MANAGER_KEYWORDS:
        given = kw.get(keyword)
        if given is None:
            continue   # most decorators have none of them: no call needed
        keys = _manager_keys(given, constructors, manager)
        if keys is None:
            continue   # an unknown out/in only hides its own manager key
        needs.extend((kind, key) for key in keys)
    body_uses = tuple(name for name in func.facts.resource_attrs if name not in _NOT_RESOURCE_KEYS
                      and not name.startswith("_"))
    found = Requirements(known, judged, needs, own, declared, known and params_known and bool(func.facts.params),
                         body_uses)
    return found if found.anything else NOTHING


def modules_reached(modules: dict, seeds, packages_read=()) -> set:
    """Project modules whose values a code location may read, from the modules it is made of (seeds).

    A with_resources(...) call binds resources only to what it is given, and its result reaches a
    code location only through the modules the location reads. Over-approximated: the packages above a
    seed (importing a module runs them), every module of a defs package Dagster walks (packages_read),
    what module-level imports reach (an imported package with all its modules), and a package named by
    a string (load_*_from_package_name). A sibling module nothing imports is not read: Dagster never
    imports it.
    """
    names = sorted(modules)
    known = set(names) | {m.rsplit(".", i)[0] for m in names for i in range(1, m.count(".") + 1)}
    reached: set = set()
    pending: list = []

    def below(package: str) -> None:
        if package in known:
            prefix = package + "."
            pending.extend(m for m in names if m == package or m.startswith(prefix))

    for seed in seeds:
        pending.extend(seed.rsplit(".", i)[0] for i in range(seed.count(".") + 1))
    for package in packages_read:
        below(package)
    while pending:
        module = pending.pop()
        facts = modules.get(module)
        if facts is None or module in reached:
            continue
        reached.add(module)
        pending.extend(facts.star_imports)
        for binding in facts.bindings.values():
            if binding.kind == "import":
                below(binding.value)
            elif binding.kind == "from":
                pending.append(binding.value[0])
                below(f"{binding.value[0]}.{binding.value[1]}")
            elif binding.kind in ("expr", "func") and not facts.lazy:
                ir = binding.value if binding.kind == "expr" else binding.value.returns
                for text in _strings(ir) if ir else ():
                    below(text)
    return reached


def _strings(ir) -> list:
    """Every string constant of one expression's IR."""
    found, stack = [], [ir]
    while stack:
        node = stack.pop()
        if node and node[0] == "const" and len(node) == 3:
            if isinstance(node[2], str):
                found.append(node[2])
            continue
        stack.extend(part for part in node[1:] if isinstance(part, tuple) and part)
    return found
