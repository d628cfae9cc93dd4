#!/bin/sh
# Breaking-change check of protos/ (buf breaking, FILE rules): the protos of the working tree
# against those of a baseline commit, chosen so it works in a fresh clone, on a branch and on
# main itself (see README, "Protos: lint and breaking changes"):
#   1. on a branch: the merge-base with main (main, else origin/main);
#      on main, or with no main to compare with: the commit before HEAD (HEAD~1);
#   2. a deliberate break is recorded by a commit that changes deploy/buf/baseline.txt (saying
#      what broke and why): when that commit is not yet part of the commit chosen in 1, the
#      comparison is against it, so the accepted break is not reported again, and any other
#      break made after it is;
#   3. with no earlier commit (a clone of one commit): HEAD itself, so only changes not yet
#      committed are checked (a clean one-commit clone passes: it has nothing to compare with).
# BUF (the buf binary) and BASELINE_REF (a commit to compare with instead of 1-2) may be set.
set -eu
cd "$(dirname "$0")/../.."
BUF=${BUF:-deploy/buf/node_modules/.bin/buf}
MARKER=deploy/buf/baseline.txt
DEPS=gen/proto-deps

commit() { git rev-parse --verify --quiet "$1^{commit}" 2>/dev/null || true; }

against=${BASELINE_REF:+$(commit "$BASELINE_REF")}
if [ -z "$against" ]; then
    head=$(commit HEAD)
    main=$(commit main)
    [ -n "$main" ] || main=$(commit origin/main)
    if [ -n "$main" ] && [ "$main" != "$head" ]; then
        against=$(git merge-base HEAD "$main" 2>/dev/null || true)
    fi
    [ -n "$against" ] || against=$(commit HEAD~1)
    [ -n "$against" ] || against=$(commit HEAD)
    if [ -z "$against" ]; then
        echo "buf breaking: no commit to compare with yet; skipped"
        exit 0
    fi
    marker=$(git log -1 --format=%H -- "$MARKER" 2>/dev/null || true)
    if [ -n "$marker" ] && ! git merge-base --is-ancestor "$marker" "$against"; then
        against=$marker
    fi
fi

baseline=$(mktemp -d)
trap 'rm -rf "$baseline"' EXIT
git archive "$against" protos | tar -x -C "$baseline"
# The baseline is a workspace like this one: its imports of google/api and google/rpc resolve
# to the same copies (gen/proto-deps, written by `make gen`), which are never compared.
if [ ! -d "$DEPS" ]; then
    echo "buf breaking: no $DEPS (run make gen)" >&2
    exit 1
fi
mkdir -p "$baseline/$(dirname "$DEPS")"
cp -R "$DEPS" "$baseline/$DEPS"
cp buf.yaml "$baseline/buf.yaml"
echo "buf breaking: protos/ against $(git log -1 --format='%h %s' "$against")"
"$BUF" breaking --against "$baseline"
