"""TLS as settings: between our own processes (CC_TLS_*), and to Temporal (CC_TEMPORAL_TLS_*).
Unset, everything is plaintext (the embedded stack on loopback).

Our gRPC, the same variables for every process:
- ``CC_TLS_CA_FILE``, ``CC_TLS_CERT_FILE``, ``CC_TLS_KEY_FILE``: the CA our processes'
  certificates are signed by, and this process's certificate (PEM, leaf first) and private key
  (PEM, unencrypted). All three, or none. With them a service and the gateway serve TLS, and
  every process calls our services over TLS, checking their certificate against the CA (its
  names must cover the host dialled) and presenting its own.
- ``CC_TLS_MUTUAL=true``: mutual TLS: the internal services (stores, inventory, orders,
  notifications) refuse a caller without a certificate signed by the CA. The gateway's public
  port never asks for one (its callers are the public).

Temporal (the gateway and the worker): ``CC_TEMPORAL_TLS=true``, or any file below, turns TLS on;
``CC_TEMPORAL_TLS_CA_FILE`` (default: the system's roots), ``CC_TEMPORAL_TLS_CERT_FILE`` and
``CC_TEMPORAL_TLS_KEY_FILE`` (the client certificate, when the cluster asks for one) and
``CC_TEMPORAL_TLS_SERVER_NAME`` (the name the server's certificate is checked against, when it
is not the address's host).

A file that cannot be read, is not PEM, or a key that is not the certificate's stops the process
(``services.common.settings.load``) with a line naming the variable."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Self

from pydantic import AfterValidator, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    import grpc
    from temporalio.service import TLSConfig

# grpc, services.common.pem (cryptography) and temporalio are imported only when TLS is
# configured and used: importing the settings loads none of them.


def _readable(path: Path | None) -> Path | None:
    if path is not None:
        try:
            path.read_bytes()
        except OSError as error:
            raise ValueError(f"cannot be read ({error.strerror or error})") from None
    return path


def _certificates(path: Path | None) -> Path | None:
    if path is not None:
        from services.common.pem import certificates_in

        certificates_in(path.read_bytes())
    return path


def _key(path: Path | None) -> Path | None:
    if path is not None:
        from services.common.pem import key_in

        key_in(path.read_bytes())
    return path


# A PEM file named by a setting: readable, and holding what it should (checked in this order).
CertificateFile = Annotated[Path | None, AfterValidator(_readable), AfterValidator(_certificates)]
KeyFile = Annotated[Path | None, AfterValidator(_readable), AfterValidator(_key)]


def require_pair(cert: Path | None, key: Path | None, cert_name: str, key_name: str) -> None:
    """Both or neither; the key the certificate's."""
    if cert is not None and key is None:
        raise ValueError(f"{key_name}: required with {cert_name} (the certificate's key)")
    if key is not None and cert is None:
        raise ValueError(f"{cert_name}: required with {key_name} (the key's certificate)")
    if cert is None or key is None:
        return
    from services.common.pem import matching

    if not matching(cert.read_bytes(), key.read_bytes()):
        raise ValueError(f"{key_name}: not the key of the certificate in {cert_name}")


class TLSSettings(BaseSettings):
    """Our processes' TLS (module docstring); off when no file is given."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    ca_file: CertificateFile = Field(default=None, validation_alias="CC_TLS_CA_FILE")
    cert_file: CertificateFile = Field(default=None, validation_alias="CC_TLS_CERT_FILE")
    key_file: KeyFile = Field(default=None, validation_alias="CC_TLS_KEY_FILE")
    mutual: bool = Field(default=False, validation_alias="CC_TLS_MUTUAL")

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.ca_file is None and (self.cert_file or self.key_file or self.mutual):
            raise ValueError("CC_TLS_CA_FILE: required with CC_TLS_CERT_FILE/_KEY_FILE/_MUTUAL")
        if self.ca_file is not None and self.cert_file is None and self.key_file is None:
            raise ValueError("CC_TLS_CERT_FILE: required with CC_TLS_CA_FILE (and _KEY_FILE)")
        require_pair(self.cert_file, self.key_file, "CC_TLS_CERT_FILE", "CC_TLS_KEY_FILE")
        return self

    @classmethod
    def of(cls, environment: Mapping[str, str]) -> Self:
        """The settings a process given this environment reads (a stack's own calls)."""
        return cls.model_validate({k: v for k, v in environment.items() if k.startswith("CC_TLS")})

    @property
    def on(self) -> bool:
        return self.ca_file is not None

    def server_credentials(self, public: bool) -> grpc.ServerCredentials | None:
        """What a server binds its port with (None: plaintext); a public port asks no caller
        for a certificate, an internal one asks every caller under CC_TLS_MUTUAL."""
        if self.ca_file is None or self.cert_file is None or self.key_file is None:
            return None
        import grpc

        ask = self.mutual and not public
        return grpc.ssl_server_credentials(
            [(self.key_file.read_bytes(), self.cert_file.read_bytes())],
            root_certificates=self.ca_file.read_bytes() if ask else None,
            require_client_auth=ask,
        )

    def channel_credentials(self) -> grpc.ChannelCredentials | None:
        """What a channel to our services dials with (None: plaintext)."""
        if self.ca_file is None or self.cert_file is None or self.key_file is None:
            return None
        import grpc

        return grpc.ssl_channel_credentials(
            self.ca_file.read_bytes(), self.key_file.read_bytes(), self.cert_file.read_bytes()
        )


class TemporalTLSSettings(BaseSettings):
    """TLS to Temporal (module docstring)."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    enabled: bool = Field(default=False, validation_alias="CC_TEMPORAL_TLS")
    ca_file: CertificateFile = Field(default=None, validation_alias="CC_TEMPORAL_TLS_CA_FILE")
    cert_file: CertificateFile = Field(default=None, validation_alias="CC_TEMPORAL_TLS_CERT_FILE")
    key_file: KeyFile = Field(default=None, validation_alias="CC_TEMPORAL_TLS_KEY_FILE")
    server_name: str = Field(default="", validation_alias="CC_TEMPORAL_TLS_SERVER_NAME")

    @model_validator(mode="after")
    def _complete(self) -> Self:
        names = ("CC_TEMPORAL_TLS_CERT_FILE", "CC_TEMPORAL_TLS_KEY_FILE")
        require_pair(self.cert_file, self.key_file, *names)
        return self

    @property
    def on(self) -> bool:
        return self.enabled or self.ca_file is not None or self.cert_file is not None

    def config(self) -> TLSConfig | bool:
        """What ``temporalio.client.Client.connect`` takes as ``tls`` (False: plaintext)."""
        if not self.on:
            return False
        from temporalio.service import TLSConfig

        return TLSConfig(
            server_root_ca_cert=self.ca_file.read_bytes() if self.ca_file else None,
            domain=self.server_name or None,
            client_cert=self.cert_file.read_bytes() if self.cert_file else None,
            client_private_key=self.key_file.read_bytes() if self.key_file else None,
        )
