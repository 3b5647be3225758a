"""Instant start: the package and the CLI's --help load no heavy library (checked by module, not by clock)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sklearn", "scipy", "spacy", "highspy", "trafilatura", "dateparser", "httpx", "feedparser")


def loaded_heavy_modules(code: str) -> list[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    loaded = set(out.split())
    return [m for m in HEAVY if m in loaded]


def test_import_newsdigest_loads_no_heavy_library():
    assert loaded_heavy_modules("import newsdigest") == []


def test_cli_help_and_methods_load_no_heavy_library():
    run_cli = (
        "from newsdigest.apps.cli import app\n"
        "import sys\n"
        "for args in (['--help'], ['methods'], ['summarize', '--help']):\n"
        "    try:\n"
        "        app(args, prog_name='newsdigest')\n"
        "    except SystemExit:\n"
        "        pass\n"
    )
    assert loaded_heavy_modules(run_cli) == []
