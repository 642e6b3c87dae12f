"""[tool.asset-lint] in pyproject.toml -> frozen Settings. Every error names the setting and the file."""
from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(Exception):
    """A bad setting: the CLI prints it on one line and exits 2."""


@dataclass(frozen=True)
class Settings:
    """What the user asked for; command-line flags override the file."""

    select: Optional[tuple] = None          # None = the catalogue's defaults
    extend_select: tuple = ()
    ignore: tuple = ()
    per_file_ignores: tuple = ()            # ((glob, (codes...)), ...)
    exclude: tuple = ()
    external_assets: tuple = ()             # globs of asset keys that live outside this codebase
    asset_decorators: tuple = ()            # dotted names of company wrappers around @asset
    op_decorators: tuple = ()               # ... around @op
    source: str = ""                        # the file the settings came from

    def with_overrides(self, **changes) -> "Settings":
        """A copy with command-line values applied (None means not given)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def is_external(self, key_string: str) -> bool:
        """Whether an asset key (its user string, "a/b") matches an external-assets glob."""
        return any(fnmatch.fnmatchcase(key_string, pattern) for pattern in self.external_assets)

    def extra_decorators(self) -> dict:
        """Wrapper name -> the Dagster decorator it stands for."""
        mapping = {name: "asset" for name in self.asset_decorators}
        mapping.update({name: "op" for name in self.op_decorators})
        return mapping


_LISTS_OF_CODES = ("select", "extend-select", "ignore")
_LISTS_OF_STRINGS = ("exclude", "external-assets", "asset-decorators", "op-decorators")
KNOWN_SETTINGS = frozenset({*_LISTS_OF_CODES, *_LISTS_OF_STRINGS, "per-file-ignores"})


def _codes(value, setting: str, source: str, known: frozenset) -> tuple:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: [tool.asset-lint] {setting} must be a list of rule codes")
    return tuple(validate_codes(value, f"{source}: [tool.asset-lint] {setting}", known))


def validate_codes(codes, where: str, known: frozenset) -> list:
    """Codes or code prefixes ("DG", "DG00") that match at least one known code."""
    result = []
    for code in codes:
        code = code.strip().upper()
        if code == "ALL":
            code = "DG"
        if not code or not any(k.startswith(code) for k in known):
            raise ConfigError(f"{where}: unknown rule code '{code}'")
        result.append(code)
    return result


def load_settings(root: Path, known_codes: frozenset) -> Settings:
    """Read [tool.asset-lint] from the project root's pyproject.toml (absent file: defaults)."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return Settings()
    source = str(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        import re
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        if where:
            location = f"{source}:{where.group(1)}:{where.group(2)}"
        else:  # "at end of document": the line after the last one
            text = path.read_text(encoding="utf-8", errors="replace")
            location = f"{source}:{text.count(chr(10)) + 1}:{len(text.rsplit(chr(10), 1)[-1]) + 1}"
        reason = reason.replace(" (at end of document)", "")
        raise ConfigError(f"{location}: invalid TOML: {reason}") from None
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read: {exc.strerror}") from None
    table = data.get("tool", {}).get("asset-lint")
    if table is None:
        return Settings(source=source)
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [tool.asset-lint] must be a table")
    values: dict = {}
    for key, value in table.items():
        if key not in KNOWN_SETTINGS:
            raise ConfigError(f"{source}: unknown setting '{key}' in [tool.asset-lint]")
        attr = key.replace("-", "_")
        if key in _LISTS_OF_CODES:
            values[attr] = _codes(value, key, source, known_codes)
        elif key in _LISTS_OF_STRINGS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{source}: [tool.asset-lint] {key} must be a list of strings")
            values[attr] = tuple(value)
        else:
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: [tool.asset-lint] per-file-ignores must be a table of glob = [codes]")
            values[attr] = tuple((glob, _codes(codes, f"per-file-ignores.{glob}", source, known_codes))
                                 for glob, codes in value.items())
    return Settings(source=source, **values)


__all__ = ["ConfigError", "Settings", "load_settings", "validate_codes"]
