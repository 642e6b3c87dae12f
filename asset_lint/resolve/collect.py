"""Collecting a code location: its Definitions walked into specs, checks, jobs and triggers, with a
gap recorded, typed by what it could be, for each part asset-lint cannot evaluate (resolve/gaps.py)."""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from asset_lint.dagster_api_table import CHECK, DECLARED_KINDS
from asset_lint.findings import Site
from asset_lint.resolve.gaps import ANYTHING, ASSETS, definition_prefix, gap_of, narrowed
from asset_lint.resolve.resources import constant_keys
from asset_lint.resolve.values import (
    AssetJob, Const, Definition, DefinitionsV, JobDef, Loaded, Seq, SpecNode, TriggerDef, Unknown, Value,
)


class Collector:
    """Walks a code location's Definitions into its specs, checks, jobs and triggers, and records a gap,
    typed by what it could be, for each part it cannot evaluate."""

    def __init__(self, location, site: Site) -> None:   # location: a CodeLocation (locations.py imports this)
        self.location = location
        self.seen_definitions: set = set()
        self.seen_defs: set = set()
        self.site = site    # the Definitions being collected: where a gap without its own site is shown

    def definitions(self, value: Value) -> None:
        if isinstance(value, DefinitionsV):
            if id(value) in self.seen_defs:
                return
            self.seen_defs.add(id(value))
            if value.walked:
                self.location.packages_read.append(value.walked)
            outer, self.site = self.site, value.site or self.site
            for part in value.parts:
                self.definitions(part)
            if value.resources is not None:
                self.location.resources.append(value.resources)
            for field_name, bucket in (("assets", "assets"), ("checks", "checks"), ("jobs", "jobs"),
                                       ("schedules", "other"), ("sensors", "other")):
                self.collect(getattr(value, field_name), bucket, None, None)
            if value.resources is not None and constant_keys(value.resources) is None:
                self.gap(value.resources, "resources", (), "resources= asset-lint cannot evaluate")
            self.site = outer
        elif isinstance(value, Unknown):
            self.gap(value, "", ())
        else:
            self.gap(value, "", (), f"{type(value).__name__} where Dagster expects a Definitions object")

    def gap(self, value: Value, bucket: str, prefix: Optional[tuple], reason: str = "") -> None:
        """Record that `value`, found in a Definitions argument (bucket), cannot be evaluated."""
        if isinstance(value, Unknown):
            gap = gap_of(value, bucket, self.site)
            if prefix:   # under a prefixing loader
                gap = gap._replace(prefix=prefix + gap.prefix)
            self.location.gaps.append(gap._replace(reason=reason or gap.reason))
        else:
            self.location.unknown(reason or f"{type(value).__name__} asset-lint cannot follow in {bucket}=",
                                  getattr(value, "site", None) or self.site, narrowed(ANYTHING, bucket))

    def collect(self, value: Optional[Value], bucket: str, prefix: Optional[tuple], group) -> None:
        if value is None or (isinstance(value, Const) and value.value is None):
            return
        if isinstance(value, Seq):
            for item in value.items:
                self.collect(item, bucket, prefix, group)
        elif isinstance(value, Loaded):
            self.location.loaders.append(value)
            for unknown in value.unknowns:
                self.gap(unknown, bucket, ())   # typed and prefixed by the loader already
            if not value.complete and not value.unknowns:
                what = "key_prefix=" if value.key_prefix is None else "group_name="
                self.location.unknown(f"{value.loader}(...) has a {what} asset-lint cannot evaluate", value.site,
                                      narrowed(frozenset({ASSETS}), bucket))
            for item in value.definitions:
                self.collect(item, bucket, value.key_prefix, value.group_name)
        elif isinstance(value, Definition):
            if value.kind == CHECK:
                self.location.checks.append(value)
            elif (id(value), prefix, group) not in self.seen_definitions:
                # one object counts once (R5.2), but a prefixing loader makes a new object of it (R5.5)
                self.seen_definitions.add((id(value), prefix, group))
                if not value.complete:
                    own = definition_prefix(value)
                    loader = prefix if prefix and value.kind not in DECLARED_KINDS else ()
                    self.location.unknown(f"{value.kind} {value.name}: keys asset-lint cannot resolve",
                                          value.site, frozenset({ASSETS}), loader + own)
                self.location.specs.extend(_transformed(value, prefix, group))
        elif isinstance(value, (JobDef, AssetJob)):
            self.location.jobs.append(value)
        elif isinstance(value, TriggerDef):
            self.location.triggers.append(value)
        elif isinstance(value, Unknown):
            self.gap(value, bucket, prefix)
        elif bucket in ("assets", "checks"):
            # jobs=, schedules=, sensors= entries that are not jobs or triggers hide nothing asset-lint reads
            self.gap(value, bucket, prefix)


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


def apply_loader_dep_prefixes(location) -> None:
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


__all__ = ["Collector", "apply_loader_dep_prefixes"]
