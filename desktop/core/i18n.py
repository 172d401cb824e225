"""The one way Parley's code marks a string for translation, in desktop/core (which stays free of Qt) and in the
window alike: ``translate("Context", "text with {name}").format(name=...)``, with the same arguments as Qt's
QCoreApplication.translate (so `lupdate` finds every call by name; context and text must be string literals, never
f-strings). The window plugs Qt's translator in at start (`set_translator`); without it (the CLI, scripts) the
English text is returned as written, with %n replaced by n.

`self.tr()` is not used: PySide6 takes its context from the object's runtime class, so a subclass would lose its
parent's translations.
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[[str, str, int], str]  # (context, text, n for %n or -1) -> translated text
NumberFormat = Callable[[float, int], str]  # (number, decimals) -> the number written for the person's locale


def _english(_context: str, text: str, n: int) -> str:
    return text.replace("%n", str(n)) if n >= 0 else text


def _english_number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


_hook: list[Translator] = [_english]  # one slot, replaced by the window at start
_numbers: list[NumberFormat] = [_english_number]


def set_translator(translator: Translator | None) -> None:
    """Route every translate() call through `translator` (None: back to English)."""
    _hook[0] = translator or _english


def set_number_format(number_format: NumberFormat | None) -> None:
    """Write every number() with `number_format` (the window's locale; None: back to 1,234.5)."""
    _numbers[0] = number_format or _english_number


def number(value: float, decimals: int = 0) -> str:
    """A count or measure as the person's locale writes it (digit grouping, decimal sign): 4,096 · 12.5."""
    return _numbers[0](value, decimals)


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`text` in the person's language; %n in it becomes n."""
    return _hook[0](context, text, n)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Marks `text` for translation where it is defined (a constant made at import, before any translator is
    installed); it is shown through translate(context, text) later."""
    return text
