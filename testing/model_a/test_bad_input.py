"""Bad training data as a user might register it, run through the real pipeline: each stops
the run with a message naming the dataset, file, column or row and what to do, the command
exits with status 2, and nothing is registered."""
import re

import numpy as np
import pytest

from model_a.aml_pipeline import CONFIG
from model_a.script_steps.prepare_data import load_diabetes_frame, split
from shared_code.amltoolbox.cli.main import main
from shared_code.amltoolbox.local.workspace import LocalWorkspace

pytestmark = pytest.mark.integration

TRAINING = CONFIG.dataset("training").name
TARGET = CONFIG.training["target"]
SOURCE = f"dataset '{TRAINING}' version 1"


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
