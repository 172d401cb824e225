"""The model library: every GGUF model in the user's folders, with what Parley knows about each.

Header reads are cached by (path, size, mtime) in a JSON file, because re-validating a folder of
large models on every start would make the model list slow to appear.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import MappingProxyType

from desktop.core.i18n import translate
from desktop.core.models.builtin import is_builtin
from desktop.core.models.gguf_file import GGUFError, ModelInfo, read_model_info

__all__ = [
    "SHARD_PATTERN", "MetadataCache", "ModelEntry", "model_info_from_dict", "model_info_to_dict", "scan_library",
]

log = logging.getLogger(__name__)

# llama.cpp's gguf-split names; llama.cpp finds shards 2..n by rebuilding exactly this name from shard 1's.
SHARD_PATTERN = re.compile(r"^(?P<stem>.+)-(?P<index>\d{5})-of-(?P<count>\d{5})\.gguf$")
MAX_DEPTH = 3  # subfolder levels below a library folder; enough for the Hugging Face cache's snapshots/<hash>/
_UNFINISHED = (".part", ".partial", ".incomplete", ".tmp")  # downloads in progress
_SCHEMA_VERSION = 1
_SHORT_TUPLE = 64  # matches what gguf_file keeps as tuples
_TEMPLATE_KEY = "tokenizer.chat_template"  # stored once, as ModelInfo.chat_template


@dataclass(frozen=True)
class ModelEntry:
    """One model as the library shows it: usable, or listed with the reason it is not."""

    path: Path  # the file to load: the single file, or shard 1
    shards: tuple[Path, ...]  # all files present, in order (1 element for unsharded)
    file_size: int  # total bytes of all shards
    info: ModelInfo | None  # None when the (first) file is unusable
    error: str | None  # user-facing problem
    builtin: bool

    @property
    def name(self) -> str:
        if self.info is not None:
            return self.info.name
        match = SHARD_PATTERN.match(self.path.name)
        return match["stem"] if match else self.path.stem

    @property
    def architecture(self) -> str:
        return self.info.architecture if self.info else ""  # "" as ModelInfo has for a later shard

    @property
    def size_label(self) -> str | None:
        return self.info.size_label if self.info else None

    @property
    def quantization(self) -> str | None:
        return self.info.quantization if self.info else None

    @property
    def context_length(self) -> int | None:
        return self.info.context_length if self.info else None

    @property
    def has_chat_template(self) -> bool:
        return bool(self.info and self.info.chat_template)

    @property
    def license(self) -> str | None:
        return self.info.license if self.info else None

    @property
    def shard_count(self) -> int:
        return len(self.shards)

    @property
    def usable(self) -> bool:
        return self.info is not None and self.error is None


# --- the metadata cache -------------------------------------------------------------------------------


def _json_scalar(value: object) -> bool:
    return isinstance(value, (str, bool, int)) or (isinstance(value, float) and math.isfinite(value))


def model_info_to_dict(info: ModelInfo) -> dict[str, object]:
    """A JSON-able dict; metadata keeps scalars and short tuples (as lists), which is all gguf_file produces."""
    out: dict[str, object] = {f.name: getattr(info, f.name) for f in fields(info) if f.name != "metadata"}
    out["path"] = str(info.path)
    meta: dict[str, object] = {}
    for key, value in info.metadata.items():
        if key == _TEMPLATE_KEY:
            continue
        if _json_scalar(value):
            meta[key] = value
        elif isinstance(value, tuple) and len(value) <= _SHORT_TUPLE and all(_json_scalar(v) for v in value):
            meta[key] = list(value)
    out["metadata"] = meta
    return out


# ModelInfo field -> the types its annotation allows, e.g. "str | None" -> (str, NoneType); an unknown type
# (a future field) matches nothing, so such entries are re-read rather than trusted.
class _Unknown:
    """No cached value is ever one of these."""


_BASIC: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool, "None": type(None)}
_TYPES = {f.name: tuple(_BASIC.get(t, _Unknown) for t in str(f.type).split(" | "))
          for f in fields(ModelInfo) if f.name not in ("path", "metadata")}


def model_info_from_dict(data: Mapping[str, object]) -> ModelInfo:
    """Inverse of model_info_to_dict; raises ValueError on anything malformed (the cache file is untrusted)."""
    if not isinstance(data, Mapping):
        raise ValueError("not a mapping")
    values: dict[str, object] = {}
    for name, types in _TYPES.items():
        value = data.get(name)
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise ValueError(f"bad {name}: {value!r}")
        values[name] = value
    path, meta = data.get("path"), data.get("metadata")
    if not isinstance(path, str) or not isinstance(meta, dict):
        raise ValueError("bad path or metadata")
    metadata: dict[str, object] = {}
    for key, value in meta.items():
        if isinstance(value, list) and all(_json_scalar(v) for v in value):
            value = tuple(value)
        elif not _json_scalar(value):
            raise ValueError(f"bad metadata value for {key!r}")
        metadata[str(key)] = value
    if values["chat_template"] is not None:
        metadata[_TEMPLATE_KEY] = values["chat_template"]
    return ModelInfo(path=Path(path), metadata=MappingProxyType(metadata), **values)  # type: ignore[arg-type]


def _stat_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class MetadataCache:
    """ModelInfo by (path, size, mtime_ns), kept in a JSON file so a folder of 50 models lists in well under a
    second after the first scan. Best effort: a bad cache file is an empty cache, a failed save is only logged."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[str, tuple[int, int, ModelInfo]] = {}
        self._changed = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):  # missing, unreadable, not JSON, absurdly nested
            return
        if not isinstance(data, dict) or data.get("schema_version") != _SCHEMA_VERSION:
            return
        entries = data.get("entries")
        for key, item in (entries if isinstance(entries, dict) else {}).items():
            try:
                size, mtime, info = item["size"], item["mtime_ns"], model_info_from_dict(item["info"])
            except (ValueError, TypeError, KeyError):
                self._changed = True  # drop the bad entry on the next save
                continue
            if type(size) is int and type(mtime) is int:
                self._entries[key] = (size, mtime, info)

    @staticmethod
    def _key(path: Path) -> str:
        return str(path.absolute())

    def lookup(self, path: Path) -> ModelInfo | None:
        """The cached info if the file's size and mtime still match, with .path set to `path`."""
        hit = self._entries.get(self._key(path))
        if hit is None or _stat_key(path) != hit[:2]:
            return None
        return hit[2] if hit[2].path == path else replace(hit[2], path=path)

    def store(self, info: ModelInfo) -> None:
        """Remember info for its file as it is now; skipped if the file has changed size since it was read."""
        stat_key = _stat_key(info.path)
        if stat_key is None or stat_key[0] != info.file_size:
            return
        key = self._key(info.path)
        old = self._entries.get(key)
        if old is None or old[:2] != stat_key or old[2] != info:
            self._entries[key] = (*stat_key, info)
            self._changed = True

    def save(self) -> None:
        """Write atomically (tmp + os.replace) if anything changed; entries for vanished files are dropped."""
        gone = [key for key in self._entries if not os.path.exists(key)]
        for key in gone:
            del self._entries[key]
        if not (self._changed or gone):
            return
        data = {
            "schema_version": _SCHEMA_VERSION,
            "entries": {key: {"size": size, "mtime_ns": mtime, "info": model_info_to_dict(info)}
                        for key, (size, mtime, info) in self._entries.items()},
        }
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, self.path)
        except (OSError, TypeError, ValueError) as e:
            log.warning("Could not save the model metadata cache %s: %s", self.path, e)
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            return
        self._changed = False


