#!/usr/bin/env bash
# Build (once per machine and backend) and install llama-cpp-python into the
# given interpreter's environment. The backend follows the machine:
#   CUDA  when `nvidia-smi -L` lists a GPU and nvcc is available,
#   Metal on Apple Silicon (llama.cpp's default there),
#   CPU   otherwise.
# PARLEY_GPU=cuda|metal|vulkan|cpu overrides. Builds are portable (GGML_NATIVE=off)
# by default: a native build enabled AMX kernels that crash on some virtual machines;
# PARLEY_NATIVE=on opts in. Built wheels are kept in a cache folder keyed by
# backend, because pip's own wheel cache ignores CMAKE_ARGS.
set -euo pipefail

PY=${1:?usage: install-llama.sh PYTHON | --print-backend}
VERSION=$(sed -n 's/.*"llama-cpp-python==\([0-9.]*\)".*/\1/p' "$(dirname "$0")/../pyproject.toml")
[ -n "$VERSION" ] || { echo "install-llama: no llama-cpp-python pin in pyproject.toml" >&2; exit 1; }

detect_backend() {
  if [ "$(uname -s)" = Darwin ] && [ "$(uname -m)" = arm64 ]; then echo metal; return; fi
  if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L 2>/dev/null | grep -q '^GPU' \
     && command -v nvcc >/dev/null 2>&1; then echo cuda; return; fi
  echo cpu
}

BACKEND=${PARLEY_GPU:-$(detect_backend)}
NATIVE=${PARLEY_NATIVE:-off}
case "$BACKEND" in
  cuda)   ARGS="-DGGML_CUDA=on" ;;
  metal)  ARGS="-DGGML_METAL=on" ;;
  vulkan) ARGS="-DGGML_VULKAN=on" ;;
  cpu)    if [ "$(uname -s)" = Darwin ]; then ARGS="-DGGML_METAL=off"; else ARGS=""; fi ;;
  *) echo "install-llama: PARLEY_GPU must be cuda, metal, vulkan or cpu (got '$BACKEND')" >&2; exit 1 ;;
esac
ARGS="$ARGS -DGGML_NATIVE=$NATIVE"
if [ "$PY" = "--print-backend" ]; then echo "$BACKEND $ARGS"; exit 0; fi

CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/parley/wheels/llama-cpp-python-$VERSION-$BACKEND-native-$NATIVE

WHEEL=$(ls "$CACHE"/llama_cpp_python-"$VERSION"-*.whl 2>/dev/null | head -n 1 || true)

if [ -z "$WHEEL" ]; then
  echo "install-llama: building llama-cpp-python $VERSION for $BACKEND (CMAKE_ARGS='$ARGS'); this takes several minutes once" >&2
  mkdir -p "$CACHE"
  CMAKE_ARGS="$ARGS" CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(getconf _NPROCESSORS_ONLN)} \
    "$PY" -m pip wheel --no-deps --no-binary llama-cpp-python --no-cache-dir \
    "llama-cpp-python==$VERSION" -w "$CACHE"
  WHEEL=$(ls "$CACHE"/llama_cpp_python-"$VERSION"-*.whl | head -n 1)
fi
"$PY" -m pip install --quiet --no-deps --force-reinstall "$WHEEL"
PREFIX=$("$PY" -c 'import sys; print(sys.prefix)')
echo "$BACKEND" > "$PREFIX/parley-llama-backend"
echo "$NATIVE" > "$PREFIX/parley-llama-native"  # `make bundle` insists on a portable (off) build
echo "install-llama: llama-cpp-python $VERSION ($BACKEND) installed from $WHEEL" >&2
