"""The rule catalogue (rules/*.md): the single source for `asset-lint rule`, the docs and the tests.

An entry is Markdown with TOML front matter between `+++` lines and six fixed `##` sections. Each
fenced block of Example / Use instead is one file of a mini project (`title="path"`; an untitled
python block is `assets.py`). In a wheel the folder ships as package data `asset_lint/rule_docs/`
(hatchling force-include); in a source checkout it is the top-level `rules/`.

    python -m asset_lint.catalogue docs [DEST]     # render docs/rules/ (generated, gitignored)
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Iterator, List, Optional, Sequence, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.9/3.10
    import tomli as tomllib

HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead", "Options", "Exceptions")
SEVERITIES = ("error", "warning")
VERDICTS = {"load-error": "fails to load", "silent": "silently accepts", "mixed": "fails or silently accepts"}
FIELDS = {"code": str, "name": str, "summary": str, "severity": str, "default": bool, "dagster": str,
          "checked-with": str, "semantics": list}
CODE_PATTERN = re.compile(r"DG[0-9]{3}\Z")
NAME_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
SEMANTICS_PATTERN = re.compile(r"(?:[0-9]+\.[0-9]+[a-z]?|R[0-9]+\.[0-9]+|[A-Z])\Z")  # row 8.12, rule R3.2, appendix A

_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\r?\n(?P<toml>.*?)^\+\+\+[ \t]*\r?\n?(?P<rest>.*)\Z",
                           re.MULTILINE | re.DOTALL)
_FENCE_OPEN = re.compile(r"^(?P<fence>`{3,})(?P<info>.*)$")
_TITLE = re.compile(r'title="(?P<title>[^"]+)"')
_OPTION = re.compile(r"^[-*+]\s+`(?P<name>[A-Za-z0-9_-]+)`", re.MULTILINE)


class CatalogueError(ValueError):
    """A malformed catalogue entry; the message starts with the entry's file name."""


@dataclass(frozen=True)
class ExampleFile:
    """One fenced block of an example: a file of a mini project."""

    path: str
    text: str


@dataclass(frozen=True)
class RuleDoc:
    """One catalogue entry: front matter, sections and the two example projects."""

    code: str
    name: str
    summary: str
    severity: str
    default: bool
    dagster: str
    checked_with: str
    semantics: tuple[str, ...]
    sections: tuple[tuple[str, str], ...]   # (heading, markdown body) in file order
    markdown: str                           # the whole entry, front matter stripped
    example: tuple[ExampleFile, ...]
    use_instead: tuple[ExampleFile, ...]
    options: tuple[str, ...]

    @property
    def filename(self) -> str:
        """The entry's file name, `DG002-missing-upstream-asset.md`."""
        return f"{self.code}-{self.name}.md"

    def section(self, heading: str) -> str:
        """The body of one `##` section ('' when absent)."""
        return dict(self.sections).get(heading, "")


@dataclass(frozen=True)
class _Fence:
    info: str       # what follows the opening backticks: `python title="defs/assets.py"`
    body: str
    line: int       # 1-based line of the opening fence within its section


def _fences(markdown: str) -> Iterator[Tuple[int, bool, Optional[_Fence]]]:
    """Walk the lines: (index, False, None) for prose, (index of the opening fence, True, block) for code."""
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        opened = _FENCE_OPEN.match(lines[index])
        if not opened:
            yield index, False, None
            index += 1
            continue
        ticks, start = opened.group("fence"), index
        index += 1
        while index < len(lines) and not (lines[index].startswith(ticks) and not lines[index].strip("`").strip()):
            index += 1
        if index >= len(lines):
            raise ValueError(f"line {start + 1}: code block never closed")
        body = "".join(line + "\n" for line in lines[start + 1:index])
        yield start, True, _Fence(opened.group("info").strip(), body, start + 1)
        index += 1


def _split_sections(markdown: str, source: str) -> List[Tuple[str, str]]:
    """[(heading, body)] for each `##` heading outside code blocks; text before the first is an error."""
    lines = markdown.splitlines()
    try:
        walk = list(_fences(markdown))
    except ValueError as exc:
        raise CatalogueError(f"{source}: {exc}") from None
    starts = [(i, lines[i][3:].strip()) for i, in_code, _ in walk if not in_code and lines[i].startswith("## ")]
    preamble = "\n".join(lines[:starts[0][0]] if starts else lines).strip()
    if preamble:
        raise CatalogueError(f"{source}: text before the first '## ' heading: {preamble.splitlines()[0]!r}")
    sections = []
    for number, (start, heading) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        sections.append((heading, "\n".join(lines[start + 1:end]).strip() + "\n"))
    return sections


