"""`python -m MODEL.aml_pipeline --submit [--wait]` and `--publish`: the pipeline in Azure ML
(SDK v1). azureml is imported only once one of them is chosen."""
import argparse
from typing import Sequence

from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.pipeline import Step


def submit(args: argparse.Namespace, config: ModelConfig, steps: Sequence[Step],
           experiment_name: str) -> int:
    """Submit the pipeline to Azure ML; the exit status (with --wait, 0 when the run finished).

    With --explain, first say which steps Azure ML will reuse; with --expect-reuse, submit
    nothing when a step that allows reuse would run again."""
    from .pipeline_submission import ReuseCheck, run_pipeline, succeeded
    run = run_pipeline(config, steps, experiment_name, wait=args.wait,
                       regenerate_outputs=args.no_reuse,
                       reuse_check=ReuseCheck(args.explain, args.expect_reuse))
    print(f"submitted {config.folder.name}'s pipeline to experiment '{experiment_name}': "
          f"run {run.id}\n  {run.get_portal_url()}")
    if not args.wait:
        return 0
    print(f"run {run.id}: {run.get_status()}")
    return 0 if succeeded(run) else 1


def publish(_args: argparse.Namespace, config: ModelConfig, steps: Sequence[Step],
            experiment_name: str) -> int:
    """Publish the pipeline as the default of its pipeline endpoint; the exit status."""
    from .pipeline_submission import publish_pipeline
    published, endpoint = publish_pipeline(config, steps, experiment_name)
    print(f"published {config.folder.name}'s pipeline {published.id} (version "
          f"{published.version or 'unversioned'}) as the default of pipeline endpoint "
          f"'{endpoint.name}'\n  {endpoint.endpoint}")
    return 0
