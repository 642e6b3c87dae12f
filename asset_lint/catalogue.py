"""The rule catalogue (rules/*.md): the single source for `asset-lint rule`, the docs and the tests.

An entry is Markdown with TOML front matter between `+++` lines and fixed `##` sections. Each fenced
block of Example / Use instead is one file of a mini project (`title="path"`; untitled = assets.py).
In a wheel the folder ships as package data `asset_lint/rule_docs/`; in a checkout it is `rules/`.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead", "Options", "Exceptions")
_FENCE = re.compile(r'^```(?P<lang>\w+)?(?:\s+title="(?P<title>[^"]+)")?\s*\n(?P<body>.*?)^```\s*$',
                    re.MULTILINE | re.DOTALL)


class CatalogueError(Exception):
    """A malformed catalogue entry."""


@dataclass(frozen=True)
class ExampleFile:
    """One fenced block: a file of an example project."""

    path: str
    text: str


@dataclass(frozen=True)
class RuleDoc:
    """One catalogue entry."""

    code: str
    name: str
    summary: str
    severity: str
    default: bool
    dagster: str
    checked_with: str
    semantics: tuple
    sections: tuple          # ((heading, body), ...) in file order
    markdown: str            # the entry without its front matter
    example: tuple
    use_instead: tuple
    options: tuple


def _files(body: str) -> tuple:
    files = []
    for match in _FENCE.finditer(body):
        lang, title = match.group("lang") or "", match.group("title")
        path = title or ("pyproject.toml" if lang == "toml" else "assets.py")
        files.append(ExampleFile(path, match.group("body")))
    return tuple(files)


def parse_entry(text: str, source: str) -> RuleDoc:
    """Parse one entry; a malformed one raises CatalogueError naming the file."""
    parts = text.split("+++")
    if not text.startswith("+++") or len(parts) < 3:
        raise CatalogueError(f"{source}: no +++ front matter")
    try:
        meta = tomllib.loads(parts[1])
    except ValueError as exc:
        raise CatalogueError(f"{source}: front matter: {exc}") from None
    markdown = "+++".join(parts[2:]).strip() + "\n"
    sections, current, lines = [], None, []
    for line in markdown.splitlines():
        if line.startswith("## "):
            if current is not None:
                sections.append((current, "\n".join(lines).strip() + "\n"))
            current, lines = line[3:].strip(), []
        elif current is not None:
            lines.append(line)
    if current is not None:
        sections.append((current, "\n".join(lines).strip() + "\n"))
    by_heading = dict(sections)
    options = tuple(re.findall(r"^[-*]\s+`([a-z0-9-]+)`", by_heading.get("Options", ""), re.MULTILINE))
    try:
        return RuleDoc(
            code=meta["code"], name=meta["name"], summary=meta["summary"], severity=meta["severity"],
            default=bool(meta["default"]), dagster=meta["dagster"], checked_with=meta["checked-with"],
            semantics=tuple(meta.get("semantics", ())), sections=tuple(sections), markdown=markdown,
            example=_files(by_heading.get("Example", "")), use_instead=_files(by_heading.get("Use instead", "")),
            options=options)
    except KeyError as exc:
        raise CatalogueError(f"{source}: front matter lacks {exc}") from None


def _folder() -> Path:
    try:
        from importlib.resources import files
        shipped = files("asset_lint") / "rule_docs"
        if shipped.is_dir():
            return Path(str(shipped))
    except (ImportError, TypeError, ModuleNotFoundError):
        pass
    return Path(__file__).resolve().parent.parent / "rules"


@lru_cache(maxsize=1)
def load_catalogue() -> dict:
    """code -> RuleDoc, sorted by code."""
    docs = {}
    for path in sorted(_folder().glob("DG*.md")):
        doc = parse_entry(path.read_text(encoding="utf-8"), path.name)
        docs[doc.code] = doc
    return dict(sorted(docs.items()))


def write_example_project(files: Sequence[ExampleFile], dest: Path) -> None:
    """Write an example's blocks as files under dest (exactly the blocks, nothing added)."""
    for example in files:
        target = dest / example.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(example.text, encoding="utf-8")


def render_docs(dest: Path) -> list:
    """docs/rules/<CODE>-<name>.md for each rule, and an index table; returns the written paths."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    rows = ["# Rules", "", "| code | name | severity | on by default | Dagster itself | summary |",
            "|---|---|---|---|---|---|"]
    verdicts = {"load-error": "fails to load", "silent": "silently accepts", "mixed": "fails or silently accepts"}
    for code, doc in load_catalogue().items():
        page = dest / f"{code}-{doc.name}.md"
        header = (f"# {code} {doc.name}\n\n| severity | default | Dagster ({doc.checked_with}) | semantics |\n"
                  f"|---|---|---|---|\n| {doc.severity} | {'on' if doc.default else 'off'} | "
                  f"{verdicts.get(doc.dagster, doc.dagster)} | {', '.join(doc.semantics)} |\n\n")
        page.write_text(header + doc.markdown, encoding="utf-8")
        written.append(page)
        rows.append(f"| [{code}]({page.name}) | {doc.name} | {doc.severity} | {'yes' if doc.default else 'no'} | "
                    f"{verdicts.get(doc.dagster, doc.dagster)} | {doc.summary} |")
    index = dest / "index.md"
    index.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return [*written, index]


if __name__ == "__main__":  # python -m asset_lint.catalogue docs [DEST]
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("docs/rules")
    for written_path in render_docs(target):
        print(written_path)
