#!/usr/bin/env bash
# Build (once per machine and backend) and install llama-cpp-python into the
# given interpreter's environment. The backend follows the machine:
#   CUDA  when `nvidia-smi -L` lists a GPU and nvcc is available,
#   Metal on Apple Silicon (llama.cpp's default there),
#   CPU   otherwise.
# PARLEY_GPU=cuda|metal|vulkan|cpu overrides. Builds are portable (GGML_NATIVE=off)
# by default: a native build enabled AMX kernels that crash on some virtual machines;
# PARLEY_NATIVE=on opts in. A portable build carries llama.cpp's CPU kernels once per
# instruction set (GGML_BACKEND_DL + GGML_CPU_ALL_VARIANTS: libggml-cpu-haswell.so,
# -icelake.so, …); Parley loads the best one the CPU and the OS allow at run time
# (desktop/inference/llama/kernels.py). PARLEY_CPU_VARIANTS=off builds the single
# AVX2-level library instead. Built wheels are kept in a cache folder keyed by backend
# and variant set, because pip's own wheel cache ignores CMAKE_ARGS.
set -euo pipefail
. "$(dirname "$0")/llama-source.sh"

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
VARIANTS=${PARLEY_CPU_VARIANTS:-all}
case "$(uname -s)-$(uname -m)" in
  Darwin-*) VARIANTS=off ;;  # Apple Silicon runs Metal; one CPU library fits every Mac of a kind
esac
[ "$NATIVE" = off ] || VARIANTS=off  # a native build is for this CPU alone
case "$VARIANTS" in all|off) ;; *) echo "install-llama: PARLEY_CPU_VARIANTS must be all or off" >&2; exit 1 ;; esac
case "$BACKEND" in
  cuda)   ARGS="-DGGML_CUDA=on" ;;
  metal)  ARGS="-DGGML_METAL=on" ;;
  vulkan) ARGS="-DGGML_VULKAN=on" ;;
  cpu)    if [ "$(uname -s)" = Darwin ]; then ARGS="-DGGML_METAL=off"; else ARGS=""; fi ;;
  *) echo "install-llama: PARLEY_GPU must be cuda, metal, vulkan or cpu (got '$BACKEND')" >&2; exit 1 ;;
esac
ARGS="$ARGS -DGGML_NATIVE=$NATIVE"
if [ "$PY" = "--print-backend" ]; then echo "$BACKEND $ARGS"; exit 0; fi  # also llama-server's (static) build
if [ "$PY" = "--print-variants" ]; then echo "$VARIANTS"; exit 0; fi
[ "$VARIANTS" = off ] || ARGS="$ARGS -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON"

CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/parley/wheels/llama-cpp-python-$VERSION-$BACKEND-native-$NATIVE-cpu-$VARIANTS

WHEEL=$(ls "$CACHE"/llama_cpp_python-"$VERSION"-*.whl 2>/dev/null | head -n 1 || true)

if [ -z "$WHEEL" ]; then
  echo "install-llama: building llama-cpp-python $VERSION for $BACKEND (CMAKE_ARGS='$ARGS'); this takes several minutes once" >&2
  mkdir -p "$CACHE"
  START=$(date +%s)
  SOURCE="llama-cpp-python==$VERSION"
  if [ "$VARIANTS" != off ]; then
    # llama-cpp-python installs only a library called ggml-cpu; add the per-instruction-set ones to its wheel.
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
    SOURCE=$(llama_source "$PY" "$VERSION" "$WORK")
    grep -q 'llama_cpp_python_install_target(ggml-vulkan)' "$SOURCE/CMakeLists.txt" \
      || { echo "install-llama: llama-cpp-python $VERSION's CMakeLists.txt changed; update the variant patch" >&2; exit 1; }
    sed -i.orig 's|^\( *\)llama_cpp_python_install_target(ggml-vulkan)|&\
\1get_property(parley_ggml_targets DIRECTORY vendor/llama.cpp/ggml/src PROPERTY BUILDSYSTEM_TARGETS)\
\1foreach(parley_target IN LISTS parley_ggml_targets)\
\1    if (parley_target MATCHES "^ggml-cpu-")\
\1        llama_cpp_python_install_target(${parley_target})\
\1    endif()\
\1endforeach()|' "$SOURCE/CMakeLists.txt"
  fi
  CMAKE_ARGS="$ARGS" CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(getconf _NPROCESSORS_ONLN)} \
    "$PY" -m pip wheel --no-deps --no-binary llama-cpp-python --no-cache-dir "$SOURCE" -w "$CACHE"
  echo "install-llama: built in $(( $(date +%s) - START )) s" >&2
  WHEEL=$(ls "$CACHE"/llama_cpp_python-"$VERSION"-*.whl | head -n 1)
fi
"$PY" -m pip install --quiet --no-deps --force-reinstall "$WHEEL"
PREFIX=$("$PY" -c 'import sys; print(sys.prefix)')
echo "$BACKEND" > "$PREFIX/parley-llama-backend"
echo "$NATIVE" > "$PREFIX/parley-llama-native"  # `make bundle` insists on a portable (off) build
echo "$VARIANTS" > "$PREFIX/parley-llama-cpu-variants"
echo "install-llama: llama-cpp-python $VERSION ($BACKEND) installed from $WHEEL" >&2
