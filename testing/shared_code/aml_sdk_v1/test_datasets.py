"""Registering datasets in Azure ML, directly and from `datasets register --target azureml`."""
import dataclasses

import pytest
from azureml.core import Dataset
from azureml_offline import dataset_lookup, registered_dataset, without_workspace_settings

from shared_code.aml_sdk_v1 import datasets as azure_datasets
from shared_code.amltoolbox.azure import workspace as workspace_module
from shared_code.amltoolbox.cli.main import main
from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.model_config import MODELS_TAG, DatasetSpec
from shared_code.amltoolbox.naming import NamingError

NAME = "regression-diabetes-training-01"
DESCRIPTION = {"data_source": "scikit-learn", "content": "442 patients",
               "original_purpose": "tests", "contacts": "team@example.com"}


@pytest.fixture(name="csv_folder")
def fixture_csv_folder(tmp_path):
    """A folder with one CSV file."""
    folder = tmp_path / "training"
    folder.mkdir()
    (folder / "part-1.csv").write_text("age,target\n50,151\n", encoding="utf-8")
    return folder


@pytest.fixture(name="factories")
def fixture_factories(mocker):
    """upload_directory and from_delimited_files, mocked: they would reach the datastore."""
    return (mocker.patch.object(Dataset.File, "upload_directory"),
            mocker.patch.object(Dataset.Tabular, "from_delimited_files"))


def _spec(path, dataset_type="tabular", name=NAME) -> DatasetSpec:
    return DatasetSpec(name=name, type=dataset_type, path=str(path), description=DESCRIPTION,
                       tags={"usage": "training"})


def _no_dataset_named(mocker, workspace):
    mocker.patch("azureml.core.Dataset.get_by_name", side_effect=dataset_lookup(workspace, {}))


def test_a_tabular_folder_is_uploaded_and_registered_as_a_new_version(workspace, csv_folder,
                                                                      factories, mocker):
    _no_dataset_named(mocker, workspace)
    upload, from_delimited = factories
    content = tree_sha256(csv_folder)
    folder = f"datasets/{NAME}/{content[:16]}"
    datastore = workspace.get_default_datastore()
    dataset, new = azure_datasets.register_dataset(workspace, _spec(csv_folder))
    upload.assert_called_once_with(str(csv_folder.resolve()), (datastore, folder), overwrite=True)
    from_delimited.assert_called_once_with(path=(datastore, f"{folder}/**/*.csv"))
    from_delimited.return_value.register.assert_called_once_with(
        workspace=workspace, name=NAME, description=_spec(csv_folder).description_text(),
        tags={"usage": "training", "content_sha256": content}, create_new_version=True)
    assert (dataset, new) == (from_delimited.return_value.register.return_value, True)


def test_a_single_csv_file_is_uploaded_alone(workspace, csv_folder, factories, mocker):
    _no_dataset_named(mocker, workspace)
    upload, from_delimited = factories
    file = csv_folder / "part-1.csv"
    azure_datasets.register_dataset(workspace, _spec(file))
    assert upload.call_args.args[0] == str(csv_folder.resolve())
    assert upload.call_args.kwargs["pattern"] == file.resolve().as_posix()
    assert from_delimited.call_args.kwargs["path"][1].endswith("/part-1.csv")


def test_a_file_dataset_registers_the_uploaded_files(workspace, csv_folder, factories, mocker):
    _no_dataset_named(mocker, workspace)
    upload, from_delimited = factories
    azure_datasets.register_dataset(workspace, _spec(csv_folder, "file"))
    upload.return_value.register.assert_called_once()
    assert upload.return_value.register.call_args.kwargs["create_new_version"] is True
    from_delimited.assert_not_called()


def test_new_content_under_an_existing_name_makes_a_new_version(workspace, csv_folder, factories,
                                                                mocker):
    latest = registered_dataset(workspace, NAME, "tabular", version=4)
    latest._registration.tags = {"content_sha256": "older content"}  # pylint: disable=protected-access
    mocker.patch("azureml.core.Dataset.get_by_name", return_value=latest)
    upload, from_delimited = factories
    _, new = azure_datasets.register_dataset(workspace, _spec(csv_folder))
    assert new is True
    upload.assert_called_once()
    assert from_delimited.return_value.register.call_args.kwargs["create_new_version"] is True


