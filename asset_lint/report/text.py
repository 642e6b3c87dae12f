"""`path:row:col: CODE message`, ruff-like, with a summary line."""
from __future__ import annotations

from collections import Counter


def render(findings: list, statistics: bool = False) -> str:
    """One line per finding, then a summary; with statistics, counts per code."""
    lines = [f"{f.path}:{f.line}:{f.col + 1}: {f.code} {f.message}" for f in findings]
    if statistics:
        counts = Counter(f.code for f in findings)
        lines.extend(f"{count:>5}  {code}" for code, count in sorted(counts.items()))
    if findings:
        lines.append(f"Found {len(findings)} error{'s' if len(findings) != 1 else ''}.")
    else:
        lines.append("All checks passed!")
    return "\n".join(lines) + "\n"
