#!/bin/sh
# Generated code of protos/ into gen/ (`make gen`, and the image build): Python modules and
# mypy stubs, and gen/clickcollect.pb, the descriptor set the edge (Envoy's JSON transcoder)
# reads. The google/api (HTTP annotations) and google/rpc (error details) protos come from the
# googleapis-common-protos package and are copied to gen/proto-deps, where protoc and buf
# (buf.yaml) find them.
#   deploy/protogen.sh BIN     BIN: the bin/ folder of a venv with the project's packages
set -eu
cd "$(dirname "$0")/.."
BIN=$1
DEPS=gen/proto-deps
GOOGLE="google/api/annotations.proto google/api/http.proto google/rpc/status.proto
        google/rpc/error_details.proto"

rm -rf gen && mkdir -p "$DEPS"
site=$("$BIN/python" -c 'import google.rpc.status_pb2 as m, pathlib; print(pathlib.Path(m.__file__).parents[2])')
for proto in $GOOGLE; do
    mkdir -p "$DEPS/$(dirname "$proto")"
    cp "$site/$proto" "$DEPS/$proto"
done
protos=$(find protos -name '*.proto' | sort)
# shellcheck disable=SC2086 # one word per file
"$BIN/python" -m grpc_tools.protoc -I protos -I "$DEPS" \
    --plugin=protoc-gen-mypy="$BIN/protoc-gen-mypy" --plugin=protoc-gen-mypy_grpc="$BIN/protoc-gen-mypy_grpc" \
    --python_out=gen --grpc_python_out=gen --mypy_out=gen --mypy_grpc_out=gen $protos
# The public API only, and the error details: the edge turns a refusal's google.rpc.Status
# (ErrorInfo, BadRequest) into JSON.
public=$(find protos/clickcollect/gateway -name '*.proto' | sort)
# shellcheck disable=SC2086
"$BIN/python" -m grpc_tools.protoc -I protos -I "$DEPS" --include_imports \
    --descriptor_set_out=gen/clickcollect.pb $public google/rpc/status.proto google/rpc/error_details.proto
