"""Test-suite setup: helper modules importable, fixture projects never collected, slow tests marked.

The fast loop (`pytest -m "not slow"`: fixtures, catalogue, unit) needs neither Dagster nor a
subprocess; `slow` marks what imports real Dagster or runs a real tool (flake8, pre-commit, pip, a
wheel build, a process pool, hypothesis's many projects).
"""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

# Fixture projects are inputs, not tests: a fixture's own tests/test_assets.py must not run.
collect_ignore_glob = ["fixtures/*"]

SLOW_FOLDERS = {"integration"}
SLOW_MODULES = {"test_differential.py", "test_differential_targets.py", "test_examples_load.py",
                "test_properties.py", "test_dagster_names.py", "test_api_table.py"}
SLOW_TESTS = {"test_own_source_is_flake8_clean", "test_asset_lint_never_imports_dagster"}


def pytest_collection_modifyitems(items) -> None:
    """Mark the slow tests by where they live (see the module docstring)."""
    for item in items:
        path = Path(str(item.fspath))
        if path.parent.name in SLOW_FOLDERS or path.name in SLOW_MODULES or item.originalname in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
