"""Graph nodes: each file holds a thin node function plus plain functions tests call directly."""
