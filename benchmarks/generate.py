"""Generate a synthetic Dagster monorepo: N modules across packages, a realistic mix of asset styles.

    python benchmarks/generate.py DEST --modules 2000 [--seed 1]

Half the modules are plain Python (helpers, constants) without Dagster; the others declare
@asset (params, deps=, AssetIn, key_prefix constants from another package), @multi_asset, AssetSpec
externals, asset checks, ops and jobs. Each package has a definitions module loading its assets;
the tree is a single code location (pyproject [tool.dagster]) whose Definitions merges the packages.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

PLAIN = '''"""Helpers for {pkg}: no Dagster here."""
import json
import os

RETRIES = {n}
TABLE_{n} = "table_{n}"


def normalise_{n}(rows):
    out = []
    for row in rows:
        if isinstance(row, dict):
            out.append({{k.lower(): v for k, v in row.items()}})
        else:
            out.append(json.loads(row))
    return out


class Client{n}:
    def __init__(self, url=os.environ.get("URL_{n}", "")):
        self.url = url

    def fetch(self, query: str) -> list:
        return [query] * RETRIES
'''

ASSETS = '''import dagster as dg
from dagster import AssetIn, AssetKey, AssetSpec, asset, asset_check, multi_asset, AssetOut
from {root}.common.constants import PREFIX_{p}
from .{helper} import normalise_{h}

raw_{n} = AssetSpec(key=["external", "raw_{n}"])


@asset(key_prefix=PREFIX_{p}, group_name="{pkg}", deps=[raw_{n}])
def a_{n}_base():
    return normalise_{h}([])


@asset(group_name="{pkg}", ins={{"base": AssetIn(key=[PREFIX_{p}, "a_{n}_base"])}})
def a_{n}_clean(context: dg.AssetExecutionContext, base{upstream_param}):
    return base


@dg.asset(group_name="{pkg}", deps=[a_{n}_clean, AssetKey([PREFIX_{p}, "a_{n}_base"])])
def a_{n}_report():
    return None


@multi_asset(outs={{"m_{n}_x": AssetOut(group_name="{pkg}"), "m_{n}_y": AssetOut(group_name="{pkg}")}})
def m_{n}(a_{n}_clean):
    return 1, 2


@asset_check(asset=a_{n}_report)
def check_{n}():
    return dg.AssetCheckResult(passed=True)
'''

DEFINITIONS = '''from dagster import Definitions, load_asset_checks_from_modules, load_assets_from_modules
from . import {modules}

defs = Definitions(
    assets=load_assets_from_modules([{modules}], include_specs=True),
    asset_checks=load_asset_checks_from_modules([{modules}]),
)
'''

ROOT_DEFINITIONS = '''from dagster import Definitions
{imports}

defs = Definitions.merge({merged})
'''


def generate(dest: Path, modules: int, seed: int = 1) -> None:
    """Write the tree; about half the modules use Dagster."""
    rng = random.Random(seed)
    root = "mono"
    packages = max(1, modules // 40)
    (dest / root / "common").mkdir(parents=True, exist_ok=True)
    (dest / "pyproject.toml").write_text(f'[tool.dagster]\nmodule_name = "{root}.definitions"\n')
    (dest / root / "__init__.py").write_text("")
    (dest / root / "common" / "__init__.py").write_text("")
    (dest / root / "common" / "constants.py").write_text(
        "".join(f'PREFIX_{p} = "pkg{p}"\n' for p in range(packages)))
    count = 3
    asset_index = 0
    pkg_names = []
    per_package = max(2, (modules - 3) // packages)
    for p in range(packages):
        pkg = f"pkg{p}"
        pkg_names.append(pkg)
        folder = dest / root / pkg
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text("")
        asset_modules = []
        helpers = []
        for i in range(per_package - 1):
            if i % 2 == 0:
                name = f"helpers_{i}"
                (folder / f"{name}.py").write_text(PLAIN.format(pkg=pkg, n=asset_index + i))
                helpers.append((name, asset_index + i))
            else:
                name = f"assets_{i}"
                helper, h = helpers[-1]
                previous = asset_index - 1
                upstream = f", a_{previous}_clean" if asset_modules and rng.random() < 0.5 else ""
                (folder / f"{name}.py").write_text(ASSETS.format(
                    root=root, p=p, pkg=pkg, n=asset_index, helper=helper, h=h, upstream_param=upstream))
                asset_modules.append(name)
                asset_index += 1
            count += 1
        (folder / "definitions.py").write_text(DEFINITIONS.format(modules=", ".join(asset_modules)))
        count += 2
    (dest / root / "definitions.py").write_text(ROOT_DEFINITIONS.format(
        imports="\n".join(f"from {root}.{pkg} import definitions as {pkg}_defs" for pkg in pkg_names),
        merged=", ".join(f"{pkg}_defs.defs" for pkg in pkg_names)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--modules", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.dest, args.modules, args.seed)


if __name__ == "__main__":
    main()
