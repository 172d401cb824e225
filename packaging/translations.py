"""Parley's translations: Qt Linguist sources under resources/translations/<language>/<area>.ts, one per part of
the code (so translators can work on parts side by side), compiled into resources/translations/parley_<language>.qm
by `make` (never committed).

    python packaging/translations.py update [AREA]  # lupdate: new strings appear unfinished, removed ones dropped
    python packaging/translations.py check [AREA]   # exit 1 if lupdate would find unfinished or obsolete entries
    python packaging/translations.py release   # lrelease: the .qm files the app loads
    python packaging/translations.py fill LANGUAGE AREA FILE.json   # translations from {"source": "translation"}
                                               # (or {"Context|source": ...}) into the unfinished entries
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN",)
AREAS: dict[str, tuple[str, ...]] = {
    "core": ("desktop/core",),
    "shell": ("desktop/ui/shell", "desktop/ui/language.py", "desktop/ui/widgets.py", "desktop/ui/theme.py",
              "desktop/ui/safe_text.py", "desktop/app"),
    "chat": ("desktop/ui/chat", "desktop/ui/sampling"),
    "models": ("desktop/ui/models", "desktop/ui/engines"),
    "experiments": ("desktop/ui/fewshot", "desktop/ui/compare", "desktop/ui/perplexity"),
    "engines": ("desktop/inference", "desktop/hub"),
}


def tool(name: str) -> str:
    beside = Path(sys.executable).parent / f"pyside6-{name}"
    return str(beside) if beside.exists() else f"pyside6-{name}"


def sources(area: str) -> list[str]:
    found: list[str] = []
    for entry in AREAS[area]:
        path = ROOT / entry
        found += [str(p) for p in sorted(path.rglob("*.py"))] if path.is_dir() else [str(path)]
    return found


def ts_file(language: str, area: str) -> Path:
    return FOLDER / language / f"{area}.ts"


def lupdate(area: str, target: Path, language: str) -> str:
    result = subprocess.run([tool("lupdate"), *sources(area), "-ts", str(target), "-locations", "none",
                             "-no-obsolete", "-source-language", "en", "-target-language", language],
                            capture_output=True, text=True, check=True)
    return result.stdout + result.stderr


def problems(ts: Path) -> tuple[int, int]:
    """(unfinished, obsolete) entries in a .ts file."""
    text = ts.read_text(encoding="utf-8")
    unfinished = len(re.findall(r'<translation type="unfinished"', text))
    obsolete = len(re.findall(r'<translation type="(?:obsolete|vanished)"', text))
    return unfinished, obsolete


def update(only: str = "") -> int:
    for language in LANGUAGES:
        for area in [only] if only else AREAS:
            target = ts_file(language, area)
            target.parent.mkdir(parents=True, exist_ok=True)
            lupdate(area, target, language)
            unfinished, _ = problems(target)
            print(f"{target.relative_to(ROOT)}: {unfinished} unfinished")
    return 0


def check(only: str = "") -> int:
    """What `update` would leave unfinished or obsolete, without touching the sources."""
    bad = 0
    with tempfile.TemporaryDirectory() as work:
        for language in LANGUAGES:
            for area in [only] if only else AREAS:
                original = ts_file(language, area)
                copy = Path(work) / f"{language}-{area}.ts"
                if original.exists():
                    shutil.copyfile(original, copy)
                before = copy.read_text(encoding="utf-8") if copy.exists() else ""
                subprocess.run([tool("lupdate"), *sources(area), "-ts", str(copy), "-locations", "none",
                                "-source-language", "en", "-target-language", language],
                               capture_output=True, text=True, check=True)
                unfinished, obsolete = problems(copy)
                if unfinished or obsolete or not original.exists():
                    bad += 1
                    print(f"{original.relative_to(ROOT)}: {unfinished} unfinished, {obsolete} obsolete"
                          + ("" if before else " (missing: run `python packaging/translations.py update`)"))
    return 1 if bad else 0


def fill(language: str, area: str, table_file: str) -> int:
    """Write the translations in a JSON table into the area's .ts: unfinished entries whose source (or
    "Context|source") the table has become finished. Prints what is still unfinished."""
    table: dict[str, str] = json.loads(Path(table_file).read_text(encoding="utf-8"))
    target = ts_file(language, area)
    tree = ET.parse(target)
    left = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            wanted = table.get(f"{name}|{source}", table.get(source))
            if wanted is None:
                if translation.get("type") == "unfinished":
                    left.append(f"{name}|{source}")
                continue
            translation.attrib.pop("type", None)
            if message.get("numerus") == "yes":
                for child in list(translation):
                    translation.remove(child)
                translation.text = None
                ET.SubElement(translation, "numerusform").text = wanted
            else:
                translation.text = wanted
    body = ET.tostring(tree.getroot(), encoding="unicode")
    target.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
    for entry in left:
        print(f"unfinished: {entry!r}")
    return 0


def release() -> int:
    for language in LANGUAGES:
        files = [str(ts_file(language, area)) for area in AREAS if ts_file(language, area).exists()]
        if not files:
            continue
        subprocess.run([tool("lrelease"), "-silent", *files, "-qm", str(FOLDER / f"parley_{language}.qm")],
                       check=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "fill":
        sys.exit(fill(*sys.argv[2:]))
    if len(sys.argv) == 3 and sys.argv[1] in ("update", "check") and sys.argv[2] in AREAS:
        sys.exit(update(sys.argv[2]) if sys.argv[1] == "update" else check(sys.argv[2]))
    commands = {"update": update, "check": check, "release": release}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    sys.exit(commands[sys.argv[1]]())
