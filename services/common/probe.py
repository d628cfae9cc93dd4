"""`python -m services.common.probe PORT`: exits 0 when the gRPC server on 127.0.0.1:PORT
answers its health check SERVING, 1 otherwise. It dials as the process in the same container
does: over TLS when CC_TLS_* are set (showing its certificate), checking the server's certificate
for the first name that certificate holds (the probe dials loopback, the certificate names the
service). For a container's health check, and a Kubernetes exec probe under TLS (the kubelet's
own gRPC probe speaks plaintext only)."""

from __future__ import annotations

import sys

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.common.settings import load
from services.common.tls import TLSSettings


def first_name(certificate_pem: bytes) -> str:
    """The certificate's first DNS name, else its first IP address."""
    from cryptography import x509

    from services.common.pem import certificates_in

    names = certificates_in(certificate_pem)[0].extensions.get_extension_for_class(
        x509.SubjectAlternativeName
    )
    dns = names.value.get_values_for_type(x509.DNSName)
    addresses = names.value.get_values_for_type(x509.IPAddress)
    return dns[0] if dns else str(addresses[0])


def dial(port: int, tls: TLSSettings) -> grpc.Channel:
    target = f"127.0.0.1:{port}"
    credentials = tls.channel_credentials()
    if credentials is None or tls.cert_file is None:
        return grpc.insecure_channel(target)
    name = first_name(tls.cert_file.read_bytes())
    return grpc.secure_channel(target, credentials, [("grpc.ssl_target_name_override", name)])


def serving(port: int, tls: TLSSettings) -> bool:
    with dial(port, tls) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=3
            )
        except grpc.RpcError:
            return False
    return bool(reply.status == health_pb2.HealthCheckResponse.SERVING)


if __name__ == "__main__":
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.exit("usage: python -m services.common.probe PORT")
    settings = load(TLSSettings, "probe")
    sys.exit(0 if serving(int(sys.argv[1]), settings) else 1)
