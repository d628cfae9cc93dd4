"""`python -m services.codec`: the codec server (CC_CODEC_*, keys CC_TEMPORAL_CODEC_*) until
SIGTERM or SIGINT."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import structlog

from services.codec.config import CodecServerSettings
from services.codec.server import build_server
from services.common.logging import configure_logging
from services.common.settings import load

log = structlog.get_logger("codec")


def main(settings: CodecServerSettings) -> None:
    server, port = build_server(settings)
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, request_stop)
    serving = threading.Thread(target=server.serve_forever, name="codec-server", daemon=True)
    serving.start()
    log.info("codec_server_started", port=port, key_ids=list(server.codec.ring.key_ids))
    stop.wait()
    server.shutdown()
    server.server_close()
    log.info("codec_server_stopped")


if __name__ == "__main__":
    codec_settings = load(CodecServerSettings, "codec")
    configure_logging("codec", codec_settings.log_level, codec_settings.log_json)
    main(codec_settings)
