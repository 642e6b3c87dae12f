"""`python -m asset_lint` is the `asset-lint` command."""
import sys

from asset_lint.cli import main

sys.exit(main())
