"""Report: formatting only. Each module turns findings (or the graph) into text."""
