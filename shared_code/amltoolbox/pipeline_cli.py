"""The command line of every model's aml_pipeline.py: python -m model_a.aml_pipeline --local."""
import argparse
import sys
from typing import Sequence

from .errors import exit_on_user_error
from .local_runner import LocalPipelineRunner, print_summary
from .model_config import ModelConfig
from .pipeline import Step


def run_locally(config: ModelConfig, steps: Sequence[Step], reuse: bool = True) -> int:
    """Run the pipeline locally, print its summary; the exit status (0 when it succeeded)."""
    result = LocalPipelineRunner(config, steps, reuse=reuse).run()
    print_summary(result)
    return 0 if result.succeeded else 1


def main(config: ModelConfig, steps: Sequence[Step], argv: Sequence[str] | None = None) -> None:
    """Parse the command line and run the pipeline where it says."""
    parser = argparse.ArgumentParser(
        prog=f"python -m {config.folder.name}.aml_pipeline",
        description=f"Run {config.folder.name}'s pipeline ({' -> '.join(s.name for s in steps)}).")
    parser.add_argument("--local", action="store_true",
                        help="run on this machine in the local workspace (the default)")
    parser.add_argument("--no-reuse", action="store_true",
                        help="run every step, even those whose inputs and code are unchanged")
    args = parser.parse_args(argv)
    with exit_on_user_error():
        sys.exit(run_locally(config, steps, reuse=not args.no_reuse))
