"""A full disk is one line naming the path, the disk and what to do; nothing half-written."""
import errno
import shutil

import pytest

from shared_code.amltoolbox.disk_space import (DiskFullError, disk_full_reported, is_disk_full,
                                               mount_point)
from shared_code.amltoolbox.errors import UserError

FULL = OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("error, full", [
    (FULL, True),
    (OSError(errno.EDQUOT, "Disk quota exceeded"), True),
    (shutil.Error([("a/model.pkl", "b/model.pkl", "[Errno 28] No space left on device")]), True),
    (shutil.Error([("a", "b", "[Errno 13] Permission denied")]), False),
    (OSError(errno.EACCES, "Permission denied"), False),
])
def test_is_disk_full(error, full):
    assert is_disk_full(error) is full


def test_the_mount_point_of_a_path_not_yet_made(tmp_path):
    assert mount_point(tmp_path / "not" / "yet") == mount_point(tmp_path)


def test_other_errors_pass_through(tmp_path):
    with pytest.raises(PermissionError), disk_full_reported(tmp_path, "writing", "do x"):
        raise PermissionError(errno.EACCES, "Permission denied")


def _assert_one_clear_line(error: UserError, path_part: str) -> None:
    message = str(error)
    assert "\n" not in message and "[(" not in message
    assert path_part in message and "no space left on the disk mounted at /" in message
    assert "AML_LOCAL_WORKSPACE" in message


def _make_model(folder):
    folder.mkdir()
    (folder / "model.pkl").write_bytes(b"model")
    (folder / "model_info.json").write_text("{}", encoding="utf-8")
    return folder


def test_a_full_disk_while_registering_a_model_registers_nothing(workspace, tmp_path, mocker):
    artifact = _make_model(tmp_path / "model")
    mocker.patch("shutil.copyfile", side_effect=FULL)  # copytree gathers it: a shutil.Error
    with pytest.raises(DiskFullError) as raised:
        workspace.models.register("model_x", artifact)
    _assert_one_clear_line(raised.value, "copying model model_x into the registry")
    mocker.stopall()
    assert workspace.models.list() == []
    assert not list((workspace.root / "models" / "model_x").iterdir())


def test_a_full_disk_while_registering_a_dataset_registers_nothing(workspace, tmp_path, mocker):
    source = tmp_path / "rows.csv"
    source.write_text("a,b\n1,2\n", encoding="utf-8")
    mocker.patch("shutil.copyfile", side_effect=FULL)
    with pytest.raises(DiskFullError) as raised:
        workspace.datasets.register("regression-x-training-01", "tabular", source, "rows")
    _assert_one_clear_line(raised.value, "into dataset regression-x-training-01")
    mocker.stopall()
    assert workspace.datasets.list() == []
    assert not list((workspace.root / "datasets" / "regression-x-training-01").iterdir())
