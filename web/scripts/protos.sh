#!/bin/sh
# The protos the store app is generated from, gathered in .protos/ (git-ignored), the one module
# of this folder's buf workspace (buf.yaml): the project's protos/ as they are, and the google
# protos they or the app import (google/api for the HTTP annotations, google/rpc for the error
# details a refusal carries), as `make gen` copies them from googleapis-common-protos into
# gen/proto-deps.
set -eu
cd "$(dirname "$0")/.."
test -d ../gen/proto-deps || { echo "run make gen first (gen/proto-deps is missing)" >&2; exit 1; }
rm -rf .protos
mkdir -p .protos
cp -R ../protos/. .protos/
cp -R ../gen/proto-deps/. .protos/
