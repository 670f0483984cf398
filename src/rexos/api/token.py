"""The API token of a data directory: ``$REXOS_HOME/api.token``, mode 0600 (folder 0700).

``rexos serve`` requires ``Authorization: Bearer <token>`` on every route but
``GET /v1/health``. The token is random (:func:`secrets.token_urlsafe`, 32 bytes), made on
the first start and shown once then; later starts only say where the file is. A file that
is missing, empty, short or holds anything but a token is replaced by a new token (never
accepted as it is): a short or empty token would let anyone in. Delete the file to rotate
the token.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from rexos.errors import StorageError
from rexos.localguard import token_matches
from rexos.private_files import ensure_private_dir, tighten_file, write_private_file

__all__ = ["ApiToken", "load_or_create_token", "token_matches", "token_path"]

_BYTES = 32
_VALID = re.compile(r"[A-Za-z0-9_-]{43,256}")
"""What :func:`secrets.token_urlsafe` of 32 bytes (or more) looks like."""


@dataclass(frozen=True, slots=True)
class ApiToken:
    value: str
    path: Path
    created: bool
    """Made by this call (show it to the user now: it is never printed again)."""


def token_path(home: Path) -> Path:
    return Path(home) / "api.token"


def load_or_create_token(home: Path) -> ApiToken:
    """The data directory's token, made (and written 0600) when there is no valid one."""
    ensure_private_dir(Path(home))
    path = token_path(home)
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError(f"cannot read the API token {path} ({exc}): delete it") from exc
    if _VALID.fullmatch(text):
        tighten_file(path)
        return ApiToken(text, path, created=False)
    value = secrets.token_urlsafe(_BYTES)
    write_private_file(path, (value + "\n").encode("ascii"))
    return ApiToken(value, path, created=True)
