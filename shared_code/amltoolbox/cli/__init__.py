"""The `python -m shared_code.amltoolbox` command line, one module per command."""
