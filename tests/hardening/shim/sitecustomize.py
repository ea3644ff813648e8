"""Loaded by CLI subprocesses of the hardening suite (PYTHONPATH points here).

INFRAGEN_TEST_BASELINE_ROUTER=1: route with the keyword baseline (no embedding model to load).
INFRAGEN_TEST_CHECKOV_RAISES=MESSAGE: Checkov's scan crashes with MESSAGE, as a broken install would.
"""

import os

if os.environ.get("INFRAGEN_TEST_BASELINE_ROUTER"):
    from infragen.router import cascade

    cascade._shared[True] = cascade.Router(use_embeddings=False)

if os.environ.get("INFRAGEN_TEST_CHECKOV_RAISES"):
    from infragen.tools import checkov

    def _crash(*args, **kwargs):
        raise RuntimeError(os.environ["INFRAGEN_TEST_CHECKOV_RAISES"])

    checkov.scan = _crash
