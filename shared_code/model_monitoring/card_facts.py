"""What a model card says, gathered from what was recorded, never typed twice: the registry's
record and lineage, the registered datasets, the run's summary.json and plots, the model
folder's documentation, entry script schema and conda file, and the environment lock.

The facts are one JSON-ready dict; `notes` lists, one line each, what was not recorded (a
summary.json with the flag alone, no model_info.json, an entry script without a schema).
"""
import csv
import importlib
import json
import sys
from pathlib import Path

from shared_code.amltoolbox.git_info import GIT_COMMIT, GIT_DIRTY
from shared_code.amltoolbox.hashing import file_sha256
from shared_code.amltoolbox.layout import ModelLayout, model_folders
from shared_code.amltoolbox.local.models import ModelRecord
from shared_code.amltoolbox.local.runs import RunNotFoundError
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_config import read_model_identity
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.promotion.summary import SUMMARY_FILE

from .documentation import card_documentation

LOCK_FILE = Path("virtualenvs") / "requirements.txt"
TRAINING_DATA, TESTING_DATA = "training_data", "testing_data"
CARD_FORMAT = 1  # the version of the facts' shape, stored with them


def find_model_folder(model_name: str, repo_root: Path = REPO_ROOT) -> Path | None:
    """The model folder whose register.py registers `model_name`, or None."""
    for folder in model_folders(repo_root):
        if read_model_identity(ModelLayout(folder)).name == model_name:
            return folder
    return None


def csv_rows(folder: Path) -> int:
    """The data rows of the CSV files under `folder` (a file or a folder), headers not counted."""
    folder = Path(folder)
    rows = 0
    for file in sorted(folder.rglob("*.csv")) if folder.is_dir() else [folder]:
        with open(file, encoding="utf-8-sig", newline="") as handle:
            rows += max(sum(1 for _ in csv.reader(handle)) - 1, 0)
    return rows


def dataset_facts(workspace: LocalWorkspace, usage: str, input_name: str,
                  dataset_id: str) -> dict:
    """One dataset a model was trained or tested on, as registered: version, size, sha256."""
    name, _, version = dataset_id.partition(":")
    facts = {"usage": usage, "input": input_name, "id": dataset_id}
    if not workspace.datasets.exists(name, int(version) if version.isdigit() else None):
        return {**facts, "note": f"dataset {dataset_id} is not registered in this workspace"}
    record = workspace.datasets.get(name, int(version) if version.isdigit() else None)
    facts.update(type=record.type, files=record.files, sha256=record.content_sha256,
                 description=record.description, registered=record.created)
    if record.type == "tabular" and record.path.exists():
        facts["rows"] = csv_rows(record.path)
    return facts


def _step_sources(workspace: LocalWorkspace, run_id: str):
    """Each step of a run as it was recorded where it ran (a reused step: in its first run)."""
    for step in workspace.runs.get(run_id).steps:
        if step.reused_from:
            try:
                yield workspace.runs.step(step.reused_from, step.step)
                continue
            except RunNotFoundError:
                pass
        yield step


def run_evaluation(workspace: LocalWorkspace, run_id: str | None) -> tuple[dict | None, list]:
    """summary.json of the run that registered the model, and the plots of the step that
    wrote it (workspace-relative paths), or (None, [])."""
    if not run_id:
        return None, []
    try:
        steps = list(_step_sources(workspace, run_id))
    except RunNotFoundError:
        return None, []
    for step in steps:
        for folder in step.outputs.values():
            summary_file = Path(folder) / SUMMARY_FILE
            if summary_file.is_file():
                plots = [{"name": name, "path": _relative(workspace.root, path)}
                         for name, path in sorted(step.images.items())]
                return json.loads(summary_file.read_text(encoding="utf-8")), plots
    return None, []


def _relative(root: Path, path: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)


def evaluation_facts(summary: dict | None, notes: list[str]) -> dict:
    """The metrics at registration beside the champion's and the baseline's, the decision and
    its reason, from summary.json; what it lacks goes to `notes`."""
    if summary is None:
        notes.append("no summary.json was found in the run that registered it: no evaluation")
        return {}
    facts = {"register_trained_model": summary.get("register_trained_model"),
             "reason": summary.get("reason"), "primary_metric": summary.get("primary_metric"),
             "metrics": summary.get("metrics") or {}, "rule": summary.get("rule") or {}}
    champion, baseline = summary.get("champion"), summary.get("baseline")
    if champion:
        facts["champion"] = {"id": champion.get("id"), "metrics": champion.get("metrics") or {},
                             "error": champion.get("error")}
    if baseline:
        facts["baseline"] = {"description": baseline.get("description"),
                             "metrics": baseline.get("metrics") or {}}
    if set(summary) <= {"register_trained_model"}:
        notes.append("summary.json holds only register_trained_model: no metrics, champion, "
                     "baseline or reason were recorded")
    elif not facts["metrics"]:
        notes.append("summary.json records no metrics")
    return facts


