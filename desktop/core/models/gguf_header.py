"""Reading a GGUF header's values one by one, every length checked before it is trusted.

gguf_file drives this reader through the header and decides what the values mean.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

from desktop.core.i18n import translate
from desktop.core.models.gguf_error import GGUFError, byte_size, quoted

__all__ = ["HeaderReader"]

# Beyond these a length is nonsense (damaged); below them, running past EOF means truncated.
_MAX_STRING = _MAX_ARRAY = 100_000_000
_SHORT_ARRAY = 64  # arrays up to this length are kept in ModelInfo.metadata
_FIRST_CHUNK = 1 << 20

_ARRAY, _STRING = 9, 8
# GGUF value type -> (struct for one element, name used in metadata summaries)
_SCALARS: dict[int, tuple[struct.Struct, str]] = {
    0: (struct.Struct("<B"), "uint8"), 1: (struct.Struct("<b"), "int8"),
    2: (struct.Struct("<H"), "uint16"), 3: (struct.Struct("<h"), "int16"),
    4: (struct.Struct("<I"), "uint32"), 5: (struct.Struct("<i"), "int32"),
    6: (struct.Struct("<f"), "float32"), 7: (struct.Struct("<?"), "bool"),
    10: (struct.Struct("<Q"), "uint64"), 11: (struct.Struct("<q"), "int64"),
    12: (struct.Struct("<d"), "float64"),
}
_U32, _U64 = _SCALARS[4][0], _SCALARS[10][0]


class HeaderReader:
    """Sequential reader over the file's start, pulled into memory in growing chunks.

    Plain reads, not mmap: a mapped file that shrinks under us would SIGBUS the app.
    """

    def __init__(self, f: BinaryIO, size: int, path: Path) -> None:
        self.f, self.size, self.path = f, size, path
        self.buf = bytearray()
        self.pos = 0

    def damaged(self, detail: str) -> NoReturn:
        raise GGUFError(self.path, translate("GGUFError", "it is damaged ({detail})").format(detail=detail))

    def ensure(self, end: int) -> None:
        """Make the buffer cover bytes [0, end) of the file."""
        if end <= len(self.buf):
            return
        want = min(self.size, max(end, 2 * len(self.buf), _FIRST_CHUNK)) - len(self.buf)
        self.f.seek(len(self.buf))
        self.buf += self.f.read(want) if end <= self.size else b""
        if end > len(self.buf):  # past EOF, or the file shrank while we read it
            raise GGUFError(self.path, translate("GGUFError", "it is truncated (the header ends early)"))

    def take(self, st: struct.Struct) -> Any:
        self.ensure(self.pos + st.size)
        (value,) = st.unpack_from(self.buf, self.pos)
        self.pos += st.size
        return value

    def u32(self) -> int:
        return int(self.take(_U32))

    def u64(self) -> int:
        return int(self.take(_U64))

    def string(self, what: str) -> str:
        n = self.u64()
        if n > _MAX_STRING:
            self.damaged(translate("GGUFError", "{what} at byte {position} claims to be {size} long").format(
                what=what, position=f"{self.pos - 8:,}", size=byte_size(n)))
        self.ensure(self.pos + n)
        self.pos += n
        try:
            return self.buf[self.pos - n : self.pos].decode("utf-8")
        except UnicodeDecodeError:
            self.damaged(translate("GGUFError", "{what} at byte {position} is not valid UTF-8 text").format(
                what=what, position=f"{self.pos - n:,}"))

    def skip_strings(self, count: int) -> None:
        """Step over `count` strings without decoding them: the hot path for vocabularies."""
        unpack, buf, pos, i, limit = _U64.unpack_from, self.buf, self.pos, 0, _MAX_STRING
        while i < count:
            try:
                while i < count:
                    (n,) = unpack(buf, pos)
                    if n > limit:
                        self.damaged(translate(
                            "GGUFError", "{what} at byte {position} claims to be {size} long").format(
                            what=translate("GGUFError", "a text"), position=f"{pos:,}", size=byte_size(n)))
                    pos += 8 + n
                    i += 1
            except struct.error:  # ran off the buffered part: read more and carry on
                self.ensure(pos + 8)
        self.ensure(pos)
        self.pos = pos

    def string_at(self, start: int, index: int) -> str:
        """Element `index` of an already-buffered string array that starts at `start`."""
        for _ in range(index):
            start += 8 + int(_U64.unpack_from(self.buf, start)[0])
        n = int(_U64.unpack_from(self.buf, start)[0])
        return self.buf[start + 8 : start + 8 + n].decode("utf-8", errors="replace")

    def value(self, key: str, vtype: int, arrays: dict[str, tuple[int, int]]) -> object:
        """One metadata value; long arrays become a summary string (string arrays are noted in `arrays`)."""
        if vtype == _STRING:
            return self.string(translate("GGUFError", "the value of {key}").format(key=quoted(key)))
        if vtype in _SCALARS:
            return self.take(_SCALARS[vtype][0])
        if vtype != _ARRAY:
            self.damaged(translate("GGUFError", "{key} has unknown value type {type}").format(
                key=quoted(key), type=vtype))
        elem, count = self.u32(), self.u64()
        st, type_name = _SCALARS.get(elem, (_U64, "string"))
        if elem != _STRING and elem not in _SCALARS:
            self.damaged(translate("GGUFError", "the list {key} has unknown element type {type}").format(
                key=quoted(key), type=elem))
        if count > _MAX_ARRAY:
            self.damaged(translate("GGUFError", "the list {key} claims {count} entries").format(
                key=quoted(key), count=f"{count:,}"))
        if elem == _STRING:
            arrays[key] = (self.pos, count)
            if count <= _SHORT_ARRAY:
                entry = translate("GGUFError", "an entry of {key}").format(key=quoted(key))
                return tuple(self.string(entry) for _ in range(count))
            self.skip_strings(count)
        elif count <= _SHORT_ARRAY:
            return tuple(self.take(st) for _ in range(count))
        else:
            self.ensure(self.pos + count * st.size)
            self.pos += count * st.size
        return f"[array of {count} {type_name}]"
