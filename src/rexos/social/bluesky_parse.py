"""Bluesky's post views (``app.bsky.feed.defs#postView``) read into :class:`SocialPost`.

Two answer shapes carry them: ``app.bsky.feed.searchPosts`` returns ``{"posts": [postView],
"cursor"?, "hitsTotal"?}``; ``app.bsky.feed.getAuthorFeed`` and ``getFeed`` return
``{"feed": [{"post": postView, "reply"?, "reason"?}], "cursor"?}``. A post view holds the
author (``did``, ``handle``, ``displayName``), the record (``text``, ``createdAt``, rich-text
``facets``, an ``embed``), the counts and ``indexedAt``. Post text is plain text written by
a stranger: it is made plain again (no tag or script survives), stripped of control and
format characters and capped; links are kept only when they are http(s) URLs.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

from rexos.jsonread import JsonReader
from rexos.news import SNIPPET_CHARS, plain_text
from rexos.social.errors import SocialError
from rexos.social.posts import SocialPost

__all__ = ["WEB_APP", "parse_bluesky"]

WEB_APP = "https://bsky.app"
"""Where a post is read in a browser: ``/profile/{handle}/post/{rkey}``."""

_NAME_CHARS = 100
_MOST_LINKS = 10
_LONGEST_LINK = 2048
_HANDLE = re.compile(
    r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
)
_DID = re.compile(r"did:[a-z]+:[a-zA-Z0-9._:%-]{1,2000}")
_POST_URI = re.compile(
    r"at://(?P<repo>[^/\s]+)/app\.bsky\.feed\.post/(?P<rkey>[A-Za-z0-9._:~-]{1,512})"
)
_READ = JsonReader("Bluesky", SocialError)


def parse_bluesky(body: Any) -> list[SocialPost]:
    """The posts of a search or feed answer, in the answer's order."""
    if isinstance(body, dict) and "posts" in body:
        views = _READ.array(body["posts"], "posts")
        return [_post(view, f"posts.{n}") for n, view in enumerate(views)]
    entries = _READ.array(_READ.field(body, "feed"), "feed")
    return [_post(_READ.field(e, "post"), f"feed.{n}.post") for n, e in enumerate(entries)]


def _post(view: Any, where: str) -> SocialPost:
    if not isinstance(view, dict):
        raise _READ.fail(f"{where} is not an object")
    uri = _READ.field(view, "uri")
    match = _POST_URI.fullmatch(uri) if isinstance(uri, str) else None
    if match is None:
        raise _READ.fail(f"{where}.uri is not a post's at:// URI")
    author = _READ.field(view, "author")
    did, handle = _READ.field(author, "did"), _READ.field(author, "handle")
    if isinstance(handle, str) and _HANDLE.fullmatch(handle) and handle != "handle.invalid":
        who = handle.lower()
    elif isinstance(did, str) and _DID.fullmatch(did):
        who = did
    else:
        raise _READ.fail(f"{where}.author has neither a valid handle nor a valid did")
    record = _READ.field(view, "record")
    text = _READ.field(record, "text")
    if not isinstance(text, str):
        raise _READ.fail(f"{where}.record.text is not a string")
    name = author.get("displayName")
    return SocialPost(
        source="bluesky",
        author=who,
        author_name=plain_text(name, _NAME_CHARS) if isinstance(name, str) else "",
        text=plain_text(text, SNIPPET_CHARS),
        url=f"{WEB_APP}/profile/{who}/post/{match['rkey']}",
        created_at=_time(record.get("createdAt")) or _time(view.get("indexedAt")),
        likes=_count(view.get("likeCount")),
        reposts=_count(view.get("repostCount")),
        replies=_count(view.get("replyCount")),
        links=_links(record),
    )


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def _links(record: dict[str, Any]) -> tuple[str, ...]:
    """The http(s) links of the record's rich-text facets and its link card, in order."""
    found: list[Any] = []
    facets = record.get("facets")
    for facet in facets if isinstance(facets, list) else []:
        features = facet.get("features") if isinstance(facet, dict) else None
        for feature in features if isinstance(features, list) else []:
            if isinstance(feature, dict) and feature.get("$type") == "app.bsky.richtext.facet#link":
                found.append(feature.get("uri"))
    embed = record.get("embed")
    for card in (embed, embed.get("media")) if isinstance(embed, dict) else ():
        external = card.get("external") if isinstance(card, dict) else None
        if isinstance(external, dict):
            found.append(external.get("uri"))
    kept = [link for link in found if _is_web_link(link)]
    return tuple(dict.fromkeys(kept))[:_MOST_LINKS]


def _is_web_link(link: Any) -> bool:
    if not isinstance(link, str) or not link or len(link) > _LONGEST_LINK:
        return False
    if any(ch.isspace() or not ch.isprintable() for ch in link):
        return False
    parts = urlsplit(link)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
