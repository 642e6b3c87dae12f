"""DG008 invalid-asset-name. Prose and examples: rules/DG008-invalid-asset-name.md."""
from __future__ import annotations

import keyword
import re
from collections.abc import Iterator
from typing import Optional

from asset_lint.dagster_api_table import MULTI_ASSET, NAMED_FUNCTION_KINDS, OBSERVABLE, SINGLE_KEY_KINDS, SPEC
from asset_lint.findings import Finding, Site
from asset_lint.messages import (
    DashInOutputName, InvalidDepInputName, InvalidMultiAssetName, InvalidOpNameFromKey,
    InvalidSpecOutputName, SlashInSpecDep)
from asset_lint.resolve.inputs import dep_input_name, own_dep_inputs
from asset_lint.resolve.keys import op_name_of, user_string
from asset_lint.rules.context import RuleContext

CODE = "DG008"
# dagster/_core/definitions/utils.py check_valid_name: VALID_NAME_REGEX (re.match) and DISALLOWED_NAMES.
_VALID_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_RESERVED = frozenset({"context", "conf", "config", "meta", "arg_dict", "dict", "input_arg_dict",
                       "output_arg_dict", "int", "str", "float", "bool", "input", "output", "type",
                       *keyword.kwlist})
_REFUSED = "the module fails to import (DagsterInvalidDefinitionError"
_REFUSED_AT_LOAD = "the code location fails to load (DagsterInvalidDefinitionError"
_NAME_KWARGS = ("key", "name", "key_prefix")
_RESERVED_WORD = "It conflicts with a Dagster or python reserved keyword"
_NAMED_VIAS = ("deps", "spec_deps")   # the deps entries _dep_findings names as inputs
_PLAIN_PARTS = re.compile(r"(?:[A-Za-z0-9_]+\n)*[A-Za-z0-9_]+")   # name parts, one a line, none empty


def name_problem(name: str, allow: tuple = ()) -> Optional[str]:
    """Why Dagster's check_valid_name rejects `name` (in its own words), or None."""
    if name in allow:
        return None
    if name in _RESERVED:
        return _RESERVED_WORD
    if not _VALID_NAME.match(name):
        return "Names must be in regex ^[A-Za-z0-9_]+$"
    return None


def _fix(key: tuple) -> str:
    if any("/" in part for part in key):
        parts = ", ".join(f'"{p}"' for p in "/".join(key).split("/"))
        return f"a string is ONE key component, not split on '/': spell the key as the list [{parts}]"
    if name_problem(op_name_of(key)) == _RESERVED_WORD:
        return "rename it (a reserved word is fine as the last part of a longer key, such as [\"raw\", \"type\"])"
    return "use only letters, digits and '_' ('-' and '.' in a key become '_')"


def _show(key: tuple) -> str:
    """A key as users write it; a list when a component holds '/', which the user string would hide."""
    return str(list(key)) if any("/" in part for part in key) else f"'{user_string(key)}'"


def _kwarg_site(func, names: tuple) -> Site:
    """Where the decorator gives the offending keyword, else the function itself."""
    return next((given.site for given in func.decorator_keywords() if given.name in names),
                Site(func.rel, func.facts.pos))


def _op_findings(definition) -> Iterator[Finding]:
    func = definition.func
    if definition.kind in SINGLE_KEY_KINDS:
        key = definition.specs[0].key if definition.specs else None
        op_name = op_name_of(key) if key else ""
        problem = name_problem(op_name) if op_name else None
        if problem:
            # an observable source asset's op is built with the repository (S2), the others at import (S0)
            refused = _REFUSED_AT_LOAD if definition.kind == OBSERVABLE else _REFUSED
            yield Finding.of(_kwarg_site(func, _NAME_KWARGS),
                             InvalidOpNameFromKey(_show(key), op_name, refused, problem, _fix(key)),
                             identity=user_string(key))
    elif definition.kind == MULTI_ASSET:
        for name, site, is_out in func.node_names or ():
            problem = name_problem(name)
            if problem and is_out and "-" in name and not name_problem(name.replace("-", "_")):
                yield Finding.of(site, DashInOutputName(name, name.replace('-', '_')), identity=name)
            elif problem:
                what = "output" if is_out else "op"
                yield Finding.of(site, InvalidMultiAssetName(what, name, _REFUSED, problem, _fix((name,))),
                                 identity=name)
        for spec in definition.specs:
            if spec.key is not None and spec.site != definition.site:  # specs=[AssetSpec(...)]: output names
                problem = name_problem(op_name_of(spec.key))
                if problem:
                    yield Finding.of(spec.site,
                                     InvalidSpecOutputName(_show(spec.key), op_name_of(spec.key), _REFUSED, problem,
                                                           _fix(spec.key)), identity=user_string(spec.key))


