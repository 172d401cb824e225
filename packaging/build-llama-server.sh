#!/usr/bin/env bash
# Build llama.cpp's `llama-server` (once per machine and backend) from the llama.cpp source that the pinned
# llama-cpp-python vendors in its sdist, so the server and the in-process engine are the same llama.cpp.
# The binary is cached beside the llama-cpp-python wheels and linked into the virtual environment's bin/.
#   bash packaging/build-llama-server.sh PYTHON
# PARLEY_GPU / PARLEY_NATIVE choose the backend exactly as for install-llama.sh.
set -euo pipefail

PY=${1:?usage: build-llama-server.sh PYTHON}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/llama-source.sh"
llama_pin build-llama-server
NATIVE=${PARLEY_NATIVE:-off}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/parley/llama-server/$VERSION-$BACKEND-native-$NATIVE
BIN="$CACHE/llama-server"

if [ ! -x "$BIN" ]; then
  START=$(date +%s)
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  echo "build-llama-server: building llama-server from llama-cpp-python $VERSION's llama.cpp for $BACKEND; this takes several minutes once" >&2
  SRC="$(llama_source "$PY" "$VERSION" "$WORK")/vendor/llama.cpp"
  # shellcheck disable=SC2086  # ARGS is a list of -D options
  build_llama_target "$SRC" "$WORK/build" llama-server -DBUILD_SHARED_LIBS=OFF -DLLAMA_BUILD_SERVER=ON \
    -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF $ARGS
  mkdir -p "$CACHE"
  cp "$WORK/build/bin/llama-server" "$BIN.tmp" && mv "$BIN.tmp" "$BIN"
  echo "build-llama-server: built in $(( $(date +%s) - START )) s" >&2
fi
PREFIX=$("$PY" -c 'import sys; print(sys.prefix)')
ln -sf "$BIN" "$PREFIX/bin/llama-server"
echo "build-llama-server: $PREFIX/bin/llama-server -> $BIN" >&2
