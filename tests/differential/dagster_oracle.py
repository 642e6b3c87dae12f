"""Ask real Dagster for a code location's asset graph. Run with a Python that has dagster:

    python dagster_oracle.py PROJECT_DIR MODULE

Prints one JSON object: {"assets": {"a/b": {"deps": [...], "kind": ..., "group": ..., "auto_stub": bool}},
"error": null | {"stage": "import|build|validate", "type": ..., "message": first line}}.
Standalone on purpose: it imports the fixture (that is its job), asset-lint never does.
"""
from __future__ import annotations

import importlib
import json
import sys
import warnings
from pathlib import Path


def _error(stage: str, exc: BaseException) -> dict:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return {"stage": stage, "type": f"{type(exc).__module__}.{type(exc).__qualname__}", "message": message,
            "full": str(exc)[:2000]}


def _find_definitions(module):
    import dagster as dg
    from dagster.components.definitions import LazyDefinitions
    members = [getattr(module, name) for name in dir(module)]
    lazy = [m for m in members if isinstance(m, LazyDefinitions)]
    if lazy:
        return lazy[0]()
    defs = [m for m in members if isinstance(m, dg.Definitions)]
    if len(defs) == 1:
        return defs[0]
    if len(defs) > 1:
        raise RuntimeError("more than one Definitions at module scope")
    return dg.Definitions(assets=dg.load_assets_from_modules([module]))


def main(project: str, module_name: str) -> dict:
    sys.dont_write_bytecode = True
    warnings.filterwarnings("ignore")
    root = Path(project).resolve()
    for folder in (root / "src", root):
        if folder.is_dir():
            sys.path.insert(0, str(folder))
    result = {"assets": {}, "checks": [], "error": None}
    try:
        module = importlib.import_module(module_name)
        defs = _find_definitions(module)
    except Exception as exc:
        result["error"] = _error("import", exc)
        return result
    import dagster as dg
    try:
        graph = defs.resolve_asset_graph()
        for key in graph.get_all_asset_keys():
            node = graph.get(key)
            kind = "materializable" if node.is_materializable else "observable" if node.is_observable else "external"
            stub = bool((node.metadata or {}).get("dagster/auto_created_stub_asset"))
            result["assets"][key.to_user_string()] = {
                "deps": sorted(p.to_user_string() for p in node.parent_keys), "kind": kind,
                "group": node.group_name, "auto_stub": stub}
        result["checks"] = sorted(f"{k.asset_key.to_user_string()}:{k.name}" for k in graph.asset_check_keys)
    except Exception as exc:
        result["error"] = _error("build", exc)
        return result
    try:
        dg.Definitions.validate_loadable(defs)
    except Exception as exc:
        result["error"] = _error("validate", exc)
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
