"""The payload codec: what it writes hides the payload, what it reads is the payload again, under
any key it knows (rotation); an unknown key id, a tampered payload and bad key settings are
refused; a payload that was never encrypted reads as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr
from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure
from temporalio.converter import DataConverter
from temporalio.exceptions import ApplicationError

from services.common.codec import (
    KEY_ID,
    CodecError,
    CodecSettings,
    EncryptionCodec,
    codec_for,
    data_converter,
    parse_keys,
)
from tests.support.codec import encrypted, key_entry

ORDER = b'{"customer_email":"ada@example.com","payment_method":"pm_card_visa"}'


def plain(data: bytes = ORDER) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=data)


def codec(*entries: str, key_id: str = "") -> EncryptionCodec:
    found = codec_for(CodecSettings(keys=SecretStr(",".join(entries)), key_id=key_id))
    assert found is not None
    return found


async def test_an_encrypted_payload_hides_its_data_and_decodes_to_the_same_payload() -> None:
    ours = codec(key_entry("k1", 1))
    [sealed] = await ours.encode([plain()])
    assert encrypted(sealed) and sealed.metadata[KEY_ID] == b"k1"
    assert b"ada@example.com" not in sealed.data and b"json/plain" not in sealed.data
    assert await ours.decode([sealed]) == [plain()]


async def test_the_same_payload_encrypts_differently_each_time() -> None:
    ours = codec(key_entry("k1", 1))
    first, second = await ours.encode([plain(), plain()])
    assert first.data != second.data


async def test_after_rotation_new_payloads_use_the_new_key_and_old_ones_still_read() -> None:
    before = codec(key_entry("k1", 1))
    [old] = await before.encode([plain()])
    after = codec(key_entry("k1", 1), key_entry("k2", 2), key_id="k2")
    [new] = await after.encode([plain()])
    assert new.metadata[KEY_ID] == b"k2"
    assert await after.decode([old, new]) == [plain(), plain()]


async def test_a_payload_under_a_key_id_it_does_not_know_is_refused() -> None:
    [sealed] = await codec(key_entry("k1", 1)).encode([plain()])
    with pytest.raises(CodecError, match="unknown key id 'k1'"):
        await codec(key_entry("k2", 2)).decode([sealed])


async def test_a_key_id_naming_another_key_is_refused() -> None:
    [sealed] = await codec(key_entry("k1", 1)).encode([plain()])
    sealed.metadata[KEY_ID] = b"k2"
    with pytest.raises(CodecError, match="fails authentication"):
        await codec(key_entry("k1", 1), key_entry("k2", 2), key_id="k1").decode([sealed])


@pytest.mark.parametrize("where", [0, 12, -1], ids=["nonce", "ciphertext", "tag"])
async def test_a_tampered_payload_is_refused(where: int) -> None:
    ours = codec(key_entry("k1", 1))
    [sealed] = await ours.encode([plain()])
    flipped = bytearray(sealed.data)
    flipped[where] ^= 0x01
    sealed.data = bytes(flipped)
    with pytest.raises(CodecError, match="fails authentication"):
        await ours.decode([sealed])


async def test_a_cut_payload_is_refused() -> None:
    ours = codec(key_entry("k1", 1))
    [sealed] = await ours.encode([plain()])
    sealed.data = sealed.data[:10]
    with pytest.raises(CodecError, match="cut short"):
        await ours.decode([sealed])


async def test_a_payload_that_was_never_encrypted_reads_as_it_is() -> None:
    """Histories from before encryption, and what the `temporal` CLI sends by hand."""
    ours = codec(key_entry("k1", 1))
    unencoded = Payload(metadata={"encoding": b"binary/null"})
    assert await ours.decode([plain(), unencoded]) == [plain(), unencoded]


async def test_the_data_converter_round_trips_a_value_through_the_codec() -> None:
    converter = data_converter(CodecSettings(keys=SecretStr(key_entry("k1", 1))))
    [sealed] = await converter.encode([{"pickup_code": "123456"}])
    assert encrypted(sealed) and b"123456" not in sealed.data
    assert await converter.decode([sealed]) == [{"pickup_code": "123456"}]


async def test_a_failures_message_and_stack_are_kept_only_encrypted() -> None:
    converter = data_converter(CodecSettings(keys=SecretStr(key_entry("k1", 1))))
    try:
        raise ApplicationError("card pm_card_declined of ada@example.com", type="PAYMENT_DECLINED")
    except ApplicationError as raised:
        failure = Failure()
        await converter.encode_failure(raised, failure)
    kept = failure.SerializeToString()
    assert failure.message == "Encoded failure" and not failure.stack_trace
    assert b"ada@example.com" not in kept and b"test_payload_codec" not in kept
    assert encrypted(failure.encoded_attributes)
    back = await converter.decode_failure(failure)
    assert isinstance(back, ApplicationError) and back.type == "PAYMENT_DECLINED"
    assert back.message == "card pm_card_declined of ada@example.com"


def test_without_keys_nothing_is_encrypted() -> None:
    assert data_converter(CodecSettings()) is DataConverter.default


def test_keys_come_from_a_mounted_file_as_well(tmp_path: Path) -> None:
    secret = tmp_path / "keys"
    secret.write_text(f"{key_entry('k1', 1)}\n{key_entry('k2', 2)}\n")
    settings = CodecSettings(keys_file=secret, key_id="k2")
    found = codec_for(settings)
    assert found is not None and found.ring.key_ids == ("k1", "k2")
    assert found.ring.current == "k2"


@pytest.mark.parametrize(
    ("keys", "key_id", "complaint"),
    [
        ("k1", "", "must read"),
        (":AAAA", "", "must read"),
        ("k1:not base64!", "", "not base64"),
        ("k1:AAAA", "", "must be 16, 24 or 32 bytes"),
        (f"{key_entry('k1', 1)},{key_entry('k1', 2)}", "", "given twice"),
        (f"{key_entry('k1', 1)},{key_entry('k2', 2)}", "", "must name the encrypting one"),
        (key_entry("k1", 1), "k9", "'k9' is not among the keys"),
    ],
)
def test_bad_key_settings_are_refused_without_showing_a_key(
    keys: str, key_id: str, complaint: str
) -> None:
    with pytest.raises(CodecError, match=complaint) as refused:
        codec_for(CodecSettings(keys=SecretStr(keys), key_id=key_id))
    assert key_entry("k1", 1).partition(":")[2] not in str(refused.value)


def test_the_settings_never_print_the_keys() -> None:
    settings = CodecSettings(keys=SecretStr(key_entry("k1", 1)))
    assert key_entry("k1", 1) not in repr(settings) and key_entry("k1", 1) not in str(settings)
    assert parse_keys(settings.keys.get_secret_value()).keys() == {"k1"}
