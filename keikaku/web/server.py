"""The embedded server: waitress serving the WSGI app, static files through whitenoise."""

from __future__ import annotations

import sys


def serve(*, host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> None:
    from waitress import serve as waitress_serve

    from keikaku.web.wsgi import application

    print(f"keikaku: http://{host}:{port}/ (Ctrl+C で停止 / to stop)", file=sys.stderr, flush=True)
    waitress_serve(application, host=host, port=port, threads=threads, ident="keikaku")
