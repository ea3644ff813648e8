"""The cascade with the real MiniLM model on the held-out split. Skipped without the router extra.

The model loads once per session (the `cascade` fixture). Figures measured on this 2-core CPU are
in the docstrings; the assertions guard them with a small margin.
"""

from __future__ import annotations

import pytest

from infragen.router import Router, baseline_route, route
from infragen.router.dataset import load_examples
from infragen.router.embedding import missing_modules
from infragen.router.evaluation import evaluate

pytestmark = pytest.mark.skipif(
    bool(missing_modules()), reason="router extra not installed: pip install 'infragen[router]'"
)


@pytest.fixture(scope="session")
def heldout():
    return load_examples("heldout")


@pytest.fixture(scope="session")
def router():
    loaded = Router()
    loaded.route("load the model once")
    return loaded


@pytest.fixture(scope="session")
def cascade(router, heldout):
    return evaluate("cascade", router.route, heldout)


@pytest.fixture(scope="session")
def baseline(heldout):
    return evaluate("baseline", baseline_route, heldout)


def test_cascade_uses_both_stages(cascade):
    assert cascade.stages.get("embedding", 0) > 0 and cascade.stages.get("baseline", 0) > 0


def test_cascade_accuracy_beats_baseline(cascade, baseline):
    """Measured: cascade 0.866, baseline 0.857 (112 held-out requests)."""
    assert cascade.accuracy >= 0.85
    assert cascade.accuracy >= baseline.accuracy


def test_cascade_out_of_scope_recall(cascade):
    """Measured: 0.971 (34 of 35)."""
    assert cascade.per_class["out_of_scope"].recall >= 0.95


@pytest.mark.xfail(strict=True, reason="issue 7 target not met yet: see the router report")
def test_cascade_meets_issue_targets(cascade, baseline):
    assert cascade.accuracy >= 0.90
    assert cascade.accuracy - baseline.accuracy >= 0.10


def test_route_many_matches_route_one_by_one(router, heldout):
    texts = [e.text for e in heldout[:12]]
    assert [r.klass for r in router.route_many(texts)] == [router.route(t).klass for t in texts]


def test_module_level_route_uses_embeddings():
    result = route("a lambda function behind api gateway that writes to dynamodb")
    assert result.klass in {"standard", "uncertain"} and result.tier == "standard"


@pytest.mark.slow
def test_cascade_p50_latency_once_loaded(cascade):
    """Issue 7 bound; only meaningful on an otherwise idle machine."""
    assert cascade.p50_ms <= 15.0


@pytest.mark.slow
def test_committed_weights_match_a_refit(router):
    from infragen.router.classifier import ClassifierWeights
    from infragen.router.fit import fit

    refit = fit(embedder=router._embedder)
    committed = ClassifierWeights.load()
    assert refit.thresholds == committed.thresholds
    assert (refit.signal_scale, refit.baseline_accept) == (
        committed.signal_scale,
        committed.baseline_accept,
    )
