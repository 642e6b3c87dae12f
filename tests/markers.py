"""The one marker grammar: `# expect: DG002` (codes comma-separated, optional "message substring").

A marker alone on its line applies to the next non-marker line (ty's rule). Used by the fixture
tests, the catalogue tests and the examples test.
"""
from __future__ import annotations

import re
from pathlib import Path

MARKER = re.compile(r"#\s*expect:\s*(?P<body>.*)$")
CODE = re.compile(r"[A-Z]+[0-9]{3}")
SUBSTRING = re.compile(r'"([^"]*)"')


def markers_in_text(rel: str, text: str) -> list:
    """[(rel, line, code, substring or None)] for one file's text."""
    found, pending = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        match = MARKER.search(line)
        code_part = line[: match.start()].strip() if match else line.strip()
        if match:
            body = match.group("body")
            substrings = SUBSTRING.findall(body)
            codes = CODE.findall(SUBSTRING.sub("", body))
            entries = [(code, substrings[0] if substrings else None) for code in codes]
            if not code_part:
                pending.extend(entries)
                continue
            found.extend((rel, number, c, s) for c, s in entries)
        if code_part and pending:
            found.extend((rel, number, c, s) for c, s in pending)
            pending = []
    return found


def read_markers(root: Path) -> list:
    """Every marker of every .py file under a project folder."""
    result = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        result.extend(markers_in_text(rel, path.read_text(encoding="utf-8")))
    return result


def render(entries) -> str:
    """Comparable lines: `path:line CODE`."""
    return "\n".join(sorted({f"{path}:{line} {code}" for path, line, code, *_ in entries}))


def side_by_side(expected, actual) -> str:
    """Expected and actual findings in two columns, one row per `path:line CODE`, the disagreements
    flagged; actual rows carry their messages (what a failing fixture or catalogue test prints)."""
    left = {f"{path}:{line} {code}" for path, line, code, *_ in expected}
    messages: dict = {}
    for path, line, code, message, *_ in actual:
        messages.setdefault(f"{path}:{line} {code}", []).append(message)
    rows = sorted(left | messages.keys(), key=lambda row: (row.split(":")[0], int(row.split(":")[1].split()[0]), row))
    width = max([len("expected"), *map(len, rows)]) + 2
    lines = ["", f"{'expected':<{width}}| actual", f"{'-' * width}+{'-' * (width + 10)}"]
    for row in rows:
        flag = "" if row in left and row in messages else "   <- missing" if row in left else "   <- unexpected"
        found = messages.get(row, [""])
        lines.append(f"{row if row in left else '':<{width}}| {row if row in messages else ''}{flag}")
        lines.extend(f"{'':<{width}}|     {message}" for message in found if message)
    return "\n".join(lines)
