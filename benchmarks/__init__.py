"""Benchmark scripts for the speed and reliability targets; run them as files (README.md)."""
