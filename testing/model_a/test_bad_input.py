"""Bad training data as a user might register it, run through the real pipeline: each stops
the run with a message naming the dataset, file, column or row and what to do, the command
exits with status 2, and nothing is registered."""
import re

import numpy as np
import pytest
from testing_helpers import load_samples, run_model_pipeline, statuses

from model_a.aml_pipeline import CONFIG
from model_a.script_steps.prepare_data import load_diabetes_frame, split
from shared_code.amltoolbox.cli.main import main
from shared_code.amltoolbox.records import FAILED
from shared_code.amltoolbox.local.workspace import LocalWorkspace

pytestmark = pytest.mark.integration

TRAINING = CONFIG.dataset("training").name
TARGET = CONFIG.training["target"]
SOURCE = f"dataset '{TRAINING}' version 1"
TABLES = load_samples(__file__, "samples_tables")
FEATURES = CONFIG.training["features"]
TRAINING_SPEC = CONFIG.dataset("training")


def _changed(column: str, value: float):
    def write(frame, path):
        frame = frame.copy()
        frame.loc[frame.index[3], column] = value
        frame.to_csv(path, index=False)
    return write


def _text(change):
    def write(frame, path):
        path.write_text(change(frame.to_csv(index=False)), encoding="utf-8")
    return write


def _extra_field_on_line_5(text: str) -> str:
    lines = text.splitlines()
    lines[4] += ",7"
    return "\n".join(lines) + "\n"


BAD_DATA = {
    "an infinite target": (_changed(TARGET, np.inf),
                           f"the target '{TARGET}' is infinite in 1 row(s), e.g. row 4. Drop or "
                           "fix those rows and register the dataset again."),
    "a feature of 1e308": (_changed("bmi", 1e308),
                           "column 'bmi' has 1 value(s) beyond ±3.4e+38, the largest a 32-bit "
                           "float holds, e.g. 1e+308 in row 4. Fix or rescale them"),
    "a feature of 1e39": (_changed("s1", 1e39), "column 's1' has 1 value(s) beyond ±3.4e+38"),
    "a row with extra fields": (_text(_extra_field_on_line_5),
                                "file train.csv, line 5 has 12 fields but the header has 11 (a "
                                "stray comma, or a value that holds a comma without quotes?). "
                                "Fix the source data and register the dataset again."),
    "a semicolon-delimited file": (_text(lambda text: text.replace(",", ";")),
                                   "file train.csv has one column, 'age;sex;bmi;bp;s1;s2;s3;s4;s5;"
                                   "s6;target', which holds semicolons: the file seems separated "
                                   "by ';', not commas. Save it as comma-separated CSV"),
    "a column named twice": (_text(lambda text: text.replace("s6", "age", 1)),
                             "file train.csv names the column(s) 'age' more than once in its "
                             "header: give every column its own name."),
}


@pytest.mark.parametrize("bad", BAD_DATA)
def test_bad_training_data_stops_the_run_with_a_message_and_exit_status_2(
        bad, workspace_dir, tmp_path, capsys):
    write, message = BAD_DATA[bad]
    (tmp_path / "bad").mkdir()
    write(split(load_diabetes_frame())[0], tmp_path / "bad" / "train.csv")
    workspace = LocalWorkspace(workspace_dir)
    workspace.datasets.register(TRAINING, "tabular", tmp_path / "bad", "bad data, on purpose")
    with pytest.raises(SystemExit) as exited:
        main(["run", "model_a"])
    out = capsys.readouterr().out
    assert exited.value.code == 2, out
    assert re.search(r"train: FAILED after .*\n    " + re.escape(f"{SOURCE}: {message}"), out), out
    assert "Traceback" not in out and "nothing registered" in out.splitlines()[-1]
    assert workspace.models.list() == []
    workspace.close()



def _misspelled(frame):
    return frame.rename(columns={FEATURES[2]: FEATURES[2] + "x"})


def _non_numeric(frame):
    frame = frame.astype({FEATURES[0]: object})
    frame.iloc[3, frame.columns.get_loc(FEATURES[0])] = "forty"
    return frame


def _nan_target(frame):
    frame = frame.copy()
    frame.iloc[5, frame.columns.get_loc(TARGET)] = float("nan")
    return frame


def _training_table(change=lambda frame: frame):
    """A writer of the training table as prepare_data makes it, changed by `change`."""
    return lambda path: change(TABLES.training_table()).to_csv(path, index=False)


# The list of bad input; every variant of each is unit-tested in tabular_utils.
BAD_FILES = {
    "misspelled column": (_training_table(_misspelled), [
        f"missing the column(s) '{FEATURES[2]}' (did you mean '{FEATURES[2]}x'?)",
        "Rename them", "config/model_config.yml"]),
    "non-numeric values": (_training_table(_non_numeric), [
        f"'{FEATURES[0]}' has 1 non-numeric value(s), e.g. 'forty' in row 4", "clean the data"]),
    "NaN target": (_training_table(_nan_target), [
        f"the target '{TARGET}' is missing (NaN) in 1 row(s)", "Drop or fill those rows"]),
    "empty file": (lambda path: path.write_text("", encoding="utf-8"), [
        "file training.csv is empty", "register the dataset again"]),
}


def register_training_data(workspace, folder, write):
    """`write` a training.csv into `folder` and register it as the next training version."""
    folder.mkdir()
    write(folder / "training.csv")
    record, _ = workspace.datasets.register(TRAINING_SPEC.name, TRAINING_SPEC.type, folder,
                                            TRAINING_SPEC.description_text(), TRAINING_SPEC.tags)
    return record


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_training_data_fails_the_run_with_a_message_saying_what_to_do(tmp_path, case):
    write_bad, expected = BAD_FILES[case]
    root = tmp_path / "workspace"
    workspace = LocalWorkspace(root)
    register_training_data(workspace, tmp_path / "good", _training_table())
    bad = register_training_data(workspace, tmp_path / "bad", write_bad)
    assert bad.version == 2
    result = run_model_pipeline(CONFIG.folder.name, root)
    assert not result.succeeded and statuses(result) == [FAILED]
    error = result.steps[0].error
    for words in [f"dataset '{TRAINING_SPEC.name}' version 2", *expected]:
        assert words in error
    recorded = workspace.runs.get(result.run_id)
    assert (recorded.status, recorded.error) == (FAILED, f"step 'train' failed: {error}")
    assert [(s.step, s.status, s.error) for s in recorded.steps] == [("train", FAILED, error)]
    assert workspace.models.list() == []
    workspace.close()
