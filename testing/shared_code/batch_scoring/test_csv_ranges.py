"""A CSV file cut into byte ranges of rows: each range read alone gives the rows pandas reads
from the whole file, numbered alike, wherever the blocks of the scan fall."""
import pandas as pd
import pytest

from shared_code.batch_scoring import csv_ranges
from shared_code.batch_scoring.csv_ranges import csv_ranges as ranges_of
from shared_code.batch_scoring.input_errors import InputError

CONTENTS = {
    "plain": "a,b\n" + "".join(f"{i},{i * 2}\n" for i in range(23)),
    "no last line break": "a,b\n1,2\n3,4\n5,6",
    "crlf and a byte order mark": "\ufeffa,b\r\n1,2\r\n3,4\r\n5,6\r\n",
    "blank and whitespace lines": "\n a,b\n1,2\n\n   \n3,4\n\t\r\n5,6\n\n\n",
    "quoted line breaks and quotes": ('a,b\n1,"x\ny"\n2,"say ""hi""\n\n"\n3," z"\n'
                                      '4,"\n"\n5,w\n'),
    "header only": "a,b\n",
    "a return in quotes": "a,b\n1,\"x\ry\"\n2,z\n",
    "leading spaces in values": "a,b\n 1,2\n 3, 4\n",
}


@pytest.mark.parametrize("block_bytes", [4, 7, 1 << 20])
@pytest.mark.parametrize("rows_per_range", [1, 2, 5])
@pytest.mark.parametrize("name", CONTENTS)
def test_ranges_read_the_rows_of_the_whole_file(tmp_path, monkeypatch, name, rows_per_range,
                                                block_bytes):
    monkeypatch.setattr(csv_ranges, "BLOCK_BYTES", block_bytes)
    path = tmp_path / "rows.csv"
    path.write_bytes(CONTENTS[name].encode("utf-8"))
    whole = pd.read_csv(path, index_col=False, encoding="utf-8-sig")
    parts = list(ranges_of(path, rows_per_range, "test", first_row=7))
    assert [p.first_row for p in parts] == list(range(7, 7 + len(whole), rows_per_range))
    assert all(p.rows == rows_per_range for p in parts[:-1])
    frames = [p.read() for p in parts]
    read = pd.concat(frames, ignore_index=True) if frames else whole.iloc[:0]
    pd.testing.assert_frame_equal(read.astype(str), whole.astype(str))


@pytest.mark.parametrize("content, message", [
    ("a,b\n1,2\n3,4,5\n", "not a CSV file that can be read .*from row 0"),
    ("a,b\n1,2\n3,\"4\n", "not a CSV file that can be read"),
    ("", "is empty"),
    ("a,b\r1,2\r3,4\r", "ends lines with .r alone"),
    ("a,b\r\n1,2\r3,4\r\n", "ends lines with .r alone"),
])
def test_a_file_read_otherwise_is_one_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8", newline="")
    with pytest.raises(InputError, match=message):
        for part in ranges_of(path, 10, "test"):
            part.read()


def test_a_file_without_line_breaks_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_ranges, "LONGEST_LINE_BYTES", 10)
    monkeypatch.setattr(csv_ranges, "BLOCK_BYTES", 4)
    path = tmp_path / "one_line.csv"
    path.write_text("a" * 40, encoding="utf-8")
    with pytest.raises(InputError, match="no line break"):
        list(ranges_of(path, 10, "test"))
