"""Certificates made in the test (trustme): a CA, and a certificate it signs written as the PEM
files the TLS settings name."""

from __future__ import annotations

from pathlib import Path

import grpc
import trustme

# What every process of a loopback stack is dialled at.
LOOPBACK = ("127.0.0.1", "localhost")


def tls_files(folder: Path, ca: trustme.CA, name: str, prefix: str = "CC_TLS_") -> dict[str, str]:
    """The CA and a certificate for the loopback names (valid for servers and clients alike)
    as files under folder/name; the environment naming them (`prefix`: CC_TLS_ or
    CC_TEMPORAL_TLS_)."""
    target = folder / name
    target.mkdir(parents=True, exist_ok=True)
    issued = ca.issue_cert(*LOOPBACK)
    ca.cert_pem.write_to_path(target / "ca.pem")
    (target / "cert.pem").write_bytes(b"".join(pem.bytes() for pem in issued.cert_chain_pems))
    issued.private_key_pem.write_to_path(target / "key.pem")
    return {
        f"{prefix}CA_FILE": str(target / "ca.pem"),
        f"{prefix}CERT_FILE": str(target / "cert.pem"),
        f"{prefix}KEY_FILE": str(target / "key.pem"),
    }


def client_credentials(
    trusted: trustme.CA, presented: trustme.CA | None = None
) -> grpc.ChannelCredentials:
    """A caller that trusts `trusted` and shows a certificate signed by `presented` (none when
    None)."""
    if presented is None:
        return grpc.ssl_channel_credentials(trusted.cert_pem.bytes())
    issued = presented.issue_cert("caller.example")
    return grpc.ssl_channel_credentials(
        trusted.cert_pem.bytes(),
        issued.private_key_pem.bytes(),
        issued.cert_chain_pems[0].bytes(),
    )
