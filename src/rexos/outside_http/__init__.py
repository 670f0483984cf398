"""The one client for outside HTTP.

Every call to a third-party API goes through :class:`OutsideHttp`: a timeout, bounded
retries on 429/5xx, timeouts and transport errors (``backoff_s * 2**attempt`` seconds, or
what a ``Retry-After`` header says, in seconds or as an HTTP date, capped at
``max_wait_s``), a cap on the body size, an optional on-disk cache (:class:`HttpCache`) and
one error mapping: each caller names the :class:`~rexos.errors.RexosError` subclass it
raises (or a function of the :class:`HttpFailure`). No message names an API key: secret
query parameters, ``Authorization`` values and every secret header's value are redacted.
``sleep`` and ``clock`` are injectable; ``transport`` (``httpx.MockTransport``) replaces
the network in tests.
"""

from __future__ import annotations

from rexos.outside_http.cache import Answer, HttpCache
from rexos.outside_http.client import OutsideHttp, Params, Transport
from rexos.outside_http.failure import RETRY_STATUSES, ErrorMap, HttpFailure, retry_after_s
from rexos.outside_http.redaction import REDACTED, check_http_url, redact

__all__ = [
    "REDACTED",
    "RETRY_STATUSES",
    "Answer",
    "ErrorMap",
    "HttpCache",
    "HttpFailure",
    "OutsideHttp",
    "Params",
    "Transport",
    "check_http_url",
    "redact",
    "retry_after_s",
]
