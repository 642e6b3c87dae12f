"""GitHub Actions workflow commands: one ::error / ::warning annotation per finding."""
from __future__ import annotations


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: list, severities: dict) -> str:
    """`::error file=…,line=…,col=…,title=CODE::message` (::warning for warning-level rules)."""
    lines = []
    for f in findings:
        level = "warning" if severities.get(f.code) == "warning" else "error"
        lines.append(f"::{level} file={_escape_property(f.path)},line={f.line},col={f.col + 1},"
                     f"endLine={f.site.span[2]},endColumn={f.site.span[3] + 1},"
                     f"title={_escape_property(f.code)}::{_escape_data(f.message)}")
    return "".join(line + "\n" for line in lines)
