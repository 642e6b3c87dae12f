"""[tool.asset-lint] settings, and the command line overriding them."""
from __future__ import annotations

import subprocess
import sys

from projects import make_project

BASE = {
    "defs/assets.py": '''
        from dagster import asset
        @asset(deps=["nowhere"])
        def orders(): ...
    ''',
    "legacy/old.py": '''
        from dagster import asset
        @asset(deps=["gone"])
        def old(): ...
    ''',
}


def run(root, *args):
    return subprocess.run([sys.executable, "-m", "asset_lint", "check", "--no-cache", *args, str(root)],
                          capture_output=True, text=True)


def project(tmp_path, settings: str):
    return make_project(tmp_path, {**BASE, "pyproject.toml": "[tool.asset-lint]\n" + settings})


def test_per_file_ignores_and_exclude(tmp_path):
    out = run(project(tmp_path, 'per-file-ignores = { "legacy/*" = ["DG002"] }\n')).stdout
    assert "defs/assets.py" in out and "legacy/old.py" not in out
    out = run(project(tmp_path, 'exclude = ["legacy/"]\n')).stdout
    assert "legacy/old.py" not in out and "defs/assets.py" in out


def test_select_from_file_and_command_line_override(tmp_path):
    root = project(tmp_path, 'select = ["DG001"]\n')
    assert run(root).returncode == 0
    assert run(root, "--select", "DG002").returncode == 1
    assert run(root, "--extend-select", "DG002").returncode == 1


def test_external_assets_globs(tmp_path):
    assert run(project(tmp_path, 'external-assets = ["nowhere", "go*"]\n')).returncode == 0


def test_asset_decorators_treat_company_wrappers_like_asset(tmp_path):
    make_project(tmp_path, {
        "pyproject.toml": '[tool.asset-lint]\nasset-decorators = ["platform.dagster.tracked_asset"]\n',
        "platform/dagster.py": '''
            import dagster
            def tracked_asset(**kwargs):
                return dagster.asset(**kwargs)
        ''',
        "defs/assets.py": '''
            from dagster import Definitions
            from platform.dagster import tracked_asset
            @tracked_asset(deps=["customer"])
            def orders(): ...
            @tracked_asset()
            def customers(): ...
            defs = Definitions(assets=[orders, customers])
        ''',
    })
    out = run(tmp_path).stdout
    assert "defs/assets.py:3:22: DG002" in out and "did you mean 'customers'" in out


def test_bad_settings_exit_2_with_one_clear_line(tmp_path):
    for settings, words in [('select = "DG002"\n', "select"), ('exclude = [1]\n', "exclude"),
                            ('per-file-ignores = ["x"]\n', "per-file-ignores"), ("extend-select = [\"XX9\"]\n", "XX9"),
                            ("select = [\n", "invalid TOML")]:
        result = run(project(tmp_path, settings))
        assert result.returncode == 2, settings
        assert words in result.stderr and "pyproject.toml" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_specific_rule_replaces_dg002_only_while_it_is_selected(tmp_path):
    make_project(tmp_path, {"pyproject.toml": "", "defs/assets.py": '''
        from dagster import AssetExecutionContext, Definitions, asset
        @asset
        def orders(): ...
        @asset
        def revenue(ctx: AssetExecutionContext, orders): ...
        defs = Definitions(assets=[orders, revenue])
    '''})
    both = run(tmp_path).stdout
    assert "DG010" in both and "DG002" not in both, both
    without = run(tmp_path, "--ignore", "DG010").stdout
    assert "DG002" in without and "'ctx'" in without, without
