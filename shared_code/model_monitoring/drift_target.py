"""The `drift` target of every model's aml_pipeline.py command line (cli/pipeline_cli.py's
TARGETS): the drift pipeline submitted, published (and scheduled) with SDK v1
(drift_pipeline.py), run under the emulator (drift_emulated.py), or dumped as an SDK v2 job
(drift_job_v2.py); each loaded only when chosen."""
from shared_code.amltoolbox.model_config import ModelConfig

from .drift_pipeline import (REPORT_OUTPUT, drift_experiment, new_dataset, publish_drift,
                             submit_drift)


def run_target(args, config: ModelConfig, steps, experiment_name: str) -> int:  # pylint: disable=unused-argument
    """The `drift` target of aml_pipeline.py's command line (cli/pipeline_cli.py's TARGETS)."""
    # pylint: disable=import-outside-toplevel  # each way loads only what it needs
    new = new_dataset(config, args.drift_dataset)
    if args.emulate_azureml:
        from .drift_emulated import run_emulated_drift
        return run_emulated_drift(config, experiment_name, new, args.drift_model)
    if args.dump is not None:
        from .drift_job_v2 import dump_drift_job
        return dump_drift_job(config, experiment_name, new, args.dump, args.drift_model,
                              args.argv)
    from shared_code.amltoolbox.azure.workspace import get_workspace
    workspace = get_workspace()
    if args.submit:
        run = submit_drift(workspace, config, experiment_name, new, args.drift_model)
        print(f"submitted {config.folder.name}'s drift check of {new.describe()} to experiment "
              f"'{drift_experiment(experiment_name)}': run {run.id}\n  {run.get_portal_url()}\n"
              f"  report: output '{REPORT_OUTPUT}'")
        return 0
    published, endpoint, scheduled = publish_drift(workspace, config, experiment_name, new,
                                                   args.drift_model, args.schedule)
    print(f"published {config.folder.name}'s drift pipeline {published.id} as the default of "
          f"pipeline endpoint '{endpoint.name}'\n  {endpoint.endpoint}")
    if scheduled is not None:
        print(f"  scheduled {args.schedule}: schedule '{scheduled.name}' ({scheduled.id})")
    return 0
