"""Fast, defensive reading of GGUF model files.

llama.cpp can abort the whole process on a malformed file, so Parley checks a
file's header and tensor extents here first, and reads its metadata without
touching the weights (and without materialising the huge vocabulary arrays).
"""

from __future__ import annotations

import os
import stat
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO, NoReturn

from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType, LlamaFileType

from desktop.core.errors import ParleyError
from desktop.core.i18n import translate
from desktop.core.os_reason import os_reason

__all__ = ["KNOWN_ARCHITECTURES", "GGUFError", "ModelInfo", "read_model_info"]

# Architecture names from llama.cpp's src/llama-arch.cpp (LLM_ARCH_NAMES), minus the
# "clip" placeholder and the draft-only heads (eagle3, dflash, gemma4-assistant).
_ARCHITECTURE_NAMES = """
    afmoe apertus arcee arctic arwkv7 baichuan bailingmoe bailingmoe2 bert bitnet bloom chameleon chatglm codeshell
    cogvlm cohere2 cohere2moe command-r dbrx deci deepseek deepseek2 deepseek2-ocr deepseek32 deepseek4 dots1 dream
    ernie4_5 ernie4_5-moe eurobert exaone exaone-moe exaone4 falcon falcon-h1 gemma gemma-embedding gemma2 gemma3
    gemma3n gemma4 glm-dsa glm4 glm4moe gpt-oss gpt2 gptj gptneox granite granitehybrid granitemoe grok grovemoe
    hunyuan-dense hunyuan-moe hunyuan_vl hy_v3 internlm2 jais jais2 jamba jina-bert-v2 jina-bert-v3 kimi-linear
    laguna lfm2 lfm2moe llada llada-moe llama llama-embed llama4 maincoder mamba mamba2 mellum mimo2 minicpm
    minicpm3 minimax-m2 mistral3 mistral4 modern-bert mpt nemotron nemotron_h nemotron_h_moe neo-bert nomic-bert
    nomic-bert-moe olmo olmo2 olmoe openelm orion paddleocr pangu-embedded phi2 phi3 phimoe plamo plamo2 plamo3 plm
    qwen qwen2 qwen2moe qwen2vl qwen3 qwen35 qwen35moe qwen3moe qwen3next qwen3vl qwen3vlmoe refact rnd1 rwkv6
    rwkv6qwen2 rwkv7 seed_oss smallthinker smollm3 stablelm starcoder starcoder2 step35 t5 t5encoder talkie
    wavtokenizer-dec xverse
"""
KNOWN_ARCHITECTURES: frozenset[str] = frozenset(_ARCHITECTURE_NAMES.split())

_MAX_COUNT = 1_000_000  # tensors or key/value pairs; real models have a few thousand
# Beyond these a length is nonsense (damaged); below them, running past EOF means truncated.
_MAX_STRING = _MAX_ARRAY = 100_000_000
_SHORT_ARRAY = 64  # arrays up to this length are kept in ModelInfo.metadata
_MAX_NAME = 64  # GGML_MAX_NAME: llama.cpp rejects longer tensor names
_FIRST_CHUNK = 1 << 20



def _redownload() -> str:
    return translate("GGUFError", "Download the file again, or choose another model.")

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
# general.file_type -> display name: 15 -> "Q4_K_M", 0 -> "F32"
_QUANT_NAMES = {
    t.value: t.name.removeprefix("MOSTLY_").removeprefix("ALL_")
    for t in LlamaFileType if t is not LlamaFileType.GUESSED
}


class GGUFError(ParleyError):
    """A file Parley will not hand to llama.cpp.

    str() is a complete user-facing message naming the file, the problem and what to do.
    """

    def __init__(self, path: Path, problem: str, hint: str | None = None) -> None:
        self.path = path
        self.problem = problem
        self.hint = hint = _redownload() if hint is None else hint
        super().__init__(translate("GGUFError", 'Parley cannot use the model file "{path}": {problem}. {hint}').format(
            path=path, problem=problem, hint=hint))

    def __reduce__(self) -> tuple[type[GGUFError], tuple[Path, str, str]]:
        return GGUFError, (self.path, self.problem, self.hint)  # picklable despite the custom __init__


