# Shell functions for the scripts that build from the llama.cpp source vendored by the pinned llama-cpp-python
# (install-llama.sh, build-llama-server.sh, build-llama-bench.sh): one way to fetch it, one way to build a target.
#   . packaging/llama-source.sh

# llama_pin SCRIPT: sets VERSION (the llama-cpp-python pinned in pyproject.toml) and BACKEND and ARGS (install-llama.sh's
# backend choice and its CMake options) for the build script named SCRIPT (its messages carry that name).
llama_pin() {
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  VERSION=$(sed -n 's/.*"llama-cpp-python==\([0-9.]*\)".*/\1/p' "$here/../pyproject.toml")
  [ -n "$VERSION" ] || { echo "$1: no llama-cpp-python pin in pyproject.toml" >&2; exit 1; }
  read -r BACKEND ARGS <<<"$(bash "$here/install-llama.sh" --print-backend)"
}

# llama_source PYTHON VERSION FOLDER: download and unpack llama-cpp-python's source release into FOLDER; prints
# the unpacked folder (its llama.cpp is in vendor/llama.cpp).
llama_source() {
  "$1" -m pip download --quiet --disable-pip-version-check --no-deps --no-binary llama-cpp-python \
    "llama-cpp-python==$2" -d "$3" >&2
  tar -xzf "$3/llama_cpp_python-$2.tar.gz" -C "$3"
  echo "$3/llama_cpp_python-$2"
}

# build_llama_target SOURCE BUILD TARGET [CMAKE OPTIONS...]: configure llama.cpp in BUILD (Release, Ninja when
# there is one, no tests or examples, no network libraries) and build TARGET; the logs are shown only on failure.
build_llama_target() {
  local src=$1 build=$2 target=$3
  shift 3
  local gen=()
  command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
  cmake -S "$src" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF "$@" \
    >"$build.configure.log" || { cat "$build.configure.log" >&2; return 1; }
  cmake --build "$build" --target "$target" --config Release \
    -j "${CMAKE_BUILD_PARALLEL_LEVEL:-$(getconf _NPROCESSORS_ONLN)}" >"$build.log" \
    || { tail -n 60 "$build.log" >&2; return 1; }
}
