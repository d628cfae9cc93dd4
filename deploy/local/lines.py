"""Splitting a process's output into lines that stay short: a line longer than the limit is
cut (and marked) instead of stopping whoever reads it."""

from __future__ import annotations

MAX_LINE_BYTES = 16 * 1024


class LineSplitter:
    """Fed chunks of bytes, hands back the complete lines in them (without the newline),
    each at most ``max_bytes`` long before its marker."""

    def __init__(self, max_bytes: int = MAX_LINE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._head = bytearray()  # the start of the current line, at most max_bytes
        self._dropped = 0  # bytes of the current line beyond max_bytes

    def feed(self, chunk: bytes) -> list[str]:
        lines = []
        *complete, rest = chunk.split(b"\n")
        for part in complete:
            self._take(part)
            lines.append(self._line())
        self._take(rest)
        return lines

    def flush(self) -> list[str]:
        """The last line, when the output did not end with a newline."""
        return [self._line()] if self._head or self._dropped else []

    def _take(self, part: bytes) -> None:
        room = self.max_bytes - len(self._head)
        self._head += part[:room]
        self._dropped += max(0, len(part) - room)

    def _line(self) -> str:
        text = self._head.decode(errors="replace").rstrip()
        if self._dropped:
            text += f" …[{self._dropped} more bytes]"
        self._head, self._dropped = bytearray(), 0
        return text
