"""`score MODEL`: the real models over real data, as a user runs it; the answers are the
entry script's online answers for the same rows."""
import json

import pandas as pd
import pytest

from shared_code.amltoolbox.cli.main import main
from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.layout import model_folder
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.batch_scoring.batch_command import BatchArgumentError, split_reference
from shared_code.batch_scoring.entry_script_adapter import load_entry_script
from shared_code.amltoolbox.serving.local_server import (entry_script_of, lay_out_model,
                                                         registered_model)
from shared_code.amltoolbox.serving.model_loading import (EXPECTED_SHA256_ENV_VAR,
                                                          MODEL_DIR_ENV_VAR)


def _score(capsys, *argv) -> tuple[int, str]:
    with pytest.raises(SystemExit) as ended:
        main(["score", *argv])
    return ended.value.code, capsys.readouterr().err


@pytest.mark.parametrize("reference, expected", [("model_a", ("model_a", None)),
                                                 ("model_a:3", ("model_a", 3))])
def test_a_reference_is_a_name_and_an_optional_version(reference, expected):
    assert split_reference(reference, "MODEL") == expected


@pytest.mark.parametrize("reference", ["model_a:", "model_a:0", "model_a:x"])
def test_a_bad_version_is_refused(reference):
    if reference.endswith(":"):
        assert split_reference(reference, "MODEL") == ("model_a", None)
    else:
        with pytest.raises(BatchArgumentError, match="NAME:VERSION"):
            split_reference(reference, "MODEL")


def test_the_output_must_be_csv_or_parquet(capsys, tmp_path):
    status, err = _score(capsys, "model_a", "--input", str(tmp_path), "--output",
                         str(tmp_path / "out.txt"))
    assert status == 2 and "neither .csv nor .parquet" in err


@pytest.mark.integration
def test_model_a_scores_a_csv_as_its_service_answers(model_a_workspace, monkeypatch, tmp_path,
                                                     capsys):
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(model_a_workspace))
    config = load_model_config(model_folder("model_a"))
    rows = pd.read_csv(next((config.folder / config.dataset("testing").path).glob("*.csv")))
    rows = rows[config.training["features"]].head(40).copy()
    rows.loc[7, "bmi"] = None  # a missing value: rejected, the rest scored
    source = rows.to_csv(tmp_path / "patients.csv", index=False) or tmp_path / "patients.csv"
    output = tmp_path / "scores.csv"

    status, err = _score(capsys, "model_a:1", "--input", str(source), "--output", str(output),
                         "--workers", "2", "--chunk-rows", "16")

    assert status == 0, err
    assert "scored 39 rows, rejected 1" in err
    answers = pd.read_csv(output)
    assert answers["row"].tolist() == [r for r in range(40) if r != 7]
    online = _online_predictions(monkeypatch, rows.drop(index=7))
    assert answers["predictions"].tolist() == online
    assert pd.read_csv(output.with_name("scores.rejects.csv"))["row"].tolist() == [7]
    workspace = LocalWorkspace(model_a_workspace)
    try:
        run = workspace.runs.using_model("model_a:1")[0]
        recorded = workspace.runs.get(run.id)
    finally:
        workspace.close()
    assert recorded.experiment == "batch-scoring" and recorded.status == "Completed"
    assert recorded.properties["input_sha256"] and recorded.properties["workers"] == 2
    assert recorded.steps[0].metrics["scored"] == 39 and recorded.steps[0].metrics["rejected"] == 1


def _online_predictions(monkeypatch, rows: pd.DataFrame) -> list:
    """The entry script's run() in this process, on the model laid out as serve lays it out,
    given the rows as a JSON request's data."""
    record = registered_model("model_a", 1)
    monkeypatch.setenv(MODEL_DIR_ENV_VAR, str(lay_out_model(record)))
    monkeypatch.setenv(EXPECTED_SHA256_ENV_VAR, record.sha256)
    script = load_entry_script(entry_script_of("model_a"))
    return script.run(json.loads(rows.to_json(orient="records")))["predictions"]


@pytest.mark.integration
def test_model_b_scores_its_registered_dataset_and_rejects_a_bad_image(
        model_b_workspace, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(model_b_workspace))
    config = load_model_config(model_folder("model_b"))
    dataset = config.dataset("testing").name
    status, err = _score(capsys, "model_b", "--dataset", dataset, "--output",
                         str(tmp_path / "digits.parquet"), "--workers", "1")
    assert status == 0, err
    answers = pd.read_parquet(tmp_path / "digits.parquet")
    assert answers["path"].str.endswith(".png").all()
    assert (answers["predictions"] == answers["path"].str[0].astype(int)).mean() > 0.9

    folder = tmp_path / "images"
    folder.mkdir()
    for image in sorted((config.folder / config.dataset("testing").path).rglob("*.png"))[:3]:
        (folder / image.name).write_bytes(image.read_bytes())
    (folder / "broken.png").write_bytes(b"not a png")
    status, err = _score(capsys, "model_b", "--input", str(folder), "--output",
                         str(tmp_path / "few.csv"), "--max-rejects", "0")
    assert status == 2 and "more than --max-rejects 0" in err
    assert not (tmp_path / "few.csv").exists()
    status, err = _score(capsys, "model_b", "--input", str(folder), "--output",
                         str(tmp_path / "few.csv"))
    assert status == 0 and "scored 3 files, rejected 1" in err
    assert pd.read_csv(tmp_path / "few.rejects.csv")["path"].tolist() == ["broken.png"]
    workspace = LocalWorkspace(model_b_workspace)
    try:  # the folder's hash, made from the files the workers read
        recorded = workspace.runs.get(workspace.runs.using_model("model_b:1")[0].id)
    finally:
        workspace.close()
    assert recorded.properties["input_sha256"] == tree_sha256(folder)


@pytest.mark.parametrize("argv", [["--batch"], ["--batch", "--sdk", "v1", "--env", "dev"]])
def test_deploy_batch_goes_with_sdk_v2(argv, capsys):
    with pytest.raises(SystemExit) as ended:
        main(["deploy", "model_a", *argv])
    assert ended.value.code == 2
    assert "--batch goes with --sdk v2" in capsys.readouterr().err
