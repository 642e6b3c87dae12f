"""The catalogue's format: every rules/*.md entry parses into a RuleDoc, and the parser rejects bad entries.

Whether the examples yield their markers is test_catalogue.py's job (it runs the linter); whether
Dagster agrees is test_differential.py's. Here: front matter, headings, names, example projects and
the rendered docs.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from asset_lint.catalogue import (HEADINGS, CatalogueError, ExampleFile, RuleDoc, catalogue_folder, load_catalogue,
                                  parse_entry, render_docs, write_example_project)
from markers import markers_in_text

REPO = Path(__file__).resolve().parent.parent
ENTRIES = sorted(catalogue_folder().glob("*.md"))
DOCS = load_catalogue()


def _markers(files) -> list:
    return [m for f in files if f.path.endswith(".py") for m in markers_in_text(f.path, f.text)]


def _entry(path: Path) -> RuleDoc:
    return parse_entry(path.read_text(encoding="utf-8"), path.name)


def test_the_catalogue_is_in_the_checkout_and_markdown_only() -> None:
    """The wheel force-includes rules/ verbatim as asset_lint/rule_docs, so it must hold entries only."""
    assert catalogue_folder() == REPO / "rules"
    assert ENTRIES, "no catalogue entries found"
    assert sorted(p.name for p in catalogue_folder().iterdir()) == [p.name for p in ENTRIES]
    assert list(DOCS) == sorted(DOCS) == sorted(_entry(p).code for p in ENTRIES)


@pytest.mark.parametrize("path", ENTRIES, ids=lambda p: p.stem)
def test_entry_parses_and_is_named_after_its_front_matter(path: Path) -> None:
    doc = _entry(path)
    assert path.name == f"{doc.code}-{doc.name}.md" == doc.filename
    assert re.fullmatch(r"DG[0-9]{3}", doc.code)
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", doc.name), "names are kebab-case"
    assert not doc.name.startswith(("no-", "bad-")), "names name the pattern, not the fix"
    assert DOCS[doc.code] == doc


@pytest.mark.parametrize("code", sorted(DOCS))
def test_front_matter_types_and_values(code: str) -> None:
    doc = DOCS[code]
    for value in (doc.code, doc.name, doc.summary, doc.severity, doc.dagster, doc.checked_with):
        assert isinstance(value, str) and value.strip()
    assert isinstance(doc.default, bool)
    assert doc.severity in ("error", "warning")
    assert doc.dagster in ("load-error", "silent", "mixed")
    assert doc.checked_with == "dagster==1.13.28"
    assert isinstance(doc.semantics, tuple) and doc.semantics
    assert all(re.fullmatch(r"[0-9]+\.[0-9]+[a-z]?|R[0-9]+\.[0-9]+|[A-Z]", s) for s in doc.semantics)
    assert "\n" not in doc.summary and not doc.summary.endswith("."), "a summary is one phrase"


@pytest.mark.parametrize("code", sorted(DOCS))
def test_headings_in_order(code: str) -> None:
    doc = DOCS[code]
    assert tuple(heading for heading, _ in doc.sections) == HEADINGS
    assert all(body.strip() for _, body in doc.sections), "no empty section"
    assert doc.markdown.startswith("## What it does\n"), "the markdown is the entry without its front matter"


@pytest.mark.parametrize("code", sorted(DOCS))
def test_example_has_markers_and_use_instead_has_none(code: str) -> None:
    doc = DOCS[code]
    expected = _markers(doc.example)
    assert expected, "the Example needs at least one '# expect:' marker"
    assert {c for _, _, c, _ in expected} == {code}, "an Example marks only its own rule"
    assert not _markers(doc.use_instead)
    assert "# expect" not in "".join(f.text for f in doc.use_instead)


@pytest.mark.parametrize("code", sorted(DOCS))
@pytest.mark.parametrize("side", ["example", "use_instead"])
def test_examples_are_complete_projects(code: str, side: str) -> None:
    """Every block is valid Python with a POSIX path; one module holds the code location's Definitions."""
    files = getattr(DOCS[code], side)
    assert files and len({f.path for f in files}) == len(files)
    definitions = []
    for block in files:
        assert not block.path.startswith("/") and ".." not in block.path.split("/")
        if block.path.endswith(".py"):
            tree = ast.parse(block.text, filename=block.path)
            if any(isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)
                   and "Definitions" in (getattr(n.value.func, "id", None), getattr(n.value.func, "attr", None))
                   for n in tree.body):
                definitions.append(block.path)
            assert "import pandas" not in block.text and "from pandas" not in block.text
    assert len(definitions) == 1, f"exactly one module-level Definitions(...), found {definitions}"


@pytest.mark.parametrize("code", sorted(DOCS))
def test_options_section(code: str) -> None:
    doc = DOCS[code]
    body = doc.section("Options").strip()
    if doc.options:
        assert all(re.fullmatch(r"[a-z][a-z0-9-]*", name) for name in doc.options)
    else:
        assert body == "None.", "write 'None.' when a rule has no options"


def test_render_docs_writes_a_page_per_rule_and_an_index(tmp_path: Path) -> None:
    (tmp_path / "DG999-removed-long-ago.md").write_text("stale", encoding="utf-8")
    written = render_docs(tmp_path)
    assert sorted(p.name for p in written) == sorted([d.filename for d in DOCS.values()] + ["index.md"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written), "stale pages go"
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert "| code | name | severity | default | Dagster's verdict | summary |" in index
    for doc in DOCS.values():
        page = (tmp_path / doc.filename).read_text(encoding="utf-8")
        assert page.startswith(f"# {doc.code} {doc.name}\n")
        assert doc.checked_with in page and doc.markdown in page
        assert f"[{doc.code}]({doc.filename})" in index and doc.summary in index


def test_module_command_renders_docs(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "asset_lint.catalogue", "docs", str(tmp_path / "out")],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "index.md").is_file()
    assert len(result.stdout.splitlines()) == len(DOCS) + 1


