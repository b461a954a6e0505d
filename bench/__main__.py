"""Run every benchmark module of this package (or those named on the command line).

A benchmark module defines `run() -> None` and prints its figures as `bench: NAME = VALUE UNIT`.
Benchmarks use their own databases and files under var/bench/; they never touch the demo data.
"""

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    package_dir = Path(__file__).parent
    names = argv or sorted(
        info.name
        for info in pkgutil.iter_modules([str(package_dir)])
        if not info.name.startswith("_") and info.name not in {"common"}
    )
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "run"):
            continue
        started = time.perf_counter()
        print(f"# bench module {name}", flush=True)
        module.run()
        print(f"# bench module {name} took {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
