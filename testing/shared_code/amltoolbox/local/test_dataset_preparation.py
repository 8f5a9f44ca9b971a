"""Datasets prepared and registered on first use."""
import dataclasses
import shutil

import pytest

from shared_code.amltoolbox.local import stat_cache
from shared_code.amltoolbox.local.dataset_preparation import ensure_datasets, missing_datasets
from shared_code.amltoolbox.local.datasets import DatasetNotFoundError
from shared_code.amltoolbox.model_config import MODELS_TAG
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.pipeline import Step, registered
from shared_code.amltoolbox.paths import REPO_ROOT

TRAINING, TESTING = "regression-diabetes-training-01", "regression-diabetes-testing-01"


@pytest.fixture(name="model_a")
def fixture_model_a():
    return load_pipeline("model_a")


@pytest.fixture(name="fresh_copy")
def fixture_fresh_copy(tmp_path, model_a):
    """model_a's config in a copy of its folder without data, as in a fresh clone."""
    folder = shutil.copytree(REPO_ROOT / "model_a", tmp_path / "model_a",
                             ignore=shutil.ignore_patterns("data", "__pycache__"))
    return dataclasses.replace(model_a[0], folder=folder)


def test_every_dataset_the_pipeline_reads_is_missing_from_a_new_workspace(workspace, model_a):
    assert [d.name for d in missing_datasets(model_a[1], workspace)] == [TRAINING, TESTING]


def test_data_already_on_disk_is_registered_once_with_its_description(workspace, model_a):
    lines = []
    made = ensure_datasets(*model_a, workspace, lines.append)
    assert made == [f"{TRAINING}:1", f"{TESTING}:1"]
    record = workspace.datasets.get(TRAINING)
    assert record.description == model_a[0].dataset("training").description_text()
    assert record.tags == model_a[0].dataset("training").tags
    assert lines == [f"registered dataset {TRAINING}:1 (tabular, 1 files)",
                     f"registered dataset {TESTING}:1 (tabular, 1 files)"]
    assert not ensure_datasets(*model_a, workspace, lines.append)
    assert not missing_datasets(model_a[1], workspace)


def test_a_fresh_clone_writes_its_data_by_code_then_registers_it(workspace, model_a, fresh_copy):
    lines = []
    ensure_datasets(fresh_copy, model_a[1], workspace, lines.append)
    assert lines[0].startswith("preparing model_a's datasets")
    assert (fresh_copy.folder / "data" / "training" / "diabetes_training.csv").is_file()
    assert workspace.datasets.get(TRAINING).files == 1
    assert workspace.datasets.get(TESTING).files == 1


def test_an_empty_data_folder_is_no_data_and_is_prepared(workspace, model_a, fresh_copy):
    (fresh_copy.folder / fresh_copy.dataset("training").path).mkdir(parents=True)
    ensure_datasets(fresh_copy, model_a[1], workspace, report=lambda line: None)
    assert workspace.datasets.get(TRAINING).files == 1


def test_a_model_without_prepare_data_and_without_data_says_what_to_add(
        workspace, model_a, fresh_copy, tmp_path):
    renamed = dataclasses.replace(fresh_copy, folder=fresh_copy.folder.rename(tmp_path / "no_prep"))
    with pytest.raises(DatasetNotFoundError, match="no_prep has no script_steps/prepare_data.py"):
        ensure_datasets(renamed, model_a[1], workspace)


def test_a_prepare_data_that_writes_nothing_is_an_error_naming_the_path(
        workspace, model_a, fresh_copy, mocker):
    mocker.patch("model_a.script_steps.prepare_data.write_datasets")
    with pytest.raises(DatasetNotFoundError,
                       match=f"dataset '{TRAINING}' is not registered and .*data/training does not "
                             "exist or holds no files: put the data there"):
        ensure_datasets(fresh_copy, model_a[1], workspace)


@pytest.mark.parametrize("source", [registered(TRAINING, 3), registered("regression-x-other-01")])
def test_a_pinned_version_or_an_undeclared_dataset_is_not_made_up(workspace, model_a, source):
    steps = [Step("train", "train.py", inputs={"train_data": source})]
    with pytest.raises(DatasetNotFoundError, match=source.name):
        ensure_datasets(model_a[0], steps, workspace)


def test_data_files_changed_since_registration_are_pointed_out_not_used(workspace, model_a,
                                                                       fresh_copy):
    ensure_datasets(fresh_copy, model_a[1], workspace, report=lambda line: None)
    training = fresh_copy.folder / fresh_copy.dataset("training").path
    csv = next(training.glob("*.csv"))
    csv.write_text(csv.read_text(encoding="utf-8") + "1,1,1,1,1,1,1,1,1,1,1\n", encoding="utf-8")
    lines = []
    assert not ensure_datasets(fresh_copy, model_a[1], workspace, report=lines.append)
    assert len(lines) == 1
    assert f"{training} differs from the registered {TRAINING}:1" in lines[0]
    assert f"datasets register {TRAINING} --type tabular --path {training}" in lines[0]
    assert workspace.datasets.get(TRAINING).version == 1


def test_a_run_with_unchanged_data_reads_no_data_file_and_a_change_is_still_pointed_out(
        workspace, model_a, fresh_copy, mocker):
    # As if the files were written long before the run: none is within the racy window.
    mocker.patch.object(stat_cache, "RACY_WINDOW_NS", -3600 * 10**9)
    ensure_datasets(fresh_copy, model_a[1], workspace, report=lambda line: None)
    ensure_datasets(fresh_copy, model_a[1], workspace, report=lambda line: None)  # cache filled
    data = fresh_copy.folder / "data"
    opened = mocker.spy(stat_cache, "file_sha256")
    lines = []
    ensure_datasets(fresh_copy, model_a[1], workspace, report=lines.append)
    assert not lines
    assert not opened.call_args_list
    csv = next((data / "testing").glob("*.csv"))
    text = csv.read_text(encoding="utf-8")
    csv.write_text(text.replace("1", "2", 1), encoding="utf-8")  # same size, new content
    ensure_datasets(fresh_copy, model_a[1], workspace, report=lines.append)
    assert [call.args[0] for call in opened.call_args_list] == [csv]
    assert f"{csv.parent} differs from the registered {TESTING}:1" in lines[0]


def test_a_second_model_reuses_the_registered_dataset_and_is_tagged_as_using_it(workspace,
                                                                               model_a):
    config, steps = model_a
    ensure_datasets(config, steps, workspace, lambda line: None)
    other = dataclasses.replace(config, model_name="canal-level-forecasting",
                                folder=REPO_ROOT / "nowhere")  # no files of its own to register
    lines = []
    assert not ensure_datasets(other, steps, workspace, lines.append)
    assert not lines
    for usage, name in (("training", TRAINING), ("testing", TESTING)):
        record = workspace.datasets.get(name)
        assert record.version == 1
        assert record.tags == {**config.dataset(usage).tags,
                               MODELS_TAG: "model_a, canal-level-forecasting"}
    ensure_datasets(other, steps, workspace, lines.append)  # listed once, however often it runs
    assert workspace.datasets.get(TRAINING).tags[MODELS_TAG] == \
        "model_a, canal-level-forecasting"
