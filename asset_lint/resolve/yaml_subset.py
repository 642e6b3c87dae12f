"""A reader for the small YAML subset of workspace.yaml (block mappings, sequences, scalars).

asset-lint depends on no YAML library; Dagster's workspace files use only this much.
"""
from __future__ import annotations

from typing import Any


def _scalar(text: str) -> Any:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if text in ("", "~", "null"):
        return None
    if text in ("true", "True"):
        return True
    if text in ("false", "False"):
        return False
    return text


def _lines(text: str) -> list:
    result = []
    for raw in text.splitlines():
        stripped = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if stripped.strip() and stripped.strip() != "---":
            result.append((len(stripped) - len(stripped.lstrip(" ")), stripped.strip()))
    return result


def _parse(lines: list, start: int, indent: int) -> tuple:
    if start >= len(lines):
        return None, start
    if lines[start][1].startswith("- ") or lines[start][1] == "-":
        items = []
        i = start
        while i < len(lines) and lines[i][0] == indent and (lines[i][1].startswith("- ") or lines[i][1] == "-"):
            rest = lines[i][1][1:].strip()
            if not rest:
                value, i = _parse(lines, i + 1, lines[i + 1][0]) if i + 1 < len(lines) else (None, i + 1)
                items.append(value)
                continue
            child_indent = indent + (len(lines[i][1]) - len(rest))
            sub = [(child_indent, rest)] + lines[i + 1:]
            if ":" in rest and not rest.startswith(("'", '"')):
                value, used = _parse(sub, 0, child_indent)
                i = i + used
            else:
                value, i = _scalar(rest), i + 1
            items.append(value)
        return items, i
    mapping = {}
    i = start
    while i < len(lines) and lines[i][0] == indent and not lines[i][1].startswith("- "):
        key, _, rest = lines[i][1].partition(":")
        rest = rest.strip()
        if rest:
            mapping[_scalar(key)] = _scalar(rest)
            i += 1
        elif (i + 1 < len(lines) and lines[i + 1][0] >= indent
              and (lines[i + 1][0] > indent or lines[i + 1][1].startswith("- "))):
            mapping[_scalar(key)], i = _parse(lines, i + 1, lines[i + 1][0])
        else:
            mapping[_scalar(key)] = None
            i += 1
    return mapping, i


def load_yaml_subset(text: str) -> Any:
    """Parse the subset; anything it cannot read comes back as None or a partial mapping."""
    lines = _lines(text)
    if not lines:
        return None
    value, _ = _parse(lines, 0, lines[0][0])
    return value
