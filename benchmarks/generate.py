"""Generate a synthetic Dagster monorepo: N modules across packages, a realistic mix of asset styles.

    python benchmarks/generate.py DEST --modules 2000 [--seed 1] [--factories 0.5]

Half the modules are plain Python (helpers, constants) without Dagster; the others declare
@asset (params, deps=, AssetIn, key_prefix constants from another package), @multi_asset, AssetSpec
externals, asset checks, ops and jobs. Each package has a definitions module loading its assets;
the tree is a single code location (pyproject [tool.dagster]) whose Definitions merges the packages.
With --factories SHARE, that share of the asset modules builds its assets the way real projects do
(issue 13): factories called in a comprehension over a module-level list of records, a module-level
loop over a dict's items appending factory results, deps= written as a comprehension, all joined
with `+` to a plain @asset and passed through a wrapper that attaches an automation condition and
returns every asset. SHARE 0 (the default) writes exactly the tree it always wrote.
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

FACTORY_ASSETS = '''from dagster import AssetKey, asset
from {root}.common.constants import PREFIX_{p}
from {root}.common.factories import with_eager

RECORDS_{n} = [
    {{"name": "orders", "cadence": "daily"}},
    {{"name": "customers", "cadence": "hourly"}},
    {{"name": "payments"}},
]
SETTINGS_{n} = {{"events": "stream", "sessions": "batch"}}


def make_fetch_{n}(record, *, prefix=PREFIX_{p}):
    @asset(key=AssetKey([prefix, f"f{n}_fetch_{{record['name']}}"]), group_name="{pkg}",
           metadata={{"cadence": record.get("cadence", "daily")}})
    def _fetch():
        return None

    return _fetch


def make_load_{n}(name, kind, upstream):
    @asset(name=f"f{n}_load_{{name}}_{{kind}}", group_name="{pkg}", deps=[upstream])
    def _load():
        return None

    return _load


@asset(group_name="{pkg}", deps=[AssetKey([PREFIX_{p}, f"f{n}_fetch_{{r['name']}}"]) for r in RECORDS_{n}])
def f{n}_summary():
    return None


generated_{n} = []
for name, kind in SETTINGS_{n}.items():
    generated_{n}.append(make_load_{n}(name, kind, AssetKey([PREFIX_{p}, "f{n}_fetch_orders"])))

built_{n} = with_eager([make_fetch_{n}(r) for r in RECORDS_{n}] + generated_{n} + [f{n}_summary])
'''

FACTORIES = '''from dagster import AutomationCondition


def with_eager(assets):
    """Attach an eager automation condition to every asset and return them all."""
    eager = AutomationCondition.eager()
    return [a.with_attributes(automation_condition=eager) for a in assets]
'''

FACTORY_DEFINITIONS = '''from dagster import Definitions, load_asset_checks_from_modules, load_assets_from_modules
from . import {modules}
from . import {factory_modules}

defs = Definitions(
    assets=[*load_assets_from_modules([{modules}], include_specs=True), {factory_assets}],
    asset_checks=load_asset_checks_from_modules([{modules}]),
)
'''

ROOT_DEFINITIONS = '''from dagster import Definitions
{imports}

defs = Definitions.merge({merged})
'''


def generate(dest: Path, modules: int, seed: int = 1, factories: float = 0.0) -> None:
    """Write the tree; about half the modules use Dagster, `factories` of those through factories."""
    rng = random.Random(seed)
    root = "mono"
    packages = max(1, modules // 40)
    (dest / root / "common").mkdir(parents=True, exist_ok=True)
    (dest / "pyproject.toml").write_text(f'[tool.dagster]\nmodule_name = "{root}.definitions"\n')
    (dest / root / "__init__.py").write_text("")
    (dest / root / "common" / "__init__.py").write_text("")
    (dest / root / "common" / "constants.py").write_text(
        "".join(f'PREFIX_{p} = "pkg{p}"\n' for p in range(packages)))
    if factories:
        (dest / root / "common" / "factories.py").write_text(FACTORIES)
    asset_slots = 0   # asset modules written so far, plain or factory-built
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
        factory_modules = []
        helpers = []
        last_plain = asset_index - 1
        for i in range(per_package - 1):
            if i % 2 == 0:
                name = f"helpers_{i}"
                (folder / f"{name}.py").write_text(PLAIN.format(pkg=pkg, n=asset_index + i))
                helpers.append((name, asset_index + i))
            elif asset_modules and _is_factory_slot(asset_slots, factories):
                asset_slots += 1
                name = f"factories_{i}"
                (folder / f"{name}.py").write_text(FACTORY_ASSETS.format(root=root, p=p, pkg=pkg, n=asset_index))
                factory_modules.append((name, asset_index))
                asset_index += 1
            else:
                asset_slots += 1
                name = f"assets_{i}"
                helper, h = helpers[-1]
                previous = last_plain
                upstream = f", a_{previous}_clean" if asset_modules and rng.random() < 0.5 else ""
                (folder / f"{name}.py").write_text(ASSETS.format(
                    root=root, p=p, pkg=pkg, n=asset_index, helper=helper, h=h, upstream_param=upstream))
                asset_modules.append(name)
                last_plain = asset_index
                asset_index += 1
            count += 1
        if factory_modules:
            (folder / "definitions.py").write_text(FACTORY_DEFINITIONS.format(
                modules=", ".join(asset_modules), factory_modules=", ".join(m for m, _ in factory_modules),
                factory_assets=", ".join(f"*{m}.built_{n}" for m, n in factory_modules)))
        else:
            (folder / "definitions.py").write_text(DEFINITIONS.format(modules=", ".join(asset_modules)))
        count += 2
    (dest / root / "definitions.py").write_text(ROOT_DEFINITIONS.format(
        imports="\n".join(f"from {root}.{pkg} import definitions as {pkg}_defs" for pkg in pkg_names),
        merged=", ".join(f"{pkg}_defs.defs" for pkg in pkg_names)))


def _is_factory_slot(slot: int, share: float) -> bool:
    """Spread the factory modules evenly: asset slot `slot` is one when it moves floor(slots * share) up."""
    return int((slot + 1) * share) > int(slot * share)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--modules", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--factories", type=float, default=0.0,
                        help="share of the asset modules that build their assets with factories (0-1)")
    args = parser.parse_args()
    generate(args.dest, args.modules, args.seed, args.factories)


if __name__ == "__main__":
    main()