def _dep_findings(definition) -> Iterator[Finding]:
    seen, deps = set(), []
    for spec in definition.specs:
        for dep in spec.deps:
            if id(dep) not in seen:
                seen.add(id(dep))
                deps.append(dep)
    named = own_dep_inputs(deps)
    if definition.kind == MULTI_ASSET:  # specs=[AssetSpec(deps=...)]: each becomes an input too
        named += [(d, dep_input_name(d.key)) for d in deps
                  if d.via == "spec_deps" and d.key is not None and not d.value_input]
    for dep, name in named:
        problem = name_problem(name, allow=("config",))  # InputDefinition allows "config"
        if problem:
            yield Finding.of(dep.site, InvalidDepInputName(_show(dep.key), name, _REFUSED, problem, _fix(dep.key)),
                             identity=user_string(dep.key))


def _spec_stub_findings(graphs) -> Iterator[Finding]:
    reported = set()
    for graph in graphs:
        for resolved in graph.deps:
            dep = resolved.dep
            if dep.via != "spec_deps" or resolved.downstream.definition.kind != SPEC or not resolved.missing:
                continue
            if not any("/" in part for part in resolved.key) or (dep.site, resolved.key) in reported:
                continue
            reported.add((dep.site, resolved.key))
            split = tuple("/".join(resolved.key).split("/"))
            known = f"; {list(split)} is defined in '{graph.location.name}'" if graph.produces(split) else ""
            spelled = ", ".join(f'"{part}"' for part in split)
            yield Finding.of(dep.site, SlashInSpecDep(list(resolved.key), list(split), known, spelled),
                             identity=user_string(resolved.key))


def check(context: RuleContext) -> Iterator[Finding]:
    """Names Dagster rejects on @asset-family definitions (8.19, 8.24) and '/' in AssetSpec deps (8.20)."""
    project, graphs = context.project, context.graphs
    named = [d for d in project.definitions if d.func is not None and d.kind in NAMED_FUNCTION_KINDS]
    if not _all_names_plain(named):   # the exact checks, per definition, only where some name may be bad
        for definition in named:
            yield from _op_findings(definition)
            yield from _dep_findings(definition)
    yield from _spec_stub_findings(graphs)


def _all_names_plain(definitions: list) -> bool:
    """Whether every name Dagster derives from these definitions is certainly valid: each key part, op and
    outs= name only letters, digits and '_', and no one-part key a reserved word. Tested on all of them
    at once (one regex over their parts), as a mistake here is rare and checking each name costs a run
    after an edit some 30 ms on 2,000 modules. False is no verdict: the exact checks then decide."""
    parts, whole = [], set()   # whole: the names that could be a reserved word
    for definition in definitions:
        for spec in definition.specs:
            if spec.key is not None:
                parts.extend(spec.key or ("",))   # an empty key is no plain name
                if len(spec.key) == 1:
                    whole.add(spec.key[0])        # more parts are joined by "__", in no reserved word
            for dep in spec.deps:
                if dep.key is not None and dep.via in _NAMED_VIAS:
                    parts.extend(dep.key or ("",))
                    whole.add("_".join(dep.key))  # an input name: ("arg", "dict") is reserved
        if definition.kind == MULTI_ASSET:
            names = [name for name, _, _ in definition.func.node_names or ()]
            parts.extend(names)
            whole.update(names)
    return _PLAIN_PARTS.fullmatch("\n".join(parts)) is not None and not whole & _RESERVED
