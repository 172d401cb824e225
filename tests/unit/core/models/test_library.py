"""Tests for desktop.core.models.library: listing, shard grouping, broken files, ordering and the metadata cache."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from gguf import GGUFWriter

import desktop.core.models.library as library
from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.core.models.gguf_file import GGUFError, read_model_info
from desktop.core.models.library import (
    SHARD_PATTERN,
    MetadataCache,
    ModelEntry,
    model_info_from_dict,
    model_info_to_dict,
    scan_library,
)

TEMPLATE = "{% for m in messages %}{{ m.content }}{% endfor %}"


def write_model(path: Path, name: str | None = "Tiny Llama", *, template: str | None = TEMPLATE,
                tensors: int = 2, split_max_tensors: int = 0) -> Path:
    """A tiny valid llama GGUF; with split_max_tensors, gguf-split style shards named after path's stem."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = GGUFWriter(path, "llama", split_max_tensors=split_max_tensors)
    if name is not None:
        writer.add_name(name)
    writer.add_size_label("1K")
    writer.add_license("mit")
    writer.add_file_type(15)
    writer.add_context_length(2048)
    writer.add_block_count(2)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.add_embedding_length(32)
    if template is not None:
        writer.add_chat_template(template)
    for i in range(tensors):
        writer.add_tensor(f"t{i}.weight", np.full((8,), i, dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def write_split(folder: Path, stem: str = "x", count: int = 2, name: str = "Split Model") -> list[Path]:
    write_model(folder / f"{stem}.gguf", name, tensors=count, split_max_tensors=1)
    shards = [folder / f"{stem}-{i:05d}-of-{count:05d}.gguf" for i in range(1, count + 1)]
    assert all(p.is_file() for p in shards)
    # The point of shards: only the first says what model it is.
    assert all(b"general.architecture" not in p.read_bytes() for p in shards[1:])
    return shards


def scan(*folders: Path, cache: MetadataCache | None = None) -> list[ModelEntry]:
    if cache is None:
        cache = MetadataCache(folders[0] / ".cache.json")
    return scan_library(list(folders), cache)


@pytest.fixture
def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Paths read_model_info is called for, as library sees it."""
    calls: list[Path] = []

    def counting(path: Path, *, require_architecture: bool = True) -> object:
        calls.append(path)
        return read_model_info(path, require_architecture=require_architecture)

    monkeypatch.setattr(library, "read_model_info", counting)
    return calls


# --- listing -----------------------------------------------------------------------------------------


def test_listing_fields(tmp_path: Path) -> None:
    path = write_model(tmp_path / "models" / "tiny.gguf")
    (entry,) = scan(tmp_path / "models")
    assert entry.path == path and entry.shards == (path,) and entry.shard_count == 1
    assert entry.file_size == path.stat().st_size
    assert entry.info is not None and entry.info.path == path
    assert (entry.error, entry.usable, entry.builtin) == (None, True, False)
    assert (entry.name, entry.architecture, entry.size_label) == ("Tiny Llama", "llama", "1K")
    assert (entry.quantization, entry.context_length, entry.license) == ("Q4_K_M", 2048, "mit")
    assert entry.has_chat_template is True


def test_name_falls_back_to_stem_and_no_template(tmp_path: Path) -> None:
    write_model(tmp_path / "plain-model.gguf", name=None, template=None)
    (entry,) = scan(tmp_path)
    assert entry.name == "plain-model"
    assert entry.has_chat_template is False


def test_missing_folder_is_skipped(tmp_path: Path) -> None:
    write_model(tmp_path / "m.gguf")
    entries = scan_library([tmp_path / "nope", tmp_path], MetadataCache(tmp_path / "c.json"))
    assert [e.path.name for e in entries] == ["m.gguf"]
    assert scan_library([tmp_path / "nope"], MetadataCache(tmp_path / "c.json")) == []


def test_overlapping_folders_list_a_file_once(tmp_path: Path) -> None:
    write_model(tmp_path / "sub" / "m.gguf")
    assert len(scan(tmp_path, tmp_path / "sub")) == 1


def test_hidden_unfinished_and_other_files_skipped(tmp_path: Path) -> None:
    for rel in ["visible.gguf", "UPPER.GGUF", ".hidden.gguf", ".hidden-dir/m.gguf", "dl.tmp/m.gguf",
                "x.incomplete/m.gguf", "sub/deeper/ok.gguf"]:
        write_model(tmp_path / rel)
    for rel in ["m.gguf.part", "m.gguf.partial", "m.gguf.incomplete", "m.gguf.tmp", "notes.txt", "m.bin"]:
        (tmp_path / rel).write_bytes(b"GGUF")
    (tmp_path / "folder.gguf").mkdir()
    names = sorted(str(e.path.relative_to(tmp_path)) for e in scan(tmp_path))
    assert names == ["UPPER.GGUF", "sub/deeper/ok.gguf", "visible.gguf"]


def test_depth_limit(tmp_path: Path) -> None:
    write_model(tmp_path / "a" / "b" / "c" / "deep3.gguf")
    write_model(tmp_path / "a" / "b" / "c" / "d" / "deep4.gguf")
    assert [e.path.name for e in scan(tmp_path)] == ["deep3.gguf"]


def test_builtin_first_then_name_case_insensitive(tmp_path: Path) -> None:
    write_model(tmp_path / BUILTIN_FILENAME, "Zzz Builtin")
    write_model(tmp_path / "b.gguf", "beta")
    write_model(tmp_path / "a.gguf", "Alpha")
    write_model(tmp_path / "c.gguf", "Gamma")
    (tmp_path / "broken.gguf").write_bytes(b"")  # listed by its stem: "broken"
    entries = scan(tmp_path)
    assert [e.name for e in entries] == ["Zzz Builtin", "Alpha", "beta", "broken", "Gamma"]
    assert [e.builtin for e in entries] == [True, False, False, False, False]


# --- broken files --------------------------------------------------------------------------------------


def test_broken_files_are_listed_with_an_error(tmp_path: Path) -> None:
    good = write_model(tmp_path / "good.gguf")
    (tmp_path / "truncated.gguf").write_bytes(good.read_bytes()[:-10])
    (tmp_path / "page.gguf").write_text("<html>404</html>")
    (tmp_path / "empty.gguf").write_bytes(b"")
    entries = {e.path.name: e for e in scan(tmp_path)}
    assert entries["good.gguf"].usable
    for name, fragment in [("truncated.gguf", "truncated"), ("page.gguf", "web page"), ("empty.gguf", "empty")]:
        entry = entries[name]
        assert entry.info is None and not entry.usable
        assert entry.error is not None and fragment in entry.error and name in entry.error
        assert entry.name == name.removesuffix(".gguf")
        assert entry.file_size == (tmp_path / name).stat().st_size
        assert (entry.architecture, entry.quantization, entry.has_chat_template) == ("", None, False)


def test_unexpected_reader_exception_becomes_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_model(tmp_path / "m.gguf")

    def broken(path: Path, *, require_architecture: bool = True) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(library, "read_model_info", broken)
    (entry,) = scan(tmp_path)
    assert entry.error is not None and "boom" in entry.error and not entry.usable


# --- shards --------------------------------------------------------------------------------------------


def test_later_shard_needs_require_architecture_false(tmp_path: Path) -> None:
    _, second = write_split(tmp_path)
    with pytest.raises(GGUFError, match="does not say which model architecture"):
        read_model_info(second)
    info = read_model_info(second, require_architecture=False)
    assert (info.architecture, info.tensor_count, info.context_length) == ("", 1, None)
    assert (info.metadata["split.no"], info.metadata["split.count"]) == (1, 2)
    second.write_bytes(second.read_bytes()[:-4])  # extents are still checked
    with pytest.raises(GGUFError, match="truncated"):
        read_model_info(second, require_architecture=False)


def test_shards_are_grouped(tmp_path: Path) -> None:
    shards = write_split(tmp_path, count=3)
    write_model(tmp_path / "other.gguf", "Other")
    entries = scan(tmp_path)
    assert [e.name for e in entries] == ["Other", "Split Model"]
    entry = entries[1]
    assert entry.path == shards[0] and entry.shards == tuple(shards) and entry.shard_count == 3
    assert entry.file_size == sum(p.stat().st_size for p in shards)
    assert entry.usable and entry.error is None
    assert entry.info is not None and entry.info.architecture == "llama"


def test_split_model_needs_its_group(tmp_path: Path) -> None:
    a = write_split(tmp_path / "a", stem="m")  # same stem in another folder: a separate model
    b = write_split(tmp_path / "b", stem="m")
    entries = scan(tmp_path)
    assert sorted(e.shards for e in entries) == sorted([tuple(a), tuple(b)])
    assert all(e.usable for e in entries)


def test_missing_shard(tmp_path: Path) -> None:
    shards = write_split(tmp_path, count=3)
    shards[1].unlink()
    (entry,) = scan(tmp_path)
    assert entry.error == "shard 2 of 3 is missing: x-00002-of-00003.gguf"
    assert entry.info is not None and entry.name == "Split Model"
    assert not entry.usable and entry.shards == (shards[0], shards[2])


def test_missing_first_shard(tmp_path: Path) -> None:
    shards = write_split(tmp_path)
    shards[0].unlink()
    (entry,) = scan(tmp_path)
    assert entry.error == "shard 1 of 2 is missing: x-00001-of-00002.gguf"
    assert entry.info is None and entry.name == "x" and entry.path == shards[1]


def test_broken_later_shard(tmp_path: Path) -> None:
    shards = write_split(tmp_path)
    shards[1].write_bytes(shards[1].read_bytes()[:-4])
    (entry,) = scan(tmp_path)
    assert entry.error is not None and "truncated" in entry.error and shards[1].name in entry.error
    assert not entry.usable


def test_shards_in_the_wrong_order(tmp_path: Path) -> None:
    shards = write_split(tmp_path, count=3)
    shards[1].replace(tmp_path / "swap")
    shards[2].replace(shards[1])
    (tmp_path / "swap").replace(shards[2])
    (entry,) = scan(tmp_path)
    assert entry.error == "shard 2 of 3 belongs to a different split: x-00002-of-00003.gguf"


def test_split_part_with_a_plain_name(tmp_path: Path) -> None:
    shards = write_split(tmp_path)
    shards[0].replace(tmp_path / "renamed.gguf")
    shards[1].replace(tmp_path / "renamed2.gguf")
    entries = {e.path.name: e for e in scan(tmp_path)}
    assert "split into 2 files" in (entries["renamed.gguf"].error or "")
    assert "does not say which model architecture" in (entries["renamed2.gguf"].error or "")


def test_shard_pattern() -> None:
    match = SHARD_PATTERN.match("Qwen2.5-7B-Q4_K_M-00002-of-00004.gguf")
    assert match and (match["stem"], match["index"], match["count"]) == ("Qwen2.5-7B-Q4_K_M", "00002", "00004")
    assert SHARD_PATTERN.match("model-0001-of-0002.gguf") is None


# --- the metadata cache --------------------------------------------------------------------------------


def test_model_info_dict_round_trip(tmp_path: Path) -> None:
    info = read_model_info(write_model(tmp_path / "m.gguf"))
    data = json.loads(json.dumps(model_info_to_dict(info)))
    assert "tokenizer.chat_template" not in data["metadata"]  # stored once, as chat_template
    assert model_info_from_dict(data) == info
    for bad in [{**data, "file_size": "1"}, {**data, "add_bos_token": 1}, {**data, "metadata": []},
                {**data, "metadata": {"k": {"nested": 1}}}, {k: v for k, v in data.items() if k != "path"}]:
        with pytest.raises(ValueError):
            model_info_from_dict(bad)


def test_cache_hit_avoids_rereading(tmp_path: Path, count_reads: list[Path]) -> None:
    write_model(tmp_path / "m.gguf")
    write_split(tmp_path)
    cache_file = tmp_path / "cache" / "library.json"
    first = scan_library([tmp_path], MetadataCache(cache_file))
    assert len(count_reads) == 3
    assert json.loads(cache_file.read_text())["schema_version"] == 1
    second = scan_library([tmp_path], MetadataCache(cache_file))
    assert len(count_reads) == 3
    assert second == first


def test_cache_invalidated_by_mtime_and_size(tmp_path: Path, count_reads: list[Path]) -> None:
    path = write_model(tmp_path / "m.gguf", "Before")
    cache = MetadataCache(tmp_path / "c.json")
    scan_library([tmp_path], cache)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    scan_library([tmp_path], cache)
    assert len(count_reads) == 2
    after = "After " + "x" * 100
    write_model(path, after)
    assert path.stat().st_size != st.st_size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1))  # same mtime as cached: size alone must tell
    (entry,) = scan_library([tmp_path], MetadataCache(tmp_path / "c.json"))
    assert len(count_reads) == 3 and entry.name == after


@pytest.mark.parametrize("content", [
    b"not json", b"\xff\xfe\x00", b"[]", b"{}", b'{"schema_version": 999, "entries": {}}',
    b'{"schema_version": 1, "entries": []}', b'{"schema_version": 1, "entries": {"/x": 5}}',
    b'{"schema_version": 1, "entries": {"/x": {"size": 1, "mtime_ns": 2, "info": {"name": 3}}}}',
    b'{"schema_version": 1, "entries": {"/x": {"size": 1, "mtime_ns": 2, "info": [1]}, "/y": "s"}}',
])
def test_corrupt_cache_is_an_empty_cache(tmp_path: Path, content: bytes, count_reads: list[Path]) -> None:
    write_model(tmp_path / "m.gguf")
    cache_file = tmp_path / "c.json"
    cache_file.write_bytes(content)
    (entry,) = scan_library([tmp_path], MetadataCache(cache_file))
    assert entry.usable and len(count_reads) == 1
    scan_library([tmp_path], MetadataCache(cache_file))  # the bad file was replaced by a good one
    assert len(count_reads) == 1


def test_save_only_when_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_model(tmp_path / "m.gguf")
    cache = MetadataCache(tmp_path / "c.json")
    scan_library([tmp_path], cache)
    replaced: list[object] = []
    monkeypatch.setattr(os, "replace", lambda *args: replaced.append(args))
    scan_library([tmp_path], cache)
    scan_library([tmp_path], MetadataCache(tmp_path / "c.json"))
    assert replaced == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.json", "m.gguf"]  # no temporary file left


def test_vanished_files_leave_the_cache(tmp_path: Path) -> None:
    path = write_model(tmp_path / "m.gguf")
    cache_file = tmp_path / "c.json"
    scan_library([tmp_path], MetadataCache(cache_file))
    path.unlink()
    assert scan_library([tmp_path], MetadataCache(cache_file)) == []
    assert json.loads(cache_file.read_text())["entries"] == {}


def test_unwritable_cache_does_not_raise(tmp_path: Path) -> None:
    write_model(tmp_path / "m.gguf")
    (tmp_path / "blocker").write_text("a file where the cache folder should be")
    (entry,) = scan_library([tmp_path], MetadataCache(tmp_path / "blocker" / "c.json"))
    assert entry.usable


def test_fifty_cached_entries_list_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(50):
        write_model(tmp_path / "models" / f"model-{i:02d}.gguf", f"Model {i:02d}")
    cache_file = tmp_path / "c.json"
    first = scan_library([tmp_path / "models"], MetadataCache(cache_file))

    def no_reading(path: Path, *, require_architecture: bool = True) -> object:
        raise AssertionError(f"read {path}")

    monkeypatch.setattr(library, "read_model_info", no_reading)
    cached = scan_library([tmp_path / "models"], MetadataCache(cache_file))
    assert len(cached) == 50 and all(e.usable for e in cached)
    assert cached == first
    assert [e.name for e in cached] == [f"Model {i:02d}" for i in range(50)]
