"""The benchmark harness behind `make bench`: a synthetic archive in its own
database, served by gunicorn, with p50/p95 times and the worker's peak memory.

Run `python -m bench --help` for the options.
"""
