"""Datasets prepared and registered on first use, so a fresh clone runs at once: the model's
script_steps/prepare_data.py write_datasets(model_dir) writes what is not there yet under
data/; files already there (your own data) are registered as they are."""
import importlib
from pathlib import Path
from typing import Sequence

from .datasets import DatasetNotFoundError
from .stat_cache import StatCache
from .workspace import LocalWorkspace
from ..model_config import ModelConfig, models_using, tags_with_model
from ..pipeline import Step, registered_datasets
from ..progress import Progress, Report, print_line
from ..staging import holds_files


def missing_datasets(steps: Sequence[Step], workspace: LocalWorkspace):
    """The pipeline's dataset inputs that the workspace does not have yet."""
    return [d for d in registered_datasets(steps)
            if not workspace.datasets.exists(d.name, d.version)]


def ensure_datasets(config: ModelConfig, steps: Sequence[Step], workspace: LocalWorkspace,
                    report: Report = print_line, run_id: str | None = None) -> list[str]:
    """Register every dataset the pipeline reads that is not registered yet; return their ids.

    Registered for run `run_id`, they are registered only while that run lives.
    """
    missing = missing_datasets(steps, workspace)
    _warn_of_changed_sources(config, steps, workspace, missing, report)
    made = _register_missing(config, missing, workspace, report, run_id)
    _tag_as_used(config, steps, workspace)
    return made


def _tag_as_used(config: ModelConfig, steps: Sequence[Step], workspace: LocalWorkspace) -> None:
    """Add the model to the `Models Using This Dataset` tag of each dataset version it reads,
    whichever folder registered it."""
    for dataset in registered_datasets(steps):
        record = workspace.datasets.get(dataset.name, dataset.version)
        if config.model_name not in models_using(record.tags):
            workspace.datasets.add_tags(record.name, record.version,
                                        tags_with_model(record.tags, config.model_name))


def _register_missing(config: ModelConfig, missing, workspace: LocalWorkspace, report,
                      run_id: str | None) -> list[str]:
    """Register the datasets the workspace does not have yet, from the folder's files."""
    specs = {spec.name: spec for spec in config.datasets.values()}
    made = []
    for dataset in missing:
        spec = specs.get(dataset.name)
        if spec is None or dataset.version is not None:
            workspace.datasets.get(dataset.name, dataset.version)  # raises, saying what to do
        source = config.folder / spec.path
        if not holds_files(source):
            report(f"preparing {config.folder.name}'s datasets under {config.folder / 'data'} ...")
            _write_datasets(config)
        if not holds_files(source):
            raise DatasetNotFoundError(
                f"dataset '{spec.name}' is not registered and {source} does not exist or holds "
                "no files: put the data there or register the dataset, then run again")
        record, _ = workspace.datasets.register(spec.name, spec.type, source,
                                                spec.description_text(), spec.tags, run_id)
        report(f"registered dataset {record.id} ({record.type}, {record.files} files)")
        made.append(record.id)
    return made


def _warn_of_changed_sources(config: ModelConfig, steps: Sequence[Step],
                             workspace: LocalWorkspace, missing, report) -> None:
    """Say so when the files under data/ differ from the registered version a run uses, and
    how to use them; only files whose stats changed are read again (StatCache)."""
    specs = {spec.name: spec for spec in config.datasets.values()}
    stat_cache = StatCache(workspace.store)
    for dataset in registered_datasets(steps):
        spec = specs.get(dataset.name)
        if dataset in missing or spec is None or dataset.version is not None:
            continue
        source = config.folder / spec.path
        latest = workspace.datasets.get(dataset.name)
        if holds_files(source) and stat_cache.tree_sha256(source) != latest.content_sha256:
            report(f"note: {source} differs from the registered {latest.id}, which this run "
                   f"uses; to train on the files, register them as a new version: python -m "
                   f"shared_code.amltoolbox datasets register {spec.name} --type {spec.type} "
                   f"--path {source} ... (see --help)")


def local_dataset_path(config: ModelConfig, usage: str) -> Path:
    """Where the `usage` dataset's files are on this machine (for EDA and notebooks),
    written by the model's prepare_data first when they are not there yet."""
    source = config.folder / config.dataset(usage).path
    if not holds_files(source):
        _write_datasets(config)
    return source


def _write_datasets(config: ModelConfig) -> None:
    with Progress(f"preparing {config.folder.name}'s datasets", ticking=True):
        _run_prepare_data(config)


def _run_prepare_data(config: ModelConfig) -> None:
    try:
        module = importlib.import_module(config.layout.prepare_data_module)
    except ModuleNotFoundError as error:
        if error.name and error.name.startswith(config.folder.name):
            raise DatasetNotFoundError(
                f"{config.folder.name} has no script_steps/prepare_data.py to make its datasets: "
                "add one with write_datasets(model_dir), or register the datasets yourself "
                "(python -m shared_code.amltoolbox datasets register --help)") from None
        raise
    module.write_datasets(config.folder)
