"""What the Python test scripts share: a failed check, the check itself, and running a command
with its output printed (so that a failure in ctest's log shows what the program said).

Scripts outside tests/python put this folder on sys.path before importing it.
"""

import shlex
import subprocess


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def expect_exit(result, code):
    expect(result.returncode == code, f"exit code {result.returncode}, expected {code}")


def run_command(command, cwd, timeout, env=None, shown_lines=None):
    """Runs `command` (a list) in `cwd`, prints it, its exit code and its output (the last
    `shown_lines` lines of each stream when given, else all of it), and returns the result."""
    print(f"$ {' '.join(shlex.quote(str(c)) for c in command)}")
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout, check=False)
    print(f"  exit {result.returncode}")
    for name, stream in (("stdout", result.stdout), ("stderr", result.stderr)):
        if stream.strip():
            lines = stream.splitlines()
            if shown_lines is not None:
                lines = lines[-shown_lines:]
            print(f"  {name}:\n" + "".join(f"    {line}\n" for line in lines))
    return result
