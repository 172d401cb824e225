"""HubClient against the fake Hub: search, file listing, errors, tokens and offline mode."""

from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest
from huggingface_hub.utils import _http as hf_http

from desktop.hub.client import RECOMMENDED, HubClient, save_token, stored_token
from desktop.hub.errors import AuthRequired, HubError, OfflineError
from desktop.hub.listing import make_repo_file
from tests.hub.fake_hub import TOKEN, FakeHub, sha256


def test_endpoint_comes_from_hf_endpoint(hub: FakeHub, client: HubClient) -> None:
    assert client.endpoint == hub.url
    assert HubClient(endpoint="http://example.invalid/").endpoint == "http://example.invalid"
    assert client.file_url("a/b", "sub/x.gguf") == f"{hub.url}/a/b/resolve/main/sub/x.gguf"


@pytest.mark.parametrize(("sort", "sent"), [("downloads", "downloads"), ("likes", "likes"),
                                            ("updated", "lastModified")])
def test_search_sorts_and_filters_gguf(hub: FakeHub, client: HubClient, sort: str, sent: str) -> None:
    results = client.search("tiny", sort=sort, limit=10)
    (request,) = [r for r in hub.requests if r.path == "/api/models"]
    assert request.query["sort"] == [sent]
    assert request.query["filter"] == ["gguf"]
    assert request.query["search"] == ["tiny"]
    assert request.query["limit"] == ["10"]
    ids = [r.repo_id for r in results]
    assert "tiny/Tiny-safetensors" not in ids  # not a GGUF repository
    first = {"downloads": "tiny/Tiny-GGUF", "likes": "tiny/Gated-GGUF", "updated": "tiny/Sharded-GGUF"}[sort]
    assert ids[0] == first
    tiny = next(r for r in results if r.repo_id == "tiny/Tiny-GGUF")
    assert (tiny.downloads, tiny.likes, tiny.gated) == (500, 3, False)
    assert tiny.last_modified is not None and tiny.last_modified.year == 2024
    assert next(r for r in results if r.repo_id == "tiny/Gated-GGUF").gated


def test_search_empty_query_and_bad_sort(hub: FakeHub, client: HubClient) -> None:
    assert len(client.search("", limit=2)) == 2
    assert "search" not in hub.requests[-1].query
    with pytest.raises(ValueError, match="sort"):
        client.search("x", sort="best")


def test_gguf_files(client: HubClient, gguf_files: dict[str, bytes]) -> None:
    files = client.gguf_files("tiny/Tiny-GGUF")
    assert [f.path for f in files] == ["Tiny-Q4_K_M.gguf", "Tiny-q8_0.gguf"]
    q4, q8 = files
    assert (q4.size, q4.sha256, q4.quantization) == (len(gguf_files["q4"]), sha256(gguf_files["q4"]), "Q4_K_M")
    assert (q8.size, q8.sha256, q8.quantization, q8.shard_index) == (
        len(gguf_files["q8"]), sha256(gguf_files["q8"]), "Q8_0", None)


def test_gguf_files_shards(client: HubClient) -> None:
    files = client.gguf_files("tiny/Sharded-GGUF")
    assert [(f.shard_index, f.shard_count, f.quantization) for f in files] == [(1, 2, "Q4_K_M"), (2, 2, "Q4_K_M")]
    assert files[0].path == "Q4_K_M/Sharded-Q4_K_M-00001-of-00002.gguf"


@pytest.mark.parametrize(("name", "quant"), [
    ("Qwen2.5-0.5B-Instruct-Q4_K_M.gguf", "Q4_K_M"), ("Llama-3.2-1B-Instruct-IQ4_XS.gguf", "IQ4_XS"),
    ("gemma-2-2b-it-f16.gguf", "F16"), ("model-BF16.gguf", "BF16"), ("Phi-3-mini-4k-instruct-q4.gguf", "Q4"),
    ("x-Q5_K_S-00001-of-00003.gguf", "Q5_K_S"), ("m-IQ2_XXS.gguf", "IQ2_XXS"), ("UD-Q4_K_XL.gguf", "Q4_K_XL"),
    ("plain.gguf", None),
])
def test_quantization_from_name(name: str, quant: str | None) -> None:
    assert make_repo_file(name, 1, None).quantization == quant


