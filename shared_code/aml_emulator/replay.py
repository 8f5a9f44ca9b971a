"""One step of an emulated pipeline run, again, on exactly the inputs it had, as a new run.

    python -m shared_code.amltoolbox replay RUN_ID evaluate [--debug]   (RUN_ID: emulated)

A step run of the emulator keeps its job's definition (script, structured arguments,
environment variables, outputs: pipeline_steps.run_definition) and the saved datasets it
read (its input_datasets, as Azure ML's run history keeps them). The replay runs that job
again with the step's current script, in the model's snapshot staged now: the same saved
datasets (registered versions, and the earlier steps' outputs, checked unchanged against
the hash recorded when they were written), the same arguments and variables, and the
registry as it was when the original step started (so evaluate compares with the champion
it compared with). The new pipeline run holds that one step and is linked to the original
by its properties; the original is only read.
"""
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from shared_code.aml_sdk_v1.git_state import git_state
from shared_code.aml_sdk_v1.pipeline_builder import source_directory
from shared_code.amltoolbox.errors import UserError
from shared_code.amltoolbox.git_info import model_code_paths
from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.local.explain import REPLAY_OF, REPLAYED_STEP
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.progress import Report, print_line
from shared_code.amltoolbox.records import COMPLETED, FAILED, RunResult
from .job import RUN_DEFINITION, StepJob
from .pipeline_steps import JobInput, JobOutput, JobStep, SavedSource, argument_from
from .run_history import PIPELINE_RUN_TYPE, end_run, new_run
from .store import DATASETS, REGISTRY_AS_OF_ENV_VAR, RUNS, EmulatedStore


class EmulatedReplayError(UserError):
    """An emulated step cannot be replayed as it ran: its record or an input is missing."""


@dataclass
class EmulatedReplay:
    """The new run, and whether each output equals the original's."""
    result: RunResult
    same_outputs: dict[str, bool]


def step_runs(store: EmulatedStore, pipeline_run_id: str) -> dict[str, dict]:
    """{step name: its run record} of an emulated pipeline run, in the order they ran."""
    return {run["name"]: run for run in sorted(store.records(RUNS), key=lambda r: r["run_number"])
            if run["parent_run_id"] == pipeline_run_id}


def _recorded_output(store: EmulatedStore, saved_id: str) -> dict | None:
    """The output_datasets entry of the step run that wrote saved dataset `saved_id`."""
    for run in store.records(RUNS):
        for output in run["output_datasets"]:
            if output["saved_id"] == saved_id:
                return output
    return None


def _input(store: EmulatedStore, item: dict, run_id: str) -> JobInput:
    """One input as the original step read it, checked to hold what it held."""
    dataset = store.read(DATASETS, item["saved_id"])
    if dataset is None or not Path(dataset["path"]).exists():
        raise EmulatedReplayError(f"the data of input '{item['input_name']}' of run {run_id} "
                                  "is gone: run the pipeline again instead")
    if dataset["registered_id"] is None:  # an earlier step's output
        output = _recorded_output(store, item["saved_id"]) or {}
        if output.get("sha256") != tree_sha256(Path(dataset["path"])):
            raise EmulatedReplayError(
                f"input '{item['input_name']}' (an earlier step's output) changed since run "
                f"{run_id}, or was written before outputs were hashed: run the pipeline again "
                "instead")
    return JobInput(item["input_name"], item["mode"], SavedSource(item["saved_id"]))


def _job_step(store: EmulatedStore, original: dict, run_id: str) -> JobStep:
    """The original step's job, with the model's current snapshot and the registry as of the
    original step's start (kept through replays of replays)."""
    definition = original.get(RUN_DEFINITION)
    if definition is None:
        raise EmulatedReplayError(
            f"step {original['name']} of run {run_id} was recorded before the emulator kept "
            "its job's definition: its arguments are not known; run the pipeline again instead")
    config, steps = load_pipeline(PurePosixPath(definition["script"]).parts[0])
    variables = dict(definition["environment_variables"])
    variables.setdefault(REGISTRY_AS_OF_ENV_VAR, original["start_time_utc"])
    return JobStep(name=original["name"], script=definition["script"],
                   source_directory=str(source_directory(config, steps)),
                   arguments=tuple(map(argument_from, definition["arguments"])),
                   environment_variables=variables,
                   inputs=tuple(_input(store, item, run_id) for item in original["input_datasets"]),
                   outputs=tuple(JobOutput(**output) for output in definition["outputs"]),
                   allow_reuse=definition["allow_reuse"])


def _outputs(run: dict) -> dict[str, dict]:
    return {output["output_name"]: output for output in run["output_datasets"]}


def replay_emulated_step(store: EmulatedStore, run_id: str, step: str, debug: bool = False,  # pylint: disable=too-many-arguments,too-many-locals
                         report: Report = print_line) -> EmulatedReplay:
    """Replay step `step` of emulated pipeline run `run_id` as a new pipeline run."""
    pipeline_run = store.read(RUNS, run_id)
    if pipeline_run is None or pipeline_run["run_type"] != PIPELINE_RUN_TYPE:
        raise EmulatedReplayError(f"no pipeline run '{run_id}' in the emulated workspace "
                                  f"{store.root}")
    originals = step_runs(store, run_id)
    if step not in originals:
        raise EmulatedReplayError(f"run {run_id} has no step '{step}' (it has: "
                                  f"{', '.join(originals) or 'none'})")
    original = originals[step]
    job_step = _job_step(store, original, run_id)
    experiment = {"name": pipeline_run["experiment_name"], "id": pipeline_run["experiment_id"]}
    folder = REPO_ROOT / PurePosixPath(job_step.script).parts[0]
    properties = {**git_state(REPO_ROOT, model_code_paths(folder, REPO_ROOT)),
                  REPLAY_OF: run_id, REPLAYED_STEP: step}
    result = RunResult(str(uuid.uuid4()), COMPLETED)
    new_run(store, result.run_id, experiment, pipeline_run["name"], PIPELINE_RUN_TYPE,
            properties=properties)
    report(f"run {result.run_id}: replaying step {step} of run {run_id} on its inputs under "
           f"the Azure ML emulator{' in this process (--debug)' if debug else ''}")
    try:
        job = StepJob(store, job_step, experiment, result.run_id, properties)
        step_result = job.run({}, here=debug)
    except BaseException:
        end_run(store, result.run_id, FAILED)
        raise
    result.steps.append(step_result)
    if step_result.status == FAILED:
        result.status, result.error = FAILED, f"step '{step}' failed: {step_result.error}"
        report(f"{step}: FAILED after {step_result.duration:.2f}s\n    {step_result.error}\n"
               f"    log: {step_result.log}")
    end_run(store, result.run_id, result.status)
    if result.status == FAILED:
        return EmulatedReplay(result, {})
    report(f"{step}: completed in {step_result.duration:.2f}s")
    before, now = _outputs(original), _outputs(store.read(RUNS, job.run_id))
    same = {name: before.get(name, {}).get("sha256") == output["sha256"]
            for name, output in now.items()}
    for name, output in now.items():
        path = store.read(DATASETS, output["saved_id"])["path"]
        report(f"  output {name}: {path} ({'the same as' if same[name] else 'differs from'} "
               f"run {run_id}'s)")
    return EmulatedReplay(result, same)
