"""Benchmarks run by ``make bench``; nothing here is part of a deployment."""
