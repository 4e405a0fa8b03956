"""Benchmarks and the synthetic sheet generator."""
