"""Helpers shared by scripts/bench.py and scripts/soak.py (not part of the dialog360 package)."""
