"""Run every benchmark module (bench_*.py) in this folder, one after the other."""
import importlib
import pkgutil
import sys
from pathlib import Path


def main(names: list[str]) -> None:
    """Run the named benchmarks, or all of them."""
    found = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                   if m.name.startswith("bench_"))
    for name in names or found:
        if name not in found:
            sys.exit(f"no benchmark '{name}' (there are: {', '.join(found)})")
        print(f"== {name}", flush=True)
        importlib.import_module(f"testing.benchmarks.{name}").main()


if __name__ == "__main__":
    main(sys.argv[1:])
