"""The mutation score of each module, from the verdicts mutmut leaves in ``mutants/``.

A mutant is *killed* when a unit test failed (or hung) with it, *equivalent* when it is named
in ``equivalent.toml`` (it changes no behaviour, so no test can tell it apart), and *survived*
otherwise, including mutants that no test ran. Score = killed / (mutants - equivalent)."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

KILLED = {1, 3, 24, -24, 36, 152, 255}  # a failing test, pytest's internal error, a timeout
NOT_RUN = None


@dataclass(frozen=True)
class ModuleScore:
    module: str
    mutants: int
    killed: int
    survived: list[str]
    equivalent: int

    @property
    def score(self) -> float:
        judged = self.mutants - self.equivalent
        return 100.0 if judged == 0 else 100.0 * self.killed / judged


def modules_to_mutate(pyproject: Path) -> list[str]:
    """The modules ``[tool.mutmut] only_mutate`` names: the one list of what is mutated."""
    config = tomllib.loads(pyproject.read_text())["tool"]["mutmut"]
    return [str(path) for path in config["only_mutate"]]


def equivalent_mutants(listing: Path) -> dict[str, str]:
    """Mutant name -> why it changes no behaviour."""
    return {str(k): str(v) for k, v in tomllib.loads(listing.read_text())["equivalent"].items()}


def verdicts(mutants_dir: Path, module: str) -> dict[str, int | None]:
    """Mutant name -> the exit code of its test run (None: not run in this sample)."""
    meta = mutants_dir / f"{module}.meta"
    if not meta.exists():
        return {}
    codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
    return codes


def score(module: str, codes: Mapping[str, int | None], equivalent: Iterable[str]) -> ModuleScore:
    ran = {name: code for name, code in codes.items() if code is not NOT_RUN}
    known = set(equivalent)
    killed = [name for name, code in ran.items() if code in KILLED]
    alive = sorted(name for name, code in ran.items() if code not in KILLED)
    return ModuleScore(
        module=module,
        mutants=len(ran),
        killed=len(killed),
        survived=[name for name in alive if name not in known],
        equivalent=sum(name in known for name in alive),
    )


def table(scores: list[ModuleScore]) -> str:
    header = f"{'module':<40} {'mutants':>7} {'killed':>6} {'survived':>8} {'equiv':>5}"
    header += f" {'score':>6}"
    rows = [header, "-" * len(header)]
    for s in [*scores, total(scores)]:
        rows.append(
            f"{s.module:<40} {s.mutants:>7} {s.killed:>6} {len(s.survived):>8} "
            f"{s.equivalent:>5} {s.score:>5.1f}%"
        )
    return "\n".join(rows)


def total(scores: list[ModuleScore]) -> ModuleScore:
    return ModuleScore(
        module="all",
        mutants=sum(s.mutants for s in scores),
        killed=sum(s.killed for s in scores),
        survived=[name for s in scores for name in s.survived],
        equivalent=sum(s.equivalent for s in scores),
    )
