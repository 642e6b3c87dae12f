"""Hostile and broken input: never a crash, never user code run, never a lost finding."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from projects import make_project

DEFS = {"pyproject.toml": '[tool.dagster]\nmodule_name = "defs.definitions"\n'}
CONSUMER = '''
from dagster import Definitions, asset
from .upstream import raw_orders
@asset(deps=[raw_orders, "typo_orderz"])
def orders(): ...
defs = Definitions(assets=[raw_orders, orders])
'''


def run(*args: str, cwd=None, env=None) -> subprocess.CompletedProcess:
    """asset-lint from inside the project (paths are printed relative to the working directory)."""
    if cwd is None and Path(args[-1]).is_dir():
        cwd = args[-1]
    repo = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, **(env or {})}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), repo) if p)
    return subprocess.run([sys.executable, "-m", "asset_lint", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=600)


def test_syntax_error_is_dg000_and_references_into_it_become_unknown(tmp_path):
    make_project(tmp_path, {**DEFS, "defs/definitions.py": CONSUMER,
                            "defs/upstream.py": "from dagster import asset\n@asset\ndef raw_orders(:\n"})
    result = run("check", "--no-cache", str(tmp_path))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("defs/upstream.py:3:16: DG000")
    assert not any(": DG002 " in line for line in result.stdout.splitlines())  # the location is unknown now, not wrong


@pytest.mark.parametrize("name,data", [
    ("latin1_with_coding_line", "# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\n".encode("latin-1")),
    ("bom", b"\xef\xbb\xbfX = 1\n"),
    ("crlf", b"from dagster import asset\r\n@asset\r\ndef b(): ...\r\n"),
    ("lone_cr", b"X = 1\rY = 2\r"),
    ("form_feed", b"X = 1\n\x0c\nY = 2\n"),
    ("tabs", b"def f():\n\treturn 1\n"),
    ("empty", b""),
    ("null_byte", b"X = 1\x00\n"),
    ("bad_utf8", b"X = '\xff\xfe'\n"),
    ("deep_nesting", ("X = " + "(" * 200 + "1" + ")" * 200 + "\n").encode()),
    ("very_deep_nesting", ("X = " + "[" * 5000 + "]" * 5000 + "\n").encode()),
    ("long_concatenation", ("X = " + " + ".join(["'a'"] * 20000) + "\n").encode()),
])
def test_odd_files_never_crash(tmp_path, name, data):
    make_project(tmp_path, {"defs/assets.py": "from dagster import asset\n@asset\ndef a(): ...\n"})
    (tmp_path / "defs" / f"{name}.py").write_bytes(data)
    result = run("check", "--no-cache", str(tmp_path))
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    for line in result.stdout.splitlines()[:-1]:
        assert line.startswith(f"defs/{name}.py:") and " DG000 " in line


def test_large_generated_file_is_skipped_with_a_notice(tmp_path):
    make_project(tmp_path, {"defs/assets.py": "from dagster import asset\n@asset\ndef a(): ...\n"})
    line = "VALUE_%d = 'x' * 80\n"
    with open(tmp_path / "defs" / "generated.py", "w") as handle:
        for i in range(20 * 1024 * 1024 // 24):
            handle.write(line % i)
    result = run("check", "--no-cache", str(tmp_path))
    assert result.returncode == 0 and "generated.py: skipped" in result.stderr


def test_links_permissions_and_missing_paths(tmp_path):
    make_project(tmp_path, {"defs/assets.py": "from dagster import asset\n@asset\ndef a(): ...\n"})
    (tmp_path / "defs" / "broken.py").symlink_to(tmp_path / "nowhere.py")
    (tmp_path / "defs" / "loop").symlink_to(tmp_path / "defs")
    result = run("check", "--no-cache", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken.py: skipped" in result.stderr
    missing = run("check", str(tmp_path / "does-not-exist"))
    assert missing.returncode == 2 and "no such file or directory" in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "pyproject.toml").write_text("")
    nothing = run("check", str(empty))
    assert nothing.returncode == 0 and "no Python files" in nothing.stderr


# Root reads every file; without these two capabilities it is refused like any other user.
DROP_READ_OVERRIDE = ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
                      "--bounding-set=-dac_override,-dac_read_search"]


def test_unreadable_file_is_reported(tmp_path):
    make_project(tmp_path, {"defs/secret.py": "X = 1\n"})
    (tmp_path / "defs/secret.py").chmod(0)
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: every file is readable")
        result = subprocess.run([*DROP_READ_OVERRIDE, sys.executable, "-m", "asset_lint", "check", "--no-cache",
                                 str(tmp_path)], capture_output=True, text=True, cwd=tmp_path, timeout=600,
                                env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    else:
        result = run("check", "--no-cache", str(tmp_path))
    assert "defs/secret.py:1:1: DG000" in result.stdout and "cannot read" in result.stdout


def test_invalid_toml_names_file_and_line(tmp_path):
    make_project(tmp_path, {"pyproject.toml": "[tool.asset-lint]\nselect = [\n", "a.py": "X = 1\n"})
    result = run("check", str(tmp_path))
    assert result.returncode == 2
    assert "pyproject.toml:3:1: invalid TOML" in result.stderr and len(result.stderr.splitlines()) == 1


HOSTILE = {
    **DEFS,
    "defs/__init__.py": "import pathlib\npathlib.Path(__file__).with_name('IMPORTED').write_text('yes')\n",
    "defs/definitions.py": '''
        import os
        import sys
        from pathlib import Path
        from dagster import Definitions, asset
        Path(__file__).with_name("IMPORTED_TOO").write_text("yes")
        os.system("touch " + str(Path(__file__).with_name("SHELL_RAN")))
        @asset(deps=["nothing_here"])
        def orders(): ...
        defs = Definitions(assets=[orders])
        sys.exit(3)
    ''',
}


def test_user_code_is_never_imported_or_run(tmp_path):
    make_project(tmp_path, HOSTILE)
    (tmp_path / "defs/__init__.py").write_text(HOSTILE["defs/__init__.py"])
    for command in (["-m", "asset_lint", "check", "--no-cache", str(tmp_path)],
                    ["-m", "asset_lint", "graph", str(tmp_path)],
                    ["-m", "flake8", "--select", "DG", str(tmp_path / "defs")]):
        result = subprocess.run([sys.executable, *command], capture_output=True, text=True, cwd=tmp_path,
                                env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
        assert result.returncode in (0, 1), result.stderr
        assert "nothing_here" in result.stdout or command[1] == "asset_lint" and command[2] == "graph"
    assert not any((tmp_path / "defs" / name).exists() for name in ("IMPORTED", "IMPORTED_TOO", "SHELL_RAN"))


def test_internal_error_is_dg999_and_the_rest_is_analysed(tmp_path):
    make_project(tmp_path, {**DEFS, "defs/definitions.py": CONSUMER,
                            "defs/upstream.py": "from dagster import asset\n@asset\ndef raw_orders(): ...\n",
                            "defs/poison.py": "X = 1\n"})
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import asset_lint.extract as e\n"
        "_real = e.extract_source\n"
        "def boom(source, rel, *a, **k):\n"
        "    if rel.endswith('poison.py'):\n"
        "        raise RuntimeError('simulated bug')\n"
        "    return _real(source, rel, *a, **k)\n"
        "e.extract_source = boom\n"
        "import asset_lint.extraction_pool as p\np.extract_source = boom\n"
        "import asset_lint.engine as g\ng.extract_source = boom\n")
    env = {"PYTHONPATH": os.pathsep.join([str(hook), str(Path(__file__).resolve().parents[2])])}
    result = run("check", "--no-cache", str(tmp_path), env=env)
    assert result.returncode == 1
    assert "defs/poison.py:1:1: DG999 asset-lint failed on this file (RuntimeError: simulated bug)" in result.stdout
    assert "typo_orderz" in result.stdout and "Traceback" not in result.stderr
    verbose = run("check", "--no-cache", "--verbose", str(tmp_path), env=env)
    assert "Traceback" in verbose.stderr and "simulated bug" in verbose.stderr


def test_output_is_deterministic_across_cache_and_parallelism(tmp_path):
    files = dict(DEFS)
    for i in range(450):  # above the parallel threshold
        files[f"defs/m{i:03}.py"] = (f"from dagster import asset\n@asset(deps=['m{i - 1:03}_x', 'missing_{i % 7}'])\n"
                                     f"def m{i:03}_x(): ...\n")
    files["defs/definitions.py"] = ("from dagster import Definitions, load_assets_from_package_module\nimport defs\n"
                                    "defs_ = Definitions(assets=load_assets_from_package_module(defs))\n")
    make_project(tmp_path, files)
    outputs = {
        "parallel, no cache": run("check", "--no-cache", str(tmp_path)).stdout,
        "serial, no cache": run("check", "--no-cache", str(tmp_path), env={"ASSET_LINT_JOBS": "1"}).stdout,
        "cold cache": run("check", str(tmp_path)).stdout,
        "warm cache": run("check", str(tmp_path)).stdout,
        "sarif twice": run("check", "--output-format", "sarif", str(tmp_path)).stdout,
        "sarif again": run("check", "--output-format", "sarif", str(tmp_path)).stdout,
    }
    assert outputs["parallel, no cache"].count("DG002") == 451  # one typo chain start + one missing_* per module
    assert len({v for k, v in outputs.items() if not k.startswith("sarif")}) == 1
    assert outputs["sarif twice"] == outputs["sarif again"]


def test_a_parallel_cold_run_writes_the_facts_a_serial_one_writes(tmp_path):
    """The pool extracts part of the project and sends its facts as the cache's pickles, this process
    pickles what it extracted itself: the facts file is the same, byte for byte, as a serial run's."""
    files = dict(DEFS)
    for i in range(450):  # above the parallel threshold
        files[f"defs/m{i:03}.py"] = f"from dagster import asset\n# noqa: DG002\n@asset\ndef m{i:03}_x(): ...\n"
    make_project(tmp_path, files)
    written = {}
    for jobs in ("2", "1"):
        run("clean", str(tmp_path))
        assert run("check", str(tmp_path), env={"ASSET_LINT_JOBS": jobs}).returncode == 0
        [facts_file] = (tmp_path / ".asset_lint_cache").glob("v*/facts.pickle")
        written[jobs] = facts_file.read_bytes()
    assert written["2"] == written["1"]
