"""Code locations: where Dagster starts loading (config files or module-scope Definitions), and
what each location contains after loaders, merges and the defs/ folder (semantics section 5)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from asset_lint.dagster_api_table import ASSET_KINDS, CHECK, LOADERS, SPEC
from asset_lint.findings import Site
from asset_lint.resolve.evaluate import Evaluator
from asset_lint.resolve.collect import Collector, apply_loader_dep_prefixes
from asset_lint.resolve.gaps import ANYTHING, ASSETS, CHECKS, DEPENDENCY, JOBS, OTHER, RESOURCES, Gap
from asset_lint.resolve.keys import coerce_prefix, group_of
from asset_lint.resolve.values import (
    AssetJob, Call, Const, Definition, DefinitionsV, JobDef, Loaded, ModuleV, Seq, TriggerDef, Unknown,
    Value, constant_str,
)
from asset_lint.resolve.location_config import LocationSpec


@dataclass
class CodeLocation:
    """What one code location contains, in Definitions order, with loader transforms applied."""

    name: str
    module: str
    declared_in: str
    specs: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    jobs: list = field(default_factory=list)
    found: bool = True        # the entry module exists in the analysed tree
    gaps: list = field(default_factory=list)         # what asset-lint could not evaluate (resolve.gaps.Gap)
    workspace: str = ""       # the workspace file listing this location with others ("" = on its own)
    loaders: list = field(default_factory=list)      # the Loaded values (load_assets_from_*) it collects
    triggers: list = field(default_factory=list)     # schedules and sensors (TriggerDef)
    resources: list = field(default_factory=list)    # each Definitions' resources= value, as evaluated
    packages_read: list = field(default_factory=list)   # defs packages Dagster imports whole (load_from_defs_folder)

    def _could_be(self, kind: str) -> bool:
        return any(gap.could_be_a(kind) for gap in self.gaps)

    @property
    def complete(self) -> bool:
        """No gap could hold assets: every asset key of the location is known."""
        return not self._could_be(ASSETS)

    @property
    def checks_complete(self) -> bool:
        """No gap could hold asset checks."""
        return not self._could_be(CHECKS)

    @property
    def jobs_known(self) -> bool:
        """No gap could hold jobs, or schedules and sensors (whose jobs= Dagster adds to the location)."""
        return not (self._could_be(JOBS) or self._could_be(OTHER))

    @property
    def definitions_known(self) -> bool:
        """No gap could hold resources: every Definitions part and resources= value was followed."""
        return not self._could_be(RESOURCES)

    def may_produce(self, key: tuple) -> bool:
        """Whether some gap could hold an asset with this key (its prefix starts the key)."""
        return any(gap.may_produce(key) for gap in self.gaps)

    def may_produce_under(self, prefix: tuple) -> bool:
        """Whether some gap could hold an asset whose key starts with `prefix`."""
        return any(gap.could_be_a(ASSETS) and (gap.prefix[:len(prefix)] == prefix or prefix[:len(gap.prefix)] ==
                                               gap.prefix) for gap in self.gaps)

    def unknown(self, reason: str, site: Optional[Site], could_be: frozenset = ANYTHING, prefix: tuple = ()) -> None:
        """Record a gap."""
        self.gaps.append(Gap(reason, site, could_be, prefix))


class Loaders:
    """load_assets_from_modules and friends, load_definitions_from_*, and the dg defs/ folder."""

    NAMES = LOADERS

    def __init__(self, root: Path, module_files: dict, dg_projects: list) -> None:
        self.root = root
        self.module_files = module_files      # module -> rel path
        self.dg_projects = dg_projects        # [(folder rel, defs module)]

    def handles(self, name: str) -> bool:
        return name in self.NAMES

    def submodules(self, package: str) -> list:
        return sorted(m for m in self.module_files if m == package or m.startswith(package + "."))

    def module_objects(self, ev: Evaluator, module: str) -> list:
        """Every module attribute (imported names too), deduplicated by identity, in dir() order."""
        facts = ev.facts_of(module)
        if facts is None:
            return [Unknown(f"module {module} not analysed")]
        if facts.syntax_error:
            return [Unknown(f"{facts.rel} has a syntax error")]
        values, seen = [], set()
        for name in sorted(facts.bindings):
            binding = facts.bindings[name]
            if binding.kind == "from":
                source = ev.peek(binding.value[0])
                if source is not None and source.lazy and binding.value[1] not in source.bindings:
                    continue  # defined in a module that cannot mention Dagster: not a definition
            value = ev.lookup(module, name)
            if isinstance(value, Unknown) and value.reason == "circular definition":
                continue  # being defined right now: at this point of Python's import it does not exist yet
            if id(value) not in seen:
                seen.add(id(value))
                values.append(value)
        for star in facts.star_imports:
            if star in ev.modules:
                values.extend(v for v in self.module_objects(ev, star) if id(v) not in seen)
        return values

    def _modules_arg(self, call: Call) -> Optional[list]:
        name = call.name
        if name.endswith("current_module"):
            return [call.module]
        if name.endswith("package_module"):
            package = call.arg(0, "package_module")
            return self.submodules(package.name) if isinstance(package, ModuleV) else None
        if name.endswith("package_name"):
            package = constant_str(call.arg(0, "package_name"))
            return self.submodules(package) if package else None
        modules = call.arg(0, "modules") if name.endswith("modules") else call.arg(0, "module")
        if isinstance(modules, ModuleV):
            return [modules.name]
        if isinstance(modules, Seq) and all(isinstance(m, ModuleV) for m in modules.items):
            return [m.name for m in modules.items]
        return None

    def call(self, ev: Evaluator, call: Call) -> Value:
        if call.name in ("load_from_defs_folder", "load_defs"):
            return self.defs_folder(ev, call)
        first = 0 if call.name.endswith("current_module") else 1   # the parameters after the modules
        include_given = call.kwargs.get("include_specs")
        include_specs = isinstance(include_given, Const) and include_given.value
        wants_definitions = call.name.startswith("load_definitions")
        wants_checks = call.name.startswith("load_asset_checks")
        # what the loader keeps of what it finds (R5.5): its unknowns can only be that
        keeps = ANYTHING if wants_definitions else frozenset({CHECKS}) if wants_checks \
            else frozenset({ASSETS, CHECKS})
        # a prefixing loader prefixes every asset it loads; specs it loads (include_specs=True) keep their keys
        prefix = coerce_prefix(call.arg(first + 1, "key_prefix")) if not (wants_checks or wants_definitions) else ()
        shared_prefix = None if include_specs and prefix else (prefix or ())   # None: keys of both kinds
        modules = self._modules_arg(call)
        if modules is None:
            return Unknown(f"{call.name}(...) over modules asset-lint cannot name", keeps, shared_prefix or (),
                           call.site)
        objects, unknowns, seen, dropped = [], [], set(), []
        for module in modules:
            for value in self.module_objects(ev, module):
                if id(value) in seen:
                    continue
                seen.add(id(value))
                items = value.items if isinstance(value, Seq) and value.items and all(
                    isinstance(v, (Definition, JobDef, AssetJob)) for v in value.items) else (value,)
                for item in items:
                    if isinstance(item, Definition):
                        if wants_checks:
                            if item.kind == CHECK:
                                objects.append(item)
                            continue
                        if item.kind == SPEC and not (include_specs or wants_definitions):
                            if include_given is None or isinstance(include_given, Const):
                                dropped.append(item)
                            continue
                        if item.kind == CHECK and not wants_definitions:
                            dropped.append(item)
                            continue  # R5.5 / 8.33: asset checks are silently not loaded
                        objects.append(item)
                    elif isinstance(item, (JobDef, AssetJob, TriggerDef)) and wants_definitions:
                        objects.append(item)
                    elif isinstance(item, Unknown) and (not item.could_be or not keeps or item.could_be & keeps):
                        # an unknown that can only be what this loader skips leaves nothing out
                        unknowns.append(_loaded_unknown(item, keeps, shared_prefix, module, call))
        complete = not unknowns
        if wants_definitions:
            return DefinitionsV(call.site, call.module,
                                assets=Seq(tuple(o for o in objects if isinstance(o, Definition) and o.kind != CHECK)),
                                checks=Seq(tuple(o for o in objects
                                                 if isinstance(o, Definition) and o.kind == CHECK)),
                                jobs=Seq(tuple(o for o in objects if isinstance(o, (JobDef, AssetJob)) and
                                               not (isinstance(o, JobDef) and o.kind == "graph"))),
                                schedules=Seq(tuple(o for o in objects if isinstance(o, TriggerDef))),
                                # an attribute asset-lint cannot evaluate may be a Definitions with resources:
                                # each is a part of its own, as typed as it is
                                resources=call.kwargs.get("resources"), parts=tuple(unknowns))
        if wants_checks:
            if not complete:
                return unknowns[0] if len(unknowns) == 1 else Seq(tuple(unknowns))
            if call.arg(first, "asset_key_prefix") is not None:
                return Unknown(f"{call.name}(asset_key_prefix=...): targets asset-lint does not follow",
                               frozenset({CHECKS}), (), call.site)
            return Seq(tuple(objects))
        group = call.arg(first, "group_name")
        return Loaded(tuple(objects), prefix, group_of(group, default=None) if group is not None else "",
                      complete and prefix is not None and (group is None or group_of(group, None) is not None),
                      call.site, call.name, tuple(dropped), tuple(unknowns))

    def defs_folder(self, ev: Evaluator, call: Call) -> Value:
        """R5.8: every module under the dg project's defs module."""
        caller = self.module_files.get(call.module, "")
        best = None
        for folder, defs_module in self.dg_projects:
            if folder in ("", ".") or caller.startswith(folder.rstrip("/") + "/"):
                if best is None or len(folder) > len(best[0]):
                    best = (folder, defs_module)
        if call.name == "load_defs":
            package = call.arg(0, "defs_root")
            defs_module = package.name if isinstance(package, ModuleV) else None
        else:
            defs_module = best[1] if best else None
        if defs_module is None:
            return Unknown("defs folder of an unknown project")
        return load_defs_module(ev, self, defs_module, call.site, legacy=call.name == "load_defs")


