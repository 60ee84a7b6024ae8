"""The embedded server: the WSGI app with static files through whitenoise.

One worker (the default): waitress, one process with ``threads`` threads — works everywhere (Windows too).
Several workers (``keikaku serve --workers N``, POSIX only): gunicorn with N worker processes of ``threads``
threads each (gthread), so that N cores run Python at the same time — one process's threads share one GIL.
Each worker has its own in-process cache (KEIKAKU_CACHE_URL=locmem://) and database connections.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def serve(*, host: str = "127.0.0.1", port: int = 8000, threads: int = 8, workers: int = 1) -> None:
    from keikaku.config import check_serve

    check_serve(host)  # off this machine: no development secret key, no DEBUG (exit 2)
    print(f"keikaku: http://{host}:{port}/ (Ctrl+C で停止 / to stop)", file=sys.stderr, flush=True)
    if workers > 1:
        if os.name != "posix":
            raise SystemExit("--workers > 1 needs a POSIX system (gunicorn); use --workers 1 (waitress)")
        serve_gunicorn(host=host, port=port, threads=threads, workers=workers)
        return
    from waitress import serve as waitress_serve

    from keikaku.web.wsgi import application

    waitress_serve(application, host=host, port=port, threads=threads, ident="keikaku")


def gunicorn_options(*, host: str, port: int, threads: int, workers: int) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread" if threads > 1 else "sync",
        "threads": max(1, threads),
        "preload_app": True,  # Django is set up once, before the fork: workers share those pages
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 120,
        "graceful_timeout": 10,
        "keepalive": 5,
        "proc_name": "keikaku",
    }


def serve_gunicorn(*, host: str, port: int, threads: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    from keikaku.web.wsgi import application

    options = gunicorn_options(host=host, port=port, threads=threads, workers=workers)

    class KeikakuApplication(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    from django.db import connections

    connections.close_all()  # no connection opened before the fork may be shared by the workers
    KeikakuApplication().run()
