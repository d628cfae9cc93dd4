"""Workflow payloads encrypted before they reach Temporal: a payload codec with AES-GCM keys that
have ids, so a key can be rotated while histories written under the old one stay readable.

Every process that talks to Temporal (the worker, the gateway, the codec server the Temporal UI
and CLI decode through) builds its data converter here from the same settings (env prefix
CC_TEMPORAL_CODEC_). An encrypted payload is the whole original payload (its metadata and data)
sealed with the key named in its metadata: encoding ``binary/encrypted``, ``encryption-key-id``.
A payload that is not encrypted passes decoding as it is: histories recorded before encryption,
and what the `temporal` CLI sends by hand without a codec endpoint (plain JSON)."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import structlog
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from google.protobuf.message import DecodeError
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    PayloadCodec,
)
from temporalio.runtime import Runtime
from temporalio.service import TLSConfig

from services.common.tracing import temporal_interceptors

log = structlog.get_logger("codec")
ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_SIZES = (16, 24, 32)  # AES-128, -192, -256


class CodecError(ValueError):
    """A payload that cannot be decrypted (unknown key id, tampered or cut), or keys that cannot
    be read. The message names the key id at most, never key material or payload data."""


class CodecSettings(BaseSettings):
    """The keys (``CC_TEMPORAL_CODEC_KEYS="kid:base64key,kid2:base64key"``, or a mounted secret
    file holding the same list, comma- or line-separated) and the id of the one that encrypts
    (``CC_TEMPORAL_CODEC_KEY_ID``; may be left empty when there is a single key). No keys at
    all: payloads are written unencrypted."""

    model_config = SettingsConfigDict(env_prefix="CC_TEMPORAL_CODEC_", frozen=True, extra="ignore")

    keys: SecretStr = SecretStr("")
    keys_file: Path | None = None
    key_id: str = ""

    @property
    def configured(self) -> bool:
        """Keys are given (inline or as a file): payloads are encrypted."""
        return bool(self.keys.get_secret_value().strip()) or self.keys_file is not None


UNENCRYPTED = (
    "required outside development (CC_ENV=development): without keys every customer's "
    "pickup code, e-mail and card token would be written in plain text to the workflow "
    "histories; set CC_TEMPORAL_CODEC_KEYS or CC_TEMPORAL_CODEC_KEYS_FILE"
)


def require_keys(process: str, settings: CodecSettings, development: bool) -> None:
    """Outside development a process that writes workflow payloads does not start without
    keys: it ends (status 1) with what to set."""
    if not development and not settings.configured:
        problem = f"CC_TEMPORAL_CODEC_KEYS: {UNENCRYPTED}"
        sys.exit(f"{process} not started: its settings are wrong\n  {problem}")


class KeyRing:
    """AES-GCM keys by id, each cipher built once; ``current`` encrypts, any of them decrypts."""

    def __init__(self, keys: dict[str, bytes], current: str) -> None:
        if current not in keys:
            raise CodecError(f"the encrypting key id {current!r} is not among the keys")
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self.current = current

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._ciphers)

    def seal(self, plaintext: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._ciphers[self.current].encrypt(nonce, plaintext, None)

    def open(self, key_id: str, sealed: bytes) -> bytes:
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise CodecError(f"payload encrypted with unknown key id {key_id!r}")
        if len(sealed) < NONCE_BYTES + TAG_BYTES:
            raise CodecError(f"payload under key id {key_id!r} is cut short")
        try:
            return cipher.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], None)
        except InvalidTag:
            raise CodecError(f"payload under key id {key_id!r} fails authentication") from None


def parse_keys(text: str) -> dict[str, bytes]:
    """``kid:base64key`` entries separated by commas or new lines (blank ones ignored)."""
    keys: dict[str, bytes] = {}
    for entry in text.replace("\n", ",").split(","):
        entry = entry.strip()
        if not entry:
            continue
        key_id, colon, encoded = entry.partition(":")
        key_id = key_id.strip()
        if not colon or not key_id:
            raise CodecError("a key entry must read <key id>:<base64 key>")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except binascii.Error:
            raise CodecError(f"key {key_id!r} is not base64") from None
        if len(key) not in KEY_SIZES:
            raise CodecError(f"key {key_id!r} must be 16, 24 or 32 bytes, not {len(key)}")
        if key_id in keys:
            raise CodecError(f"key id {key_id!r} given twice")
        keys[key_id] = key
    return keys


def key_ring(settings: CodecSettings) -> KeyRing | None:
    """The settings' keys (None: none configured, nothing is encrypted)."""
    text = settings.keys.get_secret_value()
    if settings.keys_file is not None:
        text += "\n" + settings.keys_file.read_text(encoding="utf-8")
    keys = parse_keys(text)
    if not keys:
        return None
    current = settings.key_id or (next(iter(keys)) if len(keys) == 1 else "")
    if not current:
        raise CodecError("several keys: CC_TEMPORAL_CODEC_KEY_ID must name the encrypting one")
    return KeyRing(keys, current)


class EncryptionCodec(PayloadCodec):
    """The Temporal payload codec over a key ring (cheap per call: no key derivation, one
    random nonce and one AES-GCM pass per payload)."""

    def __init__(self, ring: KeyRing) -> None:
        self.ring = ring
        self._key_id = ring.current.encode()

    def encrypt(self, payload: Payload) -> Payload:
        return Payload(
            metadata={"encoding": ENCODING, KEY_ID: self._key_id},
            data=self.ring.seal(payload.SerializeToString()),
        )

    def decrypt(self, payload: Payload) -> Payload:
        """The original payload; one that is not encrypted comes back as it is."""
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        key_id = payload.metadata.get(KEY_ID, b"").decode(errors="replace")
        plaintext = self.ring.open(key_id, payload.data)
        try:
            return Payload.FromString(plaintext)
        except DecodeError:
            raise CodecError(f"payload under key id {key_id!r} is no payload") from None

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.encrypt(payload) for payload in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.decrypt(payload) for payload in payloads]


def codec_for(settings: CodecSettings) -> EncryptionCodec | None:
    ring = key_ring(settings)
    return None if ring is None else EncryptionCodec(ring)


def data_converter(settings: CodecSettings) -> DataConverter:
    """Temporal's default converter; when keys are configured, with the payload codec, and
    failures' messages and stack traces moved into an encoded (so encrypted) attribute: what
    Temporal keeps of a failure then reads "Encoded failure"."""
    codec = codec_for(settings)
    if codec is None:
        return DataConverter.default
    return dataclasses.replace(
        DataConverter.default,
        payload_codec=codec,
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


async def connect(
    address: str,
    namespace: str,
    settings: CodecSettings,
    runtime: Runtime | None = None,
    tls: TLSConfig | bool = False,
) -> Client:
    """A Temporal client whose payloads go through the codec the settings describe (`runtime`:
    the SDK's, with its metrics; the default one when None; `tls`: TemporalTLSSettings.config).
    In a process that traces, its calls, and the workflows and activities of a worker built on
    it, make spans."""
    converter = data_converter(settings)
    codec = converter.payload_codec
    if isinstance(codec, EncryptionCodec):
        log.info("temporal_payloads_encrypted", key_id=codec.ring.current)
    else:
        log.warning("temporal_payloads_not_encrypted", hint="set CC_TEMPORAL_CODEC_KEYS")
    return await Client.connect(
        address,
        namespace=namespace,
        data_converter=converter,
        runtime=runtime,
        tls=tls,
        interceptors=temporal_interceptors(),
    )
