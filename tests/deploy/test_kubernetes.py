"""deploy/k8s as `kubectl apply -k` would send it: rendered by kubectl's kustomize, every object
valid for the pinned Kubernetes version, and the rules a reviewer would check by hand."""

from __future__ import annotations

import re
from typing import Any

import kubernetes_validate
import yaml

from services.common.settings import DEFAULT_PORTS, METRICS_PORTS
from tests.deploy.manifests import (
    COMPONENT,
    K8S,
    KUBERNETES_VERSION,
    Manifest,
    named,
    of_kind,
    pod_labels,
    rendered,
    selects,
)
from workflows.health import LIVENESS

PUBLIC = {"gateway", "edge"}
INTERNAL = {"stores", "inventory", "orders", "notifications"}


def containers(deployment: Manifest) -> list[dict[str, Any]]:
    return list(deployment["spec"]["template"]["spec"]["containers"])


def component(deployment: Manifest) -> str:
    return pod_labels(deployment)[COMPONENT]


def ingress_rules(labels: dict[str, str]) -> list[dict[str, Any]]:
    """Every ingress rule of every NetworkPolicy that selects pods with these labels."""
    return [
        rule
        for policy in of_kind("NetworkPolicy")
        if selects(policy["spec"]["podSelector"], labels)
        for rule in policy["spec"].get("ingress", [])
    ]


def admits_port(rule: dict[str, Any], port: dict[str, Any]) -> bool:
    wanted = {port["name"], port["containerPort"]}
    return not rule.get("ports") or any(p["port"] in wanted for p in rule["ports"])


def port_named(deployment: Manifest, name: str) -> dict[str, Any]:
    ports = [p for c in containers(deployment) for p in c.get("ports", [])]
    return next(p for p in ports if p["name"] == name)


def test_every_object_is_valid_for_the_pinned_kubernetes_version() -> None:
    """What kustomize renders, and the Secret template applied apart from it."""
    template = (K8S / "secret.example.yaml").read_text(encoding="utf-8")
    secrets = [doc for doc in yaml.safe_load_all(template) if doc]
    assert {doc["kind"] for doc in secrets} == {"Secret"}
    problems = []
    for doc in [*rendered(), *secrets]:
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            problems.append(f"{doc['kind']}/{doc['metadata']['name']}: {error.message}")
    assert problems == []
    kinds = {doc["kind"] for doc in rendered()}
    assert {"Deployment", "Service", "NetworkPolicy", "ConfigMap", "PodDisruptionBudget"} <= kinds


def test_every_deployment_has_probes_on_its_own_ports_resource_limits_and_a_released_image() -> (
    None
):
    deployments = of_kind("Deployment")
    assert {component(d) for d in deployments} == PUBLIC | INTERNAL | {"worker", "codec"}
    for deployment in deployments:
        for container in containers(deployment):
            where = f"{deployment['metadata']['name']}/{container['name']}"
            assert re.fullmatch(
                r"registry\.example\.com/clickcollect(-edge)?:0\.1\.0", container["image"]
            ), where
            limits = container["resources"]["limits"]
            assert {"cpu", "memory"} <= set(limits) and container["resources"]["requests"], where
            declared = {p["containerPort"] for p in container["ports"]}
            declared |= {p["name"] for p in container["ports"]}
            for probe in ("readinessProbe", "livenessProbe"):
                assert probe in container, f"{where} has no {probe}"
                kind = container[probe]
                port = (kind.get("grpc") or kind.get("httpGet"))["port"]
                assert port in declared, f"{where} {probe} asks port {port}"


def test_the_worker_is_probed_on_its_health_port_alive_apart_from_ready() -> None:
    (worker,) = containers(named("Deployment", "worker"))
    health = DEFAULT_PORTS["worker"]
    assert worker["readinessProbe"]["grpc"] == {"port": health}
    assert worker["livenessProbe"]["grpc"] == {"port": health, "service": LIVENESS}
    assert worker["startupProbe"]["grpc"] == {"port": health, "service": LIVENESS}


def test_ingress_is_denied_unless_a_policy_lets_it_in() -> None:
    deny = named("NetworkPolicy", "default-deny-ingress")["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress"]}
    for policy in of_kind("NetworkPolicy"):
        assert policy["metadata"]["namespace"] == "clickcollect"


