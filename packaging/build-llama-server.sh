#!/usr/bin/env bash
# Build llama.cpp's `llama-server` (once per machine and backend) from the llama.cpp source that the pinned
# llama-cpp-python vendors in its sdist, so the server and the in-process engine are the same llama.cpp.
# The binary is cached beside the llama-cpp-python wheels and linked into the virtual environment's bin/.
#   bash packaging/build-llama-server.sh PYTHON
# PARLEY_GPU / PARLEY_NATIVE choose the backend exactly as for install-llama.sh.
set -euo pipefail

PY=${1:?usage: build-llama-server.sh PYTHON}
HERE=$(cd "$(dirname "$0")" && pwd)
VERSION=$(sed -n 's/.*"llama-cpp-python==\([0-9.]*\)".*/\1/p' "$HERE/../pyproject.toml")
[ -n "$VERSION" ] || { echo "build-llama-server: no llama-cpp-python pin in pyproject.toml" >&2; exit 1; }
read -r BACKEND ARGS <<<"$(bash "$HERE/install-llama.sh" --print-backend)"
NATIVE=${PARLEY_NATIVE:-off}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/parley/llama-server/$VERSION-$BACKEND-native-$NATIVE
BIN="$CACHE/llama-server"

if [ ! -x "$BIN" ]; then
  START=$(date +%s)
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  echo "build-llama-server: building llama-server from llama-cpp-python $VERSION's llama.cpp for $BACKEND; this takes several minutes once" >&2
  "$PY" -m pip download --quiet --disable-pip-version-check --no-deps --no-binary llama-cpp-python \
    "llama-cpp-python==$VERSION" -d "$WORK"
  tar -xzf "$WORK"/llama_cpp_python-"$VERSION".tar.gz -C "$WORK"
  SRC="$WORK/llama_cpp_python-$VERSION/vendor/llama.cpp"
  GEN=()
  command -v ninja >/dev/null 2>&1 && GEN=(-G Ninja)
  # shellcheck disable=SC2086  # ARGS is a list of -D options
  cmake -S "$SRC" -B "$WORK/build" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON \
    -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF $ARGS >"$WORK/configure.log" \
    || { cat "$WORK/configure.log" >&2; exit 1; }
  cmake --build "$WORK/build" --target llama-server --config Release \
    -j "${CMAKE_BUILD_PARALLEL_LEVEL:-$(getconf _NPROCESSORS_ONLN)}" >"$WORK/build.log" \
    || { tail -n 60 "$WORK/build.log" >&2; exit 1; }
  mkdir -p "$CACHE"
  cp "$WORK/build/bin/llama-server" "$BIN.tmp" && mv "$BIN.tmp" "$BIN"
  echo "build-llama-server: built in $(( $(date +%s) - START )) s" >&2
fi
PREFIX=$("$PY" -c 'import sys; print(sys.prefix)')
ln -sf "$BIN" "$PREFIX/bin/llama-server"
echo "build-llama-server: $PREFIX/bin/llama-server -> $BIN" >&2
