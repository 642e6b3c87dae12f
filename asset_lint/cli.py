"""The `asset-lint` command: argv in, text out, exit status 0 (clean) / 1 (findings) / 2 (usage or config)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional, Sequence

from asset_lint import __version__
from asset_lint.config import ConfigError, validate_codes


def _codes(text: Optional[str]) -> Optional[tuple]:
    if text is None:
        return None
    from asset_lint.codes import KNOWN_CODES
    return tuple(validate_codes([c for c in text.split(",") if c.strip()], "--select/--ignore", KNOWN_CODES))


def _autoload(item: str) -> str:
    """`--autoload-defs-module` items travel with the -m items, marked (engine.AUTOLOAD reads them)."""
    from asset_lint.engine import AUTOLOAD
    return AUTOLOAD + item


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="asset-lint", description="Static analysis for Dagster asset graphs.")
    parser.add_argument("--version", action="version", version=f"asset-lint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="lint the project that holds PATH (default: .)")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    check.add_argument("--output-format", choices=("text", "json", "sarif", "github"), default="text")
    check.add_argument("--select", help="comma-separated codes or prefixes to enable (replaces the defaults)")
    check.add_argument("--extend-select", help="codes to enable on top of the selection")
    check.add_argument("--ignore", help="codes to disable")
    check.add_argument("--no-cache", action="store_true", help="read every file afresh")
    check.add_argument("-m", "--location", action="append", default=[], metavar="[NAME=]MODULE",
                       help="a code location's module (repeatable); default: from pyproject.toml/workspace.yaml")
    check.add_argument("--autoload-defs-module", dest="location", action="append", type=_autoload,
                       metavar="[NAME=]MODULE", help="a code location loaded from a defs folder, as Dagster's flag")
    check.add_argument("--statistics", action="store_true", help="print counts per code")
    check.add_argument("--verbose", action="store_true",
                       help="list every unknown of a partly analysed code location; print tracebacks of internal "
                            "errors (DG999)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    check.add_argument("--write-baseline", metavar="FILE",
                       help="record today's findings in FILE (prunes stale entries)")
    graph = sub.add_parser("graph", help="print the asset graph asset-lint derived")
    graph.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    graph.add_argument("--format", choices=("json",), default="json")
    graph.add_argument("-m", "--location", action="append", default=[], metavar="[NAME=]MODULE")
    graph.add_argument("--autoload-defs-module", dest="location", action="append", type=_autoload,
                       metavar="[NAME=]MODULE")
    rule = sub.add_parser("rule", help="print a rule's catalogue entry")
    rule.add_argument("code")
    sub.add_parser("rules", help="list every rule")
    clean = sub.add_parser("clean", help="remove the project's .asset_lint_cache/")
    clean.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    return parser


def _catalogue():
    from asset_lint.catalogue import load_catalogue
    return load_catalogue()


_LAST_RUN: list = []


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point of the console script."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code not in (0, None) else 0
    try:
        if args.command == "rule":
            docs = _catalogue()
            doc = docs.get(args.code.upper())
            if doc is None:
                raise ConfigError(f"unknown rule code '{args.code}' (known: {', '.join(docs)})")
            sys.stdout.write(f"# {doc.code} {doc.name}\n\n{doc.markdown.strip()}\n")
            return 0
        if args.command == "rules":
            from asset_lint.engine import rule_defaults
            for code, doc in _catalogue().items():
                on = "on" if rule_defaults().get(code, True) else "off"
                sys.stdout.write(f"{code}  {doc.name:<32} {doc.severity:<8} {on:<4} {doc.summary}\n")
            return 0
        if args.command == "clean":
            from asset_lint.cache import clean
            from asset_lint.discover import find_project_root
            for target in args.paths:
                root = find_project_root(Path(target))
                sys.stdout.write(f"removed {root / '.asset_lint_cache'}\n" if clean(root) else "nothing to clean\n")
            return 0
        from asset_lint.engine import analyse
        if args.command == "graph":
            from asset_lint.report.graph import graph_payload
            from asset_lint.report.json import render_graph
            analysis = analyse(args.paths, {"select": ()}, use_cache=False, locations=args.location)
            sys.stdout.write(render_graph(graph_payload(analysis.project, analysis.graphs)))
            return 0
        overrides = {"select": _codes(args.select), "extend_select": _codes(args.extend_select),
                     "ignore": _codes(args.ignore)}
        analyses = [analyse(group, overrides, use_cache=not args.no_cache, locations=args.location)
                    for group in _by_project(args.paths)]
        _LAST_RUN[:] = analyses  # kept alive past main(): run() exits without freeing them one by one
    except ConfigError as exc:
        sys.stderr.write(f"asset-lint: error: {exc}\n")
        return 2
    analysis = analyses[0]
    if len(analyses) > 1:  # paths in several projects: one report, each finding placed from its own root
        analysis.findings = [_rebase(f, a.root, analysis.root) for a in analyses for f in a.findings]
        analysis.files = sum(a.files for a in analyses)
        analysis.notices = [n for a in analyses for n in a.notices]
        analysis.partial = [p for a in analyses for p in a.partial]
    findings = analysis.findings
    for notice in analysis.notices:
        sys.stderr.write(f"asset-lint: {notice}\n")
    if analysis.files == 0:
        sys.stderr.write(f"asset-lint: no Python files found under {', '.join(args.paths)}\n")
    if args.verbose:
        for finding in findings:
            if finding.detail:
                sys.stderr.write(f"{finding.path}: internal error\n{finding.detail}\n")
    if args.write_baseline:
        from asset_lint import baseline
        count = baseline.write(Path(args.write_baseline), findings)
        sys.stderr.write(f"asset-lint: recorded {count} finding{'s' if count != 1 else ''} in {args.write_baseline}\n")
        return 0
    if args.baseline:
        from asset_lint import baseline
        try:
            findings, stale = baseline.apply(findings, baseline.read(Path(args.baseline)))
        except ConfigError as exc:
            sys.stderr.write(f"asset-lint: error: {exc}\n")
            return 2
        for code, path, identity in stale:
            sys.stderr.write(f"asset-lint: stale baseline entry: {code} {path} {identity} "
                             "(fixed? run --write-baseline to prune)\n")
    if args.output_format != "sarif":  # SARIF keeps project-root paths under %SRCROOT%
        findings = [_rebase(f, analysis.root, Path.cwd(), outside_absolute=True) for f in findings]
    sys.stdout.write(_render(args.output_format, findings, analysis, args.statistics, args.verbose))
    return 1 if findings and not args.exit_zero else 0


def _by_project(paths: list) -> list:
    """The paths grouped by the project that holds them, in first-seen order."""
    from asset_lint.discover import find_project_root
    groups: dict = {}
    for path in paths:
        target = Path(path)
        root = find_project_root(target) if target.exists() else Path(path)
        groups.setdefault(root, []).append(path)
    return list(groups.values())


def _rebase(finding, root: Path, base: Path, outside_absolute: bool = False):
    """The finding with its path relative to `base` (the working directory, as ruff and flake8 print)."""
    import dataclasses
    import os
    from asset_lint.findings import Site
    absolute = (root / finding.path).resolve() if finding.path else root
    try:
        shown = absolute.relative_to(base.resolve()).as_posix()
    except ValueError:
        shown = str(absolute) if outside_absolute else os.path.relpath(absolute, base).replace(os.sep, "/")
    return dataclasses.replace(finding, site=Site(shown, finding.site.span))


def _rule_meta() -> dict:
    try:
        return {code: {"name": d.name, "summary": d.summary, "severity": d.severity,
                       "full": _first_paragraph(d.sections)} for code, d in _catalogue().items()}
    except Exception:  # reports still work without catalogue metadata
        return {}


def _first_paragraph(sections) -> str:
    for heading, body in sections:
        if heading == "What it does":
            return body.strip().split("\n\n")[0].replace("\n", " ")
    return ""


def _render(fmt: str, findings: list, analysis, statistics: bool, verbose: bool = False) -> str:
    if fmt == "text":
        from asset_lint.report.text import render
        return render(findings, statistics, analysis.partial, verbose)
    meta = _rule_meta()
    if fmt == "json":
        from asset_lint.report.json import render
        return render(findings, {code: m["name"] for code, m in meta.items()})
    if fmt == "sarif":
        from asset_lint.report.sarif import render
        return render(findings, meta, analysis.root.as_uri() + "/", analysis.partial)
    if fmt == "github":
        from asset_lint.report.github import render
        return render(findings, {code: m["severity"] for code, m in meta.items()})
    from asset_lint.report.text import render
    return render(findings, statistics, analysis.partial, verbose)


def run() -> None:
    """The console script: like main(), but skips tearing down the analysis at exit (as mypy does).

    Freeing hundreds of thousands of small objects one by one costs more than linting a small
    project; the process ends here anyway, so flush and leave.
    """
    import gc
    import os
    gc.disable()
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
