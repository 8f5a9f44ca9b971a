"""The command line of every model's aml_pipeline.py (its run_pipeline()).

    python -m model_a.aml_pipeline [--local]      run on this machine (the default)
    python -m model_a.aml_pipeline --emulate-azureml
    python -m model_a.aml_pipeline --submit [--wait]
    python -m model_a.aml_pipeline --publish

The Azure ML paths import azureml only when chosen, so the local run starts fast.
"""
import argparse
import sys
from typing import Sequence

from shared_code.aml_sdk_v2.pipeline_commands import (V2, add_sdk_arguments, check_sdk_arguments,
                                                      run_v2)
from ..errors import exit_on_user_error
from ..local.runner import LocalPipelineRunner, print_summary
from ..model_config import ModelConfig, check_model_folder
from ..pipeline import Step


def run_locally(config: ModelConfig, steps: Sequence[Step], experiment_name: str,
                reuse: bool = True) -> int:
    """Run the pipeline locally, print its summary; the exit status (0 when it succeeded, 2
    when it failed on a user error, such as bad data, 1 otherwise)."""
    result = LocalPipelineRunner(config, steps, reuse=reuse, experiment_name=experiment_name).run()
    print_summary(result)
    return result.exit_status


def submit_to_azure(config: ModelConfig, steps: Sequence[Step], experiment_name: str,
                    wait: bool = False, reuse: bool = True) -> int:
    """Submit the pipeline to Azure ML; the exit status (with `wait`, 0 when the run finished)."""
    from ..azure.pipeline_submission import run_pipeline, succeeded
    run = run_pipeline(config, steps, experiment_name, wait=wait, regenerate_outputs=not reuse)
    print(f"submitted {config.folder.name}'s pipeline to experiment '{experiment_name}': "
          f"run {run.id}\n  {run.get_portal_url()}")
    if not wait:
        return 0
    print(f"run {run.id}: {run.get_status()}")
    return 0 if succeeded(run) else 1


def emulate_azureml(config: ModelConfig, steps: Sequence[Step], experiment_name: str) -> int:
    """Run the pipeline under the Azure ML emulator; the exit status (0 when it completed)."""
    from shared_code.aml_emulator.sdk_check import require_sdk
    require_sdk(config.folder.name)
    from shared_code.aml_emulator.command import run_emulated
    return run_emulated(config, steps, experiment_name)


def publish_to_azure(config: ModelConfig, steps: Sequence[Step], experiment_name: str) -> int:
    """Publish the pipeline as the default of its pipeline endpoint; the exit status."""
    from ..azure.pipeline_submission import publish_pipeline
    published, endpoint = publish_pipeline(config, steps, experiment_name)
    print(f"published {config.folder.name}'s pipeline {published.id} (version "
          f"{published.version or 'unversioned'}) as the default of pipeline endpoint "
          f"'{endpoint.name}'\n  {endpoint.endpoint}")
    return 0


def build_parser(config: ModelConfig, steps: Sequence[Step],
                 experiment_name: str) -> argparse.ArgumentParser:
    """--local (the default) | --submit [--wait] | --publish, and --no-reuse."""
    parser = argparse.ArgumentParser(
        prog=f"python -m {config.folder.name}.aml_pipeline",
        description=f"Run {config.folder.name}'s pipeline ({' -> '.join(s.name for s in steps)}) "
                    "on this machine, or submit or publish it in Azure ML (workspace from "
                    "config.json or the AZUREML_* environment variables).")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--local", action="store_true",
                       help="run on this machine in the local workspace (the default)")
    where.add_argument("--emulate-azureml", action="store_true",
                       help="run the Azure ML pipeline on this machine under the emulator of "
                            "Azure ML's job runtime (no account, no network; every step runs), "
                            "then show what Azure ML would have recorded: before spending "
                            "cluster time, and in CI before --submit")
    where.add_argument("--submit", action="store_true",
                       help=f"submit to Azure ML as a run of experiment '{experiment_name}'")
    where.add_argument("--publish", action="store_true",
                       help=f"publish to Azure ML as the default version of pipeline endpoint "
                            f"'{experiment_name}', which CI triggers")
    parser.add_argument("--wait", action="store_true",
                        help="with --submit: stream the run's output until it ends; the exit "
                             "status says whether it finished")
    parser.add_argument("--no-reuse", action="store_true",
                        help="run every step, even those whose inputs and code are unchanged "
                             "(locally or with --submit)")
    add_sdk_arguments(parser)
    return parser


def main(config: ModelConfig, steps: Sequence[Step], experiment_name: str,
         argv: Sequence[str] | None = None) -> None:
    """Parse the command line and run the pipeline where it says; runs are filed under
    `experiment_name` (locally too)."""
    parser = build_parser(config, steps, experiment_name)
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # to run again elsewhere (v2)
    if args.wait and not args.submit:
        parser.error("--wait goes with --submit")
    if args.no_reuse and args.publish:
        parser.error("--no-reuse goes with --local or --submit")
    check_sdk_arguments(parser, args)
    with exit_on_user_error():
        check_model_folder(config)  # before any target runs the folder's code
        if args.sdk == V2:
            sys.exit(run_v2(args, config, steps, experiment_name, config.compute_target))
        if args.emulate_azureml:
            sys.exit(emulate_azureml(config, steps, experiment_name))
        if args.submit:
            sys.exit(submit_to_azure(config, steps, experiment_name, wait=args.wait,
                                     reuse=not args.no_reuse))
        if args.publish:
            sys.exit(publish_to_azure(config, steps, experiment_name))
        sys.exit(run_locally(config, steps, experiment_name, reuse=not args.no_reuse))
