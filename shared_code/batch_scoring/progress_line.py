"""The batch's progress line: items done, items per second and, when the input's size is
known, the time left. On a terminal it is rewritten in place; in CI a line every few seconds
(shared_code/amltoolbox/progress.py)."""
import time

from shared_code.amltoolbox.progress import Progress


class BatchProgress(Progress):
    """Progress with a rate and an estimate of the time left from the input read so far."""

    def __init__(self, label: str, unit: str, stream=None):
        super().__init__(label, unit=unit, stream=stream)
        self.read_fraction: float | None = None

    def _line(self, state: str = "") -> str:
        elapsed = time.monotonic() - self._started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = ""
        if not state and self.read_fraction and 0 < self.read_fraction < 1:
            left = f", about {elapsed * (1 - self.read_fraction) / self.read_fraction:.0f} s left"
        state = f"{state} " if state else ""
        return (f"{self.label}: {state}{self.done:,} {self.unit}, {rate:,.0f} {self.unit}/s"
                f"{left}, {elapsed:.0f} s")
