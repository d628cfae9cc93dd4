"""The embedded stack's payload encryption: a development key and the codec server's access
token, made once in the data folder (var/codec/, readable by the owner only) and kept, so a
restarted stack still reads the histories it wrote."""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEV_KEY_ID = "dev-1"


def _made_once(path: Path, make: str) -> str:
    """The file's text, written first (mode 0600) when it does not exist."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(make + "\n")
    return make


@dataclass(frozen=True)
class DevCodec:
    """Where the stack's key is, and the codec server's access token."""

    keys_file: Path
    token_file: Path
    token: str

    @classmethod
    def in_folder(cls, var_dir: Path) -> DevCodec:
        folder = var_dir / "codec"
        key = base64.b64encode(secrets.token_bytes(32)).decode()
        keys_file = folder / "keys"
        _made_once(keys_file, f"{DEV_KEY_ID}:{key}")
        token_file = folder / "access-token"
        return cls(keys_file, token_file, _made_once(token_file, secrets.token_urlsafe(32)))

    def environment(self, port: int, ui_port: int) -> dict[str, str]:
        """What the worker, the gateway and the codec server read."""
        return {
            "CC_TEMPORAL_CODEC_KEYS_FILE": str(self.keys_file),
            "CC_CODEC_PORT": str(port),
            "CC_CODEC_ACCESS_TOKEN_FILE": str(self.token_file),
            "CC_CODEC_ALLOWED_ORIGINS": f"http://localhost:{ui_port},http://127.0.0.1:{ui_port}",
        }
