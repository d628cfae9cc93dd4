"""The README's walk-through as a script: its `sh` blocks, in order, and what each says it answers.

Contract: every fenced `sh` block from the heading `## Walk-through with grpcurl` to `## Tests` is
one step. A `# → a, b` comment in a block names what the block's answer shows:
- `refused: REASON`: the block fails, with a `google.rpc.ErrorInfo` whose reason is REASON;
- `field: VALUE`: the first `"field":` in the block's output has the value VALUE;
- anything else: the text appears in the block's output.
A block without `refused:` must succeed. `script` joins the blocks into one bash script that
stops at the first failing step (and at any unset variable), marking where each step's output
starts and its exit status, and `outcomes` splits that output back into steps.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

FIRST_HEADING = "## Walk-through with grpcurl"
LAST_HEADING = "## Tests"
MARK = "@@walkthrough-step"
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```sh[ \t]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.S | re.M
)
EXPECTATION = re.compile(r"#\s*→\s*(?P<says>.+)$", re.M)


@dataclass(frozen=True)
class Step:
    """One `sh` block of the walk-through and what its `# →` comments promise."""

    number: int
    code: str
    expected: tuple[str, ...]

    @property
    def refused(self) -> tuple[str, ...]:
        return tuple(e.removeprefix("refused:").strip() for e in self.expected if _is_refusal(e))


@dataclass(frozen=True)
class Outcome:
    """What a step printed (stdout and stderr together) and its exit status (None: it never
    finished, the script stopped inside it)."""

    output: str
    status: int | None


def steps(readme: Path) -> list[Step]:
    text = readme.read_text(encoding="utf-8")
    start = text.index(f"\n{FIRST_HEADING}\n")
    section = text[start : text.index(f"\n{LAST_HEADING}\n", start)]
    found = []
    for number, fence in enumerate(FENCE.finditer(section), start=1):
        code = textwrap.dedent(fence["body"])
        said = [part.strip() for m in EXPECTATION.finditer(code) for part in m["says"].split(",")]
        found.append(Step(number, code, tuple(s for s in said if s)))
    return found


def script(walk: list[Step]) -> str:
    parts = ["set -euo pipefail"]
    for step in walk:
        parts.append(f"printf '\\n{MARK} {step.number}\\n'")
        if step.refused:  # the refusal is the point: its status is reported, not fatal
            parts.append(f"set +e\n{{\n{step.code}}}\nstatus=$?\nset -e")
        else:
            parts.append(f"{{\n{step.code}}}\nstatus=$?")
        parts.append(f"printf '\\n{MARK} {step.number} status %s\\n' \"$status\"")
    return "\n".join(parts) + "\n"


def outcomes(output: str) -> dict[int, Outcome]:
    found: dict[int, Outcome] = {}
    pieces = re.split(rf"^{MARK} (\d+)(?: status (\d+))?$", output, flags=re.M)
    # pieces: [before, number, status|None, text, number, status, text, ...]
    for i in range(1, len(pieces) - 2, 3):
        number, status, text = int(pieces[i]), pieces[i + 1], pieces[i + 2]
        if status is None:
            found[number] = Outcome(text, None)
        else:
            found[number] = Outcome(found[number].output, int(status))
    return found


def broken_promises(step: Step, outcome: Outcome) -> list[str]:
    """Each `# →` promise the outcome does not keep, and a wrong exit status."""
    wrong = []
    if outcome.status is None:
        return ["stopped the walk-through inside this step"]
    if step.refused and not outcome.status:
        wrong.append("was not refused")
    if not step.refused and outcome.status != 0:
        wrong.append(f"exited with {outcome.status}")
    for promise in step.expected:
        if not _kept(promise, outcome.output):
            wrong.append(f"does not show {promise!r}")
    return wrong


def _kept(promise: str, output: str) -> bool:
    if _is_refusal(promise):
        reason = promise.removeprefix("refused:").strip()
        return re.search(rf'"reason":\s*"{re.escape(reason)}"', output) is not None
    field, colon, value = promise.partition(": ")
    if not colon:
        return promise in output
    first = re.search(rf'"{re.escape(field)}":\s*"?([^",\s}}]*)', output)
    return first is not None and first[1] == value


def _is_refusal(promise: str) -> bool:
    return promise.startswith("refused:")
