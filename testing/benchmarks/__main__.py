"""Run every benchmark module (bench_*.py) in this folder, one after the other; or the ones
named, each followed by its own arguments (`bench_scale 98`)."""
import importlib
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
    for name, arguments in runs or [(name, []) for name in found]:
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"testing.benchmarks.{name}")
        if arguments:
            module.main(arguments)
        else:
            module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
