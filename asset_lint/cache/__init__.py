"""The project's cache, in `.asset_lint_cache/v<version>-s<schema>/` (with a `.gitignore` of `*`, as
ruff does), read and written once per run by project_cache.ProjectCache:

- facts_store.py: each file's extracted FileFacts, found by stat, then by the sha256 of its bytes;
- last_run.py: the last run's raw findings, under a fingerprint of every input (each file counting
  by the digest of its facts), reused when all are unchanged;
- the resolved snapshot (resolve/snapshot.py), which a run after an edit resumes;
- files.py: atomic checksummed writes, and an unpickler that admits only asset-lint's plain data.
"""
from __future__ import annotations

from asset_lint.cache.files import CACHE_DIR, clean

__all__ = ["CACHE_DIR", "clean"]
