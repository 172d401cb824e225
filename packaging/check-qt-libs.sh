#!/usr/bin/env bash
# Before `make run` opens the window: are the system libraries Qt's platform plugin needs installed?
#
#   check-qt-libs.sh PYTHON    check PySide6's plugin in PYTHON's environment (libqxcb.so; libqwayland.so when
#                              QT_QPA_PLATFORM=wayland), exit 1 with the missing libraries and an apt line
#   check-qt-libs.sh --parse   read `ldd` output on stdin and report the same way (what the tests feed it)
#
# Without this, a minimal Linux only gets Qt's "could not load the Qt platform plugin xcb" and a core dump.
# Nothing is checked off Linux, without a display, for QT_QPA_PLATFORM=offscreen (or another plugin that needs
# no windowing libraries), without ldd, or with PARLEY_SKIP_QT_CHECK=1.
set -euo pipefail

# The Debian/Ubuntu package that ships each library the xcb and Wayland plugins load.
package_for() {
    case "$1" in
        libxcb-cursor.so.*) echo libxcb-cursor0 ;;
        libxcb-icccm.so.*) echo libxcb-icccm4 ;;
        libxcb-image.so.*) echo libxcb-image0 ;;
        libxcb-keysyms.so.*) echo libxcb-keysyms1 ;;
        libxcb-randr.so.*) echo libxcb-randr0 ;;
        libxcb-render-util.so.*) echo libxcb-render-util0 ;;
        libxcb-render.so.*) echo libxcb-render0 ;;
        libxcb-shape.so.*) echo libxcb-shape0 ;;
        libxcb-shm.so.*) echo libxcb-shm0 ;;
        libxcb-sync.so.*) echo libxcb-sync1 ;;
        libxcb-util.so.1) echo libxcb-util1 ;;
        libxcb-util.so.0) echo libxcb-util0 ;;
        libxcb-xfixes.so.*) echo libxcb-xfixes0 ;;
        libxcb-xinerama.so.*) echo libxcb-xinerama0 ;;
        libxcb-xinput.so.*) echo libxcb-xinput0 ;;
        libxcb-xkb.so.*) echo libxcb-xkb1 ;;
        libxcb.so.*) echo libxcb1 ;;
        libX11-xcb.so.*) echo libx11-xcb1 ;;
        libX11.so.*) echo libx11-6 ;;
        libXau.so.*) echo libxau6 ;;
        libXdmcp.so.*) echo libxdmcp6 ;;
        libxkbcommon-x11.so.*) echo libxkbcommon-x11-0 ;;
        libxkbcommon.so.*) echo libxkbcommon0 ;;
        libwayland-client.so.*) echo libwayland-client0 ;;
        libwayland-cursor.so.*) echo libwayland-cursor0 ;;
        libwayland-egl.so.*) echo libwayland-egl1 ;;
        libEGL.so.*) echo libegl1 ;;
        libGL.so.*) echo libgl1 ;;
        libGLX.so.*) echo libglx0 ;;
        libOpenGL.so.*) echo libopengl0 ;;
        libfontconfig.so.*) echo libfontconfig1 ;;
        libfreetype.so.*) echo libfreetype6 ;;
        libdbus-1.so.*) echo libdbus-1-3 ;;
        libglib-2.0.so.* | libgthread-2.0.so.*) echo libglib2.0-0 ;;
        libpng16.so.*) echo libpng16-16 ;;
        libz.so.*) echo zlib1g ;;
        libzstd.so.*) echo libzstd1 ;;
        libexpat.so.*) echo libexpat1 ;;
        *) echo "" ;;
    esac
}

# stdin: ldd output. Prints what is missing and how to install it; exit 1 when something is.
report() {
    local plugin="$1" line lib pkg
    local -a missing=() packages=() unknown=()
    while IFS= read -r line; do
        [[ "$line" == *"=> not found"* ]] || continue
        lib="${line%%=>*}"
        lib="${lib//[[:space:]]/}"
        [[ " ${missing[*]-} " == *" $lib "* ]] && continue  # ldd lists a library once per library that needs it
        missing+=("$lib")
        pkg="$(package_for "$lib")"
        if [[ -z "$pkg" ]]; then
            unknown+=("$lib")
        elif [[ " ${packages[*]-} " != *" $pkg "* ]]; then
            packages+=("$pkg")
        fi
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    {
        echo "Parley cannot open its window: Qt's $plugin platform plugin needs system libraries that are not installed:"
        for lib in "${missing[@]}"; do
            pkg="$(package_for "$lib")"
            echo "    $lib${pkg:+  (package $pkg)}"
        done
        if [[ ${#packages[@]} -gt 0 ]]; then
            echo "On Debian or Ubuntu, install them with:"
            echo "    sudo apt-get install ${packages[*]}"
        fi
        if [[ ${#unknown[@]} -gt 0 ]]; then
            echo "Find the package for the others with: apt-file search ${unknown[0]} (or your distribution's tool)."
        fi
        echo "Other distributions name the packages differently (e.g. xcb-util-cursor on Fedora and Arch)."
        echo "Then run 'make run' again. (PARLEY_SKIP_QT_CHECK=1 skips this check.)"
    } >&2
    return 1
}

if [[ "${1:-}" == "--parse" ]]; then
    report "${2:-xcb}"
    exit $?
fi

PY="${1:?usage: check-qt-libs.sh PYTHON | --parse [PLUGIN] < ldd-output}"
[[ "${PARLEY_SKIP_QT_CHECK:-0}" == 1 ]] && exit 0
[[ "$(uname -s)" == Linux ]] || exit 0
[[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]] || exit 0  # nowhere to show a window: Qt says so itself
case "${QT_QPA_PLATFORM:-}" in
    "" | xcb*) plugin=xcb; file=libqxcb.so ;;
    wayland*) plugin=wayland; file=libqwayland.so ;;
    *) exit 0 ;;  # offscreen, minimal, vnc, eglfs, …: no X11 libraries needed
esac
[[ "$plugin" == xcb && -z "${DISPLAY:-}" ]] && exit 0  # a Wayland-only session: Qt picks its Wayland plugin
command -v ldd >/dev/null 2>&1 || exit 0
dir="$("$PY" -c 'import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt", "plugins", "platforms"))' 2>/dev/null)" || exit 0
[[ -f "$dir/$file" ]] || exit 0
ldd "$dir/$file" 2>/dev/null | report "$plugin"
