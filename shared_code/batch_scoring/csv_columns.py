"""A chunk's answers as CSV lines, formatted a column at a time by pyarrow: byte for byte what
csv.writer writes for the same values (outputs.csv_lines), in a fraction of its time.

csv.writer writes an int as str() does, a float as repr() does, and a list as JSON, quoted
when it holds a comma. pyarrow's cast of a float to a string gives the shortest digits that
read back as the same float, as repr() does, and writes them as repr() does except in known
ranges: an integral value ("3" for 3.0), from 1e-10 to 1e-4 (fixed point or a one-digit
exponent where repr writes "1e-05") and from 1e10 to 1e16 (an exponent where repr writes
fixed point). Values there, and what JSON writes otherwise (NaN, Infinity), are formatted
by Python. Columns of other values (booleans, None, strings, mixed types, objects) and keys
that would need quoting are not handled here (None): csv.writer writes them.
"""
# pyarrow.compute makes its functions when it is imported, where pylint does not see them.
# pylint: disable=no-member
import itertools
import math

import numpy as np

try:
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError:  # optional: csv.writer then writes every line
    pa = pc = None

NEEDS_QUOTES = '[,"\r\n]'


def arrow_csv_lines(keys, columns: dict) -> str | None:
    """The CSV lines of each key then its answer's fields, as csv.writer writes them; None
    when pyarrow is absent or a column holds values this does not format."""
    if pa is None:
        return None
    if not len(keys):  # pylint: disable=use-implicit-booleaness-not-len  # a range or a list
        return ""
    cells = [_key_cells(keys)]
    for values in columns.values():
        if cells[-1] is not None:
            cells.append(_value_cells(values))
    if cells[-1] is None:
        return None
    lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*cells, ","), "\n", "")
    # The lines one after another are the array's character data between its first and
    # last offsets.
    _, offsets, data = lines.buffers()
    first, last = np.frombuffer(offsets, np.int32)[[lines.offset, lines.offset + len(lines)]]
    data = memoryview(data)[first:last]
    return bytes(data).decode("utf-8")


def _key_cells(keys):
    if isinstance(keys, range):
        return pc.cast(pa.array(np.arange(keys.start, keys.stop, keys.step, dtype=np.int64)),
                       pa.string())
    kinds = set(map(type, keys))
    if kinds == {str}:
        text = pa.array(keys, pa.string())
        return None if pc.any(pc.match_substring_regex(text, NEEDS_QUOTES)).as_py() else text
    return _number_cells(keys, kinds, in_json=False)


def _value_cells(values):
    kinds = set(map(type, values))
    if kinds != {list}:
        return _number_cells(values, kinds, in_json=False)
    return _list_cells(values)


def _number_cells(values, kinds: set, in_json: bool):
    """Each number as csv.writer writes it (repr), or as JSON does inside a list."""
    if kinds == {int}:
        try:
            return pc.cast(pa.array(np.array(values, dtype=np.int64)), pa.string())
        except OverflowError:
            return None
    if kinds != {float}:
        return None
    numbers = np.array(values, dtype=np.float64)
    cells = pc.cast(pa.array(numbers), pa.string())
    magnitude = np.abs(numbers)
    with np.errstate(invalid="ignore"):
        python = (magnitude >= 1e10) & (magnitude < 1e16)
        if in_json:
            python |= ~np.isfinite(numbers)
        fixes = {_point_zero: (numbers == np.trunc(numbers)) & (magnitude < 1e10),
                 _two_digit_exponent: (magnitude >= 1e-9) & (magnitude < 1e-6),
                 _exponent_not_fixed: (magnitude >= 1e-6) & (magnitude < 1e-4)}
    for fix, where in fixes.items():
        if where.any():
            mask = pa.array(where)
            cells = pc.replace_with_mask(cells, mask, fix(cells.filter(mask)))
    if python.any():
        text = _json_float if in_json else repr
        fixed = [text(value) for value in numbers[python].tolist()]
        cells = pc.replace_with_mask(cells, pa.array(python), pa.array(fixed, pa.string()))
    return cells


def _point_zero(cells):
    """3 -> 3.0: an integral value, as repr() writes it."""
    return pc.binary_join_element_wise(cells, ".0", "")


def _two_digit_exponent(cells):
    """8e-7 -> 8e-07 (from 1e-9 to 1e-6)."""
    return pc.binary_join_element_wise(pc.utf8_slice_codeunits(cells, 0, -1), "0",
                                       pc.utf8_slice_codeunits(cells, -1), "")


def _exponent_not_fixed(cells):
    """0.0000745 -> 7.45e-05, 0.000007 -> 7e-06 (from 1e-6 to 1e-4)."""
    for zeros, exponent in (("0000", "05"), ("00000", "06")):
        cells = pc.replace_substring_regex(cells, rf"^(-?)0\.{zeros}([1-9])(\d+)$",
                                           rf"\1\2.\3e-{exponent}")
        cells = pc.replace_substring_regex(cells, rf"^(-?)0\.{zeros}([1-9])$", rf"\1\2e-{exponent}")
    return cells


def _list_cells(values):
    """Each list of numbers as its JSON, quoted when it holds a comma (two items or more)."""
    items = list(itertools.chain.from_iterable(values))
    cells = _number_cells(items, set(map(type, items)), in_json=True) if items else \
        pa.array([], pa.string())
    if cells is None:
        return None
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), cells), ", ")
    quoted = pc.binary_join_element_wise('"[', joined, ']"', "")
    if (lengths >= 2).all():
        return quoted
    bare = pc.binary_join_element_wise("[", joined, "]", "")
    return pc.if_else(pa.array(lengths >= 2), quoted, bare)


def _json_float(value: float) -> str:
    """A float as json.dumps writes it."""
    if math.isfinite(value):
        return repr(value)
    if value != value:  # pylint: disable=comparison-with-itself  # NaN
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"
