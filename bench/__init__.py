"""Benchmarks that print figures (not timed tests), outside the product package: `python -m bench
scoring|excel|savers|scale` (bench/__main__.py). They build their own databases; nothing here is imported
by the app or the command line."""
