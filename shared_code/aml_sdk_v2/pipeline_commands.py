"""The SDK v2 half of every model's `python -m <model>.aml_pipeline` command line.

    python -m model_a.aml_pipeline --sdk v2 --dump job.yml     the job as YAML, offline
    python -m model_a.aml_pipeline --sdk v2 --submit [--wait]  run it in Azure ML
    python -m model_a.aml_pipeline --sdk v2 --publish          a batch endpoint for CI

The model's parser (amltoolbox/cli/pipeline_cli.py) has --sdk and --dump and loads run()
when v2 is chosen; run_v2() does what the parsed arguments say, with the experiment and
compute the caller passes (the same as SDK v1's). azure-ai-ml is imported only then.
"""
import argparse
from typing import Sequence

from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import Step
from .environment import has_sdk_v2, run_in_v2_environment
from .v1_calls import V1CallsError, readiness_report, v1_calls_in_steps


def check_v2_readiness(config: ModelConfig, steps: Sequence[Step], refuse: bool) -> None:
    """Name, file:line, each SDK v1 call in the step scripts that fails inside a v2 job; with
    `refuse` (submit, publish) raise V1CallsError rather than spend cluster time on it."""
    calls = v1_calls_in_steps(config, steps)
    if not calls:
        return
    report = readiness_report(config, calls, REPO_ROOT)
    if refuse:
        raise V1CallsError(f"{report}\nReplace them, then submit or publish again (--dump "
                           "writes the job as it is).")
    print(report, flush=True)


def run_v2(args: argparse.Namespace, config: ModelConfig, steps: Sequence[Step],
           experiment_name: str, compute: str) -> int:
    """Dump, submit or publish the model's v2 pipeline job; the exit status. Started where
    azure-ai-ml is missing (the v1 environment), the command runs again in the v2 one."""
    if not has_sdk_v2():
        return run_in_v2_environment(f"{config.folder.name}.aml_pipeline", args.argv)
    check_v2_readiness(config, steps, refuse=args.dump is None)
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


def run(args: argparse.Namespace, config: ModelConfig, steps: Sequence[Step],
        experiment_name: str) -> int:
    """The pipeline command's v2 target, on the model's compute target."""
    return run_v2(args, config, steps, experiment_name, config.compute_target)
