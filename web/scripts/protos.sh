#!/bin/sh
# The protos the store app is generated from, gathered in .protos/ (git-ignored), the one module
# of this folder's buf workspace (buf.yaml): the project's protos/ as they are, and the google
# protos they or the app import (google/api for the HTTP annotations, google/rpc for the error
# details a refusal carries), copies kept in proto/.
set -eu
cd "$(dirname "$0")/.."
rm -rf .protos
mkdir -p .protos
cp -R ../protos/. .protos/
cp -R proto/. .protos/
