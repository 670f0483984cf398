"""Settings, declared once with their help text.

Resolution order: explicit argument > environment variable > documented
default. This module is the only reader of ``os.environ`` in RexOS.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from rexos.errors import ConfigError
from rexos.private_files import ensure_private_dir

__all__ = ["SETTINGS_HELP", "Settings", "env_value", "find_anvil"]

SETTINGS_HELP: dict[str, str] = {
    "REXOS_HOME": "data directory: keystores, deployment manifests, databases, logs "
    "(default ~/.rexos; private: folders 0700; stores, keystores and keys 0600)",
    "REXOS_RPC_URL": "JSON-RPC URL of the chain to use instead of the local devnet",
    "REXOS_ANVIL": "path of the anvil binary (default: PATH, then contracts/node_modules)",
    "REXOS_PASSPHRASE_ENV": "name of an environment variable holding the keystore passphrase",
    "REXOS_LLM_URL": "base URL of an OpenAI-compatible endpoint (vLLM, SGLang, llama.cpp "
    "server, Ollama, hosted APIs) for models whose registry entry names no URL",
    "REXOS_LLM_API_KEY": "bearer token sent to the OpenAI-compatible endpoint (default: none)",
    "REXOS_LIFI_URL": "base URL of the LI.FI quote API (default https://li.quest)",
    "REXOS_ACROSS_URL": "base URL of the Across API (default https://app.across.to)",
    "REXOS_BUNGEE_URL": "base URL of the Bungee/Socket API (default https://api.socket.tech)",
    "REXOS_BUNGEE_API_KEY": "API key sent to the Bungee/Socket API (default: none)",
    "REXOS_COINGECKO_URL": "base URL of a CoinGecko-compatible price API "
    "(default https://api.coingecko.com)",
    "REXOS_COINGECKO_API_KEY": "API key for it (default: none)",
    "REXOS_ETHERSCAN_URL": "URL of an Etherscan-compatible explorer API "
    "(default https://api.etherscan.io/v2/api)",
    "REXOS_ETHERSCAN_API_KEY": "API key for it (default: none)",
    "REXOS_SEARX_URL": "base URL of a SearxNG instance with the JSON format enabled "
    "(default http://127.0.0.1:8888)",
    "REXOS_NEWS_FEEDS": "comma-separated RSS/Atom feed URLs for `rexos news` "
    "(default: CoinDesk and Cointelegraph)",
    "REXOS_BLUESKY_URL": "base URL of a Bluesky AppView for public reads and anonymous post "
    "search (default https://public.api.bsky.app)",
    "REXOS_BLUESKY_PDS_URL": "base URL of the Bluesky PDS that logs in and serves logged-in "
    "search (default https://bsky.social)",
    "REXOS_BLUESKY_HANDLE": "Bluesky handle to log in with for `rexos social search` "
    "(default: none, anonymous)",
    "REXOS_BLUESKY_APP_PASSWORD": "app password for that handle (default: none)",
}


def env_value(name: str) -> str | None:
    """Return the environment variable ``name`` (the user names it, e.g. for a passphrase)."""
    if not name or not name.replace("_", "").isalnum():
        raise ConfigError(f"not an environment variable name: {name!r}")
    return os.environ.get(name)


def _news_feeds() -> tuple[str, ...]:
    urls = os.environ.get("REXOS_NEWS_FEEDS") or ""
    return tuple(u.strip() for u in urls.split(",") if u.strip()) or (
        "https://www.coindesk.com/arc/outboundfeeds/rss/",
        "https://cointelegraph.com/rss",
    )


def _default_home() -> Path:
    return Path(os.environ.get("REXOS_HOME") or Path.home() / ".rexos").expanduser()


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved settings for one command."""

    home: Path = field(default_factory=_default_home)
    rpc_url: str | None = field(default_factory=lambda: os.environ.get("REXOS_RPC_URL") or None)
    passphrase_env: str | None = field(
        default_factory=lambda: os.environ.get("REXOS_PASSPHRASE_ENV") or None
    )
    llm_url: str | None = field(default_factory=lambda: os.environ.get("REXOS_LLM_URL") or None)
    llm_api_key: str | None = field(
        default_factory=lambda: os.environ.get("REXOS_LLM_API_KEY") or None, repr=False
    )
    bridge_urls: dict[str, str] = field(
        default_factory=lambda: {
            name: url
            for name in ("lifi", "across", "bungee")
            if (url := os.environ.get(f"REXOS_{name.upper()}_URL"))
        }
    )
    coingecko_url: str = field(
        default_factory=lambda: os.environ.get("REXOS_COINGECKO_URL") or "https://api.coingecko.com"
    )
    coingecko_api_key: str | None = field(
        default_factory=lambda: os.environ.get("REXOS_COINGECKO_API_KEY") or None, repr=False
    )
    bungee_api_key: str | None = field(
        default_factory=lambda: os.environ.get("REXOS_BUNGEE_API_KEY") or None, repr=False
    )
    etherscan_url: str = field(
        default_factory=lambda: (
            os.environ.get("REXOS_ETHERSCAN_URL") or "https://api.etherscan.io/v2/api"
        )
    )
    etherscan_api_key: str | None = field(
        default_factory=lambda: os.environ.get("REXOS_ETHERSCAN_API_KEY") or None, repr=False
    )
    searx_url: str = field(
        default_factory=lambda: os.environ.get("REXOS_SEARX_URL") or "http://127.0.0.1:8888"
    )
    news_feeds: tuple[str, ...] = field(default_factory=_news_feeds)
    bluesky_url: str = field(
        default_factory=lambda: os.environ.get("REXOS_BLUESKY_URL") or "https://public.api.bsky.app"
    )
    bluesky_pds_url: str = field(
        default_factory=lambda: os.environ.get("REXOS_BLUESKY_PDS_URL") or "https://bsky.social"
    )
    bluesky_handle: str | None = field(
        default_factory=lambda: os.environ.get("REXOS_BLUESKY_HANDLE") or None
    )
    bluesky_app_password: str | None = field(
        default_factory=lambda: os.environ.get("REXOS_BLUESKY_APP_PASSWORD") or None, repr=False
    )

    def ensure_home(self) -> Path:
        """Create the data directory 0700, or tighten an existing one to owner-only; return it.

        Everything in it is private (keystores, the ledger of signed
        transactions, plans, key files): a data directory made by hand or by an
        older version with group or other permissions is narrowed to 0700.
        Raises :class:`~rexos.errors.StorageError` when it cannot be made.
        """
        return ensure_private_dir(self.home)

    @property
    def keystore_dir(self) -> Path:
        return self.home / "keystore"

    @property
    def deployments_dir(self) -> Path:
        return self.home / "deployments"

    @property
    def devnet_file(self) -> Path:
        return self.home / "devnet.json"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def find_anvil(explicit: str | None = None) -> Path | None:
    """Locate an anvil binary: argument, ``REXOS_ANVIL``, ``PATH``, the npm install."""
    candidates: list[str | None] = [explicit, os.environ.get("REXOS_ANVIL"), shutil.which("anvil")]
    npm_bin = _repo_root() / "contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
    candidates.append(str(npm_bin))
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None
