"""`path:row:col: CODE message`, ruff-like, with a summary line, then a note per code location
analysed only partly (as mypy's `note:` lines)."""
from __future__ import annotations

from collections import Counter

SHOWN_UNKNOWNS = 3   # per partial code location, without --verbose


def render(findings: list, statistics: bool = False, partial: tuple = (), verbose: bool = False) -> str:
    """One line per finding, then a summary; with statistics, counts per code; then the partial locations."""
    lines = [f"{f.path}:{f.line}:{f.col + 1}: {f.code} {f.message}" for f in findings]
    if statistics:
        counts = Counter(f.code for f in findings)
        lines.extend(f"{count:>5}  {code}" for code, count in sorted(counts.items()))
    if findings:
        lines.append(f"Found {len(findings)} error{'s' if len(findings) != 1 else ''}.")
    else:
        lines.append("All checks passed!")
    for location in partial:
        lines.extend(partial_lines(location, verbose))
    return "\n".join(lines) + "\n"


def describe_gap(gap) -> str:
    """`defs/assets.py:12: factory make_checks (could be checks)`."""
    where = f"{gap.site.path}:{gap.site.line}: " if gap.site is not None and gap.site.path else ""
    return f"{where}{gap.reason} (could be {gap.what()})"


def partial_lines(location, verbose: bool) -> list:
    """One line naming a partial code location, its first unknowns and the rules they limit; with
    verbose, one more line per unknown."""
    gaps = location.gaps
    count = f"{len(gaps)} unknown{'s' if len(gaps) != 1 else ''}"
    shown = "; ".join(describe_gap(gap) for gap in gaps[:SHOWN_UNKNOWNS])
    more = f"; and {len(gaps) - SHOWN_UNKNOWNS} more (--verbose lists them)" \
        if len(gaps) > SHOWN_UNKNOWNS and not verbose else ""
    rules = location.limited_rules()
    limited = f"; limited there: {', '.join(rules)}" if rules else "; no rule limited"
    lines = [f"note: code location '{location.name}' was analysed only partly, {count}: {shown}{more}{limited}"]
    if verbose:
        lines.extend(f"  {describe_gap(gap)}" for gap in gaps)
    return lines
