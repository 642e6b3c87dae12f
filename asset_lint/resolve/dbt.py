"""@dbt_assets: keys and edges from the dbt manifest JSON with the default translator (semantics section 9).

The manifest is a data file; it is read, never executed. A custom translator makes the keys unknown.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from asset_lint.dagster_api_table import MATERIALIZABLE_ASSET
from asset_lint.findings import Site
from asset_lint.resolve.evaluate import Evaluator
from asset_lint.resolve.values import Call, Definition, Dep, Func, SpecNode, Unknown, constant_str

_ASSET_TYPES = ("model", "seed", "snapshot")


def _manifest_path(ev: Evaluator, api, decorator: Call, func: Func) -> Optional[Path]:
    ir = dict(decorator.expr[4]).get("manifest") if decorator.expr else None
    text = constant_str(decorator.kwargs.get("manifest")) if "manifest" in decorator.kwargs else None
    base = Path(api.loaders.root) if api.loaders else Path(".")
    if text:  # built from __file__ (relative to the project root), or a literal path
        candidate = base / text
        return candidate if candidate.is_file() else None
    if ir is not None and ir[0] == "attr" and ir[3] == "manifest_path":
        project = ev.eval(func.module, ir[2])
        if isinstance(project, Call) and project.name == "DbtProject":
            project_dir = constant_str(project.arg(0, "project_dir"))
            if project_dir:
                candidate = base / project_dir / "target" / "manifest.json"
                return candidate if candidate.is_file() else None
    return None


def _key(node: dict) -> tuple:
    meta = (node.get("config") or {}).get("meta") or node.get("meta") or {}
    custom = (meta.get("dagster") or {}).get("asset_key")
    if custom:
        return tuple(custom)
    if node.get("resource_type") == "source":
        return (node.get("source_name"), node.get("name"))
    if node.get("version") is not None:
        return (node.get("alias") or node.get("name"),)
    schema = (node.get("config") or {}).get("schema")
    return (schema, node["name"]) if schema else (node["name"],)


def _group(node: dict) -> str:
    meta = node.get("meta") or {}
    return (meta.get("dagster") or {}).get("group") or (node.get("config") or {}).get("group") or "default"


def build_dbt_assets(ev: Evaluator, api, decorator: Call, func: Func, definition: Definition):
    """One spec per model/seed/snapshot (ephemeral models skipped, their parents inherited)."""
    if "dagster_dbt_translator" in decorator.kwargs or "select" in decorator.kwargs \
            or "exclude" in decorator.kwargs:
        definition.complete = False
        return definition
    path = _manifest_path(ev, api, decorator, func)
    if path is None:
        definition.complete = False
        return definition
    api.data_files.append(path)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        nodes = {**manifest.get("nodes", {}), **manifest.get("sources", {})}
    except (OSError, ValueError, AttributeError):
        definition.complete = False
        return definition

    def is_asset(node: dict) -> bool:
        return (node.get("resource_type") in _ASSET_TYPES
                and (node.get("config") or {}).get("materialized") != "ephemeral")

    def parents(unique_id: str, seen: set) -> list:
        result = []
        for parent_id in (nodes.get(unique_id, {}).get("depends_on") or {}).get("nodes", []):
            parent = nodes.get(parent_id)
            if parent is None or parent_id in seen:
                continue
            seen.add(parent_id)
            if is_asset(parent) or parent.get("resource_type") == "source":
                result.append((_key(parent), parent.get("resource_type") == "source"))
            else:
                result.extend(parents(parent_id, seen))  # R9.4: through ephemeral models to real ancestors
        return result

    site = Site(func.rel, func.facts.pos)
    op_name = constant_str(decorator.kwargs.get("name")) or func.facts.name
    for unique_id, node in sorted(nodes.items()):
        if is_asset(node):
            # a dbt source is external by design: its stub is expected, not a typo (via "dbt_source")
            deps = [Dep(k, False, site, "dbt_source" if is_source else "dbt")
                    for k, is_source in dict.fromkeys(parents(unique_id, set()))]
            # dagster-dbt gives every model its relation as dagster/table_name (R3.3), in a form not modelled here
            definition.specs.append(SpecNode(_key(node), _group(node), MATERIALIZABLE_ASSET, deps, definition, site,
                                             op_name, table_name=Unknown("dbt relation")))
    return definition


__all__ = ["build_dbt_assets"]
