"""Deterministic synthetic fjord scenes with a known front, for tests, demos and benchmarks."""
