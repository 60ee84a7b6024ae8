"""Start Django from the CLI or a script (settings from the environment)."""

from __future__ import annotations

import os

_ready = False


def setup() -> None:
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keikaku.web.settings")
    import django

    django.setup()
    _ready = True


def migrate(verbosity: int = 0) -> None:
    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
