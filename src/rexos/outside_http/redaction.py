"""Hide API keys and credentials in any text an error may show."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from rexos.errors import UsageError

__all__ = ["REDACTED", "check_http_url", "redact", "secrets_of"]

REDACTED = "***"
_SECRET_NAME = re.compile(r"auth|key|token|secret|password|cookie|signature", re.I)
_SECRET_PARAM = re.compile(
    r"(?i)\b((?:api[_-]?)?key|apikey|[a-z_]*token|secret|password|signature|sig)=[^&#\s'\"]+"
)
_SECRET_HEADER = re.compile(
    r"(?i)\b(authorization|x-api-key|api-key)(\s*[:=]\s*)(?:(?:bearer|basic|token)\s+)?\S+"
)
_SCHEME_VALUE = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every known secret value, secret query parameter and credential hidden."""
    for value in sorted(set(secrets), key=len, reverse=True):
        if len(value) >= 4:
            text = text.replace(value, REDACTED)
    text = _SECRET_PARAM.sub(lambda m: f"{m.group(1)}={REDACTED}", text)
    text = _SECRET_HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    return _SCHEME_VALUE.sub(lambda m: f"{m.group(1)} {REDACTED}", text)


def check_http_url(url: str, what: str) -> str:
    """``url`` stripped, if it is an absolute http(s) URL; else a :class:`UsageError`."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{what} must be an http(s) URL, got {redact(url)!r}")
    return url


def secrets_of(*pairs: Iterable[tuple[str, str]]) -> set[str]:
    """Values of the pairs whose name looks secret (and a credential's last word)."""
    found: set[str] = set()
    for name, value in (pair for group in pairs for pair in group):
        if _SECRET_NAME.search(name) and value:
            found |= {value, value.split()[-1]}
    return found
