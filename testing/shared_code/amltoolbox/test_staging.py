"""Folders written whole: readers never see half a folder, and existing data is kept."""
import pytest

from shared_code.amltoolbox.staging import folder_written_whole, holds_files


def test_the_folder_appears_only_when_complete(tmp_path):
    target = tmp_path / "data" / "training"
    with folder_written_whole(target) as staging:
        (staging / "a.csv").write_text("x\n1\n", encoding="utf-8")
        assert not target.exists()
    assert (target / "a.csv").read_text(encoding="utf-8") == "x\n1\n"
    assert [p.name for p in target.parent.iterdir()] == ["training"]


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    target = tmp_path / "training"
    with pytest.raises(RuntimeError):
        with folder_written_whole(target) as staging:
            (staging / "half.csv").write_text("x\n", encoding="utf-8")
            raise RuntimeError("killed")
    assert not list(tmp_path.iterdir())


def test_files_already_there_are_kept_and_an_empty_folder_is_filled(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "own.csv").write_text("own", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    for name in ("mine", "empty"):
        with folder_written_whole(tmp_path / name) as staging:
            (staging / "made.csv").write_text("made", encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["own.csv"]
    assert sorted(p.name for p in (tmp_path / "empty").iterdir()) == ["made.csv"]
    assert holds_files(tmp_path / "empty") and not holds_files(tmp_path / "nothing")
