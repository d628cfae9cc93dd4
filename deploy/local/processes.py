"""The embedded stack's processes: each started under the guard (it dies with us), its output
copied line by line to its log or the terminal, stopped in order, paused, killed, restarted."""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import IO

from deploy.local.lines import LineSplitter
from deploy.local.stack_config import ROOT, StackConfig

READ_CHUNK_BYTES = 64 * 1024


class Processes:
    """The processes of one stack by name; `environment()` is what every one of them gets."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.processes: dict[str, asyncio.subprocess.Process] = {}
        self._commands: dict[str, tuple[list[str], dict[str, str] | None]] = {}
        self._pumps: list[asyncio.Task[None]] = []
        self._logs: list[IO[str]] = []

    def environment(self) -> dict[str, str]:
        raise NotImplementedError

    async def stop(self) -> None:
        """SIGTERM to every process, newest first; SIGKILL what is still up after 15 s."""
        for name in reversed(list(self.processes)):
            process = self.processes[name]
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(process.wait(), 15)
                except TimeoutError:
                    process.kill()
                    await process.wait()
        for pump in self._pumps:
            await pump
        for log in self._logs:
            log.close()

    def pause(self, name: str) -> None:
        """Freezes a process (SIGSTOP), as a stalled machine would."""
        self.processes[name].send_signal(signal.SIGSTOP)

    def resume(self, name: str) -> None:
        """Thaws a frozen process (nothing happens to one running or gone)."""
        process = self.processes[name]
        if process.returncode is None:
            process.send_signal(signal.SIGCONT)

    async def kill(self, name: str) -> None:
        """Kills a process outright (SIGKILL: a crash, nothing cleaned up)."""
        process = self.processes[name]
        if process.returncode is None:
            process.kill()
            await process.wait()

    async def restart(self, name: str) -> None:
        """Kills a process outright (a crash) and starts it again the same way."""
        await self.kill(name)
        argv, env = self._commands[name]
        await self._spawn(name, argv, env)

    async def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        self._commands[name] = (argv, env)
        guarded = [sys.executable, "-m", "deploy.local.guard", *argv]  # dies with us
        process = await asyncio.create_subprocess_exec(
            *guarded,
            cwd=ROOT,
            env={**self.environment(), **(env or {})},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the supervisor, which stops us in order
        )
        self.processes[name] = process
        self._pumps.append(asyncio.create_task(self._pump(name, process)))

    async def _pump(self, name: str, process: asyncio.subprocess.Process) -> None:
        """Copies a process's output to its log (or the terminal) until the process ends: read
        in chunks, so no line, however long, can stop it (a stopped reader would fill the pipe
        and block the process)."""
        assert process.stdout is not None
        sink: IO[str] | None = None
        if self.config.echo is None:
            sink = open(self.config.var_dir / f"{name}.log", "a", encoding="utf-8")  # noqa: SIM115, ASYNC230
            self._logs.append(sink)
        splitter = LineSplitter()
        while chunk := await process.stdout.read(READ_CHUNK_BYTES):
            self._write(name, sink, splitter.feed(chunk))
        self._write(name, sink, splitter.flush())

    def _write(self, name: str, sink: IO[str] | None, lines: list[str]) -> None:
        try:
            if sink is not None:
                sink.writelines(line + "\n" for line in lines)
                sink.flush()
            elif self.config.echo is not None:
                for line in lines:
                    self.config.echo(name, line)
        except OSError:  # a full disk or a closed terminal loses lines, never the pump
            pass

    def _check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.returncode is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}; see its log")
