#!/usr/bin/env bash
# Build llama.cpp's `llama-bench` (once per machine and backend) from the llama.cpp source that the pinned
# llama-cpp-python vendors, for `make bench` to compare Parley with on the same kernels. It is built without CPU
# kernels of its own (GGML_BACKEND_DL, GGML_CPU=OFF): tests/bench/bench_cpu_variants.py runs it beside one of the
# CPU kernel libraries installed with llama-cpp-python at a time, so both sides run the very same kernels.
#   bash packaging/build-llama-bench.sh PYTHON   # prints the folder that holds llama-bench and its libraries
set -euo pipefail

PY=${1:?usage: build-llama-bench.sh PYTHON}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/llama-source.sh"
llama_pin build-llama-bench
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/parley/llama-bench/$VERSION-$BACKEND

if [ ! -x "$CACHE/llama-bench" ]; then
  START=$(date +%s)
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  echo "build-llama-bench: building llama-bench from llama-cpp-python $VERSION's llama.cpp; this takes a few minutes once" >&2
  SRC="$(llama_source "$PY" "$VERSION" "$WORK")/vendor/llama.cpp"
  # shellcheck disable=SC2086  # ARGS is a list of -D options
  build_llama_target "$SRC" "$WORK/build" llama-bench -DBUILD_SHARED_LIBS=ON -DGGML_BACKEND_DL=ON -DGGML_CPU=OFF \
    -DCMAKE_SKIP_RPATH=ON -DLLAMA_BUILD_SERVER=OFF $ARGS
  mkdir -p "$CACHE.tmp"
  cp -a "$WORK/build/bin/llama-bench" "$WORK"/build/bin/lib*.so* "$CACHE.tmp/"
  rm -rf "$CACHE" && mv "$CACHE.tmp" "$CACHE"
  echo "build-llama-bench: built in $(( $(date +%s) - START )) s" >&2
fi
echo "$CACHE"