def test_unchanged_content_returns_the_latest_version_without_uploading(workspace, csv_folder,
                                                                        factories, mocker):
    latest = registered_dataset(workspace, NAME, "tabular", version=4)
    latest._registration.tags = {"content_sha256": tree_sha256(csv_folder)}  # pylint: disable=protected-access
    mocker.patch("azureml.core.Dataset.get_by_name", return_value=latest)
    upload, _ = factories
    assert azure_datasets.register_dataset(workspace, _spec(csv_folder)) == (latest, False)
    upload.assert_not_called()


@pytest.mark.parametrize("registered_tags, expected_calls", [
    ({}, [("add_tags", {MODELS_TAG: "canal-level-forecasting"})]),
    ({MODELS_TAG: "model_a"}, [("remove_tags", [MODELS_TAG]),
                               ("add_tags", {MODELS_TAG: "model_a, canal-level-forecasting"})]),
    ({MODELS_TAG: "model_a, canal-level-forecasting"}, [])])
def test_unchanged_content_adds_the_registering_model_to_those_using_it(
        workspace, csv_folder, factories, mocker, registered_tags, expected_calls):
    latest = registered_dataset(workspace, NAME, "tabular", version=4)
    latest._registration.tags = {"content_sha256": tree_sha256(csv_folder), **registered_tags}  # pylint: disable=protected-access
    mocker.patch("azureml.core.Dataset.get_by_name", return_value=latest)
    calls = []
    for method in ("add_tags", "remove_tags"):
        mocker.patch.object(type(latest), method, autospec=True, side_effect=(
            lambda dataset, tags, method=method: calls.append((method, tags)) or dataset))
    spec = dataclasses.replace(_spec(csv_folder),
                               tags={MODELS_TAG: "canal-level-forecasting"})
    assert azure_datasets.register_dataset(workspace, spec) == (latest, False)
    assert calls == expected_calls
    factories[0].assert_not_called()


def test_a_bad_name_is_refused_before_anything_is_uploaded(workspace, csv_folder, factories):
    upload, _ = factories
    with pytest.raises(NamingError, match="modeltype-project-usage-version"):
        azure_datasets.register_dataset(workspace, _spec(csv_folder, name="Diabetes_Training"))
    upload.assert_not_called()
    workspace.get_default_datastore.assert_not_called()


def _register_args(name, path, *extra):
    return ["datasets", "register", name, "--type", "tabular", "--path", str(path),
            "--data-source", "scikit-learn", "--content", "442 patients",
            "--original-purpose", "tests", "--contacts", "team@example.com", *extra]


def test_cli_registers_in_azure_ml(workspace, csv_folder, mocker, capsys):
    mocker.patch.object(workspace_module, "get_workspace", return_value=workspace)
    register = mocker.patch.object(azure_datasets, "register_dataset")
    register.return_value = (mocker.Mock(version=2), True)
    register.return_value[0].name = NAME
    with pytest.raises(SystemExit) as exit_info:
        main(_register_args(NAME, csv_folder, "--tag", "usage=training", "--target", "azureml"))
    assert exit_info.value.code == 0
    spec = register.call_args.args[1]
    assert (spec.name, spec.type, spec.path, spec.tags) == (NAME, "tabular", str(csv_folder),
                                                            {"usage": "training"})
    assert spec.description == DESCRIPTION
    assert capsys.readouterr().out.strip() == \
        f"registered {NAME}:2 (tabular) in Azure ML workspace offline-workspace"


def test_cli_refuses_a_bad_name_before_signing_in(csv_folder, mocker, capsys):
    get_workspace = mocker.patch.object(workspace_module, "get_workspace")
    with pytest.raises(SystemExit) as exit_info:
        main(_register_args("diabetes", csv_folder, "--target", "azureml"))
    assert exit_info.value.code == 2
    assert "modeltype-project-usage-version" in capsys.readouterr().err
    get_workspace.assert_not_called()


def test_cli_says_which_workspace_settings_are_missing(csv_folder, tmp_path, mocker, monkeypatch,
                                                      capsys):
    without_workspace_settings(monkeypatch, mocker, tmp_path)
    upload = mocker.patch.object(Dataset.File, "upload_directory")
    with pytest.raises(SystemExit) as exit_info:
        main(_register_args(NAME, csv_folder, "--target", "azureml"))
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("error: no Azure ML workspace is configured: AZUREML_SUBSCRIPTION_ID")
    upload.assert_not_called()
