"""Performance benchmarks (issue 7): `python -m bench` or `spring bench`."""
