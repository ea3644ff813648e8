"""Benchmarks of the pipeline against IaC-Eval (Kon et al., NeurIPS 2024, CC-BY-4.0)."""