def test_repo_without_gguf(client: HubClient) -> None:
    with pytest.raises(HubError, match="has no GGUF files; Parley runs GGUF models only"):
        client.gguf_files("tiny/Tiny-safetensors")


def test_nonsense_repo_id_makes_no_request(hub: FakeHub, client: HubClient) -> None:
    for bad in ("not a repo!!", "a/b/c", "", "../x"):
        with pytest.raises(HubError, match="not a Hugging Face repository name"):
            client.gguf_files(bad)
    assert hub.requests == []


def test_missing_repo(client: HubClient) -> None:
    with pytest.raises(HubError, match="no model named nobody/Nothing-GGUF") as info:
        client.gguf_files("nobody/Nothing-GGUF")
    assert not isinstance(info.value, AuthRequired)


def test_forced_404_and_500(hub: FakeHub, client: HubClient) -> None:
    hub.status = 404
    with pytest.raises(HubError, match="no model named"):
        client.gguf_files("tiny/Tiny-GGUF")
    hub.status = 500
    with pytest.raises(HubError, match="server problem"):
        client.gguf_files("tiny/Tiny-GGUF")
    hub.status = 403
    with pytest.raises(AuthRequired):
        client.model_card("tiny/Tiny-GGUF")


def test_gated_needs_token(hub: FakeHub, client: HubClient) -> None:
    with pytest.raises(AuthRequired, match="accept the licence") as info:
        client.gguf_files("tiny/Gated-GGUF")
    assert f"{hub.url}/tiny/Gated-GGUF" in str(info.value) and "access token" in str(info.value)
    files = HubClient(token=TOKEN).gguf_files("tiny/Gated-GGUF")
    assert files[0].quantization == "BF16"
    assert hub.requests[-1].headers["authorization"] == f"Bearer {TOKEN}"


def test_saved_token_is_used(hub: FakeHub, hf_home: object) -> None:
    assert stored_token() is None
    save_token(f"  {TOKEN}\n")
    assert stored_token() == TOKEN
    assert HubClient().headers()["authorization"] == f"Bearer {TOKEN}"
    assert HubClient().gguf_files("tiny/Gated-GGUF")
    with pytest.raises(HubError, match="empty"):
        save_token("  ")


def test_headers_have_user_agent_without_token(client: HubClient) -> None:
    headers = client.headers()
    assert "authorization" not in headers
    assert headers["user-agent"].startswith("parley/")


def test_model_card(hub: FakeHub, client: HubClient) -> None:
    assert client.model_card("tiny/Tiny-GGUF").startswith("# Tiny")
    assert client.model_card("tiny/Sharded-GGUF") == ""
    with pytest.raises(HubError, match="no model named"):
        client.model_card("nobody/Nothing")


def test_offline_makes_no_request(hub: FakeHub) -> None:
    offline = HubClient(offline=True)
    for call in (lambda: offline.search("tiny"), lambda: offline.gguf_files("tiny/Tiny-GGUF"),
                 lambda: offline.model_card("tiny/Tiny-GGUF")):
        with pytest.raises(OfflineError, match="offline mode"):
            call()
    assert hub.requests == []


def test_hf_hub_offline_flag_is_honoured(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(OfflineError):
        HubClient().search("tiny")
    assert hub.requests == []


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_server_down_is_a_hub_error(hf_home: object, monkeypatch: pytest.MonkeyPatch) -> None:
    # huggingface_hub retries list calls with 1-8 s sleeps; skip the waiting, keep the retries.
    monkeypatch.setattr(hf_http, "time", SimpleNamespace(sleep=lambda s: None))
    down = HubClient(endpoint=f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(OfflineError, match="cannot be reached"):
        down.gguf_files("tiny/Tiny-GGUF")
    with pytest.raises(HubError, match="internet connection"):
        down.search("tiny")
    with pytest.raises(HubError):
        down.model_card("tiny/Tiny-GGUF")


def test_recommended_are_valid_repo_ids() -> None:
    assert 5 <= len(RECOMMENDED) <= 8
    for repo_id, description in RECOMMENDED:
        assert repo_id.count("/") == 1 and "gguf" in repo_id.lower() and description
