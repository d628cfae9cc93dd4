"""The edge (Envoy) in the embedded stack: its settings (deploy.local.health waits for it)."""

from __future__ import annotations

from pathlib import Path


def edge_environment(port: int, gateway_target: str, var_dir: Path) -> dict[str, str]:
    return {
        "CC_EDGE_PORT": str(port),
        "CC_EDGE_GATEWAY_TARGET": gateway_target,
        "CC_EDGE_CONFIG_PATH": str(var_dir / "edge" / "envoy.yaml"),
    }