def _loaded_unknown(item: Unknown, keeps: frozenset, prefix: Optional[tuple], module: str, call: Call) -> Unknown:
    """A module attribute a loader cannot evaluate, as the loader would return it (prefixed, narrowed)."""
    could_be = (item.could_be & keeps or keeps) if item.could_be else keeps
    reason = f"{call.name}(...) finds an attribute of {module} asset-lint cannot evaluate ({item.reason})"
    return Unknown(reason, could_be, prefix + item.prefix if prefix is not None else (), item.site or call.site)


def load_defs_module(ev: Evaluator, loaders: Loaders, defs_module: str, site: Site, legacy: bool = False) -> Value:
    """Walk a defs package like load_from_defs_folder: per file its Definitions, else all its objects.

    The deprecated `load_defs` (legacy) also stops at a folder holding definitions.py and loads only that file.
    """
    modules = loaders.submodules(defs_module)
    if not modules:
        return Unknown(f"defs module {defs_module} not found")
    parts = []
    owners = {m.rsplit(".", 1)[0] for m in modules if m.endswith(".definitions")} if legacy else set()
    for module in modules:
        rel = loaders.module_files[module]
        package = module if loaders.module_files[module].endswith("__init__.py") else module.rsplit(".", 1)[0]
        if any((package == o or package.startswith(o + ".")) and module != o + ".definitions" for o in owners):
            continue
        folder = (loaders.root / rel).parent
        if any((folder / n).exists() for n in ("defs.yaml", "defs.yml", "component.yaml")):
            parts.append(Unknown(f"YAML component in {Path(rel).parent.as_posix()}"))
            continue
        values = loaders.module_objects(ev, module)
        own = [v for v in values if isinstance(v, DefinitionsV)]
        if len(own) == 1:
            parts.append(own[0])
        elif own:
            parts.append(DefinitionsV(site, module, parts=tuple(own)))
        else:
            parts.append(loaders.call(ev, Call("load_definitions_from_module", (ModuleV(module),), {}, site, module)))
    parts.extend(_python_free_components(loaders, defs_module, modules))
    return DefinitionsV(site, defs_module, parts=tuple(parts), walked=defs_module)


