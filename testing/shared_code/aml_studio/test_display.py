"""How times, durations and numbers are written."""
import pytest

from shared_code.aml_studio.display import (duration_text, seconds_between, time_text,
                                            value_text)


@pytest.mark.parametrize("seconds, text", [(None, "-"), (0.275, "0.28 s"), (12.34, "12.3 s"),
                                           (185, "3 min 05 s"), (3725, "1 h 02 min")])
def test_durations(seconds, text):
    assert duration_text(seconds) == text


def test_seconds_between_two_recorded_times():
    assert seconds_between("2026-11-30T00:45:23.492+00:00", "2026-11-30T00:45:34.840+00:00") \
        == pytest.approx(11.348)
    assert seconds_between("2026-11-30T00:45:23.492+00:00", None) is None


def test_times_and_values():
    assert time_text("2026-11-30T00:45:23.492+00:00") == "2026-11-30 00:45:23"
    assert time_text(None) == "-"
    assert [value_text(v) for v in (0.44808900003, 331, "x", False)] == \
        ["0.4481", "331", "x", "False"]
