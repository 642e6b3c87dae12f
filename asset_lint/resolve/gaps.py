"""Typed unknowns: what a value asset-lint cannot evaluate could be, and the gaps it leaves in a code
location. A rule stays silent only on what a gap could have affected (docs/how-it-works.md)."""
from __future__ import annotations

from typing import NamedTuple, Optional

from asset_lint.dagster_api_table import BY_NAME, CHECK, Role
from asset_lint.findings import Site
from asset_lint.resolve.values import Const, Dagster, Definition, Func, JobDef, KeyV, OpDef, Seq, Unknown

ASSETS, CHECKS, OPS, JOBS, RESOURCES, OTHER = "assets", "checks", "ops", "jobs", "resources", "other"
ANYTHING: frozenset = frozenset()   # the empty type: could be anything
# what each Definitions argument can hold (Dagster's own typing of Definitions(...))
BUCKETS = {"assets": frozenset({ASSETS, CHECKS}), "checks": frozenset({CHECKS}), "jobs": frozenset({JOBS}),
           "other": frozenset({OTHER}), "resources": frozenset({RESOURCES})}
# which rules a gap of each type limits, for the note that names a partial code location
# An upstream key asset-lint cannot resolve: the graph lacks an edge (a cycle through it goes unseen)
DEPENDENCY = "dependency"
LIMITED_RULES = {ASSETS: ("DG002", "DG013", "DG016", "DG017", "DG018", "DG021"), CHECKS: ("DG018",),
                 JOBS: ("DG016",), OTHER: ("DG016",), RESOURCES: ("DG017",), OPS: (), DEPENDENCY: ("DG001",)}
CREATES_ANYTHING = "*"   # in FunctionFacts.creates: the function may return something of any type


_WORDS = {OTHER: "schedules or sensors", DEPENDENCY: "any upstream key"}


class Gap(NamedTuple):
    """Something of a code location asset-lint could not evaluate: why, where, and what it could be."""

    reason: str
    site: Optional[Site]
    could_be: frozenset = ANYTHING
    prefix: tuple = ()

    def could_be_a(self, kind: str) -> bool:
        """Whether the gap may hold definitions of this kind."""
        return not self.could_be or kind in self.could_be

    def may_produce(self, key: tuple) -> bool:
        """Whether an asset key could be among the gap's: it may hold assets whose keys start like this one."""
        return self.could_be_a(ASSETS) and tuple(key[:len(self.prefix)]) == self.prefix

    def what(self) -> str:
        """What the gap could be, in words: `anything`, `checks`, `assets under raw/`."""
        if not self.could_be:
            return "anything" + (f" (asset keys under {'/'.join(self.prefix)}/)" if self.prefix else "")
        kinds = [k for k in (ASSETS, CHECKS, OPS, JOBS, RESOURCES, OTHER, DEPENDENCY) if k in self.could_be]
        words = [_WORDS.get(k, k) for k in kinds]
        if self.prefix and ASSETS in kinds:
            words[0] = f"assets under {'/'.join(self.prefix)}/"
        return " or ".join(words)


class PartialLocation(NamedTuple):
    """A code location analysed only partly: its name and its gaps (what the text, SARIF and graph
    reports tell the user; kept with the last run's findings so a reused run tells it too)."""

    name: str
    gaps: tuple

    def limited_rules(self) -> list:
        """The codes its gaps limit, sorted; DG002 and DG016 name the key prefixes when every gap that could
        hold assets has one (they judge every other key)."""
        codes = limited_rules(self.gaps)
        prefixes = [gap.prefix for gap in self.gaps if gap.could_be_a(ASSETS)]
        if prefixes and all(prefixes):
            under = ", ".join(sorted({"/".join(p) + "/" for p in prefixes}))
            codes = [f"{code} (keys under {under})" if code in ("DG002", "DG016") else code for code in codes]
        return codes


def partial_locations(locations: list) -> list:
    """The code locations with gaps, in location order."""
    return [PartialLocation(location.name, tuple(location.gaps)) for location in locations if location.gaps]


