"""Running Django in a fresh process, for settings that are read once at startup."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def run_django(code: str, env: dict, profile: str = "prod") -> subprocess.CompletedProcess:
    """Run `code` after django.setup() in a fresh process with only this environment."""
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        env={
            "PATH": os.environ["PATH"],
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": f"dichvucong.config.settings.{profile}",
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
