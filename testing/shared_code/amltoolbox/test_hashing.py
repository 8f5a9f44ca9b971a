"""Content hashes of files and folders."""
import hashlib
import os

from shared_code.amltoolbox import progress
from shared_code.amltoolbox.hashing import file_sha256, text_sha256, tree_sha256


def _write(folder, files: dict) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def test_a_file_hash_is_the_sha256_of_its_bytes(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 3_000_000)  # more than one read chunk
    assert file_sha256(path) == hashlib.sha256(b"x" * 3_000_000).hexdigest()
    assert tree_sha256(path) == file_sha256(path)


def test_a_folder_hash_ignores_timestamps_and_creation_order(tmp_path):
    _write(tmp_path / "a", {"x.txt": "1", "sub/y.txt": "2"})
    _write(tmp_path / "b", {"sub/y.txt": "2", "x.txt": "1"})
    os.utime(tmp_path / "b" / "x.txt", (0, 0))
    assert tree_sha256(tmp_path / "a") == tree_sha256(tmp_path / "b")


def test_a_folder_hash_reads_its_files_in_path_order_as_rglob_finds_them(tmp_path):
    tree = tmp_path / "tree"
    _write(tree, {"a.b": "1", "a/x": "2", "a b/y": "3", ".hidden/z": "4", "b/c/w": "5", "A": "6"})
    _write(tmp_path / "outside", {"o": "7"})
    (tree / "to_folder").symlink_to(tmp_path / "outside")  # not followed
    (tree / "to_file").symlink_to(tmp_path / "outside" / "o")  # read
    (tree / "broken").symlink_to(tmp_path / "missing")
    files = sorted(p for p in tree.rglob("*") if p.is_file())
    expected = hashlib.sha256()
    for file in files:
        expected.update(f"{file.relative_to(tree).as_posix()}\0{file_sha256(file)}\n".encode())
    assert [f.name for f in files] == ["z", "A", "x", "y", "a.b", "w", "to_file"]
    assert tree_sha256(tree) == expected.hexdigest()


def test_a_folder_hash_changes_with_content_and_with_names(tmp_path):
    _write(tmp_path / "base", {"x.txt": "1"})
    _write(tmp_path / "content", {"x.txt": "2"})
    _write(tmp_path / "renamed", {"z.txt": "1"})
    _write(tmp_path / "added", {"x.txt": "1", "extra.txt": ""})
    hashes = {tree_sha256(tmp_path / name) for name in ("base", "content", "renamed", "added")}
    assert len(hashes) == 4


def test_text_parts_are_kept_apart():
    assert text_sha256("ab", "c") != text_sha256("a", "bc")
    assert text_sha256("ab", "c") == text_sha256("ab", "c")


def test_hashing_many_files_slowly_shows_a_moving_count(tmp_path, mocker, capsys):
    for index in range(3):
        (tmp_path / f"{index}.png").write_bytes(b"x")
    mocker.patch.object(progress, "QUIET_SECONDS", 0.0)  # as if it had taken long already
    tree_sha256(tmp_path)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"hashing {tmp_path}: 1/3 files")
    assert lines[-1].startswith(f"hashing {tmp_path}: done 3/3 files")
