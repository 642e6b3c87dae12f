"""Code locations: where Dagster starts loading (config files or module-scope Definitions), and
what each location contains after loaders, merges and the defs/ folder (semantics section 5)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from asset_lint.dagster_api_table import ASSET_KINDS, CHECK, DECLARED_KINDS, LOADERS, SPEC
from asset_lint.findings import Site
from asset_lint.resolve.evaluate import Evaluator
from asset_lint.resolve.keys import coerce_prefix, group_of
from asset_lint.resolve.values import (
    AssetJob, Call, Const, Definition, DefinitionsV, JobDef, Loaded, ModuleV, Seq, SpecNode, TriggerDef, Unknown,
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
    complete: bool = True
    found: bool = True        # the entry module exists in the analysed tree
    reasons: list = field(default_factory=list)
    workspace: str = ""       # the workspace file listing this location with others ("" = on its own)
    loaders: list = field(default_factory=list)      # the Loaded values (load_assets_from_*) it collects
    checks_complete: bool = True   # False when some asset_checks= entry cannot be evaluated
    triggers: list = field(default_factory=list)     # schedules and sensors (TriggerDef)
    resources: list = field(default_factory=list)    # each Definitions' resources= value, as evaluated
    definitions_known: bool = True  # every Definitions part was followed (else jobs/resources may hide there)
    jobs_known: bool = True         # every jobs=/schedules=/sensors= entry was followed

    def incomplete(self, reason: str) -> None:
        self.complete = False
        if len(self.reasons) < 5:
            self.reasons.append(reason)


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
        modules = self._modules_arg(call)
        if modules is None:
            return Unknown(f"{call.name} over modules asset-lint cannot name")
        objects, complete, seen, dropped = [], True, set(), []
        include_given = call.kwargs.get("include_specs")
        include_specs = isinstance(include_given, Const) and include_given.value
        wants_definitions = call.name.startswith("load_definitions")
        wants_checks = call.name.startswith("load_asset_checks")
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
                    elif isinstance(item, Unknown):
                        complete = False
        if wants_definitions:
            return DefinitionsV(call.site, call.module,
                                assets=Seq(tuple(o for o in objects if isinstance(o, Definition) and o.kind != CHECK)
                                           + (() if complete else (Unknown("module attribute"),))),
                                checks=Seq(tuple(o for o in objects
                                                 if isinstance(o, Definition) and o.kind == CHECK)),
                                jobs=Seq(tuple(o for o in objects if isinstance(o, (JobDef, AssetJob)) and
                                               not (isinstance(o, JobDef) and o.kind == "graph"))
                                         + (() if complete else (Unknown("module attribute"),))),
                                schedules=Seq(tuple(o for o in objects if isinstance(o, TriggerDef))),
                                # an attribute asset-lint cannot evaluate may be a Definitions with resources
                                resources=call.kwargs.get("resources") if complete else Unknown("module attribute"))
        first = 0 if call.name.endswith("current_module") else 1   # the parameters after the modules
        if wants_checks:
            if not complete or call.arg(first, "asset_key_prefix") is not None:
                return Unknown(f"{call.name} with targets asset-lint does not follow")
            return Seq(tuple(objects))
        prefix = coerce_prefix(call.arg(first + 1, "key_prefix"))
        group = call.arg(first, "group_name")
        return Loaded(tuple(objects), prefix, group_of(group, default=None) if group is not None else "",
                      complete and prefix is not None and (group is None or group_of(group, None) is not None),
                      call.site, call.name, tuple(dropped))

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
    return DefinitionsV(site, defs_module, parts=tuple(parts))


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


class _Collector:
    def __init__(self, location: CodeLocation) -> None:
        self.location = location
        self.seen_definitions: set = set()
        self.seen_defs: set = set()

    def definitions(self, value: Value) -> None:
        if isinstance(value, DefinitionsV):
            if id(value) in self.seen_defs:
                return
            self.seen_defs.add(id(value))
            for part in value.parts:
                self.definitions(part)
            if value.resources is not None:
                self.location.resources.append(value.resources)
            for field_name, bucket in (("assets", "assets"), ("checks", "checks"), ("jobs", "jobs"),
                                       ("schedules", "other"), ("sensors", "other")):
                self.collect(getattr(value, field_name), bucket, None, None)
        elif isinstance(value, Unknown):
            self.location.definitions_known = False
            self.location.incomplete(value.reason)
        else:
            self.location.definitions_known = False
            self.location.incomplete("not a Definitions object")

    def collect(self, value: Optional[Value], bucket: str, prefix: Optional[tuple], group) -> None:
        if value is None or (isinstance(value, Const) and value.value is None):
            return
        if isinstance(value, Seq):
            for item in value.items:
                self.collect(item, bucket, prefix, group)
        elif isinstance(value, Loaded):
            self.location.loaders.append(value)
            if not value.complete:
                self.location.incomplete("loader over modules with unknown contents")
            for item in value.definitions:
                self.collect(item, bucket, value.key_prefix, value.group_name)
        elif isinstance(value, Definition):
            if value.kind == CHECK:
                self.location.checks.append(value)
            elif (id(value), prefix, group) not in self.seen_definitions:
                # one object counts once (R5.2), but a prefixing loader makes a new object of it (R5.5)
                self.seen_definitions.add((id(value), prefix, group))
                if not value.complete:
                    self.location.incomplete(f"{value.kind} {value.name} has keys asset-lint cannot resolve")
                self.location.specs.extend(_transformed(value, prefix, group))
        elif isinstance(value, (JobDef, AssetJob)):
            self.location.jobs.append(value)
        elif isinstance(value, TriggerDef):
            self.location.triggers.append(value)
        elif bucket == "assets":
            self.location.incomplete(getattr(value, "reason", "") or f"unrecognised {type(value).__name__} in assets")
        elif bucket == "checks":
            self.location.checks_complete = False
        elif bucket in ("jobs", "other") and isinstance(value, Unknown):
            self.location.jobs_known = False


def _transformed(definition: Definition, prefix: Optional[tuple], group) -> list:
    """Apply a loader's key_prefix / group_name (R5.5) to one definition's specs."""
    if not prefix and not group:
        return list(definition.specs)
    specs = []
    for spec in definition.specs:
        prefixable = bool(prefix) and definition.kind not in DECLARED_KINDS and spec.key is not None
        specs.append(SpecNode(prefix + spec.key if prefixable else spec.key, group or spec.group, spec.kind,
                              list(spec.deps), definition, spec.site, spec.op_name,
                              loader_prefix=prefix if prefixable else (), table_name=spec.table_name))
    return specs


def apply_loader_dep_prefixes(location: CodeLocation) -> None:
    """R5.5: deps on keys loaded by the same prefixed loader call are prefixed too."""
    by_definition: dict = {}
    for spec in location.specs:
        prefix = spec.loader_prefix
        if prefix:
            by_definition.setdefault(prefix, set()).add(spec.key[len(prefix):] if spec.key else None)
    if not by_definition:
        return
    for spec in location.specs:
        prefix = spec.loader_prefix
        if not prefix:
            continue
        loaded = by_definition[prefix]
        spec.deps = [replace(d, key=prefix + d.key) if d.key is not None and d.key in loaded else d
                     for d in spec.deps]


def build_locations(ev: Evaluator, loaders: Loaders, specs: list, module_files: dict) -> list:
    """Evaluate every code location; when none is declared, module-scope Definitions are the entries."""
    if not specs:
        specs = _implicit_specs(ev, loaders, module_files)
    locations = []
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
            location.incomplete(f"module {spec.module} not found")
            locations.append(location)
            continue
        elif module not in module_files:
            value = load_defs_module(ev, loaders, module, site)   # a namespace package: autoload it
        else:
            value = _entry_definitions(ev, loaders, module, site)
        _Collector(location).definitions(value)
        apply_loader_dep_prefixes(location)
        locations.append(location)
    return locations


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
