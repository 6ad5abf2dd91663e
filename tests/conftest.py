import os, sys, subprocess
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]

def run_py(*args, env=None, timeout=600, cwd=None):
    "Run `python *args` in a fresh process; returns CompletedProcess with text output."
    e = {**os.environ, 'PYTHONWARNINGS': 'ignore', **(env or {})}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=e, timeout=timeout, cwd=cwd or ROOT)

@pytest.fixture
def py(): return run_py
