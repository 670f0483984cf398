"""The web pages of RexOS: a shared layout, server-rendered pages and their static assets.

No build step: templates are HTML files with ``$name`` placeholders filled with escaped
values (:mod:`rexos.web.html`); the stylesheet (Pico CSS, classless) is vendored from npm
under ``static/vendor/`` by ``scripts/vendor_web.py`` with its licence and version; the
one script (``static/rexos.js``) only improves forms that work without it. The HTTP edge
(:mod:`rexos.api`) serves these pages behind its guard.
"""

__all__: list[str] = []
