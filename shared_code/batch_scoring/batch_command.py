"""`score MODEL[:VERSION]`: a model folder's registered model over a file, a folder or a
registered dataset, as the scoring service would answer each row, recorded as a run.

The registered files are laid out as `serve` lays them out (checked against the registry's
sha256 there, and by init() through $MODEL_SHA256); the folder's config/entry_script.py
scores them.
"""
import sys
from pathlib import Path

from shared_code.amltoolbox.errors import UserError

from .inputs import PARQUET_SUFFIX, CSV_SUFFIX, input_from_dataset, input_from_path
from .outputs import rejects_path
from .scoring import BatchPlan, BatchSummary, score_batch

DEFAULT_CHUNK_ROWS = 10_000


class BatchArgumentError(UserError):
    """The batch cannot be scored as asked."""


def split_reference(reference: str, what: str) -> tuple[str, int | None]:
    """'name:3' -> ('name', 3); 'name' -> ('name', None)."""
    name, _, version = reference.partition(":")
    if not version:
        return name, None
    if not version.isdigit() or int(version) < 1:
        raise BatchArgumentError(f"{what} '{reference}' has the version '{version}': write "
                                 f"NAME or NAME:VERSION, the version a whole number from 1")
    return name, int(version)


def chunk_size(model: str, requested: int | None) -> int:
    """The rows per run() call: at most the model's serving.max_rows, which its run() allows
    per request (model_config.yml; 10,000 when unset)."""
    from shared_code.amltoolbox.layout import model_folder
    from shared_code.amltoolbox.model_config import load_model_config
    from shared_code.amltoolbox.serving.validation import max_rows_setting
    max_rows = max_rows_setting(load_model_config(model_folder(model)).serving)
    if requested is None:
        return min(DEFAULT_CHUNK_ROWS, max_rows)
    if requested > max_rows:
        raise BatchArgumentError(f"--chunk-rows {requested:,} is more than the {max_rows:,} rows "
                                 f"{model}'s run() takes per request (serving.max_rows in its "
                                 f"config/model_config.yml): give at most {max_rows:,}")
    return requested


def check_output(output: Path, input_path: Path | None) -> Path:
    """The output path, refused when it is not .csv/.parquet or would overwrite the input."""
    output = Path(output)
    if output.suffix.lower() not in (CSV_SUFFIX, PARQUET_SUFFIX):
        raise BatchArgumentError(f"--output {output} ends in neither .csv nor .parquet: name "
                                 "the file the answers go to, e.g. scores.csv")
    if output.is_dir():
        raise BatchArgumentError(f"--output {output} is a folder: name a file in it")
    if input_path is not None and output.resolve() == Path(input_path).resolve():
        raise BatchArgumentError(f"--output {output} is the input itself: write the answers "
                                 "to another file")
    return output


def score_command(model_ref: str, output: Path, input_path: Path | None = None,  # pylint: disable=too-many-arguments,too-many-locals
                  dataset: str | None = None, workers: int | None = None,
                  chunk_rows: int | None = None, max_rejects: int | None = None,
                  stream=None) -> BatchSummary:
    """Score, record the run, print the summary; the summary."""
    from shared_code.amltoolbox.local.workspace import LocalWorkspace
    from shared_code.amltoolbox.serving.local_server import (default_workers, entry_script_of,
                                                             lay_out_model, registered_model)
    from shared_code.amltoolbox.serving.model_loading import (EXPECTED_SHA256_ENV_VAR,
                                                              MODEL_DIR_ENV_VAR)
    from .run_record import end_batch_run, start_batch_run
    stream = stream or sys.stderr
    model, version = split_reference(model_ref, "MODEL")
    output = check_output(output, input_path)
    size = chunk_size(model, chunk_rows)
    record = registered_model(model, version)
    entry_script = entry_script_of(model)
    workspace = LocalWorkspace()
    try:
        if dataset is not None:
            batch_input = input_from_dataset(*split_reference(dataset, "--dataset"), workspace)
        else:
            batch_input = input_from_path(input_path)
        model_dir = lay_out_model(record)
        plan = BatchPlan(entry_script=entry_script, batch_input=batch_input, output=output,
                         environment={MODEL_DIR_ENV_VAR: str(model_dir),
                                      EXPECTED_SHA256_ENV_VAR: record.sha256,
                                      "AZUREML_ENTRY_SCRIPT": str(entry_script)},
                         workers=workers or default_workers(), chunk_rows=size,
                         max_rejects=max_rejects)
        run_id = start_batch_run(workspace, record, batch_input, output, plan.workers)
        print(f"scoring {batch_input.label} with {record.id} (sha256 {record.sha256[:12]}), "
              f"{plan.workers} worker(s), {size:,} {batch_input.unit} per run() call: "
              f"run {run_id}", file=stream)
        summary = BatchSummary()
        try:
            score_batch(plan, stream, summary)
        except BaseException as error:
            end_batch_run(workspace, run_id, summary, {}, error)
            raise
        outputs = {"answers": str(output)}
        if summary.rejected:
            outputs["rejects"] = str(rejects_path(output))
        end_batch_run(workspace, run_id, summary, outputs)
    finally:
        workspace.close()
    print(summary_line(summary, output, batch_input.unit), file=stream)
    return summary


def summary_line(summary: BatchSummary, output: Path, unit: str) -> str:
    """'scored N rows, rejected M (see ...) in S s, R rows/s -> output'."""
    rejected = (f"rejected {summary.rejected:,} (see {rejects_path(output)})" if summary.rejected
                else "rejected none")
    return (f"scored {summary.scored:,} {unit}, {rejected}, in {summary.seconds:.1f} s, "
            f"{summary.per_second:,.0f} {unit}/s -> {output}")