def narrowed(could_be: frozenset, bucket: str) -> frozenset:
    """What an unknown in a Definitions argument could be: its own type within what the argument holds."""
    holds = BUCKETS.get(bucket)
    if holds is None:
        return could_be
    return (could_be & holds or holds) if could_be else holds


def limited_rules(gaps: list) -> list:
    """The codes the gaps of one code location limit, sorted."""
    codes = set()
    for gap in gaps:
        for kind, rules in LIMITED_RULES.items():
            if gap.could_be_a(kind):
                codes.update(rules)
    return sorted(codes)


def could_be_by_name(name: str) -> frozenset:
    """What a Dagster name builds: its row of the API table, else what its words say (an integration's
    build_*_checks makes checks, a *_sensor other definitions); ANYTHING when neither tells."""
    entry = BY_NAME.get(name)
    if entry is not None:
        kinds = _ROLE_KINDS.get(entry.role)
        if entry.role in (Role.PASS_THROUGH, Role.DEFINITIONS_DECORATOR):
            return ANYTHING   # what it is given, or what its function returns
        if entry.role is Role.ASSET_DECORATOR:
            return frozenset({CHECKS}) if entry.kind == CHECK else frozenset({ASSETS, CHECKS})
        if entry.role is Role.LOADER:
            return frozenset({CHECKS}) if "checks" in name else ANYTHING if "definitions" in name or \
                "defs" in name else frozenset({ASSETS})
        if kinds is not None:
            return kinds
        if name in _VALUE_KINDS:
            return _VALUE_KINDS[name]
    lowered = name.rsplit(".", 1)[-1].lower()
    if "sensor" in lowered or "schedule" in lowered:
        return frozenset({OTHER})
    if "check" in lowered:
        return frozenset({CHECKS})
    if "resource" in lowered or "io_manager" in lowered:
        return frozenset({RESOURCES})
    if lowered.endswith(("_job", "job")) and "asset" not in lowered:
        return frozenset({JOBS})
    return ANYTHING


_ROLE_KINDS = {Role.OP_DECORATOR: frozenset({OPS, JOBS}), Role.TRIGGER_DECORATOR: frozenset({OTHER}),
               Role.SPEC_CONSTRUCTOR: frozenset({ASSETS}), Role.TRIGGER_CONSTRUCTOR: frozenset({OTHER}),
               Role.RESOURCE_BASE: frozenset({RESOURCES}), Role.CONFIG_BASE: frozenset({OTHER})}
_VALUE_KINDS = {"AssetsDefinition": frozenset({ASSETS, CHECKS}), "define_asset_job": frozenset({JOBS}),
                "AssetsDefinition.from_op": frozenset({ASSETS, CHECKS}),
                "AssetsDefinition.from_graph": frozenset({ASSETS, CHECKS}),
                "external_assets_from_specs": frozenset({ASSETS}), "external_asset_from_spec": frozenset({ASSETS})}
# decorators of the table's "other" row that still make definitions
_OTHER_DECORATOR_KINDS = {"multi_asset_check": frozenset({CHECKS}), "io_manager": frozenset({RESOURCES}),
                          "resource": frozenset({RESOURCES}), "input_manager": frozenset({RESOURCES})}
for _name, _kinds in _OTHER_DECORATOR_KINDS.items():
    _VALUE_KINDS[_name] = _kinds


def known_prefix(value) -> tuple:
    """The leading key parts a key value certainly has: ["raw", <unknown>] -> ("raw",)."""
    if isinstance(value, KeyV):
        return value.path
    if isinstance(value, Unknown):
        return value.prefix
    if isinstance(value, Const) and isinstance(value.value, str):
        return (value.value,) if value.value else ()   # a key_prefix string is one part (R1.4)
    if isinstance(value, Seq):
        parts = []
        for item in value.items:
            if not (isinstance(item, Const) and isinstance(item.value, str)):
                break
            parts.append(item.value)
        return tuple(parts)
    return ()


