"""Folder hashes from a stat cache: the same hash as reading every file, reading only changes."""
import builtins
import os
import time
from pathlib import Path

import pytest

from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.local import stat_cache
from shared_code.amltoolbox.local.stat_cache import RACY_WINDOW_NS, StatCache

HOUR_NS = 3600 * 10**9


def _later(offset_ns: int):
    """A clock `offset_ns` ahead of this one: the cache looks at files written that long ago."""
    return lambda: time.time_ns() + offset_ns


@pytest.fixture(name="tree")
def fixture_tree(tmp_path) -> Path:
    """Files in nested folders, named so that Path order and string order differ."""
    root = tmp_path / "data"
    for relative, text in {"a/x.png": "one", "a-b/x.png": "two", "b.txt": "three",
                           "a/deeper/y.png": "four", ".hidden": "five"}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(name="opened")
def fixture_opened(mocker, tree):
    """The files under `tree` opened from now on, one entry per open."""
    real_open = builtins.open
    paths = []

    def counting_open(file, *args, **kwargs):
        if str(file).startswith(str(tree)):
            paths.append(Path(file).relative_to(tree).as_posix())
        return real_open(file, *args, **kwargs)

    mocker.patch("builtins.open", side_effect=counting_open)
    return paths


def _rewrite_keeping_size(path: Path, text: str) -> None:
    assert len(text) == path.stat().st_size
    path.write_text(text, encoding="utf-8")


def test_the_hash_is_the_one_reading_every_file_gives(workspace, tree):
    (tree / "link.txt").symlink_to(tree / "b.txt")  # read through, as rglob does
    (tree / "linked_folder").symlink_to(tree / "a", target_is_directory=True)  # not followed
    cache = StatCache(workspace.store, clock=_later(HOUR_NS))
    assert cache.tree_sha256(tree) == tree_sha256(tree)
    assert cache.tree_sha256(tree) == tree_sha256(tree)  # and from the cache


def test_a_single_file_is_hashed_as_tree_sha256_hashes_it(workspace, tree):
    cache = StatCache(workspace.store, clock=_later(HOUR_NS))
    assert cache.tree_sha256(tree / "b.txt") == tree_sha256(tree / "b.txt")


def test_an_unchanged_tree_is_not_read_again(workspace, tree, opened):
    cache = StatCache(workspace.store, clock=_later(HOUR_NS))
    first = cache.tree_sha256(tree)
    assert sorted(opened) == [".hidden", "a-b/x.png", "a/deeper/y.png", "a/x.png", "b.txt"]
    opened.clear()
    assert StatCache(workspace.store, clock=_later(HOUR_NS)).tree_sha256(tree) == first
    assert not opened


def test_only_the_changed_file_is_read_again(workspace, tree, opened):
    cache = StatCache(workspace.store, clock=_later(HOUR_NS))
    cache.tree_sha256(tree)
    opened.clear()
    _rewrite_keeping_size(tree / "a" / "x.png", "ONE")
    cached = cache.tree_sha256(tree)
    assert opened == ["a/x.png"]
    assert cached == tree_sha256(tree)


@pytest.mark.parametrize("change", ["add", "delete", "rename"])
def test_added_deleted_and_renamed_files_change_the_hash(workspace, tree, change):
    cache = StatCache(workspace.store, clock=_later(HOUR_NS))
    before = cache.tree_sha256(tree)
    if change == "add":
        (tree / "a" / "new.png").write_text("new", encoding="utf-8")
    elif change == "delete":
        (tree / "b.txt").unlink()
    else:
        (tree / "b.txt").rename(tree / "c.txt")
    assert cache.tree_sha256(tree) == tree_sha256(tree) != before


def test_an_edit_that_puts_the_old_mtime_back_is_noticed(workspace, tree):
    cache = StatCache(workspace.store, clock=_later(HOUR_NS))
    before = cache.tree_sha256(tree)
    target = tree / "b.txt"
    stat = target.stat()
    _rewrite_keeping_size(target, "THREE")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as `touch -d` or cp -p would
    assert cache.tree_sha256(tree) == tree_sha256(tree) != before


def test_a_change_within_the_same_second_with_the_same_size_is_noticed(workspace, tree, mocker):
    """On a file system with 1 s timestamps two writes within a second leave every stat as it
    was; the file was hashed within the racy window after it changed, so it is read again."""
    frozen = (5, 1_700_000_000 * 10**9, 1_700_000_000 * 10**9, 42)  # size, mtime, ctime, inode
    mocker.patch.object(stat_cache, "_stats", return_value=frozen)

    def within_the_second() -> int:
        return frozen[1] + 500_000_000  # hashed 0.5 s after the write
    target = tree / "b.txt"
    target.write_text("first", encoding="utf-8")
    cache = StatCache(workspace.store, clock=within_the_second)
    before = cache.tree_sha256(tree)
    _rewrite_keeping_size(target, "other")
    assert cache.tree_sha256(tree) == tree_sha256(tree) != before


def test_a_file_hashed_long_after_it_changed_is_trusted_while_its_stats_hold(workspace, tree,
                                                                             mocker, opened):
    """The rule's other side: past the racy window, equal stats vouch for the content."""
    frozen = (5, 1_700_000_000 * 10**9, 1_700_000_000 * 10**9, 42)
    mocker.patch.object(stat_cache, "_stats", return_value=frozen)
    cache = StatCache(workspace.store, clock=lambda: frozen[1] + RACY_WINDOW_NS + 1)
    cache.tree_sha256(tree)
    opened.clear()
    cache.tree_sha256(tree)
    assert not opened


def test_a_file_hashed_just_after_it_changed_is_read_again_next_time(workspace, tree, opened):
    cache = StatCache(workspace.store)  # the real clock: every file was written just now
    cache.tree_sha256(tree)
    opened.clear()
    cache.tree_sha256(tree)
    assert len(opened) == 5
