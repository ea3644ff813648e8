"""Fitting and scoring the request router: research code, not shipped in the wheel.

The runtime (`infragen.router`) only loads `weights.json` and runs numpy; this package refits it
(`make refit`, `python -m router_fitting.fit` with `benchmarks/` on the path) and scores it
(`benchmarks/bench_router.py`). The tests import it through pytest's `pythonpath`.
"""