# --- scanning ------------------------------------------------------------------------------------------


def _gguf_files(folder: Path, depth: int = 0) -> Iterator[Path]:
    """*.gguf files under folder, skipping hidden and unfinished names; unreadable folders are skipped."""
    try:
        with os.scandir(folder) as it:
            items = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    for item in items:
        name = item.name
        if name.startswith(".") or name.lower().endswith(_UNFINISHED):
            continue
        try:
            if item.is_dir():
                if depth < MAX_DEPTH:
                    yield from _gguf_files(Path(item.path), depth + 1)
            elif name.lower().endswith(".gguf") and item.is_file():
                yield Path(item.path)
        except OSError:
            continue


def _read(path: Path, cache: MetadataCache, first: bool) -> ModelInfo | str:
    """Validated info (from the cache if fresh), or the user-facing reason the file is unusable."""
    info = cache.lookup(path)
    if info is not None and (info.architecture or not first):
        return info
    try:
        info = read_model_info(path, require_architecture=first)
    except GGUFError as e:
        return str(e)
    except Exception as e:  # a reader bug must not take the whole list down
        log.exception("Unexpected error reading %s", path)
        return translate("ModelLibrary", 'Parley cannot use the model file "{path}": it could not be read ({error}). '
                         "Choose another model.").format(path=path, error=e)
    cache.store(info)
    return info


