"""A download's bytes, whether the view sent it whole or streamed it."""

from __future__ import annotations

from typing import Any


def downloaded(response: Any) -> bytes:
    assert response.status_code == 200, response
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)
