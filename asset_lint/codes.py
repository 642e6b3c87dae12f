"""The finding codes asset-lint knows, without importing the rules (settings validate against them).

A test checks that RULE_CODES equals the codes of `asset_lint.rules.ALL`, in order.
"""

RULE_CODES = (
    "DG001", "DG002", "DG003", "DG004", "DG005", "DG006", "DG007", "DG008",
    "DG009", "DG010", "DG011", "DG012", "DG013", "DG014", "DG015", "DG016",
    "DG017", "DG018", "DG019", "DG020", "DG021",
)
INVALID_SYNTAX = "DG000"   # a file Python cannot parse (or read)
INTERNAL_ERROR = "DG999"   # asset-lint's own failure on one file: reported, never silenced by selection
KNOWN_CODES = frozenset({INVALID_SYNTAX, INTERNAL_ERROR, *RULE_CODES})
# One mistake, one report: where a finding of the key's rule is reported, findings of these codes
# at the same position are not (a misnamed context parameter is also, to Dagster, an input on a
# missing asset; the specific rule says so and names the fix).
SUPERSEDES = {"DG010": ("DG002",), "DG011": ("DG002",)}