def entry_schema(folder: Path, notes: list[str]) -> dict:
    """The input and output schema, with examples, that the entry script recorded for
    /swagger.json (amltoolbox/serving/schema.py), read by importing it as the server does."""
    layout = ModelLayout(folder)
    if not layout.entry_script.is_file():
        notes.append(f"{layout.entry_script} does not exist: no input schema")
        return {}
    module_name = f"{folder.name}.config.{layout.entry_script.stem}"
    if str(folder.parent) not in sys.path:
        sys.path.insert(0, str(folder.parent))
    try:
        # pylint: disable-next=import-outside-toplevel  # inference_schema comes with the entry script
        from inference_schema.schema_util import get_input_schema, get_output_schema
        run = importlib.import_module(module_name).run
        schema = {"input": get_input_schema(run), "output": get_output_schema(run)}
    except Exception as error:  # pylint: disable=broad-exception-caught  # a card never fails on it
        notes.append(f"{layout.entry_script} could not be imported ({type(error).__name__}: "
                     f"{error}): no input schema")
        return {}
    if "example" not in schema["input"]:
        notes.append(f"{layout.entry_script} records no schema (no record_schema on run()): "
                     "no input schema or example request")
        return {}
    return {**schema, "example_request": schema["input"]["example"],
            "example_response": schema["output"].get("example")}


def environment_facts(folder: Path, repo_root: Path, notes: list[str]) -> dict:
    """The conda file the model is served with and the lock the project is tested with."""
    facts = {}
    for key, path in (("conda_file", ModelLayout(folder).conda_environment),
                      ("lock_file", repo_root / LOCK_FILE)):
        if path.is_file():
            facts[key] = {"path": path.relative_to(repo_root).as_posix(),
                          "sha256": file_sha256(path)}
        else:
            notes.append(f"{path} does not exist: not named in the card")
    return facts


def folder_facts(model_name: str, repo_root: Path, notes: list[str]) -> dict:
    """What the model folder that registers `model_name` says: its name, documentation,
    schema, environment, and the documentation warnings."""
    folder = find_model_folder(model_name, repo_root)
    if folder is None:
        notes.append(f"no model folder of {repo_root} registers '{model_name}': no "
                     "documentation, schema or environment")
        return {"folder": None, "documentation": None, "schema": {}, "environment": {},
                "warnings": []}
    found = card_documentation(folder)
    return {"folder": folder.name,
            "documentation": {"file": (found.file.relative_to(repo_root).as_posix()
                                       if found.file else None), "sections": found.sections},
            "schema": entry_schema(folder, notes),
            "environment": environment_facts(folder, repo_root, notes),
            "warnings": found.warnings}


def card_of(model: dict, lineage: dict, found: dict, **facts) -> dict:
    """The card's facts in their one shape: `model` (id, name, version, description, sha256,
    tags), the folder's facts (folder_facts), and datasets, evaluation, plots, registered
    and notes."""
    return {
        "format": CARD_FORMAT,
        "model": {**model, "folder": found["folder"]},
        "documentation": found["documentation"],
        "datasets": facts["datasets"],
        "evaluation": facts["evaluation"],
        "plots": facts["plots"],
        "schema": found["schema"],
        "environment": found["environment"],
        "code": {"commit": lineage.get(GIT_COMMIT), "uncommitted_changes": lineage.get(GIT_DIRTY)},
        "registered": facts["registered"],
        "notes": facts["notes"],
        "warnings": found["warnings"],
    }


def training_data_note(lineage: dict, notes: list[str]) -> None:
    """Say when the lineage names no training dataset."""
    if not lineage.get(TRAINING_DATA):
        notes.append("the training dataset was not recorded (the model has no model_info.json "
                     "naming it)")


def gather_card(workspace: LocalWorkspace, record: ModelRecord, registered_by: str | None = None,
                repo_root: Path = REPO_ROOT) -> dict:
    """Everything the card of `record` says, and the documentation warnings."""
    notes: list[str] = []
    lineage = record.lineage
    datasets = [dataset_facts(workspace, usage, input_name, dataset_id)
                for usage in (TRAINING_DATA, TESTING_DATA)
                for input_name, dataset_id in (lineage.get(usage) or {}).items()]
    training_data_note(lineage, notes)
    summary, plots = run_evaluation(workspace, lineage.get("pipeline_run_id") or record.run_id)
    found = folder_facts(record.name, repo_root, notes)
    return card_of(
        {"id": record.id, "name": record.name, "version": record.version,
         "description": record.description, "sha256": record.sha256, "tags": record.tags},
        lineage, found, datasets=datasets, evaluation=evaluation_facts(summary, notes),
        plots=plots, registered={"at": record.created, "by": registered_by,
                                 "run_id": record.run_id},
        notes=notes)
