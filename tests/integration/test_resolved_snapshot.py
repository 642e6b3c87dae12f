"""A run that resumes the last resolve (re-evaluating only modules that depend on an edited one)
finds exactly what a fresh run finds: on every fixture project, after edits to each of its files."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from asset_lint.engine import analyse
from projects import make_project

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROJECTS = sorted(p.parent for p in FIXTURES.glob("DG*/*/pyproject.toml"))


def findings(root: Path, use_cache: bool):
    analysis = analyse([str(root)], {"select": ("DG",)}, use_cache=use_cache)
    return [(f.code, f.path, f.site.span, f.message) for f in analysis.findings], analysis


def same_as_fresh(root: Path):
    cached, analysis = findings(root, True)
    assert cached == findings(root, False)[0]
    return analysis


def edits(text: str):
    """A line that moves every position; the last statement gone; the file as it was."""
    lines = text.rstrip("\n").split("\n")
    yield "EDITED = 1\n" + text
    yield "\n".join(lines[:-1]) + "\n"
    yield text


@pytest.mark.parametrize("fixture", PROJECTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_resumed_resolve_finds_what_a_fresh_one_finds(fixture, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(fixture, root)
    sources = sorted(root.rglob("*.py"))
    if not sources:
        pytest.skip("no Python files")
    same_as_fresh(root)                       # cold: writes no snapshot
    first = sources[0]
    text = first.read_text()
    first.write_text(text + "\nEDITED_FIRST = 1\n")
    same_as_fresh(root)                       # computed with a warm cache: writes the snapshot
    first.write_text(text)
    resumed = 0
    for path in sources[:8]:
        original = path.read_text()
        for edited in edits(original):
            path.write_text(edited)
            analysis = same_as_fresh(root)
            resumed += analysis.resumed is not None
    if not all(s.read_text() == "" for s in sources):
        assert resumed, "no run resumed the snapshot: this test proved nothing"


BENCH_LIKE = {
    "pyproject.toml": '[tool.dagster]\nmodule_name = "mono.definitions"\n',
    "mono/common/names.py": 'PREFIX = "core"\n',
    "mono/pkg/assets_a.py": '''
        from dagster import AssetKey, asset
        from mono.common.names import PREFIX
        @asset(key_prefix=PREFIX)
        def base(): ...
        @asset(deps=[AssetKey(["core", "base"])])
        def report(): ...
    ''',
    "mono/pkg/assets_b.py": '''
        from dagster import asset
        @asset
        def summary(report): ...
    ''',
    "mono/pkg/definitions.py": '''
        from dagster import Definitions, load_assets_from_modules
        from . import assets_a, assets_b
        defs = Definitions(assets=load_assets_from_modules([assets_a, assets_b]))
    ''',
    "mono/definitions.py": "from dagster import Definitions\nfrom mono.pkg import definitions as pkg\n"
                           "defs = Definitions.merge(pkg.defs)\n",
}


def test_an_edit_re_evaluates_only_what_depends_on_it(tmp_path):
    make_project(tmp_path, BENCH_LIKE)
    assert same_as_fresh(tmp_path).findings == []
    names = tmp_path / "mono/common/names.py"
    names.write_text('PREFIX = "core"\nOTHER = 1\n')
    assert same_as_fresh(tmp_path).resumed is None          # the first computed run writes the snapshot
    b = tmp_path / "mono/pkg/assets_b.py"
    b.write_text(b.read_text() + "\n# a comment: facts equal, the last run's findings serve\n")
    same_as_fresh(tmp_path)
    b.write_text(b.read_text().replace("summary(report)", "summary(reprot)"))
    analysis = same_as_fresh(tmp_path)
    # assets_b, the package's definitions (its loader read assets_b) and the top definitions
    assert analysis.resumed[0] == 3 < analysis.resumed[1]
    assert [f.code for f in analysis.findings] == ["DG002"]
    b.write_text(b.read_text().replace("summary(reprot)", "summary(report)"))
    names.write_text('PREFIX = "kore"\n')                  # and everything that reads PREFIX, transitively
    analysis = same_as_fresh(tmp_path)
    assert analysis.resumed[0] == 5                          # names, assets_a, assets_b and both definitions
    assert [f.code for f in analysis.findings] == ["DG002"]


def test_a_damaged_snapshot_is_ignored(tmp_path):
    make_project(tmp_path, BENCH_LIKE)
    same_as_fresh(tmp_path)
    b = tmp_path / "mono/pkg/assets_b.py"
    b.write_text(b.read_text() + "\nX = 1\n")
    same_as_fresh(tmp_path)
    snapshot, = tmp_path.rglob("resolved.pickle")
    data = bytearray(snapshot.read_bytes())
    data[len(data) // 2] ^= 0xFF
    snapshot.write_bytes(bytes(data))
    b.write_text(b.read_text() + "\nY = 2\n")
    assert same_as_fresh(tmp_path).resumed is None


CYCLE = {
    "pyproject.toml": '[tool.dagster]\nmodule_name = "pipe.definitions"\n',
    "pipe/b_loaded.py": '''
        from dagster import asset, load_assets_from_current_module
        @asset
        def x(): ...
        here = load_assets_from_current_module()   # finds itself while being defined: a cut cycle
    ''',
    "pipe/a_user.py": "import dagster\nVALUE = 1\n",
    "pipe/definitions.py": '''
        from dagster import Definitions
        from .b_loaded import here
        defs = Definitions(assets=here)
    ''',
}


def test_a_cycle_cut_among_changed_modules_is_cut_again(tmp_path):
    make_project(tmp_path, CYCLE)
    same_as_fresh(tmp_path)
    loaded = tmp_path / "pipe/b_loaded.py"
    loaded.write_text(loaded.read_text() + "\nY = 1\n")
    same_as_fresh(tmp_path)                                   # writes the snapshot
    loaded.write_text(loaded.read_text().replace("def x", "def y"))
    assert same_as_fresh(tmp_path).resumed is not None


def cycle_snapshot(root: Path) -> Path:
    """The CYCLE project with a snapshot written (by a computed run after an edit); its a_user.py."""
    make_project(root, CYCLE)
    same_as_fresh(root)
    user = root / "pipe/a_user.py"
    user.write_text("import dagster\nVALUE = 2\n")
    assert same_as_fresh(root).resumed is None              # writes the snapshot
    return user


def test_a_changed_module_reaching_an_unchanged_cycle_resolves_afresh(tmp_path):
    user = cycle_snapshot(tmp_path)
    # evaluated before b_loaded now, a fresh run enters the cycle from here: the snapshot's cut may not hold
    user.write_text("from dagster import Definitions\nfrom .b_loaded import here\nearly = Definitions(assets=here)\n")
    assert same_as_fresh(tmp_path).resumed is None


def test_a_changed_module_reaching_an_unchanged_cycle_later_resumes(tmp_path):
    cycle_snapshot(tmp_path)
    # definitions.py comes after b_loaded.py: a fresh run too enters the cycle at b_loaded
    definitions = tmp_path / "pipe/definitions.py"
    definitions.write_text(definitions.read_text() + "LATER = 1\n")
    assert same_as_fresh(tmp_path).resumed is not None
