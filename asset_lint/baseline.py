"""Baselines for adopting asset-lint on an existing codebase.

A finding's identity is semantic — rule code, what it is about (asset key, op name, table), and
file — not its line, so moving code does not break the baseline. Entries are counted: two equal
findings need two entries.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from asset_lint.config import ConfigError

VERSION = 1


def identity(finding) -> tuple:
    """(code, path, what it is about)."""
    return (finding.code, finding.path, finding.identity or finding.message)


def write(path: Path, findings: list) -> int:
    """Record today's findings (replacing the file, so stale entries are pruned); returns the count."""
    entries = [{"code": c, "path": p, "identity": i} for c, p, i in sorted(identity(f) for f in findings)]
    path.write_text(json.dumps({"version": VERSION, "findings": entries}, indent=2) + "\n", encoding="utf-8")
    return len(entries)


def read(path: Path) -> Counter:
    """The baseline's entries as a multiset; a bad file is a configuration error (exit 2)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Counter((e["code"], e["path"], e["identity"]) for e in data["findings"])
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read baseline ({exc.strerror})") from None
    except (ValueError, KeyError, TypeError):
        raise ConfigError(
            f"{path}: not an asset-lint baseline (expected {{\"version\": 1, \"findings\": [...]}})"
        ) from None


def apply(findings: list, known: Counter) -> tuple:
    """(new findings, stale entries): findings beyond the baseline, and entries nothing matched."""
    remaining = Counter(known)
    new = []
    for finding in findings:
        key = identity(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(finding)
    stale = sorted(key for key, count in remaining.items() for _ in range(count))
    return new, stale
