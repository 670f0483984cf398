"""A Bluesky client over the AT Protocol's HTTP API (XRPC), through the one outside client.

Reads are public on Bluesky's AppView (``https://public.api.bsky.app``): an account's posts
(``app.bsky.feed.getAuthorFeed``) need no login. Full-text post search
(``app.bsky.feed.searchPosts``) is documented as public too, but the public host often
refuses it without a login (HTTP 403) to shed bot load; with a handle and an *app password*
the client logs in at the account's PDS (``com.atproto.server.createSession``) and searches
there with the session's bearer token, which the PDS proxies to the AppView. The password
and the token never appear in an error message.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Literal

from rexos import bounds
from rexos.errors import ConfigError, UsageError
from rexos.jsonread import JsonReader
from rexos.outside_http import OutsideHttp, Params, Transport, check_http_url
from rexos.social.bluesky_parse import parse_bluesky
from rexos.social.errors import SocialError
from rexos.social.posts import SocialPosts

__all__ = ["MAX_POSTS", "PUBLIC_APPVIEW", "BlueskyClient"]

PUBLIC_APPVIEW = "https://public.api.bsky.app"
"""Bluesky's public AppView: unauthenticated reads."""
MAX_POSTS = bounds.MAX_SOCIAL_POSTS
"""Most posts one request may ask for (the lexicon's ``limit`` maximum)."""
_MOST_BYTES = 2_000_000
_ACTOR_CHARS = 253
_SEARCH_HINT = (
    "the public AppView often refuses post search without a login: set REXOS_BLUESKY_HANDLE "
    "and REXOS_BLUESKY_APP_PASSWORD, or read an account with `rexos social feed`"
)
_LOGIN_HINT = "check REXOS_BLUESKY_HANDLE and REXOS_BLUESKY_APP_PASSWORD (an app password)"


class BlueskyClient:
    """Searches posts and reads accounts' posts, with a timeout and retries on 429/5xx.

    ``appview_url`` answers public reads; ``pds_url`` is where ``handle`` and
    ``app_password`` log in (both or neither), and where a logged-in search goes.
    """

    def __init__(
        self,
        appview_url: str = PUBLIC_APPVIEW,
        *,
        handle: str | None = None,
        app_password: str | None = None,
        pds_url: str = "https://bsky.social",
        timeout_s: float = 10.0,
        max_retries: int = 2,
        backoff_s: float = 0.5,
        max_bytes: int = _MOST_BYTES,
        transport: Transport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if (handle is None) != (app_password is None):
            raise ConfigError("give both a Bluesky handle and an app password, or neither")
        self.appview_url = check_http_url(appview_url, "the Bluesky AppView URL").rstrip("/")
        self.pds_url = check_http_url(pds_url, "the Bluesky PDS URL").rstrip("/")
        self._login = None if handle is None else (handle, app_password or "")
        self._token: str | None = None
        self._http = OutsideHttp(
            "Bluesky",
            SocialError,
            timeout_s=timeout_s,
            max_retries=max(0, max_retries),
            backoff_s=backoff_s,
            max_bytes=max_bytes,
            transport=transport,
            sleep=sleep,
        )

    @property
    def logged_in(self) -> bool:
        """Whether searches go through a login (a handle and app password were given)."""
        return self._login is not None

    def search(
        self, query: str, *, limit: int = 25, sort: Literal["latest", "top"] = "latest"
    ) -> SocialPosts:
        """Posts matching ``query`` (Bluesky's search syntax: words, ``"phrases"``,
        ``from:handle``, ``#tag``), newest first unless ``sort="top"``."""
        query = " ".join(query.split())
        if not query:
            raise UsageError("the social search query is empty")
        if len(query) > bounds.MAX_QUERY_CHARS:
            raise UsageError(f"the search query is longer than {bounds.MAX_QUERY_CHARS} characters")
        params: Params = {"q": query, "limit": _limit(limit), "sort": sort}
        nsid = "/xrpc/app.bsky.feed.searchPosts"
        if self._login is None:
            http = replace(self._http, hints={401: _SEARCH_HINT, 403: _SEARCH_HINT})
            body = http.request_json("GET", self.appview_url + nsid, params=params)
        else:
            headers = {"Authorization": f"Bearer {self._session()}"}
            http = replace(self._http, headers=headers, hints={401: _LOGIN_HINT})
            body = http.request_json("GET", self.pds_url + nsid, params=params)
        return SocialPosts("bluesky", query, tuple(parse_bluesky(body)))

    def author_feed(self, actor: str, *, limit: int = 25) -> SocialPosts:
        """The newest posts and reposts of one account (a handle or a DID); public."""
        actor = actor.strip().removeprefix("@")
        if not actor or len(actor) > _ACTOR_CHARS or any(c.isspace() for c in actor):
            raise UsageError(f"not a Bluesky handle or DID: {actor[:80]!r}")
        params: Params = {"actor": actor, "limit": _limit(limit)}
        url = self.appview_url + "/xrpc/app.bsky.feed.getAuthorFeed"
        body = self._http.request_json("GET", url, params=params, label=f"account {actor}")
        return SocialPosts("bluesky", actor, tuple(parse_bluesky(body)))

    def _session(self) -> str:
        if self._token is None:
            assert self._login is not None
            identifier, password = self._login
            http = replace(self._http, hints={401: _LOGIN_HINT}, max_retries=0)
            body: Any = http.request_json(  # no retry: logins are rate-limited per day
                "POST",
                self.pds_url + "/xrpc/com.atproto.server.createSession",
                json_body={"identifier": identifier, "password": password},
                label="login",
            )
            read = JsonReader("Bluesky login", SocialError)
            token = read.field(body, "accessJwt")
            if not isinstance(token, str) or not token:
                raise read.fail("the login answer holds no access token")
            self._token = token
        return self._token


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_POSTS:
        raise UsageError(f"limit must be between 1 and {MAX_POSTS}, got {limit}")
    return limit
