"""deploy/docker/Dockerfile read into its stages: what each starts from and its instructions
(continuation lines joined, comments dropped), as BuildKit reads them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from deploy.local.stack_config import ROOT

DOCKERFILE = ROOT / "deploy" / "docker" / "Dockerfile"


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def each(self, instruction: str) -> list[str]:
        return [rest for kind, rest in self.instructions if kind == instruction]


def instructions(text: str) -> list[tuple[str, str]]:
    joined: list[str] = []
    pending = ""
    for line in text.splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        joined.append(pending)
        pending = ""
    return [(each.split(None, 1)[0].upper(), each.split(None, 1)[1].strip()) for each in joined]


def stages(text: str | None = None) -> list[Stage]:
    """Every stage in order; one left unnamed is named by its position, as BuildKit does."""
    found: list[Stage] = []
    for kind, rest in instructions(DOCKERFILE.read_text() if text is None else text):
        if kind == "FROM":
            named = re.fullmatch(r"(\S+)(?:\s+AS\s+(\S+))?", rest, re.IGNORECASE)
            assert named, rest
            found.append(Stage(named.group(2) or str(len(found)), named.group(1)))
        elif found:
            found[-1].instructions.append((kind, rest))
    return found


def copied_from(stage: Stage) -> list[tuple[str, str]]:
    """(source stage, path) of each COPY --from=<stage> of this stage."""
    pairs = []
    for rest in stage.each("COPY"):
        source = re.match(r"--from=(\S+)\s+(\S+)", rest)
        if source:
            pairs.append((source.group(1), source.group(2)))
    return pairs
