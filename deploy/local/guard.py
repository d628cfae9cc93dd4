"""`python -m deploy.local.guard CMD [ARGS…]`: runs CMD so that it gets SIGTERM when the process
that started it dies (Linux PR_SET_PDEATHSIG), so a killed runner leaves no orphans behind.
Set here, after the fork, rather than in the runner, which must not run code between fork and
exec (gRPC's fork handlers crash there)."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def main() -> None:
    parent = os.getppid()
    if sys.platform == "linux":
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the runner died before the signal was armed
            sys.exit(1)
    os.execvp(sys.argv[1], sys.argv[1:])


if __name__ == "__main__":
    main()
