"""Adversarial suites generated from the schema by introspection (issue 6)."""
