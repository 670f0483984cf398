"""Public posts from open social networks, as plain-text items that carry their URL.

:class:`BlueskyClient` searches Bluesky's posts (``app.bsky.feed.searchPosts``, through a
login with an app password where the public host refuses anonymous search) and reads an
account's posts (``app.bsky.feed.getAuthorFeed``, public), over the one outside-HTTP client.
:func:`parse_bluesky` turns an answer into :class:`SocialPost` items. Post text is
third-party data: markup, scripts and control characters are removed and lengths capped,
but the words are kept as written — a post that says "ignore previous instructions" is
still just a post.
"""

from rexos.social.bluesky import MAX_POSTS, PUBLIC_APPVIEW, BlueskyClient
from rexos.social.bluesky_parse import WEB_APP, parse_bluesky
from rexos.social.errors import SocialError
from rexos.social.posts import SocialPost, SocialPosts, SocialSource

__all__ = [
    "MAX_POSTS",
    "PUBLIC_APPVIEW",
    "WEB_APP",
    "BlueskyClient",
    "SocialError",
    "SocialPost",
    "SocialPosts",
    "SocialSource",
    "parse_bluesky",
]