@dataclass(frozen=True)
class ModelInfo:
    """What Parley shows about a model, read from a GGUF header that has passed validation."""

    path: Path
    file_size: int
    architecture: str
    name: str
    size_label: str | None
    quantization: str | None
    context_length: int | None
    block_count: int | None
    chat_template: str | None
    bos_token: str | None
    eos_token: str | None
    add_bos_token: bool | None
    tokenizer_pre: str | None
    license: str | None
    tensor_count: int
    metadata: Mapping[str, object] = field(repr=False, hash=False)

    @property
    def display_name(self) -> str:
        """Name plus quantization, e.g. "Gemma 3 270m · Q4_K_M", for lists and title bars."""
        if self.quantization and self.quantization.lower() not in self.name.lower():
            return f"{self.name} · {self.quantization}"
        return self.name


def _q(name: str) -> str:
    """Quote a name from the file for a message; a damaged file's names can be long binary junk."""
    shown = "".join(c if c.isprintable() else "?" for c in name[:60])
    return f"'{shown}...'" if len(name) > 60 else f"'{shown}'"


def _size(n: int) -> str:
    if n == 1:
        return translate("GGUFError", "1 byte")
    if n < 1_000_000:
        return translate("GGUFError", "{count} bytes").format(count=f"{n:,}")
    return f"{n / 1_000_000:,.1f} MB"


class _Header:
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
                what=what, position=f"{self.pos - 8:,}", size=_size(n)))
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
                            what=translate("GGUFError", "a text"), position=f"{pos:,}", size=_size(n)))
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
            return self.string(translate("GGUFError", "the value of {key}").format(key=_q(key)))
        if vtype in _SCALARS:
            return self.take(_SCALARS[vtype][0])
        if vtype != _ARRAY:
            self.damaged(translate("GGUFError", "{key} has unknown value type {type}").format(key=_q(key), type=vtype))
        elem, count = self.u32(), self.u64()
        st, type_name = _SCALARS.get(elem, (_U64, "string"))
        if elem != _STRING and elem not in _SCALARS:
            self.damaged(translate("GGUFError", "the list {key} has unknown element type {type}").format(
                key=_q(key), type=elem))
        if count > _MAX_ARRAY:
            self.damaged(translate("GGUFError", "the list {key} claims {count} entries").format(
                key=_q(key), count=f"{count:,}"))
        if elem == _STRING:
            arrays[key] = (self.pos, count)
            if count <= _SHORT_ARRAY:
                entry = translate("GGUFError", "an entry of {key}").format(key=_q(key))
                return tuple(self.string(entry) for _ in range(count))
            self.skip_strings(count)
        elif count <= _SHORT_ARRAY:
            return tuple(self.take(st) for _ in range(count))
        else:
            self.ensure(self.pos + count * st.size)
            self.pos += count * st.size
        return f"[array of {count} {type_name}]"


