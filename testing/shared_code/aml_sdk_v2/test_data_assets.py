"""`datasets register ... --target azureml --sdk v2`: data assets with the standard's names,
description and tags; Tabular ones read by mltable as the local workspace reads them."""
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("azure.ai.ml", reason="the SDK v2 tests run in tox -e v2")

# pylint: disable=wrong-import-position
from azure.core.exceptions import ResourceNotFoundError

from shared_code.aml_sdk_v2.data_assets import (CONTENT_TAG, register_data_asset,
                                                stage_dataset)
from shared_code.amltoolbox.cli.main import main
from shared_code.amltoolbox.csv_reading import csv_files_in, read_csv_files
from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.model_config import DatasetSpec

DESCRIPTION = {"data_source": "s", "content": "c", "original_purpose": "p", "contacts": "a@b"}


def _spec(path: Path, kind: str = "tabular") -> DatasetSpec:
    return DatasetSpec(name="regression-x-training-01", type=kind, path=str(path),
                       description=DESCRIPTION, tags={"usage": "training"})


@pytest.fixture(name="csv_folder")
def fixture_csv_folder(tmp_path) -> Path:
    folder = tmp_path / "source"
    (folder / "2024").mkdir(parents=True)
    pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}).to_csv(folder / "one.csv", index=False)
    pd.DataFrame({"a": [3], "b": ["z"]}).to_csv(folder / "2024" / "two.csv", index=False)
    return folder


def test_a_tabular_dataset_reads_through_mltable_as_the_local_workspace_reads_it(
        csv_folder, tmp_path, monkeypatch):
    import mltable
    staged = stage_dataset(_spec(csv_folder), tmp_path / "staged")
    moved = staged.rename(tmp_path / "mounted")  # as Azure ML mounts it elsewhere
    monkeypatch.chdir(tmp_path)
    through_mltable = mltable.load(str(moved)).to_pandas_dataframe()
    local = read_csv_files(csv_files_in(csv_folder, "x"), "x")
    key = ["a", "b"]
    pd.testing.assert_frame_equal(through_mltable.sort_values(key).reset_index(drop=True),
                                  local.sort_values(key).reset_index(drop=True),
                                  check_dtype=False)


def test_a_file_dataset_is_its_files(tmp_path):
    source = tmp_path / "images" / "3"
    source.mkdir(parents=True)
    (source / "a.png").write_bytes(b"png")
    staged = stage_dataset(_spec(tmp_path / "images", "file"), tmp_path / "staged")
    assert sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*")) == ["3", "3/a.png"]


@pytest.fixture(name="ml_client")
def fixture_ml_client(mocker):
    client = mocker.MagicMock()
    client.data.get.side_effect = ResourceNotFoundError("no such asset")
    client.data.create_or_update.side_effect = lambda data: data
    return client


def test_a_new_name_is_registered_as_version_1_with_description_and_tags(csv_folder, ml_client):
    asset, new = register_data_asset(ml_client, _spec(csv_folder))
    assert new and asset.version == "1" and asset.type == "mltable"
    assert asset.name == "regression-x-training-01"
    assert asset.description == _spec(csv_folder).description_text()
    assert asset.tags == {"usage": "training", CONTENT_TAG: tree_sha256(csv_folder)}


def test_a_file_dataset_is_a_uri_folder(csv_folder, ml_client):
    asset, _ = register_data_asset(ml_client, _spec(csv_folder, "file"))
    assert asset.type == "uri_folder"


def test_unchanged_content_keeps_the_latest_version_and_new_content_makes_the_next(
        csv_folder, ml_client, mocker):
    latest = mocker.Mock(version="4", tags={CONTENT_TAG: tree_sha256(csv_folder)})
    ml_client.data.get.side_effect = None
    ml_client.data.get.return_value = latest
    assert register_data_asset(ml_client, _spec(csv_folder)) == (latest, False)
    (csv_folder / "one.csv").write_text("a,b\n9,q\n")
    asset, new = register_data_asset(ml_client, _spec(csv_folder))
    assert new and asset.version == "5"


def test_a_name_off_the_convention_is_refused_before_anything_is_uploaded(csv_folder, ml_client):
    from shared_code.amltoolbox.naming import NamingError
    bad = DatasetSpec("Training Data", "tabular", str(csv_folder), DESCRIPTION)
    with pytest.raises(NamingError):
        register_data_asset(ml_client, bad)
    ml_client.data.create_or_update.assert_not_called()


def test_the_command_line_registers_a_v2_asset(csv_folder, ml_client, mocker, capsys):
    mocker.patch("shared_code.aml_sdk_v2.ml_client.workspace_ml_client",
                 return_value=ml_client)
    ml_client.workspace_name = "ws"
    with pytest.raises(SystemExit) as stop:
        main(["datasets", "register", "regression-x-training-01", "--type", "tabular",
              "--path", str(csv_folder), "--data-source", "s", "--content", "c",
              "--original-purpose", "p", "--contacts", "a@b", "--target", "azureml",
              "--sdk", "v2"])
    assert stop.value.code == 0
    assert "registered regression-x-training-01:1 (mltable) in Azure ML workspace ws" in \
        capsys.readouterr().out


def test_sdk_v2_registers_only_in_azure_ml(csv_folder, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["datasets", "register", "regression-x-training-01", "--type", "tabular",
              "--path", str(csv_folder), "--data-source", "s", "--content", "c",
              "--original-purpose", "p", "--contacts", "a@b", "--sdk", "v2"])
    assert stop.value.code == 2
    assert "--sdk v2 goes with --target azureml" in capsys.readouterr().err