def _example_files(body: str, where: str) -> tuple[ExampleFile, ...]:
    """The files of one example section: a titled block is that path; an untitled python block is assets.py."""
    files: List[ExampleFile] = []
    for _, in_code, fence in _fences(body):
        if not in_code or fence is None:
            continue
        words = fence.info.split()
        language = words[0] if words and "=" not in words[0] else ""
        titled = _TITLE.search(fence.info)
        if titled:
            path = titled.group("title")
        elif language in ("", "python", "py"):
            path = "assets.py"
        else:
            continue  # an untitled console/text block is prose, not a file
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or "\\" in path:
            raise CatalogueError(f"{where}: block at line {fence.line}: path {path!r} must be relative and POSIX")
        if any(f.path == path for f in files):
            raise CatalogueError(f"{where}: two blocks are file {path!r}")
        files.append(ExampleFile(path, fence.body))
    return tuple(files)


def _front_matter(text: str, source: str) -> Tuple[dict, str]:
    """The TOML table and the Markdown after it."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        raise CatalogueError(f"{source}: the entry must start with TOML front matter between '+++' lines")
    try:
        meta = tomllib.loads(match.group("toml"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{source}: front matter is not valid TOML: {exc}") from None
    return meta, match.group("rest")


def _check_meta(meta: dict, source: str) -> None:
    """Every field present with its type and an allowed value; unknown fields are typos."""
    for field, kind in FIELDS.items():
        if field not in meta:
            raise CatalogueError(f"{source}: front matter lacks '{field}'")
        if not isinstance(meta[field], kind):
            raise CatalogueError(f"{source}: front matter '{field}' must be a {kind.__name__}, "
                                 f"not {type(meta[field]).__name__}")
    unknown = sorted(set(meta) - set(FIELDS))
    if unknown:
        raise CatalogueError(f"{source}: unknown front matter field(s) {', '.join(unknown)}")
    checks = [
        (CODE_PATTERN.match(meta["code"]), f"code {meta['code']!r} is not DG + 3 digits"),
        (NAME_PATTERN.match(meta["name"]), f"name {meta['name']!r} is not kebab-case"),
        (meta["severity"] in SEVERITIES, f"severity must be one of {SEVERITIES}"),
        (meta["dagster"] in VERDICTS, f"dagster must be one of {tuple(VERDICTS)}"),
        (meta["checked-with"].startswith("dagster=="), "checked-with must pin 'dagster==X.Y.Z'"),
        (meta["summary"].strip() != "" and "\n" not in meta["summary"], "summary must be one non-empty line"),
        (all(isinstance(s, str) and SEMANTICS_PATTERN.match(s) for s in meta["semantics"]),
         "semantics must list rows ('8.12'), rules ('R3.2') or appendices ('A') of dagster-semantics.md"),
    ]
    for ok, reason in checks:
        if not ok:
            raise CatalogueError(f"{source}: {reason}")


def parse_entry(text: str, source: str) -> RuleDoc:
    """Parse one entry; a malformed one raises CatalogueError naming the source."""
    meta, rest = _front_matter(text, source)
    _check_meta(meta, source)
    markdown = rest.strip() + "\n"
    sections = _split_sections(markdown, source)
    headings = tuple(heading for heading, _ in sections)
    if headings != HEADINGS:
        raise CatalogueError(f"{source}: the '## ' headings must be {list(HEADINGS)}, found {list(headings)}")
    body = dict(sections)
    example = _example_files(body["Example"], f"{source}: Example")
    use_instead = _example_files(body["Use instead"], f"{source}: Use instead")
    if not example or not use_instead:
        raise CatalogueError(f"{source}: Example and Use instead each need at least one fenced file")
    return RuleDoc(
        code=meta["code"], name=meta["name"], summary=meta["summary"], severity=meta["severity"],
        default=meta["default"], dagster=meta["dagster"], checked_with=meta["checked-with"],
        semantics=tuple(meta["semantics"]), sections=tuple(sections), markdown=markdown,
        example=example, use_instead=use_instead,
        options=tuple(m.group("name") for m in _OPTION.finditer(body["Options"])))


def _entries() -> Iterator[Tuple[str, str]]:
    """(file name, text) of every entry: the wheel's package data, else the checkout's rules/."""
    # the package's own folder first: importlib.resources (needed only for a zipped install) costs
    # every run more to import than reading the entries does
    for folder in (Path(__file__).resolve().parent / "rule_docs", catalogue_folder()):
        if folder.is_dir():
            for path in sorted(folder.glob("DG*.md")):
                yield path.name, path.read_text(encoding="utf-8")
            return
    try:
        from importlib.resources import files
        shipped = files("asset_lint") / "rule_docs"
        if shipped.is_dir():
            for item in sorted(shipped.iterdir(), key=lambda i: i.name):
                if item.name.startswith("DG") and item.name.endswith(".md"):
                    yield item.name, item.read_text(encoding="utf-8")
    except (ImportError, ModuleNotFoundError, TypeError, OSError):
        pass  # no package data at all: no entries


def catalogue_folder() -> Path:
    """The source checkout's catalogue folder (top-level `rules/`)."""
    return Path(__file__).resolve().parent.parent / "rules"


