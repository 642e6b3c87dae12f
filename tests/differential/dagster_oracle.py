"""Ask real Dagster what a code location's asset graph is. Run with a Python that has dagster:

    python dagster_oracle.py PROJECT_DIR MODULE [MODULE ...]

MODULE is a dotted module name, or `file:REL/PATH.py` (a workspace.yaml `python_file` entry).
Prints ONE JSON object on stdout, one entry per MODULE:

    {"MODULE": {"assets": {"a/b": {"deps": [...], "kind": "materializable|observable|external",
                                   "group": "default", "auto_stub": false}},
                "checks": ["a/b:check_name", ...],
                "jobs": {"job_name": ["a/b", ...]},        # asset keys each asset job selects (after load)
                "asset_sensors": {"sensor_name": "a/b"},   # the key each @asset_sensor watches
                "error": null | {"stage": "import|build|validate", "type": "pkg.mod.Class",
                                 "message": "first line", "full": "str(exc) and its causes"}}}

The definitions are found like a code-location load (semantics R5.7), with Dagster's own
autodiscovery: one `@definitions` function (called) > one module-scope `Definitions` > `@repository`
> one job or graph > `load_assets_from_modules([module])`. "build" is `resolve_asset_graph()` (S2),
"validate" is `Definitions.validate_loadable()` (S3). Standalone on purpose: it imports the project
(that is its job); asset-lint never does. Nothing is written into the project (no bytecode).
"""
from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
import warnings
from pathlib import Path

sys.dont_write_bytecode = True
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
warnings.filterwarnings("ignore")
AUTO_STUB = "dagster/auto_created_stub_asset"


def _error(stage: str, exc: BaseException) -> dict:
    """The exception as plain data; `full` keeps the whole chain so fixtures can match any part."""
    text = str(exc).strip()
    chain, cause = [text], exc.__cause__ or exc.__context__
    while cause is not None and len(chain) < 5:
        chain.append(f"{type(cause).__module__}.{type(cause).__qualname__}: {str(cause).strip()}")
        cause = cause.__cause__ or cause.__context__
    return {"stage": stage, "type": f"{type(exc).__module__}.{type(exc).__qualname__}",
            "message": text.splitlines()[0] if text else "", "full": "\n".join(chain)[:4000]}


def _forget_project_modules(root: Path, preloaded: frozenset) -> None:
    """Drop every module imported since `preloaded` was taken that lives under the project, so each
    MODULE is imported afresh (modules loaded before are Dagster's and the standard library's:
    resolving the paths of those thousands on every target would cost most of a fixture's load)."""
    def inside(module) -> bool:
        places = [getattr(module, "__file__", None) or "", *list(getattr(module, "__path__", []) or [])]
        return any(place and Path(place).resolve().is_relative_to(root) for place in places)
    for name in [name for name, module in list(sys.modules.items())
                 if name not in preloaded and module is not None and inside(module)]:
        del sys.modules[name]
    importlib.invalidate_caches()


def _import(root: Path, target: str):
    """Import a module by dotted name, or a file target the way Dagster's `python_file` does."""
    if target.startswith("file:") or target.endswith(".py"):
        from dagster._core.code_pointer import load_python_file
        path = root / target.removeprefix("file:")
        return load_python_file(str(path), str(path.parent))
    return importlib.import_module(target)


def _find_definitions(module):
    """What a code location built from this module serves, found by Dagster's autodiscovery (R5.7)."""
    from dagster._core.workspace.autodiscovery import loadable_targets_from_loaded_module
    from dagster._utils.test.definitions import LazyDefinitions
    target = loadable_targets_from_loaded_module(module)[0].target_definition
    return target() if isinstance(target, LazyDefinitions) else target  # a @definitions function is called


def _node(graph, key) -> dict:
    node = graph.get(key)
    kind = "materializable" if node.is_materializable else "observable" if node.is_observable else "external"
    return {"deps": sorted(parent.to_user_string() for parent in node.parent_keys), "kind": kind,
            "group": node.group_name, "auto_stub": bool((node.metadata or {}).get(AUTO_STUB))}


def load(root: Path, target: str) -> dict:
    """Load one code location and describe its asset graph, or the stage at which Dagster refused it."""
    import dagster as dg
    from dagster._core.definitions.reconstruct import repository_def_from_target_def
    result: dict = {"assets": {}, "checks": [], "error": None}
    try:
        definitions = _find_definitions(_import(root, target))
    except Exception as exc:  # noqa: BLE001 - any failure to load is the answer
        result["error"] = _error("import", exc)
        return result
    try:
        if isinstance(definitions, dg.Definitions):
            graph = definitions.resolve_asset_graph()
        else:
            repository = repository_def_from_target_def(definitions)  # @repository, a job, or bare assets
            graph = repository.asset_graph
        result["assets"] = {key.to_user_string(): _node(graph, key)
                            for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string())}
        result["checks"] = sorted(f"{check.asset_key.to_user_string()}:{check.name}"
                                  for check in graph.asset_check_keys)
    except Exception as exc:  # noqa: BLE001
        result["error"] = _error("build", exc)
        return result
    try:
        if isinstance(definitions, dg.Definitions):
            dg.Definitions.validate_loadable(definitions)
        else:
            repository.validate_loadable()
    except Exception as exc:  # noqa: BLE001
        result["error"] = _error("validate", exc)
        return result
    result.update(_targets(definitions.get_repository_def if isinstance(definitions, dg.Definitions)
                           else lambda: repository))
    return result


def _targets(get_repository) -> dict:
    """What each asset job selects and each asset sensor watches: where silent selection mistakes show."""
    import dagster as dg
    try:
        repository = get_repository()
        jobs = {job.name: sorted(key.to_user_string() for key in job.asset_layer.executable_asset_keys)
                for job in repository.get_all_jobs() if not job.name.startswith("__ASSET_JOB")}
        sensors = {sensor.name: sensor.asset_key.to_user_string() for sensor in repository.sensor_defs
                   if isinstance(sensor, dg.AssetSensorDefinition)}
    except Exception:  # noqa: BLE001 - the load succeeded; these extras are best effort
        return {}
    return {"jobs": jobs, "asset_sensors": sensors}


def main(project: str, targets: list) -> dict:
    """{target: load(...)} for every target, each imported with a clean slate of project modules."""
    root = Path(project).resolve()
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [entry for entry in sys.path if entry != here]
    for folder in (root / "src", root):
        if folder.is_dir():
            sys.path.insert(0, str(folder))
    # a project nested in the fixture (its own pyproject.toml) is served from its own folder, as
    # `dagster code-server` would; appended, so the fixture's top-level packages still come first
    for config in sorted(root.glob("*/**/pyproject.toml")):
        for folder in (config.parent / "src", config.parent):
            if folder.is_dir() and ".asset_lint_cache" not in folder.parts:
                sys.path.append(str(folder))
    results = {}
    preloaded = frozenset(sys.modules)
    with contextlib.redirect_stdout(sys.stderr):  # user code may print; stdout carries only the JSON
        for target in targets:
            _forget_project_modules(root, preloaded)
            results[target] = load(root, target)
    return results


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: dagster_oracle.py PROJECT_DIR MODULE [MODULE ...]")
    print(json.dumps(main(sys.argv[1], sys.argv[2:]), sort_keys=True))
