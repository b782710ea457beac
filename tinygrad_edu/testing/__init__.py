"""Helpers for testing gradients: hypothesis strategies (needs ``hypothesis``)."""
