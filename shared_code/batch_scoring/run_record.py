"""A batch scoring recorded as a run of the local workspace: what was scored (the dataset's
version, or the files' sha256: a folder of images' is added when its files have all been
read), with which model version, how many rows were scored and
rejected, in how long. `runs list` shows it; `models show` lists a version's batch runs (the
run's `scored_model` property)."""
from shared_code.amltoolbox.local.runner_identity import runner_identity
from shared_code.amltoolbox.local.runs import COMPLETED, FAILED, SCORED_MODEL

EXPERIMENT = "batch-scoring"
STEP = "score"


def start_batch_run(workspace, model_record, batch_input, output, workers: int) -> str:
    """Record the batch as a Running run of the model's name; its id."""
    from shared_code.amltoolbox.git_info import git_properties
    from shared_code.amltoolbox.paths import REPO_ROOT
    properties = {SCORED_MODEL: model_record.id, "input": batch_input.label,
                  "input_dataset": batch_input.dataset, "input_sha256": batch_input.sha256(),
                  "output": str(output), "workers": workers,
                  **git_properties(REPO_ROOT), **runner_identity()}
    run_id = workspace.runs.start_run(model_record.name, EXPERIMENT, properties)
    workspace.runs.start_step(run_id, STEP, None)
    return run_id


def end_batch_run(workspace, run_id: str, summary, outputs: dict,
                  error: BaseException | None = None) -> None:
    """Record the counts and how the batch ended, and the input's hash when it was made
    from the files the batch read (a folder of images scored to its end)."""
    runs = workspace.runs
    if summary.input_sha256:
        runs.add_properties(run_id, {"input_sha256": summary.input_sha256})
    for name, value in (("scored", summary.scored), ("rejected", summary.rejected),
                        ("seconds", round(summary.seconds, 3)),
                        ("rows_per_second", round(summary.per_second, 1))):
        runs.log_metric(run_id, STEP, name, value)
    status = FAILED if error else COMPLETED
    message = str(error) if error else None
    runs.end_step(run_id, STEP, status, summary.seconds, outputs=outputs, error=message)
    runs.end_run(run_id, status, message)
