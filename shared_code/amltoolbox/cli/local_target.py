"""`python -m MODEL.aml_pipeline [--local]`: the pipeline on this machine (the default)."""
import argparse
from typing import Sequence

from ..local.runner import LocalPipelineRunner, print_summary
from ..model_config import ModelConfig
from ..pipeline import Step


def run_locally(config: ModelConfig, steps: Sequence[Step], experiment_name: str,
                reuse: bool = True, explain: bool = False) -> int:
    """Run the pipeline locally, print its summary (with `explain`, then why each step ran
    or was reused); the exit status (0 when it succeeded, 2 when it failed on a user error,
    such as bad data, 1 otherwise)."""
    runner = LocalPipelineRunner(config, steps, reuse=reuse, experiment_name=experiment_name)
    result = runner.run()
    print_summary(result)
    if explain:
        from ..local.explain import explain_run, format_explanation
        print("\n".join(format_explanation(explain_run(runner.workspace, result.run_id))))
    return result.exit_status


def run(args: argparse.Namespace, config: ModelConfig, steps: Sequence[Step],
        experiment_name: str) -> int:
    """The pipeline command's local target."""
    return run_locally(config, steps, experiment_name, reuse=not args.no_reuse,
                       explain=args.explain)
