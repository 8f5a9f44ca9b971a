"""One drift check: new data against the training dataset of the model version it is for,
with the thresholds of that model's config, recorded as a run with a plot per drifted
feature."""
from dataclasses import dataclass
from pathlib import Path

from shared_code.amltoolbox.errors import UserError
from shared_code.amltoolbox.local.models import model_problem
from shared_code.amltoolbox.local.models import ModelRecord
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.model_io import INFO_FILE, find_model_file, load_model
from shared_code.amltoolbox.serving.request_log import request_log_folder

from .card_facts import TRAINING_DATA, find_model_folder
from .drift_config import DriftThresholds, drift_thresholds
from .drift_report import DriftReport
from .drift_run import drift_run
from .model_ref import registered_name, split_reference
from .request_log import logged_requests

TABULAR, FILE = "tabular", "file"


class DriftInputError(UserError):
    """A drift check that cannot be made as asked."""


@dataclass(frozen=True)
class NewData:
    """Where the new data is, and how to name it; `requests`: logged requests, not files."""
    path: Path
    label: str
    requests: bool = False


def training_dataset(workspace: LocalWorkspace, record: ModelRecord):
    """The registered training dataset of a model version (its lineage names it)."""
    recorded = record.lineage.get(TRAINING_DATA) or {}
    if not recorded:
        raise DriftInputError(f"{record.id} records no training dataset (it was registered "
                              "without a model_info.json naming it): a drift check compares "
                              "with the training data; register the model again with one")
    dataset_id = next(iter(recorded.values()))
    name, version = split_reference(dataset_id, "a dataset")
    return workspace.datasets.get(name, version)


def new_data(workspace: LocalWorkspace, path: str | None, dataset: str | None,
             requests_of: str | None = None) -> NewData:
    """The data to check: a path, a registered dataset, or the requests a model's local server
    logged (`requests_of`: its registered name)."""
    if requests_of:
        folder = request_log_folder(workspace.root, requests_of)
        if not any(folder.glob("requests-*.jsonl*")):
            raise DriftInputError(f"no requests of {requests_of} were logged in {folder}: serve "
                                  "it with `serve MODEL --log-requests` and score some first")
        return NewData(folder, f"requests served locally ({folder})", requests=True)
    if dataset:
        name, version = split_reference(dataset, "a dataset")
        record = workspace.datasets.get(name, version)
        return NewData(record.path, f"dataset {record.id}")
    data = Path(path)
    if not data.exists():
        raise DriftInputError(f"{data} does not exist: give a CSV file, a folder of CSV files "
                              "or a folder of images with --input")
    return NewData(data, str(data))


def model_info(record: ModelRecord) -> dict:
    """model_info.json of the registered version ({} when it has none)."""
    import json  # pylint: disable=import-outside-toplevel
    info = find_model_file(record.path).parent / INFO_FILE
    return json.loads(info.read_text(encoding="utf-8")) if info.is_file() else {}


def model_thresholds(model_name: str) -> DriftThresholds:
    """The `drift:` thresholds of the model's folder (the defaults without one)."""
    folder = find_model_folder(model_name)
    if folder is None:
        return drift_thresholds(None)
    config = load_model_config(folder)
    return drift_thresholds(config.drift, config.layout.model_config)


def _is_image_dataset(path: Path) -> bool:
    # pylint: disable-next=import-outside-toplevel
    from shared_code.image_utils.image_files import is_image_file
    return any(is_image_file(p) for p in Path(path).rglob("*") if p.is_file())


def check_drift(workspace: LocalWorkspace, reference: str, path: str | None = None,  # pylint: disable=too-many-locals
                dataset: str | None = None, requests: bool = False) -> DriftReport:
    """Check new data against `reference`'s (NAME[:VERSION]) training dataset, as a run: the
    files at `path`, a registered `dataset`, or the `requests` its local server logged."""
    # pylint: disable=import-outside-toplevel  # each kind of data imports its own readers
    name, version = split_reference(reference, "a model")
    record = workspace.models.get(registered_name(workspace.models, name), version)
    training = training_dataset(workspace, record)
    data = new_data(workspace, path, dataset, record.name if requests else None)
    thresholds = model_thresholds(record.name)
    info = model_info(record)
    labels = (f"training dataset {training.id}", data.label)
    with drift_run(workspace, record.name, record.id, data.label) as run:
        if training.type == FILE and _is_image_dataset(training.path) and not data.requests:
            from .image_drift import image_drift
            problem = model_problem(record)
            if problem:
                raise DriftInputError(f"{problem}: its predictions cannot be compared; register "
                                      "it again (run its pipeline with --no-reuse)")
            model, _ = load_model(record.path)
            report = image_drift(training.path, data.path, model, info, thresholds, labels,
                                 record.id)
        else:
            from .tabular_drift import csv_table, request_table, tabular_drift
            table = (request_table(lambda: logged_requests(data.path), data.label)
                     if data.requests else csv_table(data.path, data.label))
            report = tabular_drift(training.path, table, info, thresholds, labels[0], record.id)
        plot_drifted(run, report)
        run.finish(report)
    return report


def plot_drifted(run, report: DriftReport) -> None:
    """A plot of each drifted feature that has a distribution to show."""
    shown_features = [f for f in report.features if f.drifted and f.distribution is not None]
    if not shown_features:
        return  # matplotlib is not even imported
    from shared_code.plottingtoolbox.drift_plots import shares_side_by_side  # pylint: disable=import-outside-toplevel
    for feature in shown_features:
        shown = feature.distribution
        run.log_plot(f"drift_{feature.feature}", shares_side_by_side(
            shown.labels, shown.training, shown.new,
            f"{report.model_id}: {feature.feature} ({'; '.join(feature.reasons)})"))
