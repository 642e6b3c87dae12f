"""Which findings are reported: select/ignore, per-file-ignores, `# noqa`, and the paths asked for."""
from __future__ import annotations

import fnmatch
from typing import Iterable, Optional

from asset_lint.codes import SUPERSEDES
from asset_lint.config import Settings
from asset_lint.findings import Finding


def enabled_codes(settings: Settings, all_codes: Iterable[str], defaults: dict) -> set:
    """Codes to run: select (or the defaults) plus extend-select, minus ignore; longest prefix wins."""
    codes = sorted(all_codes)
    chosen = set()
    for code in codes:
        selectors = [(p, True) for p in (settings.select if settings.select is not None else ())]
        selectors += [(p, True) for p in settings.extend_select]
        selectors += [(p, False) for p in settings.ignore]
        matching = [(len(p), on) for p, on in selectors if code.startswith(p)]
        if matching:
            # the most specific selector decides; at equal length ignore wins (ruff's rule)
            best = max(matching, key=lambda m: (m[0], not m[1]))
            if best[1]:
                chosen.add(code)
        elif settings.select is None and defaults.get(code, True):
            chosen.add(code)
    return chosen


def _noqa_suppresses(noqa: Optional[dict], finding: Finding) -> bool:
    if not noqa or finding.line not in noqa:
        return False
    codes = noqa[finding.line]
    return codes is None or finding.code in codes


def keep(findings: Iterable[Finding], settings: Settings, enabled: set, noqa_by_path: dict,
         wanted_paths: Optional[list], supersede: bool = True) -> list:
    """Findings that survive every filter, sorted by path, position and code.

    supersede=False keeps the findings SUPERSEDES would hide: for a caller that selects afterwards
    (flake8 applies its own --select/--ignore, so it cannot know yet which finding will be shown)."""
    result = []
    for finding in findings:
        if finding.code not in enabled:
            continue
        if any(fnmatch.fnmatch(finding.path, glob) and any(finding.code.startswith(c) for c in codes)
               for glob, codes in settings.per_file_ignores):
            continue
        if _noqa_suppresses(noqa_by_path.get(finding.path), finding):
            continue
        if wanted_paths is not None and not any(finding.path == p or finding.path.startswith(p.rstrip("/") + "/")
                                                or p in ("", ".") for p in wanted_paths):
            continue
        result.append(finding)
    hidden = {(code, f.site) for f in result for code in SUPERSEDES.get(f.code, ())} if supersede else set()
    unique = {(f.code, f.site, f.message): f for f in result if (f.code, f.site) not in hidden}
    return sorted(unique.values(), key=Finding.sort_key)
