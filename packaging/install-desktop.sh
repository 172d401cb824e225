#!/usr/bin/env bash
# Register (or remove) Parley's launcher for the current user, following the XDG base directories:
#   packaging/install-desktop.sh install     # make install-desktop
#   packaging/install-desktop.sh uninstall   # make uninstall-desktop
# The launcher runs the bundle (dist/parley/parley) when one was built, else the virtual environment's
# `parley` entry point; PARLEY_EXEC=/abs/path overrides. Files go under ${XDG_DATA_HOME:-~/.local/share}:
# applications/, icons/hicolor/, metainfo/ and mime/packages/ (GGUF files open in Parley).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
APP_ID=io.github.parley.Parley
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
MODE=${1:-install}
ICONS="$ROOT/resources/icons/hicolor"
LINUX="$ROOT/resources/linux"

refresh() {  # the caches desktops read; each tool is optional
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$DATA/applications" || true; fi
  # A user-level icon cache is only refreshed, never created: a stale one would hide other apps' new icons.
  if [ -d "$DATA/icons/hicolor" ]; then touch "$DATA/icons/hicolor"; fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$DATA/icons/hicolor/icon-theme.cache" ]; then
    gtk-update-icon-cache -q -f -t "$DATA/icons/hicolor" || true
  fi
  if command -v update-mime-database >/dev/null 2>&1 && [ -d "$DATA/mime/packages" ]; then
    update-mime-database "$DATA/mime" >/dev/null 2>&1 || true
  fi
}

desktop_quote() {  # the Desktop Entry spec's quoting for an Exec argument with spaces or reserved characters
  local arg=${1//%/%%}  # a literal % is doubled: %f and the like are field codes
  case "$arg" in
    *[[:space:]\"\'\\\$\`\<\>\~\|\&\;\*\?\#\(\)]*)
      arg=${arg//\\/\\\\\\\\}; arg=${arg//\"/\\\\\"}; arg=${arg//\$/\\\\\$}; arg=${arg//\`/\\\\\`}
      printf '"%s"' "$arg" ;;
    *) printf '%s' "$arg" ;;
  esac
}

case "$MODE" in
  install)
    if [ -n "${PARLEY_EXEC:-}" ]; then EXEC=$PARLEY_EXEC
    elif [ -x "$ROOT/dist/parley/parley" ]; then EXEC="$ROOT/dist/parley/parley"
    elif [ -x "$ROOT/.venv/bin/parley" ]; then EXEC="$ROOT/.venv/bin/parley"
    else
      echo "install-desktop: nothing to launch yet; run 'make bundle' (or 'make setup') first" >&2
      exit 1
    fi
    case "$EXEC" in /*) ;; *) echo "install-desktop: PARLEY_EXEC must be an absolute path" >&2; exit 1 ;; esac
    mkdir -p "$DATA/applications" "$DATA/metainfo" "$DATA/mime/packages"
    QUOTED=$(desktop_quote "$EXEC")
    # TryExec hides the launcher if the program is removed; Exec keeps the file argument (%f).
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        Exec=*) printf 'TryExec=%s\nExec=%s %%f\n' "$EXEC" "$QUOTED" ;;
        *) printf '%s\n' "$line" ;;
      esac
    done < "$LINUX/$APP_ID.desktop" > "$DATA/applications/$APP_ID.desktop"
    for dir in "$ICONS"/*/apps; do
      size=$(basename "$(dirname "$dir")")
      mkdir -p "$DATA/icons/hicolor/$size/apps"
      cp "$dir"/"$APP_ID".* "$DATA/icons/hicolor/$size/apps/"
    done
    cp "$LINUX/$APP_ID.metainfo.xml" "$DATA/metainfo/"
    cp "$LINUX/$APP_ID.mime.xml" "$DATA/mime/packages/$APP_ID.xml"
    refresh
    echo "install-desktop: Parley's launcher ($EXEC) is registered under $DATA"
    ;;
  uninstall)
    rm -f "$DATA/applications/$APP_ID.desktop" "$DATA/metainfo/$APP_ID.metainfo.xml" \
          "$DATA/mime/packages/$APP_ID.xml" "$DATA"/icons/hicolor/*/apps/"$APP_ID".*
    refresh
    echo "install-desktop: Parley's launcher is removed from $DATA"
    ;;
  *) echo "usage: install-desktop.sh install|uninstall" >&2; exit 2 ;;
esac
