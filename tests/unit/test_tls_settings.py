"""Bad TLS settings stop a process with one line naming the variable (never a traceback): a
file missing or unreadable, not PEM, half a certificate/key pair, a key of another
certificate."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import trustme

from services.common.settings import load
from services.edge.config import EdgeSettings
from services.gateway.config import GatewaySettings
from services.stores.config import StoresSettings
from tests.support.tls import tls_files
from workflows.config import WorkerSettings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_settings_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in os.environ:
        if name.startswith("CC_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def good(tmp_path: Path, ca: trustme.CA) -> dict[str, str]:
    return tls_files(tmp_path, ca, "good")


def refusal(monkeypatch: pytest.MonkeyPatch, kind: type, **env: str) -> str:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as stopped:
        load(kind, "stores")
    return str(stopped.value.code)


def test_good_files_are_taken_and_nothing_set_is_plaintext(
    monkeypatch: pytest.MonkeyPatch, good: dict[str, str]
) -> None:
    assert not load(StoresSettings, "stores").tls.on
    for name, value in good.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CC_TLS_MUTUAL", "true")
    settings = load(StoresSettings, "stores")
    assert settings.tls.on and settings.tls.mutual
    assert settings.tls.server_credentials(public=False) is not None


def test_a_missing_file_is_named(monkeypatch: pytest.MonkeyPatch, good: dict[str, str]) -> None:
    said = refusal(monkeypatch, StoresSettings, **{**good, "CC_TLS_CA_FILE": "/nowhere/ca.pem"})
    assert said.splitlines()[1:] == ["  CC_TLS_CA_FILE: cannot be read (No such file or directory)"]


def test_an_unreadable_file_is_named(
    monkeypatch: pytest.MonkeyPatch, good: dict[str, str], tmp_path: Path
) -> None:
    said = refusal(monkeypatch, StoresSettings, **{**good, "CC_TLS_KEY_FILE": str(tmp_path)})
    assert said.splitlines()[1:] == ["  CC_TLS_KEY_FILE: cannot be read (Is a directory)"]


def test_a_file_without_pem_is_named(monkeypatch: pytest.MonkeyPatch, good: dict[str, str]) -> None:
    said = refusal(
        monkeypatch, StoresSettings, **{**good, "CC_TLS_CERT_FILE": good["CC_TLS_KEY_FILE"]}
    )
    assert said.splitlines()[1:] == ["  CC_TLS_CERT_FILE: holds no PEM certificate"]


def test_a_key_of_another_certificate_is_refused(
    monkeypatch: pytest.MonkeyPatch, good: dict[str, str], tmp_path: Path, ca: trustme.CA
) -> None:
    other = tls_files(tmp_path, ca, "other")
    said = refusal(
        monkeypatch, StoresSettings, **{**good, "CC_TLS_KEY_FILE": other["CC_TLS_KEY_FILE"]}
    )
    assert said.splitlines()[1:] == [
        "  CC_TLS_KEY_FILE: not the key of the certificate in CC_TLS_CERT_FILE"
    ]


@pytest.mark.parametrize(
    ("missing", "line"),
    [
        (
            "CC_TLS_KEY_FILE",
            "CC_TLS_KEY_FILE: required with CC_TLS_CERT_FILE (the certificate's key)",
        ),
        (
            "CC_TLS_CERT_FILE",
            "CC_TLS_CERT_FILE: required with CC_TLS_KEY_FILE (the key's certificate)",
        ),
        ("CC_TLS_CA_FILE", "CC_TLS_CA_FILE: required with CC_TLS_CERT_FILE/_KEY_FILE/_MUTUAL"),
    ],
)
def test_half_the_files_are_refused_naming_the_missing_one(
    monkeypatch: pytest.MonkeyPatch, good: dict[str, str], missing: str, line: str
) -> None:
    given = {name: value for name, value in good.items() if name != missing}
    assert refusal(monkeypatch, GatewaySettings, CC_ENV="development", **given).splitlines()[
        1:
    ] == [f"  {line}"]


def test_half_the_temporal_pair_is_refused(
    monkeypatch: pytest.MonkeyPatch, good: dict[str, str]
) -> None:
    said = refusal(monkeypatch, WorkerSettings, CC_TEMPORAL_TLS_CERT_FILE=good["CC_TLS_CERT_FILE"])
    assert said.splitlines()[1:] == [
        "  CC_TEMPORAL_TLS_KEY_FILE: required with CC_TEMPORAL_TLS_CERT_FILE"
        " (the certificate's key)"
    ]


def test_half_the_edges_own_pair_is_refused(
    monkeypatch: pytest.MonkeyPatch, good: dict[str, str]
) -> None:
    said = refusal(monkeypatch, EdgeSettings, CC_EDGE_KEY_FILE=good["CC_TLS_KEY_FILE"])
    assert said.splitlines()[1:] == [
        "  CC_EDGE_CERT_FILE: required with CC_EDGE_KEY_FILE (the key's certificate)"
    ]


def test_a_service_with_a_bad_file_ends_with_the_line_and_no_traceback(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("CC_")}
    env["CC_TLS_CA_FILE"] = str(tmp_path / "missing.pem")
    ended = subprocess.run(
        [sys.executable, "-m", "services.stores"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ended.returncode == 1
    assert ended.stderr.splitlines() == [
        "stores not started: its settings are wrong",
        "  CC_TLS_CA_FILE: cannot be read (No such file or directory)",
    ]
