"""What a deployment needs of the repository itself: large files through LFS, pins Python can install."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HUB_LIMIT = 10 * 1024 * 1024  # the Hugging Face Hub refuses files over 10 MB that are not LFS-tracked


def tracked_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [name for name in out.decode().split("\0") if name]


def test_every_tracked_file_over_10_mb_goes_through_lfs():
    large = [name for name in tracked_files() if (ROOT / name).is_file() and (ROOT / name).stat().st_size > HUB_LIMIT]
    attributes = subprocess.run(
        ["git", "check-attr", "filter", "--", *large], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    not_lfs = [line for line in attributes.splitlines() if not line.endswith(": filter: lfs")]
    assert not_lfs == []


def test_requires_python_admits_this_python_and_ruff_targets_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    minimum = re.fullmatch(r">=(\d+)\.(\d+)", project["project"]["requires-python"])
    assert minimum and sys.version_info[:2] >= (int(minimum[1]), int(minimum[2]))
    # numpy 2.4 needs Python 3.11: the floor may not be lower than what the pins install on.
    assert (int(minimum[1]), int(minimum[2])) >= (3, 11)
    assert project["tool"]["ruff"]["target-version"] == f"py{minimum[1]}{minimum[2]}"


@pytest.mark.server  # imports the whole app, twice, each in a fresh Python
def test_gradio_telemetry_is_off_unless_asked_for():
    code = "import app, gradio.analytics as a; print(a.analytics_enabled())"
    env = {k: v for k, v in os.environ.items() if k != "GRADIO_ANALYTICS_ENABLED"}

    def enabled(**extra: str) -> str:
        run = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env={**env, **extra}, capture_output=True, text=True, timeout=120
        )
        return run.stdout.strip().splitlines()[-1]

    assert enabled() == "False"
    assert enabled(GRADIO_ANALYTICS_ENABLED="True") == "True"


@pytest.mark.parametrize(
    "module, unwanted",
    [("seq2seq.trace", "torch"), ("app", "plotly")],
    ids=["the trace is plain data", "no figure before a request"],
)
def test_importing_does_not_load_what_it_does_not_need(module, unwanted):
    """`seq2seq.trace` holds plain data, so no torch; `import app` draws no figure, so no Plotly until a request."""
    code = (
        f"import sys, {module}; print(any(m == {unwanted!r} or m.startswith({unwanted!r} + '.') for m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.stdout.strip().splitlines()[-1] == "False", run.stderr
