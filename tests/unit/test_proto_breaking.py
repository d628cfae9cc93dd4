"""The breaking-change check of protos/ (deploy/buf/breaking.sh), run in a scratch clone: an
accidental break fails it on a branch and on main, a recorded deliberate break passes, and a
clone of a single commit passes (it is compared with itself)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUF = ROOT / "deploy/buf/node_modules/.bin/buf"
VIEWS = "protos/clickcollect/gateway/v1/order_views.proto"
CODE_FIELD = "  string pickup_code = 15;\n"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
}

pytestmark = pytest.mark.skipif(not BUF.exists(), reason="buf not installed: make protolint")


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def a_repo(tmp_path: Path) -> Path:
    """A repository whose main has one commit: today's protos and the check."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "protos", repo / "protos")
    (repo / "deploy/buf").mkdir(parents=True)
    for name in ("breaking.sh", "baseline.txt"):
        shutil.copy2(ROOT / "deploy/buf" / name, repo / "deploy/buf" / name)
    shutil.copy2(ROOT / "buf.yaml", repo / "buf.yaml")
    # What `make gen` leaves there, and git does not keep: the google/api and google/rpc imports.
    shutil.copytree(ROOT / "gen/proto-deps", repo / "gen/proto-deps")
    (repo / ".gitignore").write_text("gen/\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "API")
    return repo


def edit(repo: Path, path: str, old: str, new: str) -> None:
    file = repo / path
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))


def check(repo: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BUF": str(BUF)}
    script = repo / "deploy/buf/breaking.sh"
    return subprocess.run([str(script)], cwd=repo, env=env, capture_output=True, text=True)


def test_a_clone_of_one_commit_passes_against_itself(tmp_path: Path) -> None:
    done = check(a_repo(tmp_path))
    assert done.returncode == 0 and "against" in done.stdout


def test_a_field_removed_on_a_branch_fails_against_main(tmp_path: Path) -> None:
    repo = a_repo(tmp_path)
    git(repo, "checkout", "-qb", "feature")
    edit(repo, VIEWS, CODE_FIELD, "")
    done = check(repo)
    assert done.returncode != 0
    assert (
        'field "15" with name "pickup_code" on message "CustomerOrder" was deleted' in done.stdout
    )


def test_a_field_added_on_a_branch_passes(tmp_path: Path) -> None:
    repo = a_repo(tmp_path)
    git(repo, "checkout", "-qb", "feature")
    edit(repo, VIEWS, CODE_FIELD, CODE_FIELD + "  string locker_number = 27;\n")
    assert check(repo).returncode == 0


def test_on_main_the_last_commit_is_checked_against_the_one_before(tmp_path: Path) -> None:
    repo = a_repo(tmp_path)
    edit(repo, VIEWS, CODE_FIELD, "")
    git(repo, "commit", "-qam", "drop the pickup code")
    done = check(repo)
    assert done.returncode != 0 and "pickup_code" in done.stdout


def test_a_recorded_break_passes_and_a_later_one_fails(tmp_path: Path) -> None:
    repo = a_repo(tmp_path)
    git(repo, "checkout", "-qb", "feature")
    edit(repo, VIEWS, CODE_FIELD, "")
    with (repo / "deploy/buf/baseline.txt").open("a") as baseline:
        baseline.write("\nAccepted break: CustomerOrder.pickup_code removed.\n")
    git(repo, "commit", "-qam", "drop the pickup code, on purpose")
    assert check(repo).returncode == 0
    edit(repo, VIEWS, "  string receipt_number = 26;\n", "")
    done = check(repo)
    assert done.returncode != 0 and "receipt_number" in done.stdout
