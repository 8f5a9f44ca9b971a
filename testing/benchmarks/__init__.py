"""Speed benchmarks: python -m testing.benchmarks (tox -e benchmark) runs them all."""
