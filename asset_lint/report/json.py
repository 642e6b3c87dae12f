"""Findings as a JSON array with ruff's field names; the asset graph as JSON."""
from __future__ import annotations

import json

RULE_URL = "https://github.com/asset-lint/asset-lint/blob/main/rules/{code}.md"


def render(findings: list, names: dict) -> str:
    """ruff-compatible: code, message, filename, location, end_location, url (plus noqa_row, fix)."""
    rows = []
    for f in findings:
        line, col, end_line, end_col = f.site.span
        rows.append({
            "code": f.code, "message": f.message, "filename": f.path,
            "location": {"row": line, "column": col + 1},
            "end_location": {"row": end_line, "column": end_col + 1},
            "noqa_row": line, "fix": None,
            "url": RULE_URL.format(code=f"{f.code}-{names[f.code]}") if f.code in names else None,
        })
    return json.dumps(rows, indent=2) + "\n"


def render_graph(payload: dict) -> str:
    """The graph payload, stable and indented."""
    return json.dumps(payload, indent=2, sort_keys=False) + "\n"