def test_only_the_gateway_and_the_edge_take_traffic_from_anywhere() -> None:
    open_to_all = {
        component(d)
        for d in of_kind("Deployment")
        if any(not rule.get("from") for rule in ingress_rules(pod_labels(d)))
    }
    assert open_to_all == PUBLIC
    for name in PUBLIC:
        deployment = named("Deployment", name)
        (rule,) = [r for r in ingress_rules(pod_labels(deployment)) if not r.get("from")]
        listener = containers(deployment)[0]["ports"][0]
        assert admits_port(rule, listener) and len(rule["ports"]) == 1


def callers_by_service() -> dict[str, set[str]]:
    """Who calls whom, as the ConfigMap wires it: CC_<CALLER>_<X>_TARGET = <service>:<port>."""
    selector_of = {
        s["metadata"]["name"]: s["spec"]["selector"][COMPONENT] for s in of_kind("Service")
    }
    callers: dict[str, set[str]] = {}
    for key, value in named("ConfigMap", "clickcollect-config")["data"].items():
        wired = re.fullmatch(r"CC_([A-Z]+)_[A-Z]+_TARGET", key)
        if wired:
            callee = selector_of[value.split(":")[0]]
            callers.setdefault(callee, set()).add(wired.group(1).lower())
    return callers


def test_each_internal_service_takes_traffic_only_from_the_pods_that_call_it() -> None:
    callers = callers_by_service()
    assert callers["notifications"] == {"worker"} and callers["gateway"] == {"edge"}
    for name in INTERNAL:
        deployment = named("Deployment", name)
        grpc_port = port_named(deployment, "grpc")
        admitted = set()
        for rule in ingress_rules(pod_labels(deployment)):
            if admits_port(rule, grpc_port):
                for peer in rule["from"]:
                    assert set(peer) == {"podSelector"}, f"{name} admits {peer}"
                    admitted.add(peer["podSelector"]["matchLabels"][COMPONENT])
        assert admitted == callers[name], name


def test_metrics_are_scraped_from_the_monitoring_namespace_only() -> None:
    for deployment in of_kind("Deployment"):
        name = component(deployment)
        if name not in METRICS_PORTS:
            continue
        metrics = port_named(deployment, "metrics")
        assert metrics["containerPort"] == METRICS_PORTS[name]
        sources = [
            peer
            for rule in ingress_rules(pod_labels(deployment))
            if rule.get("from")
            and admits_port(rule, metrics)
            and rule.get("ports")
            and all(p["port"] in ("metrics", metrics["containerPort"]) for p in rule["ports"])
            for peer in rule["from"]
        ]
        monitoring = {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}
        }
        assert sources == [monitoring], name


def test_the_codec_server_is_reached_from_the_temporal_namespace_only() -> None:
    codec = named("Deployment", "codec")
    http = port_named(codec, "http")
    sources = [
        peer
        for rule in ingress_rules(pod_labels(codec))
        if admits_port(rule, http)
        for peer in rule["from"]
    ]
    assert sources == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "temporal"}}}
    ]


def test_the_configmap_holds_no_secret() -> None:
    data = named("ConfigMap", "clickcollect-config")["data"]
    secret_names = re.compile(r"SECRET|PASSWORD|TOKEN|_KEYS$|JWT|DATABASE_URL")
    assert [k for k in data if secret_names.search(k) and not k.endswith("_FILE")] == []
    assert [k for k, v in data.items() if re.search(r"://[^/@\s]+:[^/@\s]+@", v)] == []


def test_every_secret_a_pod_reads_is_in_the_secret_template() -> None:
    template = (K8S / "secret.example.yaml").read_text(encoding="utf-8")
    keys = {
        (doc["metadata"]["name"], key)
        for doc in yaml.safe_load_all(template)
        if doc
        for key in doc["stringData"]
    }
    read = set()
    for deployment in of_kind("Deployment"):
        pod = deployment["spec"]["template"]["spec"]
        for container in pod["containers"]:
            for variable in container.get("env", []):
                ref = variable.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    read.add((ref["name"], ref["key"]))
        for volume in pod.get("volumes", []):
            secret = volume.get("secret")
            for item in secret.get("items", []) if secret else []:
                read.add((secret["secretName"], item["key"]))
    assert read and read <= keys
