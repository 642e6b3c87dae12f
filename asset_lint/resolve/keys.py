"""Asset-key coercion exactly as Dagster does it (semantics R1.3, R1.4, R1.7)."""
from __future__ import annotations

from typing import Optional

from asset_lint.resolve.values import Call, Const, Definition, DictV, KeyV, Seq, Unknown, Value


def coerce_key(value: Optional[Value]) -> Optional[tuple]:
    """AssetKey.from_coercible: a str is ONE component, a list is the path. None = unknown."""
    if isinstance(value, Const) and isinstance(value.value, str):
        return (value.value,)
    if isinstance(value, KeyV):
        return value.path
    if isinstance(value, Seq):
        parts = [v.value for v in value.items if isinstance(v, Const) and isinstance(v.value, str)]
        return tuple(parts) if len(parts) == len(value.items) and parts else None
    if isinstance(value, Definition) and value.complete and len(value.specs) == 1:
        return value.specs[0].key
    if isinstance(value, Call) and value.name == "AssetDep":
        return coerce_key(value.arg(0, "asset"))
    return None


def coerce_prefix(value: Optional[Value]) -> Optional[tuple]:
    """key_prefix: a str is one component, a list many; empty strings are dropped (R1.4)."""
    if value is None or (isinstance(value, Const) and value.value is None):
        return ()
    if isinstance(value, Const) and isinstance(value.value, str):
        return (value.value,) if value.value else ()
    if isinstance(value, Seq):
        parts = [v.value for v in value.items if isinstance(v, Const) and isinstance(v.value, str)]
        return tuple(p for p in parts if p) if len(parts) == len(value.items) else None
    return None


def key_from_user_string(text: str) -> tuple:
    """AssetKey.from_user_string: selection contexts split on '/' (R1.7, R6.1)."""
    return tuple(text.split("/"))


def user_string(key: Optional[tuple]) -> str:
    """Dagster's user string for a key: components joined by '/'."""
    return "/".join(key) if key is not None else "<unknown>"


def group_of(value: Optional[Value], default: Optional[str] = "default") -> Optional[str]:
    """An explicit group name, the default when absent, None when it cannot be known."""
    if value is None or (isinstance(value, Const) and value.value is None):
        return default
    if isinstance(value, Const) and isinstance(value.value, str):
        return value.value
    return None


def op_name_of(key: tuple) -> str:
    """AssetKey.to_python_identifier(): the node name of an @asset (R1.5)."""
    return "__".join(key).replace("-", "_").replace(".", "_")


def table_name_of(metadata: Optional[Value]):
    """The dagster/table_name entry of a metadata= value (R3.3): None when absent, Unknown when unknowable."""
    if metadata is None or (isinstance(metadata, Const) and metadata.value is None):
        return None
    if not isinstance(metadata, DictV):
        return Unknown("metadata")
    for key, value in metadata.items:
        if not (isinstance(key, Const) and isinstance(key.value, str)):
            return Unknown("metadata key")
        if key.value == "dagster/table_name":
            return value.value if isinstance(value, Const) and isinstance(value.value, str) else Unknown("table name")
    return None
