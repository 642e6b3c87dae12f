"""`python -m asset_lint` is the `asset-lint` command."""
from asset_lint.cli import run

run()
