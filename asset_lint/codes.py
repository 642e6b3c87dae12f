"""The finding codes asset-lint knows, without importing the rules (settings validate against them).

A test checks that RULE_CODES equals the codes of `asset_lint.rules.ALL`, in order.
"""

RULE_CODES = ("DG001", "DG002", "DG003", "DG004", "DG005", "DG006", "DG007")
INVALID_SYNTAX = "DG000"   # a file Python cannot parse (or read)
INTERNAL_ERROR = "DG999"   # asset-lint's own failure on one file: reported, never silenced by selection
KNOWN_CODES = frozenset({INVALID_SYNTAX, INTERNAL_ERROR, *RULE_CODES})
