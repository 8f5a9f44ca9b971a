"""This model's tables for the tests: the real training and testing split that prepare_data
writes, made once per test process."""
import functools

from model_a.script_steps.prepare_data import load_diabetes_frame, split


@functools.cache
def _split():
    return split(load_diabetes_frame())


def training_table():
    """The 331 training rows (a copy each call: tests may change it)."""
    return _split()[0].copy()


def testing_table():
    """The 111 testing rows (a copy each call)."""
    return _split()[1].copy()
