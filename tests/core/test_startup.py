"""A serving process prepares itself before its first request
(scis/wsgi.py, scis/core/startup.py)."""

import subprocess
import sys

from django.conf import settings

PROBE = """
import gc
import scis.wsgi
from scis.search import analyzer
print(gc.get_freeze_count(), analyzer._instance is not None)
"""


def test_a_served_process_has_kiwi_loaded_and_its_start_up_objects_frozen():
    """Kiwi is loaded before the first search (else the first reader waits
    a second), and the objects Django and Wagtail made at start-up are out
    of the garbage collector's walks (else one search in many waits for a
    collection through all of them)."""
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={
            "DJANGO_SETTINGS_MODULE": "scis.settings.test",
            "PATH": "/usr/bin:/bin",
        },
        timeout=120,
    )
    frozen, loaded = probe.stdout.split()
    assert int(frozen) > 50_000
    assert loaded == "True"
