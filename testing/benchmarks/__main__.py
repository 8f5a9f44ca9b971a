"""Run every benchmark module (bench_*.py) in this folder, one after the other; or the ones
named, each followed by its own arguments (`bench_scale 98`)."""
import importlib
import os
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    """Run the named benchmarks with their arguments, or all of them."""
    found = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                   if m.name.startswith("bench_"))
    runs: list[tuple[str, list[str]]] = []
    for word in argv:
        if word.startswith("bench_"):
            if word not in found:
                sys.exit(f"no benchmark '{word}' (there are: {', '.join(found)})")
            runs.append((word, []))
        elif runs:
            runs[-1][1].append(word)
        else:
            sys.exit(f"'{word}' is not a benchmark; name one first (there are: "
                     f"{', '.join(found)})")
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None):
        # With no bytecode written, every process the benchmarks start (PYTHONPYCACHEPREFIX
        # set, as tox sets it) compiles the standard library again: 60 ms a start, not 15.
        print("PYTHONDONTWRITEBYTECODE is set here: unset for the processes measured, which "
              "use cached bytecode as a user's do", flush=True)
    for name, arguments in runs or [(name, []) for name in found]:
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"testing.benchmarks.{name}")
        if arguments:
            module.main(arguments)
        else:
            module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