def test_rendered_rule_pages_are_not_committed() -> None:
    """docs/rules/ is generated (house style, as ruff's): gitignored, never a second copy to keep current."""
    assert "docs/rules/" in (REPO / ".gitignore").read_text(encoding="utf-8").split()


def test_readme_table_lists_every_rule() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for doc in DOCS.values():
        assert f"| [{doc.code}](rules/{doc.filename}) | {doc.name} | {doc.severity} |" in readme, doc.code
        assert (REPO / "rules" / doc.filename).is_file(), doc.filename


def test_write_example_project_writes_exactly_the_blocks(tmp_path: Path) -> None:
    files = (ExampleFile("defs/assets.py", "x = 1\n"), ExampleFile("pyproject.toml", "[tool.asset-lint]\n"))
    write_example_project(files, tmp_path)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["defs/assets.py", "pyproject.toml"]
    assert (tmp_path / "defs" / "assets.py").read_text(encoding="utf-8") == "x = 1\n"


# --- the parser on hand-made entries -------------------------------------------------------------

FRONT = """\
+++
code = "DG900"
name = "made-up-rule"
summary = "a rule made up for the parser's tests"
severity = "warning"
default = false
dagster = "silent"
checked-with = "dagster==1.13.28"
semantics = ["8.12", "R3.2"]
+++
"""
BODY = '''\
## What it does
Finds made-up things.

## Why is this bad?
```python
## not a heading: inside a code block
```

## Example
```python title="defs/assets.py"
from dagster import asset
@asset(deps=["custmer"])  # expect: DG900
def orders(): ...
```
```python
x = 1
```
```toml title="pyproject.toml"
[tool.asset-lint]
```
```text
console output is prose, not a file
```

## Use instead
```python title="defs/assets.py"
x = 2
```

## Options
- `external-prefixes`: keys under these prefixes are skipped.
* `max-depth` - how far to look.

## Exceptions
None.
'''


def test_parse_a_well_formed_entry() -> None:
    doc = parse_entry(FRONT + BODY, "DG900-made-up-rule.md")
    assert (doc.code, doc.name, doc.default, doc.semantics) == ("DG900", "made-up-rule", False, ("8.12", "R3.2"))
    assert [h for h, _ in doc.sections] == list(HEADINGS)
    assert "## not a heading" in doc.section("Why is this bad?")
    assert [f.path for f in doc.example] == ["defs/assets.py", "assets.py", "pyproject.toml"]
    assert doc.example[0].text.endswith("def orders(): ...\n")
    assert doc.use_instead == (ExampleFile("defs/assets.py", "x = 2\n"),)
    assert doc.options == ("external-prefixes", "max-depth")
    assert doc.markdown.startswith("## What it does") and doc.markdown.endswith("None.\n")


@pytest.mark.parametrize("text,reason", [
    (BODY, "front matter"),
    (FRONT.replace('code = "DG900"', 'code = "DG900'), "valid TOML"),
    (FRONT.replace('severity = "warning"\n', ""), "lacks 'severity'"),
    (FRONT.replace("default = false", 'default = "no"'), "'default' must be a bool"),
    (FRONT.replace('severity = "warning"', 'severity = "info"'), "severity"),
    (FRONT.replace('dagster = "silent"', 'dagster = "maybe"'), "dagster"),
    (FRONT.replace('name = "made-up-rule"', 'name = "Made_Up"'), "kebab-case"),
    (FRONT.replace('code = "DG900"', 'code = "X1"'), "DG + 3 digits"),
    (FRONT.replace('semantics = ["8.12", "R3.2"]', 'semantics = ["section eight"]'), "semantics"),
    (FRONT.replace("+++\n", "+++\nchecked_with = 1\n", 1), "unknown front matter"),
])
def test_malformed_front_matter_is_rejected(text: str, reason: str) -> None:
    entry = text if text is BODY else text + BODY
    with pytest.raises(CatalogueError, match=re.escape(reason)) as raised:
        parse_entry(entry, "DG900-made-up-rule.md")
    assert str(raised.value).startswith("DG900-made-up-rule.md: ")


@pytest.mark.parametrize("body,reason", [
    (BODY.replace("## Options", "## Configuration"), "headings must be"),
    (BODY.replace("## Exceptions\nNone.\n", ""), "headings must be"),
    (BODY.replace("## Use instead", "## Exceptions\nNone.\n\n## Use instead"), "headings must be"),
    ("Intro text.\n\n" + BODY, "text before the first"),
    (BODY + "\n```python\nx = 1\n", "never closed"),
    (BODY.replace('title="pyproject.toml"', 'title="defs/assets.py"'), "two blocks are file"),
    (BODY.replace('title="pyproject.toml"', 'title="../outside.toml"'), "must be relative"),
    (BODY.replace('x = 2\n', '').replace('```python title="defs/assets.py"\n```\n', ''), "at least one"),
])
def test_malformed_body_is_rejected(body: str, reason: str) -> None:
    with pytest.raises(CatalogueError, match=re.escape(reason)):
        parse_entry(FRONT + body, "DG900-made-up-rule.md")


def test_catalogue_module_keeps_the_python_floor() -> None:
    """Python 3.9: no match statements, and annotations stay strings (from __future__ import annotations)."""
    source = (REPO / "asset_lint" / "catalogue.py").read_text(encoding="utf-8")
    tree = ast.parse(source, feature_version=(3, 9))
    assert any(isinstance(n, ast.ImportFrom) and n.module == "__future__" for n in tree.body)
    assert "tomli" in source and "tomllib" in source
