"""Starting the portcullis server for the end-to-end scripts (imported by them, not run)."""

import select
import subprocess


def start(binary, *args):
    """Starts `portcullis serve` on a free loopback port with `args` after `--log-level warn`;
    returns (process, endpoint URL, listening line). Exits if the server does not print its
    listening line within 60 s."""
    proc = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0", "--log-level", "warn", *args],
        stdout=subprocess.PIPE,
        text=True,
    )
    ready, _, _ = select.select([proc.stdout], [], [], 60)
    line = proc.stdout.readline().strip() if ready else ""
    prefix = "listening on "
    if not line.startswith(prefix):
        proc.kill()
        proc.wait()
        raise SystemExit(f"portcullis did not print its listening line (got {line!r})")
    return proc, line[len(prefix):].split()[0], line
