"""PEM files of certificates and keys, read to check a setting before anything dials or serves
with them: the messages say what is wrong, never what the file holds."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

_PUBLIC = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def certificates_in(pem: bytes) -> list[x509.Certificate]:
    """The certificates of a PEM file (leaf or CA first, as written)."""
    try:
        certificates = x509.load_pem_x509_certificates(pem)
    except ValueError:
        raise ValueError("holds no PEM certificate") from None
    return certificates


def key_in(pem: bytes) -> PrivateKeyTypes:
    """The private key of a PEM file (unencrypted: a process has no one to ask a password)."""
    try:
        return serialization.load_pem_private_key(pem, password=None)
    except TypeError:
        raise ValueError("holds an encrypted private key (it must be unencrypted)") from None
    except ValueError:
        raise ValueError("holds no PEM private key") from None


def matching(certificate_pem: bytes, key_pem: bytes) -> bool:
    """The key is the private half of the (first) certificate's public key."""
    certificate = certificates_in(certificate_pem)[0]
    public = certificate.public_key().public_bytes(*_PUBLIC)
    return key_in(key_pem).public_key().public_bytes(*_PUBLIC) == public
