"""Only files inside the workspace are read or served: not by '..', an absolute path or a
symbolic link."""
import pytest

from shared_code.aml_studio.workspace_files import (OutsideWorkspaceError, image_type,
                                                    read_tail, relative_inside,
                                                    resolve_inside)


@pytest.fixture(name="root")
def fixture_root(tmp_path):
    root = tmp_path / "workspace"
    (root / "runs").mkdir(parents=True)
    (root / "runs" / "plot.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    return root


def test_a_file_inside_is_resolved(root):
    assert resolve_inside(root, "runs/plot.png") == (root / "runs" / "plot.png").resolve()
    assert resolve_inside(root, root / "runs" / "plot.png").is_file()
    assert relative_inside(root, root / "runs" / "plot.png") == "runs/plot.png"


@pytest.mark.parametrize("path", ["../secret.txt", "runs/../../secret.txt", "/etc/passwd",
                                  "runs/../.."])
def test_a_path_that_leads_out_is_refused(root, path):
    with pytest.raises(OutsideWorkspaceError, match="not inside the workspace"):
        resolve_inside(root, path)
    assert relative_inside(root, path) is None


def test_a_link_inside_that_points_out_is_refused(root, tmp_path):
    (root / "runs" / "link.png").symlink_to(tmp_path / "secret.txt")
    (root / "runs" / "folder").symlink_to(tmp_path, target_is_directory=True)
    for path in ("runs/link.png", "runs/folder/secret.txt"):
        with pytest.raises(OutsideWorkspaceError):
            resolve_inside(root, path)


def test_a_link_within_the_workspace_is_followed(root):
    (root / "runs" / "same.png").symlink_to(root / "runs" / "plot.png")
    assert resolve_inside(root, "runs/same.png") == (root / "runs" / "plot.png").resolve()


@pytest.mark.parametrize("name, media_type", [("a.png", "image/png"), ("a.JPG", "image/jpeg"),
                                              ("a.svg", None), ("workspace.db", None)])
def test_only_raster_images_have_a_media_type(tmp_path, name, media_type):
    assert image_type(tmp_path / name) == media_type


def test_the_tail_is_the_last_lines_of_a_long_log(tmp_path):
    log = tmp_path / "log.txt"
    log.write_text("".join(f"line {i}\n" for i in range(100_000)), encoding="utf-8")
    assert read_tail(log, 3) == ["line 99997", "line 99998", "line 99999"]
    assert read_tail(tmp_path / "none.txt", 3) is None
