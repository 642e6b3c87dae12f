"""The flake8 adapter: reports, for the file flake8 is checking, every project-level finding in it.

The project is analysed once per process (flake8 spreads files over worker processes) and the
result is memoised; an editor's unsaved buffer (stdin) replaces the file on disk in the analysis.
Selection, `# noqa` and per-file-ignores stay with flake8.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterator, Optional, Sequence

from asset_lint import __version__

_RESULTS: dict = {}


def _findings_for(root: Path, rel: str, buffer: Optional[str]) -> list:
    from asset_lint.engine import analyse
    digest = hashlib.sha256(buffer.encode("utf-8")).hexdigest() if buffer is not None else None
    memo_key = (str(root), rel if digest else None, digest)
    if memo_key not in _RESULTS:
        sources = {rel: buffer.encode("utf-8")} if buffer is not None else None
        analysis = analyse([str(root)], {"select": ("DG",)}, root=root, sources=sources, apply_noqa=False)
        by_path: dict = {}
        for finding in analysis.findings:
            by_path.setdefault(finding.path, []).append(finding)
        _RESULTS[memo_key] = by_path
    return _RESULTS[memo_key].get(rel, [])


class AssetLintChecker:
    """flake8 AST plugin (the `tree` argument is what makes flake8 treat it as one)."""

    name = "asset-lint"
    version = __version__

    def __init__(self, tree, filename: str, lines: Sequence[str] = ()) -> None:
        self.filename = filename
        self.lines = lines

    def _buffer(self, path: Path) -> Optional[str]:
        """The text flake8 checks when it differs from the file on disk (stdin from an editor)."""
        text = "".join(self.lines)
        try:
            on_disk = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return text
        return None if on_disk == text else text

    def run(self) -> Iterator[tuple]:
        """Yield (line, col, "DGnnn message", type) for this file's findings."""
        if os.environ.get("ASSET_LINT_DISABLE_FLAKE8"):  # the benchmark's "without the plugin" baseline
            return
        from asset_lint.config import ConfigError
        from asset_lint.discover import find_project_root
        if self.filename in ("stdin", "-", None):
            return
        path = Path(os.path.abspath(self.filename))
        root = find_project_root(path)
        try:
            rel = path.relative_to(root).as_posix()
            findings = _findings_for(root, rel, self._buffer(path))
        except (ConfigError, ValueError):
            return
        for finding in findings:
            yield finding.line, finding.col, f"{finding.code} {finding.message}", type(self)
