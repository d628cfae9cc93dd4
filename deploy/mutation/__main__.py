"""`make mutation` (`python -m deploy.mutation [--sample N] [--only TEXT]… [--max-children N]`):
mutmut mutates the pure rule modules (``[tool.mutmut] only_mutate`` in pyproject.toml) and runs
the fast unit tests (tests/unit) against each mutant; prints one table: module, mutants, killed,
survived, equivalent (``equivalent.toml``), score; then the names of the survivors.

A full run starts afresh in ``mutants/`` (a copy of the sources, git-ignored). ``--sample N``
runs N mutants per module, drawn with a fixed seed, so two runs of one tree agree."""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from deploy.mutation.score import (
    equivalent_mutants,
    modules_to_mutate,
    score,
    table,
    total,
    verdicts,
)

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "mutants"
LOG = MUTANTS / "run.log"
# Installed by `make mutation` beside the project's environment (.venv/mutation, on PYTHONPATH).
MUTMUT = Path(sys.executable).parents[1] / "mutation" / "bin" / "mutmut"
# mutmut's own steps before a run, without the run: copy the sources and write every mutant.
GENERATE = (
    "import os, mutmut.__main__ as m; os.makedirs('mutants', exist_ok=True); m.copy_src_dir(); "
    "m.copy_also_copy_files(); m.setup_source_paths(); m.store_lines_covered_by_tests(); "
    "m.create_mutants({children})"
)


def options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make mutation MUTATION_ARGS=", description=__doc__)
    parser.add_argument("--sample", type=int, default=0, help="mutants per module (0: all)")
    parser.add_argument("--seed", type=int, default=9, help="seed of the sample")
    parser.add_argument(
        "--only", action="append", default=[], help="modules whose path contains this (repeatable)"
    )
    parser.add_argument("--max-children", type=int, default=2, help="test processes at once")
    return parser.parse_args(argv)


def mutmut(args: list[str]) -> None:
    with LOG.open("a") as log:
        done = subprocess.run([str(MUTMUT), *args], cwd=ROOT, stdout=log, stderr=log, check=False)
    if done.returncode != 0:
        sys.exit(f"mutmut {' '.join(args[:2])} failed ({done.returncode}); see {LOG}")


def chosen(modules: list[str], opts: argparse.Namespace) -> list[str]:
    """The mutants to run: a seeded sample of each module, or every mutant of each module."""
    names: list[str] = []
    for module in modules:
        everyone = sorted(verdicts(MUTANTS, module))
        if opts.sample and len(everyone) > opts.sample:
            everyone = sorted(random.Random(opts.seed).sample(everyone, opts.sample))
        names += everyone
    return names


def main(argv: list[str]) -> None:
    opts = options(argv)
    listed = modules_to_mutate(ROOT / "pyproject.toml")
    modules = [m for m in listed if not opts.only or any(text in m for text in opts.only)]
    started = time.monotonic()
    shutil.rmtree(MUTANTS, ignore_errors=True)
    MUTANTS.mkdir()
    children = f"--max-children={opts.max_children}"
    if opts.sample or opts.only:
        generate = GENERATE.format(children=opts.max_children)
        with LOG.open("a") as log:
            subprocess.run([sys.executable, "-c", generate], cwd=ROOT, stdout=log, check=True)
        mutmut(["run", children, *chosen(modules, opts)])
    else:
        mutmut(["run", children])
    equivalent = equivalent_mutants(Path(__file__).with_name("equivalent.toml"))
    scores = [score(m, verdicts(MUTANTS, m), equivalent) for m in modules]
    print(table(scores))
    print(f"\n{time.monotonic() - started:.0f} s; mutmut's output: {LOG}")
    survivors = total(scores).survived
    if survivors:
        show = "PYTHONPATH=.venv/mutation .venv/mutation/bin/mutmut show NAME"
        print(f"Survivors (`{show}` prints one):")
        print("\n".join(f"  {name}" for name in survivors))


if __name__ == "__main__":
    main(sys.argv[1:])
