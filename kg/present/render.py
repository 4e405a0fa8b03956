"""One template environment and one content security policy for every page the project writes or serves.

Pages extend ``templates/base.html``; :func:`render` fills one. Static pages (written into ``dist/``) may
run only inline scripts; served pages also load the server's own assets (``'self'``). Nothing is fetched
from elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

CSP_STATIC = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
              "img-src data:; font-src data:")
CSP_SERVED = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'")

_ENV: jinja2.Environment | None = None


def env() -> jinja2.Environment:
    """The project's one Jinja environment (autoescaped, trailing newline kept)."""
    global _ENV
    if _ENV is None:
        _ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                  keep_trailing_newline=True, trim_blocks=False)
    return _ENV


def render(template: str, **context) -> str:
    """Render ``template`` with ``context``; ``lang`` defaults to 'zh' and ``served`` to False."""
    context.setdefault("lang", "zh")
    context.setdefault("served", False)
    context.setdefault("csp", CSP_SERVED if context["served"] else CSP_STATIC)
    # browsers ignore frame-ancestors in a <meta> policy and say so on the console: it is sent as a header
    context.setdefault("csp_meta", context["csp"].replace("; frame-ancestors 'none'", ""))
    return env().get_template(template).render(**context)
