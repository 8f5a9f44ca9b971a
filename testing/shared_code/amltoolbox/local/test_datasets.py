"""Registered datasets: immutable, versioned copies of files."""
import pytest

from shared_code.amltoolbox.local.dataset_sources import DatasetSourceError
from shared_code.amltoolbox.local.datasets import DATASETS_DIR, DatasetNotFoundError
from shared_code.amltoolbox.local.datasets import dataset_problem
from shared_code.amltoolbox.naming import NamingError

NAME = "regression-test-training-01"


@pytest.fixture(name="csv_file")
def fixture_csv_file(tmp_path):
    path = tmp_path / "source" / "train.csv"
    path.parent.mkdir()
    path.write_text("x,y\n1,2\n", encoding="utf-8")
    return path


def test_a_file_becomes_version_1_with_its_description_and_tags(workspace, csv_file):
    record, new = workspace.datasets.register(NAME, "tabular", csv_file, "some data", {"k": "v"})
    assert new and record.id == f"{NAME}:1"
    assert (record.type, record.description, record.tags, record.files) == (
        "tabular", "some data", {"k": "v"}, 1)
    assert (record.path / "train.csv").read_text(encoding="utf-8") == "x,y\n1,2\n"
    assert record.path == workspace.root / DATASETS_DIR / NAME / "1"


def test_the_copy_does_not_change_when_the_source_does(workspace, csv_file):
    record, _ = workspace.datasets.register(NAME, "tabular", csv_file, "d")
    csv_file.write_text("x,y\n9,9\n", encoding="utf-8")
    assert (record.path / "train.csv").read_text(encoding="utf-8") == "x,y\n1,2\n"


def test_unchanged_content_keeps_its_version_and_new_content_gets_the_next(workspace, csv_file):
    first, _ = workspace.datasets.register(NAME, "tabular", csv_file, "d")
    again, new_again = workspace.datasets.register(NAME, "tabular", csv_file, "d")
    csv_file.write_text("x,y\n3,4\n", encoding="utf-8")
    second, new_second = workspace.datasets.register(NAME, "tabular", csv_file, "d")
    assert (again.version, new_again) == (first.version, False)
    assert (second.version, new_second) == (2, True)
    assert workspace.datasets.get(NAME).version == 2
    assert workspace.datasets.get(NAME, 1).content_sha256 == first.content_sha256
    assert [d.id for d in workspace.datasets.list()] == [f"{NAME}:1", f"{NAME}:2"]


@pytest.mark.parametrize("source", ["one file", "a folder"])
def test_a_registered_dataset_checks_sound_from_a_file_or_a_folder(workspace, csv_file, source):
    record, _ = workspace.datasets.register(
        NAME, "tabular", csv_file if source == "one file" else csv_file.parent, "d")
    assert dataset_problem(record) is None


@pytest.mark.parametrize("damage", ["changed", "deleted"])
def test_registering_the_same_files_again_restores_a_damaged_version(workspace, csv_file,
                                                                     damage):
    record, _ = workspace.datasets.register(NAME, "tabular", csv_file, "d")
    if damage == "changed":
        (record.path / "train.csv").write_text("x,y\n6,6\n", encoding="utf-8")
    else:
        (record.path / "train.csv").unlink()
    assert dataset_problem(record) is not None
    again, new = workspace.datasets.register(NAME, "tabular", csv_file, "d")
    assert (again.id, new) == (record.id, False) and dataset_problem(again) is None
    assert (again.path / "train.csv").read_text(encoding="utf-8") == "x,y\n1,2\n"


def test_a_folder_keeps_its_layout(workspace, tmp_path):
    source = tmp_path / "images"
    (source / "a").mkdir(parents=True)
    (source / "a" / "1.txt").write_text("1", encoding="utf-8")
    (source / "2.txt").write_text("2", encoding="utf-8")
    record, _ = workspace.datasets.register("files-test-training-01", "file", source, "d")
    assert record.files == 2
    assert sorted(p.relative_to(record.path).as_posix() for p in record.path.rglob("*.txt")) == [
        "2.txt", "a/1.txt"]


def test_exists_answers_for_a_name_and_for_a_version(workspace, csv_file):
    workspace.datasets.register(NAME, "tabular", csv_file, "d")
    assert workspace.datasets.exists(NAME) and workspace.datasets.exists(NAME, 1)
    assert not workspace.datasets.exists(NAME, 2)
    assert not workspace.datasets.exists("regression-other-training-01")


def test_an_unknown_dataset_is_an_error_naming_it_and_what_is_registered(workspace, csv_file):
    workspace.datasets.register(NAME, "tabular", csv_file, "d")
    with pytest.raises(DatasetNotFoundError,
                       match=rf"'regression-x-training-01'.*registered: {NAME}.*datasets register"):
        workspace.datasets.get("regression-x-training-01")
    with pytest.raises(DatasetNotFoundError, match=f"version 5 of dataset '{NAME}'"):
        workspace.datasets.get(NAME, 5)


@pytest.mark.parametrize("name, dataset_type, error, message", [
    ("training", "tabular", NamingError, "modeltype-project-usage-version"),
    (NAME, "images", ValueError, "not one of"),
])
def test_bad_names_and_types_are_refused_before_anything_is_copied(
        workspace, csv_file, name, dataset_type, error, message):
    with pytest.raises(error, match=message):
        workspace.datasets.register(name, dataset_type, csv_file, "d")
    assert not (workspace.root / DATASETS_DIR).exists()


def test_an_empty_folder_is_refused(workspace, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetSourceError, match="holds no files"):
        workspace.datasets.register(NAME, "file", tmp_path / "empty", "d")


def test_a_folder_left_by_a_killed_registration_is_replaced_and_no_staging_stays(
        workspace, csv_file):
    assert workspace.datasets.list() == []  # the index exists: the folder is a leftover
    leftover = workspace.root / DATASETS_DIR / NAME / "1"
    leftover.mkdir(parents=True)
    (leftover / "partial.csv").write_text("x\n", encoding="utf-8")
    record, new = workspace.datasets.register(NAME, "tabular", csv_file, "d")
    assert new and record.path == leftover
    assert sorted(p.name for p in leftover.iterdir()) == ["train.csv"]
    assert [p.name for p in leftover.parent.iterdir()] == ["1"]
