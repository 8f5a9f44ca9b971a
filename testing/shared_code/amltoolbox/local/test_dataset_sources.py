"""What may be registered as a dataset: refused by its path before anything is read, or
listed only up to the bounds."""
from pathlib import Path

import pytest

from shared_code.amltoolbox.cli.main import main
from shared_code.amltoolbox.local import dataset_sources
from shared_code.amltoolbox.local.dataset_sources import (DatasetSourceError, dataset_files,
                                                         refusal)

NAME = "regression-x-training-01"
DESCRIPTION = ["--data-source", "a test", "--content", "rows", "--original-purpose", "tests",
               "--contacts", "me@example.com"]


@pytest.fixture(name="walks")
def fixture_walks(mocker):
    """os.walk, spied on: a refused path is refused without walking it."""
    return mocker.spy(dataset_sources.os, "walk")


@pytest.mark.parametrize("path, problem", [
    ("/", "it is the root of the file system"),
    ("/usr", "it is a system folder \\(/usr\\)"),
    ("/etc/ssh", "it is a system folder \\(/etc\\)"),
    ("/proc/self", "it is a system folder \\(/proc\\)"),
    ("/home", "it is a folder of folders, not of data"),
    (str(Path.home()), "it is a folder of folders, not of data"),
    ("/var/lib", "it is a system folder \\(/var/lib\\)"),
])
def test_a_system_or_home_folder_is_refused_without_being_walked(tmp_path, walks, path,
                                                                  problem):
    if not Path(path).exists():
        pytest.skip(f"{path} does not exist on this machine")
    with pytest.raises(DatasetSourceError, match=f"refusing to register {path} as dataset "
                                                 f"'{NAME}': {problem}; give the file, or the "
                                                 "folder that holds only the data"):
        dataset_files(Path(path), NAME, tmp_path / "workspace")
    walks.assert_not_called()


@pytest.mark.parametrize("project", ["/usr/src/app", "/var/lib/jenkins/workspace/job",
                                     "/run/user/1000/checkout"])
def test_a_project_checked_out_under_a_system_folder_registers_its_data(project):
    """Docker images put projects under /usr/src/app, Jenkins under /var/lib/jenkins: only
    the system folders themselves, and trees such as /etc and /proc, are refused."""
    data = Path(project) / "model_a" / "data" / "training"
    assert refusal(data, Path(project) / ".aml_workspace") is None


def test_a_folder_holding_the_workspace_is_refused(tmp_path, walks):
    with pytest.raises(DatasetSourceError, match="it holds the local workspace .*copied into "
                                                 "itself"):
        dataset_files(tmp_path, NAME, tmp_path / "workspace")
    walks.assert_not_called()


@pytest.mark.parametrize("bound, passed", [("MAX_FILES", "3 files"),
                                           ("MAX_BYTES", "2.79397e-09 GiB")])
def test_a_folder_beyond_the_bounds_is_refused_once_it_passes_them(tmp_path, mocker, bound,
                                                                   passed):
    mocker.patch.object(dataset_sources, bound, 3)
    for index in range(10):
        (tmp_path / "data" / f"{index}.csv").parent.mkdir(exist_ok=True)
        (tmp_path / "data" / f"{index}.csv").write_text("x\n1\n", encoding="utf-8")
    listed = mocker.spy(dataset_sources.Path, "is_file")
    with pytest.raises(DatasetSourceError, match=f"holds more than {passed}, more than a local "
                                                 "dataset may"):
        dataset_files(tmp_path / "data", NAME, tmp_path / "workspace")
    assert listed.call_count < 10  # stopped at the bound, not after listing all ten files


def test_the_files_of_a_data_folder_are_listed_sorted(tmp_path):
    for name in ("b.csv", "a/c.csv"):
        (tmp_path / "data" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "data" / name).write_text("x\n", encoding="utf-8")
    assert dataset_files(tmp_path / "data", NAME, tmp_path / "ws") == [
        tmp_path / "data" / "a" / "c.csv", tmp_path / "data" / "b.csv"]


def test_datasets_register_slash_is_one_line_and_exit_status_2(capsys, workspace_dir, walks):
    with pytest.raises(SystemExit) as exited:
        main(["datasets", "register", NAME, "--type", "file", "--path", "/", *DESCRIPTION])
    [line] = capsys.readouterr().err.splitlines()
    assert exited.value.code == 2
    assert line == (f"error: refusing to register / as dataset '{NAME}': it is the root of the "
                    "file system; give the file, or the folder that holds only the data (e.g. "
                    "model_a/data/training)")
    walks.assert_not_called()
    assert not workspace_dir.exists()
