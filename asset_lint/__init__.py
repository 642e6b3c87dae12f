"""asset-lint: static analysis for Dagster asset graphs (never imports the code it reads)."""

__version__ = "0.1.0"