def _python_free_components(loaders: Loaders, defs_module: str, modules: list) -> list:
    """An Unknown per component folder of the defs package that holds no Python module (a YAML-only
    component, such as a Sling replication): it makes definitions asset-lint cannot see."""
    init = loaders.module_files.get(defs_module, "")
    if not init.endswith("__init__.py"):
        return []
    with_python = {(loaders.root / loaders.module_files[m]).parent for m in modules}
    found = []
    for name in ("defs.yaml", "defs.yml", "component.yaml"):
        for path in sorted((loaders.root / init).parent.rglob(name)):
            if path.parent not in with_python:
                with_python.add(path.parent)
                found.append(Unknown(f"YAML component in {path.parent.relative_to(loaders.root).as_posix()}"))
    return found


def _entry_definitions(ev: Evaluator, loaders: Loaders, module: str, site: Site) -> Value:
    """R5.7: the Definitions a module-target code location loads."""
    values = loaders.module_objects(ev, module)
    found = [v for v in values if isinstance(v, DefinitionsV)]
    if len(found) == 1:
        return found[0]
    if found:
        return DefinitionsV(site, module, parts=tuple(found))  # 8.27: Dagster refuses; judge them together
    if any(isinstance(v, Unknown) for v in values):
        return Unknown(f"{module} has module attributes asset-lint cannot evaluate")
    return loaders.call(ev, Call("load_definitions_from_module", (ModuleV(module),), {}, site, module))


