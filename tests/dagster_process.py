"""Run Python that imports Dagster, as `subprocess.run([python, ...])` would, but in a forked child of
one long-lived Dagster process (differential/fork_server.py): a fresh Python importing Dagster costs
one to two seconds a call, a fork a few milliseconds. Where fork is missing (Windows), or with
ASSET_LINT_TEST_NO_FORK=1, each call is a fresh subprocess as before."""
from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Optional, Sequence

SERVER = Path(__file__).resolve().parent / "differential" / "fork_server.py"
_lock = threading.Lock()
_server: Optional[subprocess.Popen] = None


def _forking() -> bool:
    return hasattr(os, "fork") and os.environ.get("ASSET_LINT_TEST_NO_FORK") != "1"


def _started() -> subprocess.Popen:
    global _server
    if _server is None or _server.poll() is not None:
        _server = subprocess.Popen([sys.executable, str(SERVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        atexit.register(_server.terminate)
    return _server


def run_python(args: Sequence[str], cwd: Path, env: Optional[dict] = None,
               timeout: int = 600) -> subprocess.CompletedProcess:
    """`python SCRIPT ARGS...` or `python -c CODE ARGS...` (args as for subprocess), in cwd, with env's
    variables set; stdout and stderr captured as text."""
    args = [str(arg) for arg in args]
    if not _forking():
        return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                              env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}, timeout=timeout)
    request = {"cwd": str(cwd), "env": dict(env or {}), "timeout": timeout}
    if args[0] == "-c":
        request.update(code=args[1], args=args[2:])
    else:
        request.update(script=args[0], args=args[1:])
    with _lock:
        server = _started()
        server.stdin.write(json.dumps(request) + "\n")
        server.stdin.flush()
        line = server.stdout.readline()
    if not line:
        raise RuntimeError(f"the Dagster fork server ({SERVER.name}) stopped: its stderr above says why")
    answer = json.loads(line)
    return subprocess.CompletedProcess([sys.executable, *args], answer["returncode"], answer["stdout"],
                                       answer["stderr"])
