#!/usr/bin/env python3
"""moto's own Service Catalog and Organizations tests, in moto's server mode, against ONE
portcullis server (issue 10).

    python3 e2e/moto_suite.py PATH_TO_PORTCULLIS WORK_DIR

Downloads moto 5.2.1's source distribution from the Python package index into WORK_DIR (once;
`pip download`), extracts its `tests/test_servicecatalog` and `tests/test_organizations` (with
the `tests` package they import), starts `portcullis serve --in-memory` on a free loopback port
and runs the tests with pytest, `TEST_SERVER_MODE=true` and `TEST_SERVER_MODE_ENDPOINT` pointing
at the server: moto's `mock_aws` then sends every boto3 client there and resets the state with
`POST /moto-api/reset` before and after each test. Every test runs except those listed, each with
its reason, in `e2e/moto_skips.txt`; the script exits non-zero if a selected test fails or if a
listed test no longer exists.

Before that, it runs the README's moto-style pytest example as written.

Needs moto 5.2.1 (its `mock_aws` decorator; the backends are not used) and pytest, installed by
`.ci/run`.
"""

import os
import re
import subprocess
import sys
import tarfile

import portcullis_server

MOTO_VERSION = "5.2.1"
SUITES = ["tests/test_servicecatalog", "tests/test_organizations"]
# What the suites import from moto's `tests` package.
SUPPORT = ["tests/__init__.py", "tests/conftest.py", "tests/markers.py"]
HERE = os.path.dirname(os.path.abspath(__file__))
SKIPS = os.path.join(HERE, "moto_skips.txt")


def sdist(work):
    """moto's source distribution in `work`, downloaded if missing."""
    name = f"moto-{MOTO_VERSION}.tar.gz"
    path = os.path.join(work, name)
    if not os.path.exists(path):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", f"moto=={MOTO_VERSION}", "--no-deps",
             "--no-binary", ":all:", "--quiet", "-d", work],
            check=True,
        )
    return path


def extract(archive, work):
    """Extracts the suites and their support files; returns the directory holding `tests/`."""
    root = os.path.join(work, f"moto-{MOTO_VERSION}-tests")
    prefix = f"moto-{MOTO_VERSION}/"
    wanted = [prefix + p for p in SUITES + SUPPORT]
    with tarfile.open(archive) as tar:
        members = []
        for member in tar.getmembers():
            if not any(member.name == w or member.name.startswith(w + "/") for w in wanted):
                continue
            if not (member.isfile() or member.isdir()):
                continue
            member.name = member.name[len(prefix):]
            members.append(member)
        if hasattr(tarfile, "data_filter"):
            tar.extractall(root, members=members, filter="data")
        else:
            tar.extractall(root, members=members)
    return root


def skips():
    """The listed tests: `node id | reason` per line; `#` starts a comment line."""
    listed = {}
    with open(SKIPS) as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            test, sep, reason = (part.strip() for part in line.partition("|"))
            if not sep or not test or not reason:
                raise SystemExit(f"{SKIPS}:{number}: expected `node id | reason`, got {line!r}")
            listed[test] = reason
    return listed


def readme_fixture(binary, work):
    """Runs the README's moto-style pytest example as written (it starts its own server)."""
    readme = os.path.join(HERE, "..", "README.md")
    with open(readme) as f:
        text = f.read()
    section = text[text.index("### Tests of your own, moto-style"):]
    example = re.search(r"```python\n(.*?)```", section, re.S)
    if example is None:
        raise SystemExit("README.md: no python example under `Tests of your own, moto-style`")
    path = os.path.join(work, "test_readme_example.py")
    with open(path, "w") as f:
        f.write(example.group(1))
    print("the README's moto-style example, as written:", flush=True)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", path],
        cwd=work, env=dict(os.environ, PORTCULLIS=os.path.abspath(binary)),
    ).returncode


def start_server(binary):
    proc, endpoint, _ = portcullis_server.start(binary, "--in-memory")
    return proc, endpoint


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: moto_suite.py PATH_TO_PORTCULLIS WORK_DIR")
    binary, work = sys.argv[1], os.path.abspath(sys.argv[2])
    os.makedirs(work, exist_ok=True)
    if readme_fixture(binary, work) != 0:
        return 1
    root = extract(sdist(work), work)
    listed = skips()
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         *SUITES],
        cwd=root, capture_output=True, text=True,
    )
    known = {line.strip() for line in collected.stdout.splitlines() if "::" in line}
    stale = sorted(t for t in listed if t not in known)
    if stale:
        raise SystemExit(f"{SKIPS} lists tests moto {MOTO_VERSION} does not have: {stale}")
    proc, endpoint = start_server(binary)
    env = dict(
        os.environ,
        TEST_SERVER_MODE="true",
        TEST_SERVER_MODE_ENDPOINT=endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
    )
    print(f"moto {MOTO_VERSION} suites against portcullis at {endpoint}: "
          f"{len(known) - len(listed)} selected, {len(listed)} listed in {SKIPS}", flush=True)
    try:
        # The selected tests by node id (pytest's `--deselect` would also drop every test whose
        # id merely starts with a listed one).
        selected = sorted(known - set(listed))
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
             *selected],
            cwd=root, env=env,
        )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
