"""Which article URLs may become links, on the page and in exported conversations alike."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_url(url: str | None) -> str:
    """The URL when it is an absolute http(s) URL with a host, else ''.

    `javascript:`, `data:`, relative and scheme-relative URLs are refused, as is anything holding
    whitespace or control characters (browsers strip those and may then see another scheme).
    """
    if not url:
        return ""
    url = url.strip()
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return url
