"""The test command (dev.py) installs every tool a test needs where it can (Debian, as root), so on such a
machine no test skips for a missing tool — here that is checked instead of skipped."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _dev():
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_test_command_installs_libreoffice_poppler_and_chromium() -> None:
    packages = {pkg for pkg, _ in _dev().DEBIAN_TOOLS}
    assert {"libreoffice-writer-nogui", "poppler-utils", "chromium"} <= packages


def test_on_debian_as_root_every_tool_is_there() -> None:
    dev = _dev()
    if not (Path("/etc/debian_version").exists() and dev.can_apt_install()):
        return  # elsewhere the tests that need a tool skip with a reason
    assert dev.missing_debian_packages() == [], "run `python3 dev.py test`: it installs them"
    assert shutil.which("soffice") and shutil.which("pdftoppm")
