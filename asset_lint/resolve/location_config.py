"""Which code locations a project declares: pyproject.toml [tool.dagster] / [tool.dg], dg.toml and
workspace.yaml (semantics R5.7, R5.8). Only reads config files; never Python."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from asset_lint.resolve.yaml_subset import load_yaml_subset

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class LocationSpec:
    """A code location Dagster would load: by module, by file, or a dg project's defs folder."""

    name: str
    module: str               # entry module (for kind "defs_folder": the defs module)
    kind: str                 # module | dg_project | implicit | defs_folder (--autoload-defs-module)
    declared_in: str          # the config file (or module file) that declares it
    target: str = ""          # dg projects: code_location_target_module, when set
    workspace: str = ""       # the config file that loads this location together with others


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, ValueError):
        return {}


def _normalise(name: str) -> str:
    return name.replace("-", "_")


def _workspace_projects(root: Path, config_files: list, files: dict = None) -> dict:
    """dg workspaces: workspace folder -> the project folders its [[workspace.projects]] lists."""
    workspaces = {}
    files = {} if files is None else files    # filled: workspace folder -> its config file
    for rel in config_files:
        name = Path(rel).name
        if name not in ("dg.toml", "pyproject.toml"):
            continue
        data = _read_toml(root / rel)
        dg = data if name == "dg.toml" else data.get("tool", {}).get("dg", {})
        projects = (dg.get("workspace") or {}).get("projects") if isinstance(dg, dict) else None
        if isinstance(projects, list):
            folder = Path(rel).parent
            files[folder] = rel
            workspaces[folder] = {(folder / p["path"]).as_posix() for p in projects
                                  if isinstance(p, dict) and isinstance(p.get("path"), str)}
    return workspaces


def _outside_workspace(rel: str, workspaces: dict) -> bool:
    """A dg project inside a workspace folder that the workspace does not list (commented out, say)."""
    folder = Path(rel).parent
    for workspace, projects in workspaces.items():
        if folder != workspace and (workspace == Path(".") or workspace in folder.parents):
            return not any(folder.as_posix() == p or Path(p) in folder.parents for p in projects)
    return False


def _listing_workspace(rel: str, workspaces: dict, files: dict) -> str:
    """The dg workspace config file that lists the project declared in `rel`, else ""."""
    folder = Path(rel).parent
    for workspace, projects in workspaces.items():
        if any(folder.as_posix() == p for p in projects):
            return files[workspace]
    return ""


def read_location_specs(root: Path, config_files: list) -> tuple:
    """(LocationSpecs, extra source roots) from pyproject.toml [tool.dagster]/[tool.dg] and workspace.yaml."""
    specs, extra_roots = [], []
    workspace_files: dict = {}
    workspaces = _workspace_projects(root, config_files, workspace_files)
    for rel in config_files:
        path = root / rel
        folder = path.parent
        name = path.name
        if name == "pyproject.toml" or name == "dg.toml":
            data = _read_toml(path)
            tool = data.get("tool", {}) if name == "pyproject.toml" else {"dg": data}
            dagster = tool.get("dagster", {}) if isinstance(tool, dict) else {}
            if isinstance(dagster, dict):
                modules = []
                if isinstance(dagster.get("module_name"), str):
                    modules.append((dagster["module_name"], dagster.get("code_location_name")))
                for entry in dagster.get("modules", []) if isinstance(dagster.get("modules"), list) else []:
                    if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                        modules.append((entry["name"], entry.get("code_location_name")))
                together = rel if len(modules) > 1 else ""   # `dagster dev` loads them into one workspace
                for module, location_name in modules:
                    specs.append(LocationSpec(str(location_name or module), module, "module", rel,
                                              workspace=together))
                wd = dagster.get("working_directory")
                if isinstance(wd, str):
                    extra_roots.append(folder / wd)
            dg = tool.get("dg", {}) if isinstance(tool, dict) else {}
            project = dg.get("project") if isinstance(dg, dict) else None
            if isinstance(project, dict) and isinstance(project.get("root_module"), str) \
                    and not _outside_workspace(rel, workspaces):
                root_module = project["root_module"]
                defs_module = project.get("defs_module") or f"{root_module}.defs"
                location_name = project.get("code_location_name") or _normalise(
                    folder.name if rel != name else root_module)
                specs.append(LocationSpec(location_name, defs_module, "dg_project", rel,
                                          project.get("code_location_target_module") or "",
                                          _listing_workspace(rel, workspaces, workspace_files)))
        elif name == "workspace.yaml":
            try:
                document = load_yaml_subset(path.read_text(encoding="utf-8", errors="replace"))
            except (OSError, ValueError, IndexError):
                document = None
            entries = document.get("load_from") if isinstance(document, dict) else None
            for entry in entries if isinstance(entries, list) else []:
                if not isinstance(entry, dict):
                    continue
                for kind, body in entry.items():
                    body = body if isinstance(body, dict) else {"module_name": body, "relative_path": body,
                                                                "package_name": body}
                    wd = body.get("working_directory")
                    if isinstance(wd, str):
                        extra_roots.append(folder / wd)
                    target = body.get("module_name") if kind == "python_module" else \
                        body.get("package_name") if kind == "python_package" else \
                        body.get("relative_path") if kind == "python_file" else None
                    if not isinstance(target, str):
                        continue
                    if kind == "python_file":
                        file_rel = (Path(rel).parent / target).as_posix()
                        specs.append(LocationSpec(str(body.get("location_name") or Path(target).stem),
                                                  "file:" + file_rel.lstrip("./"), "module", rel, workspace=rel))
                    else:
                        specs.append(LocationSpec(str(body.get("location_name") or target), target, "module", rel,
                                                  workspace=rel))
    return specs, extra_roots