def _not_gguf(path: Path, head: bytes) -> GGUFError:
    """Name the format a wrong file most likely is, because "not GGUF" alone rarely helps."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    guesses = (
        (not head, translate("GGUFError", "(it is empty)")),
        (head.startswith(b"PK\x03\x04"),
            translate("GGUFError", "(it looks like a ZIP archive, such as a PyTorch checkpoint)")),
        (text.startswith(b"<"),
            translate("GGUFError", "(it looks like a web page, perhaps an error page saved instead of the model)")),
        (head.startswith(b"version https://git-lfs"),
            translate("GGUFError", "(it is a Git LFS pointer, not the model data itself)")),
        (head[8:10] == b'{"', translate("GGUFError", "(it looks like a safetensors file)")),
        (text.startswith(b"{"), translate("GGUFError", "(it looks like a JSON file)")),
        (head[:1] == b"\x80", translate("GGUFError", "(it looks like a PyTorch pickle file)")),
        (head[:4] in (b"lmgg", b"fmgg", b"tjgg", b"algg"),
            translate("GGUFError", "(it is in the old GGML format llama.cpp no longer loads)")),
    )
    guess = next((guess for hit, guess in guesses if hit), None)
    hint = _redownload() if not head else translate(
        "GGUFError", "Parley can only load GGUF (.gguf) models; choose a GGUF version of this model.")
    problem = translate("GGUFError", "it is not a GGUF model file") if guess is None else translate(
        "GGUFError", "it is not a GGUF model file {guess}").format(guess=guess)
    return GGUFError(path, problem, hint)


def read_model_info(path: str | Path, *, require_architecture: bool = True) -> ModelInfo:
    """Read and validate; raises GGUFError for every problem (never another exception type for bad files).

    require_architecture=False is for shards 2..n of a split model, which hold only split.* settings
    (architecture "" in the result); their header and tensor extents are validated all the same.
    """
    path = Path(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise GGUFError(path, translate("GGUFError", "it is a folder, not a file"),
                            translate("GGUFError", "Choose the .gguf file inside it instead."))
        if not stat.S_ISREG(st.st_mode):
            raise GGUFError(path, translate("GGUFError", "it is not a regular file"),
                            translate("GGUFError", "Choose a .gguf model file instead."))
        with open(path, "rb") as f:
            return _read(path, f, st.st_size, require_architecture)
    except (FileNotFoundError, NotADirectoryError):
        raise GGUFError(path, translate("GGUFError", "it does not exist"), translate(
            "GGUFError", "Check that it has not been moved, renamed or deleted, or choose another model.")) from None
    except OSError as e:
        raise GGUFError(path, translate("GGUFError", "it cannot be read ({error})").format(error=os_reason(e)),
                        translate("GGUFError", "Check the file's permissions, or choose another model.")) from None


def _read(path: Path, f: BinaryIO, size: int, require_architecture: bool = True) -> ModelInfo:
    head = f.read(64)
    if head[:4] != b"GGUF":
        raise _not_gguf(path, head)
    h = _Header(f, size, path)
    h.pos = 4
    version = h.u32()
    if version == 1:
        raise GGUFError(path, translate(
            "GGUFError", "it uses the old GGUF version 1 format, which llama.cpp no longer loads"), translate(
            "GGUFError", "Download a newer conversion of this model, or choose another model."))
    if version.to_bytes(4, "big")[0] in (2, 3):
        raise GGUFError(path, translate("GGUFError", "it is a big-endian GGUF file, which Parley cannot load"),
                        translate("GGUFError", "Choose a little-endian (ordinary) GGUF version of this model."))
    if not 2 <= version <= 255:
        h.damaged(translate("GGUFError", "its format version number {version} is impossible").format(version=version))
    if version > 3:
        raise GGUFError(path, translate("GGUFError", "it uses GGUF version {version}, which Parley does not support"
                                        ).format(version=version),
                        translate("GGUFError", "Update Parley, or choose another model."))
    tensor_count, kv_count = h.u64(), h.u64()
    if tensor_count > _MAX_COUNT or kv_count > _MAX_COUNT:
        h.damaged(translate("GGUFError", "the header claims {tensors} tensors and {settings} settings").format(
            tensors=f"{tensor_count:,}", settings=f"{kv_count:,}"))
    if tensor_count == 0:
        h.damaged(translate("GGUFError", "the header lists no tensors"))

    kv: dict[str, object] = {}
    arrays: dict[str, tuple[int, int]] = {}
    for _ in range(kv_count):
        key = h.string("a setting name")
        if key in kv:
            h.damaged(translate("GGUFError", "the setting {key} appears twice").format(key=_q(key)))
        kv[key] = h.value(key, h.u32(), arrays)

    alignment = kv.get("general.alignment", 32)
    if type(alignment) is not int or alignment <= 0 or alignment & (alignment - 1):
        h.damaged(translate("GGUFError", "its data alignment {alignment} is not a power of two").format(
            alignment=repr(alignment)))

    tensors: list[tuple[int, int, str]] = []  # (offset, nbytes, name)
    names: set[str] = set()
    for _ in range(tensor_count):
        name = h.string("a tensor name")
        if name in names or len(name.encode()) >= _MAX_NAME:
            h.damaged(translate("GGUFError", "the tensor name {name} is repeated or too long").format(name=_q(name)))
        names.add(name)
        n_dims = h.u32()
        if not 1 <= n_dims <= 4:
            h.damaged(translate("GGUFError", "the tensor {name} has {count} dimensions").format(
                name=_q(name), count=n_dims))
        dims = [h.u64() for _ in range(n_dims)]
        ggml_type, offset = h.u32(), h.u64()
        elements = 1
        for d in dims:
            elements *= d
        if 0 in dims or elements >= 1 << 63:
            h.damaged(translate("GGUFError", "the tensor {name} has impossible dimensions {dims}").format(
                name=_q(name), dims=dims))
        try:
            block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(ggml_type)]
        except (ValueError, KeyError):
            h.damaged(translate("GGUFError", "the tensor {name} has unknown data type {type}").format(
                name=_q(name), type=ggml_type))
        if dims[0] % block:
            h.damaged(translate("GGUFError", "the tensor {name} has a row length not divisible by its block size"
                                ).format(name=_q(name)))
        if offset % alignment:
            h.damaged(translate("GGUFError", "the tensor {name} is not aligned in the file").format(name=_q(name)))
        tensors.append((offset, elements // block * type_size, name))

    arch = kv.get("general.architecture")
    if arch is None and not require_architecture:
        arch = ""
    elif not isinstance(arch, str) or not arch:
        raise GGUFError(path, translate("GGUFError", "it does not say which model architecture it is"),
                        translate("GGUFError", "It may not be a language model; choose another model."))
    if arch and arch not in KNOWN_ARCHITECTURES:
        raise GGUFError(path, translate("GGUFError", "it uses the model architecture {architecture}, which this "
                                        "version of Parley's llama.cpp does not support").format(architecture=_q(arch)),
                        translate("GGUFError", "Update Parley, or choose another model."))

    data_start = -(-h.pos // alignment) * alignment
    tensors.sort()
    end, last = 0, ""
    for offset, nbytes, name in tensors:
        if offset < end:
            h.damaged(translate("GGUFError", "the tensors {first} and {second} overlap").format(
                first=_q(last), second=_q(name)))
        end, last = offset + nbytes, name
    if data_start + end > size:
        missing = min(end, data_start + end - size)
        raise GGUFError(path, translate("GGUFError", "it is truncated: {missing} of the {needed} its tensors need are "
                                        "missing").format(missing=_size(missing), needed=_size(end)),
                        translate("GGUFError", "The download may not have finished.") + " " + _redownload())
    return _model_info(path, size, arch, kv, arrays, h, len(tensors))


def _model_info(path: Path, size: int, arch: str, kv: dict[str, object],
                arrays: dict[str, tuple[int, int]], h: _Header, tensor_count: int) -> ModelInfo:
    def text(key: str) -> str | None:
        v = kv.get(key)
        return v if isinstance(v, str) else None

    def number(key: str) -> int | None:
        v = kv.get(key)
        return v if type(v) is int and v >= 0 else None

    def token(key: str) -> str | None:
        idx, tokens = number(key), arrays.get("tokenizer.ggml.tokens")
        if idx is None or tokens is None or idx >= tokens[1]:
            return None
        return h.string_at(tokens[0], idx)

    file_type = number("general.file_type")
    add_bos = kv.get("tokenizer.ggml.add_bos_token")
    return ModelInfo(
        path=path, file_size=size, architecture=arch,
        name=text("general.name") or path.stem,
        size_label=text("general.size_label"),
        quantization=None if file_type is None else _QUANT_NAMES.get(file_type),
        context_length=number(f"{arch}.context_length"),
        block_count=number(f"{arch}.block_count"),
        chat_template=text("tokenizer.chat_template"),
        bos_token=token("tokenizer.ggml.bos_token_id"),
        eos_token=token("tokenizer.ggml.eos_token_id"),
        add_bos_token=add_bos if isinstance(add_bos, bool) else None,
        tokenizer_pre=text("tokenizer.ggml.pre"),
        license=text("general.license"),
        tensor_count=tensor_count,
        metadata=MappingProxyType(kv),
    )
