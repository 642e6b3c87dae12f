"""Write a small project from a {path: source} dict (dedented), for unit tests."""
from __future__ import annotations

import textwrap
from pathlib import Path


def make_project(root: Path, files: dict) -> Path:
    """Create the files; folders of .py files get an __init__.py unless one is given."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    for rel in list(files):
        if rel.endswith(".py"):
            folder = (root / rel).parent
            while folder != root and not (folder / "__init__.py").exists():
                (folder / "__init__.py").write_text("", encoding="utf-8")
                folder = folder.parent
    return root


def graph_of(root: Path) -> dict:
    """{location: {key: sorted deps}} as asset-lint derives it."""
    from asset_lint.engine import analyse
    from asset_lint.report.graph import graph_payload
    analysis = analyse([str(root)], {"select": ()}, use_cache=False)
    payload = graph_payload(analysis.project, analysis.graphs)
    result: dict = {}
    for asset in payload["assets"]:
        result.setdefault(asset["location"], {})[asset["key"]] = asset["deps"]
    return result


def codes_of(root: Path) -> list:
    """[(path, line, code)] of every finding."""
    from asset_lint.engine import analyse
    return [(f.path, f.line, f.code) for f in analyse([str(root)], {"select": ("DG",)}, use_cache=False).findings]