def _single_entry(path: Path, cache: MetadataCache) -> ModelEntry:
    result = _read(path, cache, first=True)
    info = result if isinstance(result, ModelInfo) else None
    error = result if isinstance(result, str) else None
    split_count = info.metadata.get("split.count") if info else None
    if type(split_count) is int and split_count > 1:  # llama.cpp could not find the other parts
        error = translate(
            "ModelLibrary", 'Parley cannot use the model file "{path}": it is one part of a model split into {count} '
            "files, but its name does not end in {suffix}. Rename the parts as llama.cpp's gguf-split named them."
        ).format(path=path, count=split_count, suffix=f"-00001-of-{split_count:05d}.gguf")
    return ModelEntry(path=path, shards=(path,), file_size=(_stat_key(path) or (0, 0))[0], info=info, error=error,
                      builtin=is_builtin(path))


def _split_entry(stem: str, count: int, present: dict[int, Path], cache: MetadataCache) -> ModelEntry:
    """One entry for the shards of a split model found on disk; the first problem found is its error."""
    shards = tuple(present[i] for i in sorted(present))
    first = present.get(1, shards[0])
    info: ModelInfo | None = None
    error: str | None = None
    if 1 in present:
        result = _read(first, cache, first=True)
        info, error = (result, None) if isinstance(result, ModelInfo) else (None, result)
    missing = [i for i in range(1, count + 1) if i not in present]
    stray = [i for i in present if not 1 <= i <= count]
    split_count = info.metadata.get("split.count") if info else None
    if error is None and missing:
        error = translate("ModelLibrary", "shard {index} of {count} is missing: {file}").format(
            index=missing[0], count=count, file=f"{stem}-{missing[0]:05d}-of-{count:05d}.gguf")
    elif error is None and stray:
        error = translate("ModelLibrary", "{file} is not one of the {count} shards its name says there are").format(
            file=present[stray[0]].name, count=count)
    elif error is None and type(split_count) is int and split_count != count:
        error = translate("ModelLibrary", "shard 1 says the model has {split} shards, but its name says {count}: "
                          "{file}").format(split=split_count, count=count, file=first.name)
    for i in range(2, count + 1):
        if error is not None:
            break
        part = _read(present[i], cache, first=False)
        if isinstance(part, str):
            error = part
        elif part.metadata.get("split.no", i - 1) != i - 1:
            error = translate("ModelLibrary", "shard {index} of {count} belongs to a different split: {file}").format(
                index=i, count=count, file=present[i].name)
    return ModelEntry(path=first, shards=shards, file_size=sum((_stat_key(p) or (0, 0))[0] for p in shards), info=info,
                      error=error, builtin=is_builtin(first))


def scan_library(folders: Sequence[Path], cache: MetadataCache) -> list[ModelEntry]:
    """Every model under the folders (missing folders skipped), built-in first, then by name; saves the cache.

    Unusable files are listed with `error` set rather than left out, so the UI can say why; nothing raises.
    """
    seen: set[str] = set()
    singles: list[Path] = []
    groups: dict[tuple[Path, str, int], dict[int, Path]] = {}
    for folder in folders:
        for path in _gguf_files(folder.expanduser()):
            real = os.path.realpath(path)  # overlapping folders must not list a file twice
            if real in seen:
                continue
            seen.add(real)
            match = SHARD_PATTERN.match(path.name)
            if match and int(match["count"]) >= 1:
                group = groups.setdefault((path.parent, match["stem"], int(match["count"])), {})
                group[int(match["index"])] = path
            else:
                singles.append(path)
    entries = [_single_entry(path, cache) for path in singles]
    entries += [_split_entry(stem, count, present, cache) for (_, stem, count), present in groups.items()]
    cache.save()
    entries.sort(key=lambda e: (not e.builtin, e.name.casefold(), str(e.path)))
    return entries