@lru_cache(maxsize=1)
def _load() -> tuple[RuleDoc, ...]:
    docs = {}
    for filename, text in _entries():
        doc = parse_entry(text, filename)
        if filename != doc.filename:
            raise CatalogueError(f"{filename}: the file must be named {doc.filename}")
        if doc.code in docs:
            raise CatalogueError(f"{filename}: code {doc.code} is also used by {docs[doc.code].filename}")
        docs[doc.code] = doc
    return tuple(docs[code] for code in sorted(docs))


def defaults() -> dict[str, bool]:
    """code -> on by default, from the entries' front matter alone (every run needs these; only
    the reports and the docs need the rest, whose parse costs more than a small project's lint)."""
    found = {}
    for filename, text in _entries():
        meta, _ = _front_matter(text, filename)
        found[str(meta["code"])] = meta.get("default", True) is not False
    return found


def load_catalogue() -> dict[str, RuleDoc]:
    """code -> RuleDoc, sorted by code (parsed once per process)."""
    return {doc.code: doc for doc in _load()}


def write_example_project(files: Sequence[ExampleFile], dest: Path) -> None:
    """Write an example's blocks as files under dest: exactly the blocks, no __init__.py added."""
    for example in files:
        target = Path(dest, *PurePosixPath(example.path).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(example.text, encoding="utf-8")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_page(doc: RuleDoc) -> str:
    """One rule's documentation page: a title line, a metadata table, then the entry itself."""
    options = ", ".join(f"`{o}`" for o in doc.options) or "none"
    return (f"# {doc.code} {doc.name}\n\n"
            f"{doc.summary[:1].upper()}{doc.summary[1:]}.\n\n"
            "| severity | on by default | Dagster itself | checked with | semantics | options |\n"
            "|---|---|---|---|---|---|\n"
            f"| {doc.severity} | {'yes' if doc.default else 'no'} | {VERDICTS[doc.dagster]} | "
            f"`{doc.checked_with}` | {', '.join(doc.semantics)} | {options} |\n\n"
            f"{doc.markdown}")


def render_index(docs: Sequence[RuleDoc]) -> str:
    """The rules index: one table row per rule."""
    rows = ["# Rules", "",
            "Generated from `rules/` by `python -m asset_lint.catalogue docs`; edit the entries, not this page.", "",
            "| code | name | severity | default | Dagster's verdict | summary |",
            "|---|---|---|---|---|---|"]
    rows.extend(f"| [{d.code}]({d.filename}) | {d.name} | {d.severity} | {'on' if d.default else 'off'} | "
                f"{VERDICTS[d.dagster]} | {_cell(d.summary)} |" for d in docs)
    return "\n".join(rows) + "\n"


def render_docs(dest: Path) -> list[Path]:
    """Write dest/<CODE>-<name>.md per rule and dest/index.md; stale generated pages are removed."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    docs = list(load_catalogue().values())
    wanted = {doc.filename for doc in docs}
    for stale in dest.glob("DG[0-9][0-9][0-9]-*.md"):
        if stale.name not in wanted:
            stale.unlink()
    written = []
    for doc in docs:
        page = dest / doc.filename
        page.write_text(render_page(doc), encoding="utf-8")
        written.append(page)
    index = dest / "index.md"
    index.write_text(render_index(docs), encoding="utf-8")
    return [*written, index]


def main(argv: Optional[Sequence[str]] = None) -> int:
    """`python -m asset_lint.catalogue docs [DEST]`: render the rule pages."""
    parser = argparse.ArgumentParser(prog="python -m asset_lint.catalogue", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    docs = commands.add_parser("docs", help="render one page per rule plus index.md")
    docs.add_argument("dest", nargs="?", default="docs/rules", type=Path)
    args = parser.parse_args(argv)
    try:
        for path in render_docs(args.dest):
            print(path)
    except CatalogueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
