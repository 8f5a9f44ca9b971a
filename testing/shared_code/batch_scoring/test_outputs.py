"""Answers and rejects: CSV or Parquet, whole or not at all, a full disk in one line."""
import errno

import pandas as pd
import pytest

from shared_code.amltoolbox.disk_space import DiskFullError
from shared_code.batch_scoring.outputs import AnswerWriter, RejectsWriter, rejects_path


@pytest.mark.parametrize("name", ["scores.csv", "scores.parquet"])
def test_answers_are_written_whole_then_renamed(tmp_path, name):
    path = tmp_path / "out" / name
    writer = AnswerWriter(path, "row")
    writer.write([0, 1], {"predictions": [1.5, 2.5], "probabilities": [[0.1], [0.9]]})
    writer.write([3], {"predictions": [3.5], "probabilities": [[0.5]]})
    assert not path.exists()
    writer.close(keep=True)
    frame = pd.read_csv(path) if name.endswith(".csv") else pd.read_parquet(path)
    assert frame["row"].tolist() == [0, 1, 3]
    assert frame["predictions"].tolist() == [1.5, 2.5, 3.5]
    assert list(path.parent.iterdir()) == [path]


def test_a_failed_batch_leaves_nothing(tmp_path):
    writer = AnswerWriter(tmp_path / "scores.csv", "row")
    writer.write([0], {"predictions": [1.0]})
    writer.close(keep=False)
    assert not list(tmp_path.iterdir())


def test_a_full_disk_is_one_line_naming_the_output(tmp_path, mocker):
    path = tmp_path / "scores.csv"
    writer = AnswerWriter(path, "row")
    handle = mocker.MagicMock()
    handle.write.side_effect = OSError(errno.ENOSPC, "No space left on device")
    mocker.patch("shared_code.batch_scoring.outputs.open", create=True, return_value=handle)
    with pytest.raises(DiskFullError) as raised:
        writer.write([0], {"predictions": [1.0]})
    writer.close(keep=False)
    message = str(raised.value)
    assert str(path) in message and "disk mounted at /" in message and "--output" in message
    assert not list(tmp_path.iterdir())


def test_rejects_are_written_beside_the_output_and_a_stale_file_removed(tmp_path):
    output = tmp_path / "scores.csv"
    writer = RejectsWriter(rejects_path(output), "path")
    writer.write([("a.png", "not a PNG")])
    writer.close(keep=True)
    assert rejects_path(output).name == "scores.rejects.csv"
    assert pd.read_csv(rejects_path(output)).values.tolist() == [["a.png", "not a PNG"]]
    RejectsWriter(rejects_path(output), "path").close(keep=True)
    assert not rejects_path(output).exists()
