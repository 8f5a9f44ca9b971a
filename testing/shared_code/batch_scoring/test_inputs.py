"""Inputs read a chunk at a time: CSV, Parquet, image folders, registered datasets."""
import pandas as pd
import pytest

from shared_code.amltoolbox.hashing import file_sha256
from shared_code.batch_scoring.inputs import (FILE, TABULAR, InputError, input_from_dataset,
                                              input_from_path, table_frame)


def _csv(path, rows):
    pd.DataFrame({"a": range(rows), "b": range(rows)}).to_csv(path, index=False)
    return path


def test_csv_rows_are_numbered_across_files_in_chunks(tmp_path):
    _csv(tmp_path / "1.csv", 5)
    _csv(tmp_path / "2.csv", 3)
    batch = input_from_path(tmp_path)
    chunks = list(batch.chunks(2))
    assert batch.kind == TABULAR and batch.key == "row"
    assert [list(c.keys) for c in chunks] == [[0, 1], [2, 3], [4], [5, 6], [7]]
    assert [len(table_frame(c.payload)) for c in chunks] == [2, 2, 1, 2, 1]
    assert chunks[-1].read_fraction == 1.0


def test_parquet_is_read_by_batches(tmp_path):
    path = tmp_path / "rows.parquet"
    pd.DataFrame({"a": range(5)}).to_parquet(path)
    chunks = list(input_from_path(path).chunks(2))
    assert [list(c.keys) for c in chunks] == [[0, 1], [2, 3], [4]]
    assert chunks[1].payload["a"].tolist() == [2, 3]


@pytest.mark.parametrize("content, message", [
    ("a,b\n1,2\n3,4,5\n", "not a CSV file that can be read"),
    ("", "is empty"),
    ("a;b;c\n1;2;3\n", "separated by ';'"),
])
def test_a_malformed_csv_is_one_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        for chunk in input_from_path(path).chunks(10):
            table_frame(chunk.payload)


@pytest.mark.parametrize("name", ["rows.txt", "missing.csv"])
def test_an_input_that_is_not_a_table_or_folder_is_refused(tmp_path, name):
    path = tmp_path / name
    if name.endswith(".txt"):
        path.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="give a CSV or Parquet file"):
        input_from_path(path)


def test_an_image_folder_is_walked_in_sorted_order(tmp_path):
    for name in ("b/2.png", "b/1.png", "a/9.jpg", "a/notes.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    batch = input_from_path(tmp_path)
    assert batch.kind == FILE and batch.key == "path"
    assert [list(c.keys) for c in batch.chunks(2)] == [["a/9.jpg", "b/1.png"], ["b/2.png"]]


def test_an_image_folder_is_walked_in_path_order_and_each_chunk_says_how_it_is_hashed(
        tmp_path):
    for name in ("b.png", "a/x.png", "a.txt", "c/y.png", "c/notes.txt", "d.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(name.encode())
    batch = input_from_path(tmp_path)
    chunks = list(batch.chunks(2))
    assert batch.hashed_while_read and batch.sha256() is None
    assert [list(c.keys) for c in chunks] == [["a/x.png", "b.png"], ["c/y.png"]]
    plan = [entry for chunk in chunks for entry in chunk.hashed]
    assert [key for key, _ in plan] == [p.relative_to(tmp_path).as_posix() for p in sorted(
        p for p in tmp_path.rglob("*") if p.is_file())]
    hashes = {key: sha256 for key, sha256 in plan if isinstance(sha256, str)}
    assert hashes == {name: file_sha256(tmp_path / name)
                      for name in ("a.txt", "c/notes.txt", "d.txt")}


def test_a_folder_without_images_is_one_line(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="holds no images"):
        list(input_from_path(tmp_path).chunks(5))


def test_a_registered_dataset_is_read_from_the_workspace(workspace, tmp_path):
    source = _csv(tmp_path / "rows.csv", 4)
    workspace.datasets.register("regression-x-scoring-01", TABULAR, source, "rows")
    batch = input_from_dataset("regression-x-scoring-01", None, workspace)
    assert batch.dataset == "regression-x-scoring-01:1"
    assert batch.sha256() == workspace.datasets.get("regression-x-scoring-01").content_sha256
    assert [list(c.keys) for c in batch.chunks(3)] == [[0, 1, 2], [3]]
