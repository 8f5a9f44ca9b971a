"""The main process keeps its freed memory for the next chunk, where glibc's malloc lets it."""
import platform

import pytest

from shared_code.batch_scoring import freed_memory
from shared_code.batch_scoring.freed_memory import keep_freed_memory


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_keeps_freed_blocks():
    assert keep_freed_memory()


def test_without_a_c_library_that_has_mallopt_nothing_changes(mocker):
    mocker.patch.object(freed_memory.ctypes.util, "find_library", return_value="libnothing.so")
    assert not keep_freed_memory()
