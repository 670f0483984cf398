"""An optional on-disk cache of outside answers, with a time to live."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rexos.private_files import write_private_file

__all__ = ["Answer", "HttpCache"]


@dataclass(frozen=True, slots=True)
class Answer:
    """A 2xx answer: its status, content type and body."""

    status: int
    content_type: str
    body: bytes


@dataclass(frozen=True, slots=True)
class HttpCache:
    """2xx answers kept ``ttl_s`` seconds in ``directory`` (files 0600), keyed by the hash of
    method, URL and body."""

    directory: Path
    ttl_s: float
    clock: Callable[[], float] = field(default=time.time)

    @staticmethod
    def key(method: str, url: str, body: bytes) -> str:
        digest = hashlib.sha256(body).hexdigest()
        return hashlib.sha256(f"{method.upper()} {url} {digest}".encode()).hexdigest()

    def get(self, key: str) -> Answer | None:
        """The stored answer, or ``None`` when missing, unreadable or older than ``ttl_s``."""
        try:
            entry = json.loads((Path(self.directory) / f"{key}.json").read_bytes())
            age = self.clock() - float(entry["stored_at"])
            answer = Answer(
                int(entry["status"]), str(entry["content_type"]), base64.b64decode(entry["body"])
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return answer if 0 <= age < self.ttl_s else None

    def put(self, key: str, answer: Answer) -> None:
        entry = {
            "stored_at": self.clock(),
            "status": answer.status,
            "content_type": answer.content_type,
            "body": base64.b64encode(answer.body).decode(),
        }
        write_private_file(Path(self.directory) / f"{key}.json", json.dumps(entry).encode())
