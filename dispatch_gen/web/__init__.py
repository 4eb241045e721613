"""`dispatch-gen serve`: a server-rendered web page over `dispatch_gen.api` (Flask, Jinja2, waitress).

Nothing here is imported by the CLI until `serve` runs.
"""
from __future__ import annotations

from pathlib import Path


def create_app(data: str | Path, **options):
    """The Flask application for the data folder `data` (see `WebConfig` for the options)."""
    from .app import WebConfig, create_app as make

    return make(WebConfig(Path(data), **options))


def serve(host: str = "127.0.0.1", port: int = 8470, threads: int = 8, **options) -> None:
    """Run the application under waitress (a production WSGI server) until interrupted."""
    import logging

    from waitress import serve as waitress_serve

    app = create_app(**options)
    logging.getLogger("dispatch_gen.web").info("dispatch-gen serve: http://%s:%s/", host, port)
    print(f"dispatch-gen: http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    waitress_serve(app, host=host, port=port, threads=threads, ident="dispatch-gen")
