"""A ParallelRunStep's job under the emulator: its entry script run as the step's workers
would run it.

Azure ML runs a ParallelRunStep as a job whose script is driver/amlbi_main.py
(azureml/pipeline/core/_parallel_run_step_base.py:37, 759), a driver it adds to the
snapshot at run time (`--create_snapshot_at_runtime True`, :613); it is not part of the SDK
(no azureml_user/parallel_run package is installed), so what it does is taken from the
arguments the SDK gives it (_generate_main_file_args, :597-652) and the contract
ParallelRunConfig documents (azureml/pipeline/steps/parallel_run_config.py:95-160):

- `process_count_per_node` worker processes (by default the node's cores), each loading the
  entry script and calling its init() once;
- run(mini_batch) per mini-batch: a pandas DataFrame of about `mini_batch_size` of data for
  a Tabular dataset, a list of `mini_batch_size` file paths for a File dataset;
- with output_action 'append_row', each element run() returns is one successful inference,
  appended to `append_row_file_name` in the step's output; an item left out is a failure,
  and the job fails when more than `error_threshold` failed (-1: never).

Workers are forked, so that they answer the SDK's service calls (the model's download in
init()) through the step's emulated transport as the step process does.
"""
import argparse
import importlib.util
import multiprocessing
import os
import re
import sys
from pathlib import Path

MAIN_SCRIPT = "driver/amlbi_main.py"  # _parallel_run_step_base.py:37
DEFAULT_APPEND_ROW_FILE = "parallel_run_step.txt"  # parallel_run_config.py, append_row_file_name
_UNITS = {"": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}
_worker: dict = {}


def is_parallel_run(script: str, working_directory: Path) -> bool:
    """Whether a job's script is ParallelRunStep's driver, which Azure ML would add."""
    return script == MAIN_SCRIPT and not (working_directory / script).exists()


def driver_options(arguments: list[str]) -> argparse.Namespace:
    """The driver's own arguments (the entry script's are left for it to read)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--scoring_module_name", required=True)
    parser.add_argument("--mini_batch_size", required=True)
    parser.add_argument("--error_threshold", type=int, default=-1)
    parser.add_argument("--output_action", default="append_row")
    parser.add_argument("--append_row_file_name", default=DEFAULT_APPEND_ROW_FILE)
    parser.add_argument("--output", required=True)
    parser.add_argument("--process_count_per_node", type=int)
    parser.add_argument("--input_ds_0")
    parser.add_argument("--input_fds_0")
    return parser.parse_known_args(arguments)[0]


def size_in_bytes(text: str) -> int:
    """'1MB' -> 1048576; a bare number is bytes."""
    match = re.fullmatch(r"\s*(\d+)\s*([KMG]B)?\s*", text.upper())
    if match is None:
        raise ValueError(f"mini_batch_size {text!r} is not a size such as 1MB")
    return int(match.group(1)) * _UNITS[match.group(2) or ""]


def tabular_mini_batches(name: str, size: str):
    """The dataset's rows as DataFrames of about `size` of data each."""
    from azureml.core import Run
    frame = Run.get_context().input_datasets[name].to_pandas_dataframe()
    row_bytes = max(1, int(frame.memory_usage(deep=True, index=False).sum()) // max(1, len(frame)))
    rows = max(1, size_in_bytes(size) // row_bytes)
    return [frame.iloc[start:start + rows] for start in range(0, len(frame), rows)]


def file_mini_batches(name: str, size: str) -> list[list[str]]:
    """The mounted dataset's files, sorted, `size` paths at a time."""
    folder = Path(os.environ[name])
    paths = sorted(str(p) for p in folder.rglob("*") if p.is_file())
    count = int(size)
    return [paths[start:start + count] for start in range(0, len(paths), count)]


def _start_worker(script: str, arguments: list[str]) -> None:
    """Load the entry script and call its init(); a failure is raised by the worker's first
    mini-batch (a Pool whose initializer fails starts the worker again, and again)."""
    sys.argv = [script, *arguments]
    try:
        spec = importlib.util.spec_from_file_location("parallel_run_entry_script", script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.init()
        _worker["run"] = module.run
    except Exception as error:  # pylint: disable=broad-exception-caught  # the user's init()
        _worker["error"] = f"init() failed: {type(error).__name__}: {error}"


def _run_mini_batch(mini_batch) -> list:
    if "error" in _worker:
        raise RuntimeError(_worker["error"])
    return list(_worker["run"](mini_batch))


def run(arguments: list[str]) -> int:
    """Score every mini-batch with the entry script's workers; the job's exit status."""
    options = driver_options(arguments)
    if options.output_action != "append_row":
        print(f"the emulator runs output_action append_row only, not {options.output_action}")
        return 1
    if options.input_ds_0:
        batches = tabular_mini_batches(options.input_ds_0, options.mini_batch_size)
    else:
        batches = file_mini_batches(options.input_fds_0, options.mini_batch_size)
    script = str(Path(options.scoring_module_name).resolve())
    workers = max(1, min(options.process_count_per_node or os.cpu_count() or 1, len(batches)))
    output = Path(options.output) / options.append_row_file_name
    failed = done = 0
    print(f"{len(batches)} mini-batch(es) over {workers} worker(s), answers appended to {output}",
          flush=True)
    with (multiprocessing.get_context("fork").Pool(workers, _start_worker, (script, arguments))
          as pool, open(output, "a", encoding="utf-8") as answers):
        for batch, lines in zip(batches, pool.imap(_run_mini_batch, batches)):
            answers.writelines(f"{line}\n" for line in lines)
            done += len(lines)
            failed += len(batch) - len(lines)
            if 0 <= options.error_threshold < failed:
                print(f"{failed} item(s) failed, more than error_threshold "
                      f"{options.error_threshold}: the step fails")
                return 1
    print(f"{done} item(s) answered, {failed} failed", flush=True)
    return 0
