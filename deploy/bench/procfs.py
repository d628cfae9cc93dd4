"""CPU time and resident memory of process trees, read from /proc (Linux). Every stack process
is started through deploy/local/guard.py, so each figure covers a process and all its
descendants, and CPU includes children already reaped (cutime + cstime)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


@dataclass(frozen=True)
class ProcStat:
    pid: int
    ppid: int
    cpu_seconds: float  # utime + stime + cutime + cstime
    rss_bytes: int


def parse_stat(text: str) -> ProcStat:
    """One /proc/<pid>/stat line; the command name may hold spaces and parentheses."""
    pid = int(text.split(" ", 1)[0])
    fields = text[text.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state): ppid is field 4, utime..cstime 14..17, rss 24
    ticks = sum(int(value) for value in fields[11:15])
    return ProcStat(pid, int(fields[1]), ticks / TICKS, int(fields[21]) * PAGE_BYTES)


def _all_stats() -> dict[int, ProcStat]:
    stats: dict[int, ProcStat] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stats[int(entry.name)] = parse_stat((entry / "stat").read_text())
        except (OSError, ValueError):  # gone meanwhile
            continue
    return stats


def tree_of(root: int, stats: Mapping[int, ProcStat]) -> list[ProcStat]:
    """The process and every descendant still alive."""
    children: dict[int, list[int]] = {}
    for stat in stats.values():
        children.setdefault(stat.ppid, []).append(stat.pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            found.append(stats[pid])
        todo.extend(children.get(pid, []))
    return found


@dataclass(frozen=True)
class Usage:
    """CPU seconds and RSS bytes per named process tree at one moment."""

    cpu: dict[str, float]
    rss: dict[str, int]

    def cpu_since(self, earlier: Usage, names: list[str]) -> dict[str, float]:
        return {name: self.cpu[name] - earlier.cpu[name] for name in names}

    def rss_mb(self, names: list[str]) -> dict[str, float]:
        return {name: self.rss[name] / MB for name in names}


def usage(roots: Mapping[str, int], alone: Mapping[str, int] | None = None) -> Usage:
    """CPU and RSS of each named tree (name -> root pid), and of each process named in
    `alone` without its descendants (the load generator, whose children are the stack)."""
    stats = _all_stats()
    cpu: dict[str, float] = {}
    rss: dict[str, int] = {}
    for name, root in roots.items():
        tree = tree_of(root, stats)
        cpu[name] = sum(s.cpu_seconds for s in tree)
        rss[name] = sum(s.rss_bytes for s in tree)
    for name, pid in (alone or {}).items():
        cpu[name], rss[name] = stats[pid].cpu_seconds, stats[pid].rss_bytes
    return Usage(cpu, rss)
