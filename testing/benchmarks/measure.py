"""How the benchmarks measure, and how they print what they found.

- CPU time (user + system, of the child processes, from resource.getrusage) wherever a
  command runs in a process of its own: on a machine shared with other work, wall time
  measures the others too; CPU time much less so.
- Figures that are compared are measured in the same run, in interleaved rounds (A B A B
  ...), so that a change in the machine's load touches both alike.
- Each figure is a median with its min-max and round count; a ratio is the ratio of the
  medians, with the spread of the round-by-round ratios.
- The machine's load is printed before and after; figures taken while the load was above
  the number of cores are marked as not to be trusted.
"""
import os
import resource
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

LOADED_WARNING = ("NOT TO BE TRUSTED: the load average was above the number of cores; CPU "
                  "times hold better than wall times, and a ratio of figures measured side by "
                  "side better than either figure")


def children_cpu_seconds() -> float:
    """User + system CPU seconds of every ended child process of this one so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_of(command: Sequence[str], env: Mapping[str, str] | None = None,
           cwd: Path | None = None) -> float:
    """The CPU seconds of running `command` to its end (and of its own children)."""
    before = children_cpu_seconds()
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return children_cpu_seconds() - before


def interleaved(rounds: int, measures: Mapping[str, Callable[[], float]]) -> dict[str, list]:
    """Each measure once per round, the order rotated each round; their figures by name."""
    names = list(measures)
    figures: dict[str, list] = {name: [] for name in names}
    for round_index in range(rounds):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            figures[name].append(measures[name]())
    return figures


@dataclass(frozen=True)
class Spread:
    """A median with its min, max and count."""
    median: float
    low: float
    high: float
    count: int

    @classmethod
    def of(cls, values: Sequence[float]) -> "Spread":
        """The spread of `values`."""
        return cls(statistics.median(values), min(values), max(values), len(values))

    def text(self, scale: float = 1.0, unit: str = "", digits: int = 3) -> str:
        """'median 0.123 (0.100-0.150, 9 rounds)' in the given unit."""
        return (f"median {self.median * scale:.{digits}f}{unit} ({self.low * scale:.{digits}f}-"
                f"{self.high * scale:.{digits}f}{unit}, {self.count} rounds)")


def ratio(numerators: Sequence[float], denominators: Sequence[float]) -> tuple[float, Spread]:
    """The ratio of the medians, and the spread of the round-by-round ratios."""
    per_round = [a / b for a, b in zip(numerators, denominators) if b]
    return statistics.median(numerators) / statistics.median(denominators), Spread.of(per_round)


def goal(name: str, figure: str, passed: bool) -> None:
    """One line per goal: what, the measured figure, PASS or MISSED."""
    print(f"GOAL {name}: {figure} -> {'PASS' if passed else 'MISSED'}", flush=True)


class MachineLoad:
    """The load average and cores, read when a benchmark starts and when it ends."""

    def __init__(self):
        self.cores = os.cpu_count() or 1
        self.readings: list[float] = []

    def read(self, when: str) -> None:
        """Print the load now, and keep it."""
        one, five, fifteen = os.getloadavg()
        self.readings.append(one)
        print(f"machine load {when}: {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min) on "
              f"{self.cores} cores", flush=True)

    def verdict(self) -> None:
        """Say whether the figures measured in between can be trusted."""
        if max(self.readings, default=0.0) > self.cores:
            print(LOADED_WARNING, flush=True)
