"""Benchmark asset-lint on a generated monorepo and print ratios (never a timed assertion).

    python benchmarks/run.py [--modules 2000] [--repeat 3] [--dest DIR] [--skip-dagster]
                             [--factories 0.5 | --skip-factories]

In one run on one tree it prints: cold check / parse floor, warm check / floor, check after one
file changed / floor (three edits: a comment appended to an asset module, which leaves its
extracted facts equal; a code edit in a helper module no Dagster code reads; a code edit in an
asset module, which resumes the last resolve and evaluates again only the modules that depend on
it, plus the first such edit, which keeps the snapshot the others resume), flake8 on one file
with the plugin / without it, and `dagster definitions validate` / cold check (each validate run
right after a cold check of its own; medians of --dagster-runs); plus peak memory. Then, on a second
tree of the same size where --factories of the asset modules build their assets through factories,
comprehensions, module-level loops and a wrapper (generate.py --factories), cold check / floor and
warm check / floor, with a floor of its own.
The parse floor is a bare Python process that reads and ast.parses every file, run before each
measured run (the median of all of them). Each figure is the median of --repeat runs;
asset-lint's own modules are byte-compiled first, as `pip install` does.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

FLOOR = ("import ast, pathlib, sys\n"
         "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.py')): ast.parse(p.read_bytes())\n")


def timed(command: list, cwd=None, env=None) -> tuple:
    """(seconds, peak RSS in MB of this child) for one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return elapsed, max(peak, before) / 1024


FLOOR_RUNS: list = []   # every parse-floor sample, taken between the measured runs


def median(command: list, repeat: int, before=None, floor: list = None, **kwargs) -> float:
    """Median of `repeat` runs; with `floor` (the floor command), a floor run precedes each one, so
    that the floor is sampled over the same minutes as what it is compared with (a shared machine's
    speed drifts by tens of percent over a benchmark)."""
    runs = []
    for _ in range(repeat):
        if floor:
            FLOOR_RUNS.append(timed(floor)[0])
        if before:
            before()
        runs.append(timed(command, **kwargs)[0])
    return statistics.median(runs)


def age_files(tree: Path) -> None:
    """Make every file older than the cache's 2-second racy window, as on a real checkout."""
    past = time.time() - 120
    for path in tree.rglob("*.py"):
        os.utime(path, (past, past))


