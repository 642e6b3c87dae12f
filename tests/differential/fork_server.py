"""A long-lived Python with Dagster imported that runs each request in a forked child.

    python fork_server.py        # requests on stdin, answers on stdout, one JSON object a line

A request is {"script": PATH} or {"code": SOURCE}, with "args", "cwd" and "env" (variables to set);
the child runs it as `python PATH ARGS...` or `python -c SOURCE ARGS...` would, in `cwd`, and the
answer is {"returncode", "stdout", "stderr"}. Importing Dagster costs a second or two of every fresh
Python; a forked child starts with it already imported and leaves no trace in this process, so each
project is still imported afresh, as a code location loads it. Standalone on purpose (no asset-lint
import): it imports user projects, which asset-lint never does.
"""
from __future__ import annotations

import json
import os
import runpy
import signal
import sys
import tempfile
import traceback

sys.dont_write_bytecode = True
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
HERE = os.path.dirname(os.path.abspath(__file__))
BASE_PATH = [entry for entry in sys.path if os.path.abspath(entry or ".") != HERE]

# What every request needs, imported once here rather than in each child.
import dagster  # noqa: E402,F401
import dagster._core.code_pointer  # noqa: E402,F401
import dagster._core.definitions.reconstruct  # noqa: E402,F401
import dagster._core.workspace.autodiscovery  # noqa: E402,F401
import dagster._utils.test.definitions  # noqa: E402,F401 - LazyDefinitions: two seconds of imports


def _child(request: dict, out_fd: int, err_fd: int) -> int:
    """In the forked child: run the request with stdout and stderr going to the given files."""
    os.dup2(out_fd, 1)
    os.dup2(err_fd, 2)
    sys.stdout = open(1, "w", closefd=False, buffering=1)
    sys.stderr = open(2, "w", closefd=False, buffering=1)
    signal.alarm(int(request.get("timeout", 600)))  # a hung load ends as a killed process, not a hung suite
    os.chdir(request["cwd"])
    os.environ.update(request.get("env", {}))
    args = list(request.get("args", []))
    code = 0
    try:
        if "script" in request:
            sys.argv = [request["script"], *args]
            sys.path[:] = [os.path.dirname(os.path.abspath(request["script"])), *BASE_PATH]
            runpy.run_path(request["script"], run_name="__main__")
        else:
            sys.argv = ["-c", *args]
            sys.path[:] = ["", *BASE_PATH]
            exec(compile(request["code"], "<string>", "exec"), {"__name__": "__main__"})
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001 - reported as a Python process reports it
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def serve() -> None:
    """Answer requests until stdin closes."""
    for line in sys.stdin:
        request = json.loads(line)
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    code = _child(request, out.fileno(), err.fileno())
                finally:
                    os._exit(code)
            _, status = os.waitpid(pid, 0)
            returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            answer = {"returncode": returncode, "stdout": out.read().decode("utf-8", "replace"),
                      "stderr": err.read().decode("utf-8", "replace")}
        sys.__stdout__.write(json.dumps(answer) + "\n")
        sys.__stdout__.flush()


if __name__ == "__main__":
    serve()
