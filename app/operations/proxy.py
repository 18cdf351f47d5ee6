"""Behind a reverse proxy (nginx, a load balancer) the client's address and scheme arrive in X-Forwarded-* headers.

They are believed only when ``TRUSTED_PROXIES`` says how many proxies stand in front of the app: otherwise anyone
could claim any address and slip past the per-address sign-in rate limit.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def trust_proxies(app: Flask) -> None:
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
