"""The SDK v2 half of every model's `python -m <model>.aml_pipeline` command line.

    python -m model_a.aml_pipeline --sdk v2 --dump job.yml     the job as YAML, offline
    python -m model_a.aml_pipeline --sdk v2 --submit [--wait]  run it in Azure ML
    python -m model_a.aml_pipeline --sdk v2 --publish          a batch endpoint for CI

add_sdk_arguments() adds --sdk and --dump to the model's parser; run_v2() does what the
parsed arguments say, with the experiment and compute the caller passes (the same as SDK
v1's). azure-ai-ml is imported only once v2 is chosen.
"""
import argparse
from pathlib import Path
from typing import Sequence

from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.pipeline import Step
from .environment import has_sdk_v2, run_in_v2_environment

V1, V2 = "v1", "v2"


def add_sdk_arguments(parser: argparse.ArgumentParser) -> None:
    """--sdk v1|v2 and --dump FILE."""
    parser.add_argument("--sdk", choices=(V1, V2), default=V1,
                        help="with --submit or --publish: the Azure ML SDK to compile the "
                             "pipeline for (default v1); v2 needs virtualenvs/requirements-v2.txt")
    parser.add_argument("--dump", type=Path, metavar="FILE",
                        help="with --sdk v2: write the pipeline job as v2 YAML to FILE, with no "
                             "workspace and no network, and check it with azure-ai-ml")


def check_sdk_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse combinations that mean nothing (parser.error exits with status 2)."""
    if args.dump is not None and args.sdk != V2:
        parser.error("--dump goes with --sdk v2")
    if args.sdk == V2 and not (args.dump is not None or args.submit or args.publish):
        parser.error("--sdk v2 goes with --dump FILE, --submit or --publish (a local run is "
                     "the same for both SDKs)")
    if args.dump is not None and (args.submit or args.publish):
        parser.error("--dump writes the job; submit or publish it in a separate command")


def run_v2(args: argparse.Namespace, config: ModelConfig, steps: Sequence[Step],
           experiment_name: str, compute: str) -> int:
    """Dump, submit or publish the model's v2 pipeline job; the exit status. Started where
    azure-ai-ml is missing (the v1 environment), the command runs again in the v2 one."""
    if not has_sdk_v2():
        return run_in_v2_environment(f"{config.folder.name}.aml_pipeline", args.argv)
    if args.dump is not None:
        from .job_yaml import dump_pipeline_job
        path = dump_pipeline_job(config, steps, experiment_name, compute, args.dump)
        print(f"wrote {config.folder.name}'s v2 pipeline job to {path} (validated by azure-ai-ml)")
        return 0
    from .ml_client import workspace_ml_client
    ml_client = workspace_ml_client()
    if args.publish:
        from .submission import publish_pipeline
        component, endpoint = publish_pipeline(ml_client, config, steps, experiment_name, compute)
        print(f"published {config.folder.name}'s pipeline as component {component.name}:"
              f"{component.version}, the default of batch endpoint '{endpoint.name}'\n"
              f"  {endpoint.scoring_uri}")
        return 0
    from .submission import submit_pipeline_job, succeeded
    job = submit_pipeline_job(ml_client, config, steps, experiment_name, compute,
                              wait=args.wait, reuse=not args.no_reuse)
    print(f"submitted {config.folder.name}'s v2 pipeline job to experiment '{experiment_name}': "
          f"{job.name}\n  {job.studio_url}")
    if not args.wait:
        return 0
    print(f"job {job.name}: {job.status}")
    return 0 if succeeded(job) else 1
