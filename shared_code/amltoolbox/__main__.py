"""python -m shared_code.amltoolbox: the local workspace and its pipelines from a shell."""
from .cli.main import main

main()
