"""Benchmark of the imported-events path at any size: ``python -m bench --sizes 1000,10000 --out results.json``."""
