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


def submit_to_azure(config: ModelConfig, steps: Sequence[Step], experiment_name: str,  # pylint: disable=too-many-arguments
                    wait: bool = False, reuse: bool = True, explain: bool = False,
                    expect_reuse: bool = False) -> int:
    """Submit the pipeline to Azure ML; the exit status (with `wait`, 0 when the run finished).

    With `explain`, first say which steps Azure ML will reuse; with `expect_reuse`, submit
    nothing when a step that allows reuse would run again."""
    from ..azure.pipeline_submission import ReuseCheck, run_pipeline, succeeded
    run = run_pipeline(config, steps, experiment_name, wait=wait, regenerate_outputs=not reuse,
                       reuse_check=ReuseCheck(explain, expect_reuse))
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
    parser.add_argument("--explain", action="store_true",
                        help="locally: then say, for each step, what its reuse key is made of "
                             "and why it ran (what differs from the run it would otherwise have "
                             "reused) or which run it was reused from; with --submit: first say "
                             "which steps Azure ML will reuse, and why the others will rerun")
    parser.add_argument("--expect-reuse", action="store_true",
                        help="with --submit: submit nothing when a step that allows reuse would "
                             "run again in Azure ML (its code, environment or inputs changed)")
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
    if args.expect_reuse and not args.submit:
        parser.error("--expect-reuse goes with --submit")
    if args.explain and (args.publish or args.emulate_azureml):
        parser.error("--explain goes with --local or --submit")
    if (args.explain or args.expect_reuse) and args.sdk == V2:
        parser.error("--explain and --expect-reuse go with SDK v1: azure-ai-ml leaves reuse "
                     "to the service (a step's is_deterministic, the job's force_rerun)")
    if args.no_reuse and args.publish:
        parser.error("--no-reuse goes with --local or --submit")
    check_sdk_arguments(parser, args)
    with exit_on_user_error():
        if args.sdk == V2:
            sys.exit(run_v2(args, config, steps, experiment_name, config.compute_target))
        if args.emulate_azureml:
            sys.exit(emulate_azureml(config, steps, experiment_name))
        if args.submit:
            sys.exit(submit_to_azure(config, steps, experiment_name, wait=args.wait,
                                     reuse=not args.no_reuse, explain=args.explain,
                                     expect_reuse=args.expect_reuse))
        if args.publish:
            sys.exit(publish_to_azure(config, steps, experiment_name))
        sys.exit(run_locally(config, steps, experiment_name, reuse=not args.no_reuse,
                             explain=args.explain))