def factory_figures(tree: Path, args) -> None:
    """Cold and warm check / floor on a tree whose asset modules are built by factories (issue 13)."""
    factory_tree = tree.with_name(tree.name + "-factories")
    if factory_tree.exists():
        shutil.rmtree(factory_tree)
    generate(factory_tree, args.modules, factories=args.factories)
    age_files(factory_tree)
    py = sys.executable
    lint = [py, "-m", "asset_lint", "check", str(factory_tree)]
    parse = [py, "-c", FLOOR, str(factory_tree)]
    timed(parse)
    first_floor_run = len(FLOOR_RUNS)
    cold = median(lint, args.repeat, before=lambda: shutil.rmtree(factory_tree / ".asset_lint_cache",
                                                                  ignore_errors=True), floor=parse)
    warm = median(lint, args.repeat, floor=parse)
    floor = statistics.median(FLOOR_RUNS[first_floor_run:])
    files = sum(1 for _ in factory_tree.rglob("*.py"))
    print(f"factory tree: {factory_tree} ({files} files, {args.factories:.0%} of the asset modules built by "
          f"factories in comprehensions and loops, through a wrapper), parse floor {floor:.3f} s")
    print(f"  cold check          {cold:7.3f} s  = {cold / floor:5.2f}x floor   (goal <= 3x)")
    print(f"  warm check          {warm:7.3f} s  = {warm / floor:5.2f}x floor   (goal <= 1x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dest", type=Path)
    parser.add_argument("--skip-dagster", action="store_true")
    parser.add_argument("--dagster-runs", type=int, default=3,
                        help="`dagster definitions validate` runs, each after a cold check of its own")
    parser.add_argument("--cold-only", action="store_true", help="just one cold check (for very large trees)")
    parser.add_argument("--factories", type=float, default=0.5,
                        help="share of the asset modules built by factories in the second tree")
    parser.add_argument("--skip-factories", action="store_true", help="no second tree with factories")
    args = parser.parse_args()
    tree = args.dest or Path(tempfile.mkdtemp(prefix="asset-lint-bench-"))
    if tree.exists():
        shutil.rmtree(tree)
    generate(tree, args.modules)
    age_files(tree)
    py = sys.executable
    # an installed package has its bytecode (pip compiles it); a source checkout under
    # PYTHONDONTWRITEBYTECODE would recompile asset-lint's own modules on every run
    subprocess.run([py, "-m", "compileall", "-q", str(HERE.parent / "asset_lint")], check=True)
    lint = [py, "-m", "asset_lint", "check", str(tree)]
    clean = lambda: shutil.rmtree(tree / ".asset_lint_cache", ignore_errors=True)  # noqa: E731
    files = sum(1 for _ in tree.rglob("*.py"))
    print(f"tree: {tree} ({files} files), python {sys.version.split()[0]}, {os.cpu_count()} cores")
    if args.cold_only:
        clean()
        seconds, peak = timed(lint)
        print(f"cold check: {seconds:.2f} s, peak memory {peak:.0f} MB")
        return
    parse = [py, "-c", FLOOR, str(tree)]
    timed(parse)  # the first read of a new tree also warms the OS's file cache
    cold = median(lint, args.repeat, before=clean, floor=parse)
    clean()
    _, peak = timed(lint)
    warm = median(lint, args.repeat, floor=parse)
    changed_file = next(p for p in sorted(tree.rglob("assets_*.py")))
    counter = [0]

    def touch_one() -> None:
        counter[0] += 1
        changed_file.write_text(changed_file.read_text() + f"\n# edit {counter[0]}\n")

    one_changed = median(lint, args.repeat, before=touch_one, floor=parse)
    helper_file = next(p for p in sorted(tree.rglob("helpers_*.py")))
    helper_text = helper_file.read_text()

    def edit_helper() -> None:
        counter[0] += 1
        helper_file.write_text(helper_text.replace("out = []", f"out = [] * {counter[0]}"))

    helper_changed = median(lint, args.repeat, before=edit_helper, floor=parse)
    asset_text = changed_file.read_text()

    def edit_asset() -> None:  # a new line at the top: every position in the file moves
        counter[0] += 1
        changed_file.write_text(f"EDITED = {counter[0]}\n" + asset_text)

    edit_asset()   # the first computed run after the cold ones resolves everything and keeps a snapshot
    first_asset_change = timed(lint)[0]
    asset_changed = median(lint, args.repeat, before=edit_asset, floor=parse)
    floor = statistics.median(FLOOR_RUNS)
    flake8_with = median([py, "-m", "flake8", "--select", "E,F,W,DG", str(changed_file)], args.repeat)
    flake8_without = median([py, "-m", "flake8", "--select", "E,F,W", str(changed_file)], args.repeat,
                            env={**os.environ, "ASSET_LINT_DISABLE_FLAKE8": "1"})
    print(f"parse floor (bare python + ast.parse of every file): {floor:.3f} s, median of {len(FLOOR_RUNS)} runs "
          f"between the others ({min(FLOOR_RUNS):.3f}-{max(FLOOR_RUNS):.3f} s)")
    print(f"cold check            {cold:7.3f} s  = {cold / floor:5.2f}x floor   (goal <= 3x)")
    print(f"warm check            {warm:7.3f} s  = {warm / floor:5.2f}x floor   (goal <= 1x)")
    print(f"one file changed      {one_changed:7.3f} s  = {one_changed / floor:5.2f}x floor   (goal <= 1.2x)"
          "  comment appended to an asset module")
    print(f"one file changed      {helper_changed:7.3f} s  = {helper_changed / floor:5.2f}x floor   (goal <= 1.2x)"
          "  code edit in a helper module")
    print(f"one file changed      {asset_changed:7.3f} s  = {asset_changed / floor:5.2f}x floor   (goal <= 1.2x)"
          "  code edit in an asset module (3 of 2,004 modules evaluated again)")
    print(f"  (the first such edit after a cold check: {first_asset_change:.3f} s = "
          f"{first_asset_change / floor:.2f}x, it resolves everything and keeps the snapshot the others resume)")
    print(f"flake8 one file       {flake8_with:7.3f} s with the plugin / {flake8_without:.3f} s without "
          f"= {flake8_with / flake8_without:5.2f}x   (goal <= 2x)")
    print(f"peak memory of a cold check: {peak:.0f} MB")
    if not args.skip_factories:
        factory_figures(tree, args)
    if not args.skip_dagster:
        try:
            import dagster  # noqa: F401
        except ImportError:
            print("dagster is not installed here: skipping `dagster definitions validate`")
            return
        dagster_cli = [py, "-m", "dagster", "definitions", "validate", "-m", "mono.definitions"]
        # each validate run right after a cold check: on a shared machine whose speed drifts over
        # minutes, a ratio of two runs taken minutes apart measures the drift as much as the tools
        validates, colds = [], []
        for _ in range(args.dagster_runs):
            clean()
            colds.append(timed(lint)[0])
            validates.append(timed(dagster_cli, cwd=tree, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})[0])
        validate, cold_beside = statistics.median(validates), statistics.median(colds)
        print(f"dagster definitions validate {validate:.2f} s (median of {len(validates)}: "
              f"{min(validates):.1f}-{max(validates):.1f} s) = {validate / cold_beside:5.1f}x a cold check "
              f"({cold_beside:.3f} s, median of the cold checks run just before them)   (goal >= 15x)")


if __name__ == "__main__":
    main()
