"""Fast, defensive reading of GGUF model files.

llama.cpp can abort the whole process on a malformed file, so Parley checks a
file's header and tensor extents here first, and reads its metadata without
touching the weights (and without materialising the huge vocabulary arrays). The byte-level reading is
gguf_header's; GGUFError (from gguf_error) is re-exported here, where its many importers look for it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO

from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType, LlamaFileType

from desktop.core.i18n import translate
from desktop.core.models.gguf_error import GGUFError, byte_size, quoted, redownload_hint
from desktop.core.models.gguf_header import HeaderReader
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
_MAX_NAME = 64  # GGML_MAX_NAME: llama.cpp rejects longer tensor names

# general.file_type -> display name: 15 -> "Q4_K_M", 0 -> "F32"
_QUANT_NAMES = {
    t.value: t.name.removeprefix("MOSTLY_").removeprefix("ALL_")
    for t in LlamaFileType if t is not LlamaFileType.GUESSED
}


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
    hint = redownload_hint() if not head else translate(
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
    h = HeaderReader(f, size, path)
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
            h.damaged(translate("GGUFError", "the setting {key} appears twice").format(key=quoted(key)))
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
            h.damaged(translate("GGUFError", "the tensor name {name} is repeated or too long").format(
                name=quoted(name)))
        names.add(name)
        n_dims = h.u32()
        if not 1 <= n_dims <= 4:
            h.damaged(translate("GGUFError", "the tensor {name} has {count} dimensions").format(
                name=quoted(name), count=n_dims))
        dims = [h.u64() for _ in range(n_dims)]
        ggml_type, offset = h.u32(), h.u64()
        elements = 1
        for d in dims:
            elements *= d
        if 0 in dims or elements >= 1 << 63:
            h.damaged(translate("GGUFError", "the tensor {name} has impossible dimensions {dims}").format(
                name=quoted(name), dims=dims))
        try:
            block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(ggml_type)]
        except (ValueError, KeyError):
            h.damaged(translate("GGUFError", "the tensor {name} has unknown data type {type}").format(
                name=quoted(name), type=ggml_type))
        if dims[0] % block:
            h.damaged(translate("GGUFError", "the tensor {name} has a row length not divisible by its block size"
                                ).format(name=quoted(name)))
        if offset % alignment:
            h.damaged(translate("GGUFError", "the tensor {name} is not aligned in the file").format(name=quoted(name)))
        tensors.append((offset, elements // block * type_size, name))

    arch = kv.get("general.architecture")
    if arch is None and not require_architecture:
        arch = ""
    elif not isinstance(arch, str) or not arch:
        raise GGUFError(path, translate("GGUFError", "it does not say which model architecture it is"),
                        translate("GGUFError", "It may not be a language model; choose another model."))
    if arch and arch not in KNOWN_ARCHITECTURES:
        raise GGUFError(path, translate("GGUFError", "it uses the model architecture {architecture}, which this "
                                        "version of Parley's llama.cpp does not support").format(
                                            architecture=quoted(arch)),
                        translate("GGUFError", "Update Parley, or choose another model."))

    data_start = -(-h.pos // alignment) * alignment
    tensors.sort()
    end, last = 0, ""
    for offset, nbytes, name in tensors:
        if offset < end:
            h.damaged(translate("GGUFError", "the tensors {first} and {second} overlap").format(
                first=quoted(last), second=quoted(name)))
        end, last = offset + nbytes, name
    if data_start + end > size:
        missing = min(end, data_start + end - size)
        raise GGUFError(path, translate("GGUFError", "it is truncated: {missing} of the {needed} its tensors need are "
                                        "missing").format(missing=byte_size(missing), needed=byte_size(end)),
                        translate("GGUFError", "The download may not have finished.") + " " + redownload_hint())
    return _model_info(path, size, arch, kv, arrays, h, len(tensors))


def _model_info(path: Path, size: int, arch: str, kv: dict[str, object],
                arrays: dict[str, tuple[int, int]], h: HeaderReader, tensor_count: int) -> ModelInfo:
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
