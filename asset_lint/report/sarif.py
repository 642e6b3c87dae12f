"""SARIF 2.1.0 for code scanning: one result per finding, rule metadata from the catalogue."""
from __future__ import annotations

import hashlib
import json

from asset_lint import __version__

RULE_URL = "https://github.com/asset-lint/asset-lint/blob/main/rules/{file}"
INVALID_SYNTAX = {"name": "invalid-syntax", "summary": "a file Python cannot parse",
                  "full": "The file has a syntax error; what it defines is treated as unknown.", "severity": "error"}


def _location(site, message: str = None) -> dict:
    line, col, end_line, end_col = site.span
    location = {"physicalLocation": {
        "artifactLocation": {"uri": site.path, "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": max(line, 1), "startColumn": col + 1,
                   "endLine": max(end_line, line, 1), "endColumn": max(end_col + 1, 1)}}}
    if message:
        location["message"] = {"text": message}
    return location


def _notifications(partial: tuple) -> list:
    """A note per unknown of each code location analysed only partly (toolExecutionNotifications)."""
    notes = []
    for location in partial:
        rules = ", ".join(location.limited_rules()) or "no rule"
        for gap in location.gaps:
            note = {"level": "note", "descriptor": {"id": "partial-analysis"},
                    "message": {"text": f"code location '{location.name}' was analysed only partly: {gap.reason} "
                                        f"(could be {gap.what()}); limited there: {rules}"}}
            if gap.site is not None and gap.site.path:
                note["locations"] = [_location(gap.site)]
            notes.append(note)
    return notes


def render(findings: list, rules: dict, root_uri: str, partial: tuple = ()) -> str:
    """`rules`: code -> {name, summary, full, severity}; paths stay relative to %SRCROOT% (the project root);
    `partial`: the code locations analysed only partly (resolve.gaps.PartialLocation)."""
    codes = sorted(set(rules) | {f.code for f in findings})
    index = {code: i for i, code in enumerate(codes)}
    descriptors = []
    for code in codes:
        meta = rules.get(code) or INVALID_SYNTAX
        descriptors.append({
            "id": code, "name": meta["name"],
            "shortDescription": {"text": meta["summary"]},
            "fullDescription": {"text": meta.get("full") or meta["summary"]},
            "helpUri": RULE_URL.format(file=f"{code}-{meta['name']}.md"),
            "defaultConfiguration": {"level": "warning" if meta["severity"] == "warning" else "error"},
        })
    results = []
    for f in findings:
        meta = rules.get(f.code) or INVALID_SYNTAX
        fingerprint = hashlib.sha256(f"{f.code}|{f.path}|{f.identity or f.message}".encode()).hexdigest()[:32]
        result = {
            "ruleId": f.code, "ruleIndex": index[f.code],
            "level": "warning" if meta["severity"] == "warning" else "error",
            "message": {"text": f.message}, "locations": [_location(f.site)],
            "partialFingerprints": {"assetLintIdentity/v1": fingerprint},
        }
        if f.related:
            result["relatedLocations"] = [dict(_location(r.site, r.message), id=i) for i, r in enumerate(f.related)]
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "asset-lint", "version": __version__, "semanticVersion": __version__,
                                "informationUri": "https://github.com/asset-lint/asset-lint", "rules": descriptors}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": _notifications(partial)}],
            "results": results,
        }],
    }
    return json.dumps(log, indent=2) + "\n"