def definition_prefix(definition: Definition) -> tuple:
    """The prefix every key of a definition with unknown keys has (@asset(key_prefix=["raw"], name=<unknown>))."""
    decorator = definition.decorator
    kwargs = getattr(decorator, "kwargs", None)
    if not kwargs or len(definition.specs) != 1:
        return ()
    if "key" in kwargs:
        key = kwargs["key"]
        return () if isinstance(key, Const) else known_prefix(key)   # a whole key string is not a prefix
    return known_prefix(kwargs.get("key_prefix"))


def function_could_be(ev, func: Func) -> frozenset:
    """What a project function's result could be, from its body's summary (FunctionFacts.creates and
    .calls, made at extract time) and, transitively, the project functions it calls."""
    memo = ev.__dict__.setdefault("_function_could_be", {})
    return _function_could_be(ev, func, memo, set())


def _function_could_be(ev, func: Func, memo: dict, active: set) -> frozenset:
    key = id(func.facts)
    if key in memo:
        return memo[key]
    creates = getattr(func.facts, "creates", None)
    if creates is None or CREATES_ANYTHING in creates:
        memo[key] = ANYTHING
        return ANYTHING
    active.add(key)
    kinds = set(creates)
    for dotted in func.facts.calls:
        called = _kinds_of_called(ev, func.module, dotted, memo, active)
        if not called:   # a call whose result could be anything flows into what it returns
            kinds = None
            break
        kinds |= called
    active.discard(key)
    # a body that makes no definition returns plain values: never assets, checks, ops, jobs or resources
    result = ANYTHING if kinds is None else frozenset(kinds or {OTHER})
    if not active:   # a result cut short by recursion is only right for the outermost call
        memo[key] = result
    return result


def _kinds_of_called(ev, module: str, dotted: str, memo: dict, active: set) -> frozenset:
    """What calling a name from a function body gives (a project function transitively, Dagster by name)."""
    first, *rest = dotted.split(".")
    value = ev.lookup(module, first)
    for attr in rest:
        value = ev.attribute(module, value, attr)
    if isinstance(value, Func):
        if id(value.facts) in active:
            return frozenset({OTHER})   # recursion adds nothing the outer call has not counted
        return _function_could_be(ev, value, memo, active)
    if isinstance(value, Dagster):
        return could_be_by_name(value.name)
    if isinstance(value, Unknown):
        return value.could_be
    if isinstance(value, (OpDef, JobDef)):
        return frozenset({OPS, JOBS})
    return ANYTHING   # a class, an external library, a definition invoked directly


def gap_of(value: Unknown, bucket: str, site: Optional[Site]) -> Gap:
    """The gap an unknown leaves in a Definitions argument."""
    return Gap(value.reason or "a value asset-lint cannot evaluate", value.site or site,
               narrowed(value.could_be, bucket), value.prefix)


__all__ = ["ANYTHING", "ASSETS", "CHECKS", "Gap", "JOBS", "OPS", "OTHER", "PartialLocation", "RESOURCES",
           "could_be_by_name", "definition_prefix", "function_could_be", "gap_of", "known_prefix", "limited_rules",
           "narrowed", "partial_locations"]


def type_of_sample(sample) -> tuple:
    """(could_be, prefix) of an unknown number of values like `sample`; (ANYTHING, ()) when it says nothing."""
    if isinstance(sample, Unknown):
        return sample.could_be, sample.prefix
    if isinstance(sample, Definition):
        kinds = frozenset({CHECKS}) if sample.kind == CHECK else frozenset({ASSETS})
        if sample.complete and len(sample.specs) == 1 and sample.specs[0].key is not None:
            return kinds, sample.specs[0].key
        return kinds, definition_prefix(sample)
    if isinstance(sample, (OpDef, JobDef)):
        return frozenset({OPS, JOBS}), ()
    if isinstance(sample, (Const, KeyV)):
        return frozenset({OTHER}), ()
    return ANYTHING, ()
