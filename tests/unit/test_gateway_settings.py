"""The gateway's token keys from its settings: outside development (CC_ENV) it has keys nobody
else knows or it does not start, and the refusal says what to set without quoting a secret."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from services.common.settings import load, settings_problems
from services.gateway.config import GatewaySettings
from services.gateway.keys import DEV_JWT_SECRET, PUBLIC_SECRETS

ROOT = Path(__file__).resolve().parents[2]
STRONG = "k7Yq3v9Zp0Lr2Xw5Tn8Bc4Md6Hs1Fg0Jq"  # 34 bytes
OTHER = "Qm2Xr8Vt5Kp1Zw9Lc3Nb7Hd4Jf6Gs0Ty2Ua"


@pytest.fixture(autouse=True)
def no_settings_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test names every variable it means (none from the shell that runs it)."""
    for name in os.environ:
        if name.startswith("CC_"):
            monkeypatch.delenv(name)


def settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> GatewaySettings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return GatewaySettings()


def refusal(monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    """What a gateway with these settings says when it does not start (`load`)."""
    with pytest.raises(ValidationError) as refused:
        settings(monkeypatch, **env)
    return "\n".join(settings_problems(GatewaySettings, refused.value))


def test_outside_development_a_gateway_without_a_key_does_not_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    said = refusal(monkeypatch)
    assert "no key to sign tokens with: set CC_GATEWAY_JWT_SECRET" in said
    assert refusal(monkeypatch, CC_ENV="production") == said


@pytest.mark.parametrize(
    ("secret", "why"),
    [
        ("", "CC_GATEWAY_JWT_SECRET is empty"),
        (DEV_JWT_SECRET, "CC_GATEWAY_JWT_SECRET is a secret printed in this project's files"),
        ("x" * 31, "CC_GATEWAY_JWT_SECRET is shorter than 32 bytes"),
    ],
    ids=["empty", "development-secret", "short"],
)
def test_outside_development_an_empty_public_or_short_secret_is_refused(
    monkeypatch: pytest.MonkeyPatch, secret: str, why: str
) -> None:
    said = refusal(monkeypatch, CC_GATEWAY_JWT_SECRET=secret)
    assert why in said
    assert not secret or secret not in said


def test_the_deploy_templates_placeholder_secrets_are_refused() -> None:
    templates = (ROOT / "deploy/compose/.env.example", ROOT / "deploy/k8s/secret.example.yaml")
    placeholders = {
        found.group(1)
        for template in templates
        for found in re.finditer(r"CC_GATEWAY_JWT_SECRET[:=]\s*(\S+)", template.read_text())
    }
    assert len(placeholders) == 2 and placeholders <= PUBLIC_SECRETS


def test_in_development_the_public_secret_signs_unless_one_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ring = settings(monkeypatch, CC_ENV="development").key_ring()
    assert (ring.signing_id, ring.signing_secret) == ("default", DEV_JWT_SECRET)
    assert settings(monkeypatch, CC_GATEWAY_JWT_SECRET="short").key_ring().signing_secret == "short"
    assert "CC_GATEWAY_JWT_SECRET is empty" in refusal(monkeypatch, CC_GATEWAY_JWT_SECRET="")


def test_the_environment_is_development_or_production_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert "CC_ENV: Input should be 'development' or 'production'" in refusal(
        monkeypatch, CC_ENV="staging"
    )
    monkeypatch.delenv("CC_ENV")
    said = refusal(monkeypatch, CC_GATEWAY_ENVIRONMENT="development")  # CC_ENV, nothing else
    assert "no key to sign tokens with" in said


def test_several_keys_have_ids_and_one_of_them_signs(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = f"2026-11:{STRONG}, 2026-12:{OTHER}"
    ring = settings(
        monkeypatch, CC_GATEWAY_JWT_KEYS=keys, CC_GATEWAY_JWT_SIGNING_KEY_ID="2026-12"
    ).key_ring()
    assert dict(ring.secrets) == {"2026-11": STRONG, "2026-12": OTHER}
    assert ring.signing_secret == OTHER
    said = refusal(monkeypatch, CC_GATEWAY_JWT_SIGNING_KEY_ID="")
    assert "several keys (2026-11, 2026-12): set CC_GATEWAY_JWT_SIGNING_KEY_ID" in said
    said = refusal(monkeypatch, CC_GATEWAY_JWT_SIGNING_KEY_ID="2027-01")
    assert "CC_GATEWAY_JWT_SIGNING_KEY_ID names no key (the keys: 2026-11, 2026-12)" in said


def test_the_single_secret_is_the_default_key_beside_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ring = settings(
        monkeypatch,
        CC_GATEWAY_JWT_SECRET=STRONG,
        CC_GATEWAY_JWT_KEYS=f"2026-12:{OTHER}",
        CC_GATEWAY_JWT_SIGNING_KEY_ID="2026-12",
    ).key_ring()
    assert dict(ring.secrets) == {"default": STRONG, "2026-12": OTHER}
    said = refusal(monkeypatch, CC_GATEWAY_JWT_KEYS=f"default:{OTHER}")
    assert "names a key 'default', the id of CC_GATEWAY_JWT_SECRET's key" in said


@pytest.mark.parametrize(
    ("keys", "why"),
    [
        (STRONG, "CC_GATEWAY_JWT_KEYS entry 1 is not id:secret"),
        (f"a:{STRONG},b {STRONG}", "CC_GATEWAY_JWT_KEYS entry 2 is not id:secret"),
        (f"a b:{STRONG}", "CC_GATEWAY_JWT_KEYS entry 1: a key id is 1-64 of"),
        (f"a:{STRONG},a:{OTHER}", "CC_GATEWAY_JWT_KEYS entry 2: key id 'a' is given twice"),
        (f"a:{STRONG},b:short", "key 'b' of CC_GATEWAY_JWT_KEYS is shorter than 32 bytes"),
        (f"a:{STRONG},b:", "key 'b' of CC_GATEWAY_JWT_KEYS is empty"),
    ],
    ids=["no-id", "second-no-id", "bad-id", "twice", "short", "empty"],
)
def test_a_key_list_that_is_wrong_is_refused_without_quoting_a_secret(
    monkeypatch: pytest.MonkeyPatch, keys: str, why: str
) -> None:
    said = refusal(monkeypatch, CC_GATEWAY_JWT_KEYS=keys, CC_GATEWAY_JWT_SIGNING_KEY_ID="a")
    assert why in said
    assert STRONG not in said and OTHER not in said


def test_paired_devices_get_no_token_longer_than_a_terminal_may_have(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    said = refusal(
        monkeypatch,
        CC_ENV="development",
        CC_GATEWAY_STORE_TOKEN_MAX_DAYS="5",
        CC_GATEWAY_PAIRED_DEVICE_TOKEN_DAYS="7",
    )
    assert "CC_GATEWAY_PAIRED_DEVICE_TOKEN_DAYS exceeds CC_GATEWAY_STORE_TOKEN_MAX_DAYS" in said


def test_a_process_with_wrong_settings_ends_with_what_to_set_and_no_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CC_ENV", "staging")
    monkeypatch.setenv("CC_GATEWAY_PORT", "fifty")
    with pytest.raises(SystemExit) as ended:
        load(GatewaySettings, "gateway")
    said = str(ended.value.code)
    assert said.startswith("gateway not started: its settings are wrong\n")
    assert "\n  CC_ENV: Input should be 'development' or 'production'" in said
    assert "\n  CC_GATEWAY_PORT: Input should be a valid integer" in said
    assert "fifty" not in said and "staging" not in said

    monkeypatch.setenv("CC_ENV", "production")
    monkeypatch.setenv("CC_GATEWAY_PORT", "50051")
    monkeypatch.setenv("CC_GATEWAY_JWT_SECRET", DEV_JWT_SECRET)
    with pytest.raises(SystemExit) as ended:
        load(GatewaySettings, "gateway")
    said = str(ended.value.code)
    assert "\n  CC_GATEWAY_JWT_SECRET is a secret printed in this project's files" in said
    assert DEV_JWT_SECRET not in said
