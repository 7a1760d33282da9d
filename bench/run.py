"""Run every benchmark in bench/ (files named bench_*.py) and print their figures.

Benchmarks print numbers; they never fail for being slow.
"""

from __future__ import annotations

import pathlib
import runpy
import sys

HERE = pathlib.Path(__file__).parent


def main() -> None:
    names = sys.argv[1:]
    for path in sorted(HERE.glob("bench_*.py")):
        if names and path.stem not in names:
            continue
        print(f"== {path.stem}", flush=True)
        runpy.run_path(str(path), run_name="__main__")


if __name__ == "__main__":
    main()
