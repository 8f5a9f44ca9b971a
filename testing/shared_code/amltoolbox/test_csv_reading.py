"""CSV files read as one table, with errors that name the file and what to do."""
import pytest

from shared_code.amltoolbox.csv_reading import DatasetReadError, csv_files_in, read_csv_files


def test_a_folders_csv_files_are_found_sorted_and_others_ignored(tmp_path):
    for name in ("b.csv", "a.csv", "sub/c.csv", "notes.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x\n1\n", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in csv_files_in(tmp_path, "d")] == [
        "a.csv", "b.csv", "sub/c.csv"]
    assert csv_files_in(tmp_path / "a.csv", "d") == [tmp_path / "a.csv"]


@pytest.mark.parametrize("where", ["empty_folder", "missing.csv"])
def test_no_csv_files_is_an_error_naming_the_dataset(tmp_path, where):
    (tmp_path / "empty_folder").mkdir()
    with pytest.raises(DatasetReadError, match="dataset 'x' holds no CSV files.*register the "
                                               "dataset again"):
        csv_files_in(tmp_path / where, "dataset 'x'")


def test_several_files_become_one_table(tmp_path):
    (tmp_path / "a.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("x,y\n3,4\n", encoding="utf-8")
    frame = read_csv_files([tmp_path / "a.csv", tmp_path / "b.csv"], "d")
    assert frame.to_dict("list") == {"x": [1, 3], "y": [2, 4]}
    assert list(frame.index) == [0, 1]


@pytest.mark.parametrize("content, problem", [
    (b"", "file bad.csv is empty"),
    (b'x,y\n1,2\n3,"4\n', "file bad.csv is not a readable CSV"),
    (b"x,y\n\xff\xfe,1\n", "file bad.csv is not a readable CSV"),
])
def test_an_unreadable_file_is_an_error_naming_it(tmp_path, content, problem):
    (tmp_path / "bad.csv").write_bytes(content)
    with pytest.raises(DatasetReadError, match=f"dataset 'x': {problem}.*register"):
        read_csv_files([tmp_path / "bad.csv"], "dataset 'x'")


@pytest.mark.parametrize("delimiter, named", [(";", "semicolons"), ("\t", "tabs"),
                                              ("|", "vertical bars")])
def test_a_file_separated_by_another_delimiter_is_refused_with_a_hint(tmp_path, delimiter, named):
    (tmp_path / "data.csv").write_text(f"x{delimiter}y\n1{delimiter}2\n", encoding="utf-8")
    with pytest.raises(DatasetReadError, match=f"dataset 'x': file data.csv has one column, "
                                               f"'x.y', which holds {named}: the file seems "
                                               f"separated by .*, not commas. Save it as "
                                               "comma-separated CSV"):
        read_csv_files([tmp_path / "data.csv"], "dataset 'x'")


def test_a_column_named_twice_is_refused_not_renamed(tmp_path):
    (tmp_path / "data.csv").write_text("age,bmi,age\n1,2,3\n", encoding="utf-8")
    with pytest.raises(DatasetReadError, match="file data.csv names the column\\(s\\) 'age' more "
                                               "than once in its header"):
        read_csv_files([tmp_path / "data.csv"], "dataset 'x'")


@pytest.mark.parametrize("rows, line", [("1,2,3\n4,5\n", 2), ("4,5\n1,2,3\n", 3)])
def test_a_row_with_more_fields_than_the_header_is_refused_naming_its_line(tmp_path, rows,
                                                                           line):
    (tmp_path / "data.csv").write_text("x,y\n" + rows, encoding="utf-8")
    with pytest.raises(DatasetReadError, match=f"file data.csv, line {line} has 3 fields but "
                                               "the header has 2"):
        read_csv_files([tmp_path / "data.csv"], "dataset 'x'")


def test_a_row_with_fewer_fields_leaves_missing_values_for_the_checks_after(tmp_path):
    (tmp_path / "data.csv").write_text("x,y\n1,2\n3\n", encoding="utf-8")
    frame = read_csv_files([tmp_path / "data.csv"], "dataset 'x'")
    assert frame["x"].tolist() == [1, 3] and frame["y"].isna().tolist() == [False, True]
