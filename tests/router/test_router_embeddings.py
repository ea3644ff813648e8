"""The cascade with the real MiniLM model on the held-out splits. Skipped without the router extra.

The model loads once per session (the `cascade` fixture). Figures measured on this 2-core CPU are
in the docstrings; the assertions guard them with a small margin.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest
from router_fitting.dataset import load_examples
from router_fitting.evaluation import evaluate

from infragen.router import Router, baseline_route, route
from infragen.router.embedding import missing_modules

pytestmark = pytest.mark.skipif(
    bool(missing_modules()), reason="router extra not installed: make setup"
)


@pytest.fixture(scope="session")
def blind():
    """Written after the lexicon was frozen, by annotators who never saw it or the router."""
    return load_examples("blind")


@pytest.fixture(scope="session")
def heldout():
    return load_examples("heldout")


@pytest.fixture(scope="session")
def router():
    loaded = Router()
    loaded.route("load the model once")
    return loaded


@pytest.fixture(scope="session")
def cascade(router, blind):
    return evaluate("cascade", router.route, blind)


@pytest.fixture(scope="session")
def baseline(blind):
    return evaluate("baseline", baseline_route, blind)


def test_cascade_uses_the_embedding_stage(cascade):
    assert cascade.stages.get("embedding", 0) > 0


def test_cascade_beats_the_baseline_by_ten_points_on_the_blind_split(cascade, baseline):
    """Issue 7. Measured on the 1,464 blind rows, first scored with this model: cascade 0.953,
    baseline 0.835 (+11.8 points; 95% interval +10.0 to +13.7, fixtures/routing/README.md)."""
    assert cascade.accuracy - baseline.accuracy >= 0.10


def test_cascade_reaches_ninety_percent_on_the_blind_split(cascade):
    """Issue 7. Measured 0.953 (1,395 of 1,464)."""
    assert cascade.accuracy >= 0.90


def test_cascade_out_of_scope_recall_on_the_blind_split(cascade):
    """Issue 7 asks >= 0.95. Measured 0.972 (308 of 317), with the out-of-scope offset fitted on
    plain-brief train rows."""
    assert cascade.per_class["out_of_scope"].recall >= 0.95


def test_cascade_on_the_earlier_split_keeps_its_measured_floor(router, heldout):
    """Measured: cascade 0.934, baseline 0.887 on the 151 earlier held-out rows (the lexicon was
    written beside them, so the baseline is at its best there). A regression guard."""
    result = evaluate("cascade", router.route, heldout)
    assert result.accuracy >= 0.90
    assert result.per_class["out_of_scope"].recall >= 0.95


def test_route_many_matches_route_one_by_one(router, heldout):
    texts = [e.text for e in heldout[:12]]
    assert [r.klass for r in router.route_many(texts)] == [router.route(t).klass for t in texts]


def test_module_level_route_uses_embeddings():
    result = route("a lambda function behind api gateway that writes to dynamodb")
    assert result.klass in {"standard", "uncertain"} and result.tier == "standard"


@pytest.mark.skipif(
    importlib.util.find_spec("transformers") is None, reason="transformers not installed"
)
def test_numpy_forward_matches_transformers():
    """The numpy MiniLM (all six layers) is the reference BertModel + mean pooling."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from infragen.router.embedding import Embedder, model_dir

    texts = ["an s3 bucket", "vpc, subnets and an rds postgres database with a security group"]
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir()))
    model = AutoModel.from_pretrained(str(model_dir())).eval()
    batch = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    reference = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=1)
    ours = Embedder().encode(texts)
    assert np.abs(ours - reference.numpy()).max() < 1e-5


def test_routing_with_embeddings_never_imports_torch():
    code = (
        "import sys; from infragen.router import Router; r = Router(); "
        "print(r.route('an sqs queue drained by a lambda').stage, 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["embedding", "False"]


@pytest.mark.slow
def test_committed_weights_match_a_refit(router):
    from router_fitting.fit import fit

    from infragen.router.classifier import ClassifierWeights

    refit = fit(embedder=router._embedder)
    committed = ClassifierWeights.load()
    assert refit.thresholds == committed.thresholds
    assert (refit.signal_scale, refit.baseline_accept) == (
        committed.signal_scale,
        committed.baseline_accept,
    )


@pytest.mark.parametrize("request_text", ["an s3 bucket", "vpc please", "a fifo sqs queue"])
def test_terse_requests_are_routed_not_refused(router, request_text):
    """Short requests once embedded next to chit-chat ("hi", "ok") and were refused."""
    assert router.route(request_text).tier != "refused"


def test_embedding_reason_says_which_named_components_the_size_counts(router):
    route = router.route("an asg of c5 game servers behind an nlb in our existing prod vpc")
    assert route.stage == "embedding"
    assert "counted: load_balancer, autoscaling; not counted: vpc, ec2" in route.reason
    refused = router.route("open port 22 on our prod security group")
    assert refused.klass == "out_of_scope" and refused.reason.endswith("named: security_group")