def build_locations(ev: Evaluator, loaders: Loaders, specs: list, module_files: dict) -> list:
    """Evaluate every code location; when none is declared, module-scope Definitions are the entries."""
    if not specs:
        specs = _implicit_specs(ev, loaders, module_files)
    locations, entered = [], set()
    for spec in specs:
        module = spec.module
        if module.startswith("file:"):
            wanted = module[len("file:"):]
            module = next((m for m, rel in module_files.items() if rel == wanted), "")
        if module not in module_files and not loaders.submodules(module):
            module = _by_suffix(module, module_files) or module
        location = CodeLocation(spec.name, module, spec.declared_in, workspace=spec.workspace)
        site = Site(spec.declared_in, (1, 0, 1, 0))
        definitions_module = (spec.target or module.rsplit(".", 1)[0] + ".definitions") \
            if spec.kind == "dg_project" else ""
        if spec.kind == "implicit":
            value = _implicit_definitions(ev, loaders, module_files, site)
        elif definitions_module in module_files:  # a dg project's code location target
            location.module = definitions_module
            value = _entry_definitions(ev, loaders, definitions_module, site)
        elif module not in module_files and not loaders.submodules(module):
            location.found = False
            location.unknown(f"module {spec.module} not found", site)
            locations.append(location)
            continue
        elif module not in module_files or spec.kind == "defs_folder":
            value = load_defs_module(ev, loaders, module, site)   # a namespace package or --autoload-defs-module
        else:
            value = _entry_definitions(ev, loaders, module, site)
        # one module named by two configuration files of one folder ([tool.dg] and [tool.dagster], a
        # pyproject.toml and the workspace.yaml beside it) is one code location, as Dagster loads it
        folder = spec.declared_in.rpartition("/")[0]
        if (folder, location.module) in entered:
            continue
        entered.add((folder, location.module))
        Collector(location, site).definitions(value)
        apply_loader_dep_prefixes(location)
        _unresolved_dependencies(location)
        locations.append(location)
    return locations


def _unresolved_dependencies(location: CodeLocation) -> None:
    """A dependency whose key cannot be evaluated is an edge the graph lacks: told, never silently dropped
    (it could be any key, so it limits only what reads edges)."""
    for spec in location.specs:
        for dep in spec.deps:
            if dep.key is None:
                location.unknown("a dependency asset-lint cannot resolve", dep.site, frozenset({DEPENDENCY}))


def _by_suffix(module: str, module_files: dict) -> Optional[str]:
    matches = [m for m in module_files if m.endswith("." + module)]
    return matches[0] if len(matches) == 1 else None


def _implicit_specs(ev: Evaluator, loaders: Loaders, module_files: dict) -> list:
    """Modules that define a module-scope Definitions no other Definitions merges in."""
    owners, consumed = [], set()
    for module in sorted(module_files):
        facts = ev.modules.get(module)
        if facts is None or not facts.mentions_dagster or facts.syntax_error:
            continue
        for name, binding in sorted(facts.bindings.items()):
            if binding.kind not in ("expr", "func"):
                continue
            value = ev.lookup(module, name)
            if isinstance(value, DefinitionsV):
                owners.append((module, value))
                consumed.update(id(p) for p in value.parts)
    specs, seen = [], set()
    for module, value in owners:
        if id(value) not in consumed and module not in seen:
            seen.add(module)
            specs.append(LocationSpec(module, module, "module", module_files[module]))
    if not specs:
        specs.append(LocationSpec("<project>", "", "implicit", ""))
    return specs


_COLLECTED_KINDS = ASSET_KINDS | {CHECK}


def _implicit_definitions(ev: Evaluator, loaders: Loaders, module_files: dict, site: Site) -> Value:
    """No Definitions anywhere: every asset the project's modules define (R5.7 step 5, project-wide)."""
    assets: list = []
    for module in sorted(module_files):
        facts = ev.modules.get(module)
        if facts is None or not facts.mentions_dagster or facts.syntax_error:
            continue
        for name, binding in sorted(facts.bindings.items()):
            if binding.kind in ("expr", "func"):
                value = ev.lookup(module, name)
                if isinstance(value, Definition) and value.kind in _COLLECTED_KINDS:
                    assets.append(value)
    return DefinitionsV(site, "", assets=Seq(tuple(a for a in assets if a.kind != CHECK)),
                        checks=Seq(tuple(a for a in assets if a.kind == CHECK)))


__all__ = ["CodeLocation", "Loaders", "build_locations"]
