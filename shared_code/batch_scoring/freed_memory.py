"""Keep the batch's main process's freed memory for its next chunk.

The main process allocates the same large blocks chunk after chunk (the input's blocks as
its rows are counted, the arrays that count them, each chunk's answers as text). glibc's
malloc serves a block of 128 KiB and more with a fresh mmap and gives it back when it is
freed (its threshold grows only with what it has seen freed), so every chunk pays again for
the system to hand over zeroed pages: on model_a's million rows, a tenth of the batch's CPU
time. Raising the mmap threshold (and the heap's trim threshold above it) keeps such blocks
in the heap for reuse; memory stays bounded by a chunk's needs, the heap keeping at most
TRIM_BYTES free.

mallopt(3) is glibc's; elsewhere (macOS, Windows, musl) nothing is changed.
"""
import ctypes
import ctypes.util

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h
MMAP_BYTES = 32 << 20  # glibc's largest mmap threshold on 64-bit systems
TRIM_BYTES = 128 << 20


def keep_freed_memory() -> bool:
    """Have malloc keep freed blocks of up to MMAP_BYTES for reuse; whether it could."""
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c")).mallopt
    except (OSError, AttributeError, TypeError):  # no C library by that name, or no mallopt
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_BYTES) and mallopt(M_TRIM_THRESHOLD, TRIM_BYTES))
