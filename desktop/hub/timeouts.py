"""How long a request to the Hub may take: one place for the limits that the client and its messages both use.

Every request has a timeout (HUB_TIMEOUT), so a server that accepts the connection and never answers ends in a
message, not a hang; connecting, and looking up the Hub's name, is bounded by HUB_CONNECT_TIMEOUT, so with no
network the answer comes within seconds.
"""

from __future__ import annotations

import httpx2

__all__ = ["HUB_CONNECT_TIMEOUT", "HUB_TIMEOUT", "request_timeout"]

HUB_TIMEOUT = 20.0  # seconds between any two bytes of an answer (search, file list, model card)
HUB_CONNECT_TIMEOUT = 5.0  # seconds to look up the Hub's name and to connect: no network fails this fast


def request_timeout() -> httpx2.Timeout:
    """The timeout for one Hub request, read at call time (so a test can shorten it)."""
    return httpx2.Timeout(HUB_TIMEOUT, connect=HUB_CONNECT_TIMEOUT)
