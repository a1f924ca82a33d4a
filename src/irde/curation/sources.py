"""A source's identity: the normalised form of its URL and the `source_id` derived from it."""

from __future__ import annotations

import hashlib
import unicodedata
from urllib.parse import urlsplit, urlunsplit


def normalise_url(url: str) -> str:
    """The form of a URL used for its source_id: https, lower-case host without www., no fragment or trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, parts.query, ""))


def source_id_for(url: str | None, citation: str | None) -> str:
    basis = normalise_url(url) if url else "citation:" + unicodedata.normalize("NFC", citation or "")
    return "src-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:12]
