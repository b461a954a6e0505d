"""Benchmarks. Run with `make bench`; each module prints `bench: NAME = VALUE UNIT` lines."""
