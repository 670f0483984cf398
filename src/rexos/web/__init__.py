"""The web pages of RexOS: a shared layout, server-rendered pages and their static assets.

No build step: templates are HTML files with ``$name`` placeholders filled with escaped
values (:mod:`rexos.web.html`); the stylesheet (Pico CSS, classless) is vendored from npm
under ``static/vendor/`` by ``scripts/vendor_web.py`` with its licence and version; the
one script (``static/rexos.js``) only improves forms that work without it. The HTTP edge
(:mod:`rexos.api`) serves these pages behind its guard.

A new page: its template under ``templates/`` and a function that renders it into
:func:`rexos.web.layout.page`; a :class:`~rexos.web.layout.NavItem` in
:data:`~rexos.web.layout.NAV`; its routes beside :mod:`rexos.api.pages` with its path
prefix in :data:`rexos.api.web_guard.WEB_PREFIXES` (session cookie, CSRF token in every
form via :func:`~rexos.web.layout.hidden_csrf`); its browser tests on the fixtures of
``tests/browser/conftest.py`` (offline Chromium, screenshots kept).
"""

__all__: list[str] = []
