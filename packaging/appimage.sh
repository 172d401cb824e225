#!/usr/bin/env bash
# Wrap the Linux bundle (dist/parley) into dist/Parley-<arch>.AppImage when appimagetool is on PATH;
# otherwise say so and leave the folder bundle as the result. Run by `make bundle` after PyInstaller.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
APP_ID=io.github.parley.Parley
BUNDLE="$ROOT/dist/parley"
ARCH=${ARCH:-$(uname -m)}
APPDIR="$ROOT/build/AppDir"
OUTPUT="$ROOT/dist/Parley-$ARCH.AppImage"

if [ "$(uname -s)" != Linux ]; then exit 0; fi
if ! command -v appimagetool >/dev/null 2>&1; then
  echo "appimage: appimagetool is not on PATH; skipped the AppImage (the folder bundle is $BUNDLE)"
  exit 0
fi
[ -x "$BUNDLE/parley" ] || { echo "appimage: no bundle at $BUNDLE; run 'make bundle' first" >&2; exit 1; }

rm -rf "$APPDIR"
mkdir -p "$APPDIR/usr/bin" "$APPDIR/usr/share/applications" "$APPDIR/usr/share/metainfo"
cp -al "$BUNDLE/." "$APPDIR/usr/bin/" 2>/dev/null || cp -a "$BUNDLE/." "$APPDIR/usr/bin/"  # hard links: no second copy
cat > "$APPDIR/AppRun" <<'EOF'
#!/bin/sh
HERE=$(dirname "$(readlink -f "$0")")
exec "$HERE/usr/bin/parley" "$@"
EOF
chmod +x "$APPDIR/AppRun"
cp "$ROOT/resources/linux/$APP_ID.desktop" "$APPDIR/$APP_ID.desktop"
cp "$ROOT/resources/linux/$APP_ID.desktop" "$APPDIR/usr/share/applications/"
cp "$ROOT/resources/linux/$APP_ID.metainfo.xml" "$APPDIR/usr/share/metainfo/$APP_ID.appdata.xml"
cp "$ROOT/resources/icons/hicolor/256x256/apps/$APP_ID.png" "$APPDIR/$APP_ID.png"
ln -sf "$APP_ID.png" "$APPDIR/.DirIcon"
mkdir -p "$APPDIR/usr/share/icons"
cp -a "$ROOT/resources/icons/hicolor" "$APPDIR/usr/share/icons/"

rm -f "$OUTPUT"
ARCH="$ARCH" appimagetool --no-appstream "$APPDIR" "$OUTPUT"
echo "appimage: built $OUTPUT ($(du -h "$OUTPUT" | cut -f1))"
