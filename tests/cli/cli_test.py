#!/usr/bin/python3
"""Command-line tests of the icsflow program: exit codes, error reports, interrupts.

    cli_test.py --icsflow PATH CHECK [options] [-- arguments for icsflow run]

Each check runs the program as a user would, in a fresh temporary directory that is removed
afterwards (so nothing is written into the source tree), and exits 0 if the program behaved as
documented, 1 with an explanation otherwise. `produce` makes the results files that the results
tests (tests/python) read.

Exit codes of icsflow (sim/cli/exit_codes.hpp): 0 success, 1 failure or interrupted run,
2 bad command line, 3 invalid configuration, 4 file not readable or writable, 5 results files
that cannot be paired (compare).
"""

import argparse
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from check_support import CheckFailed, expect, expect_exit, run_command  # noqa: E402

# Seconds for any one run of the program or wait for it: generous for sanitizer builds, and short
# enough that the test, not ctest's own limit (300 s), reports a hang and kills the program.
TIMEOUT = 120


def run(icsflow, args, cwd, timeout=TIMEOUT):
    return run_command([icsflow, *args], cwd, timeout)


def line_of(path, needle):
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if needle in line:
                return number
    raise CheckFailed(f"{path} has no line containing {needle!r}")


def check_validate_reports_every_error(icsflow, args, tmp):
    """Both errors of bad.toml (a wrong type and an unknown key), with file:line, exit 3."""
    config = args.config
    result = run(icsflow, ["validate", config], tmp)
    expect_exit(result, 3)
    wrong_type_line = line_of(config, 'arrival_rate = "nine"')
    unknown_line = line_of(config, "arival_rate = 9.0")
    wrong_type = (f"{config}:{wrong_type_line}: "
                  "key 'queueing.arrival_rate': expected a number, found a string")
    unknown = f"{config}:{unknown_line}: key 'queueing.arival_rate': unknown key"
    lines = result.stderr.splitlines()
    expect(wrong_type in lines, f"stderr lacks the line: {wrong_type}")
    expect(unknown in lines, f"stderr lacks the line: {unknown}")
    expect(lines.index(wrong_type) < lines.index(unknown), "errors are not in line order")
    expect("icsflow: the configuration has 2 errors" in lines, "stderr lacks the error count")
    expect(result.stdout == "", "validate printed to stdout despite the errors")


def check_validate_valid_config(icsflow, args, tmp):
    result = run(icsflow, ["validate", args.config], tmp)
    expect_exit(result, 0)
    expect("valid queueing configuration" in result.stdout, "no confirmation on stdout")
    expect(os.listdir(tmp) == [], "validate wrote files")


def check_validate_missing_file(icsflow, args, tmp):
    result = run(icsflow, ["validate", os.path.join(tmp, "no-such-config.toml")], tmp)
    expect_exit(result, 4)
    expect("cannot read configuration file" in result.stderr and
           "No such file or directory" in result.stderr, "no explanation on stderr")


def check_run_bad_option(icsflow, args, tmp):
    """Command-line errors exit 2 and run nothing."""
    for bad in (["run", args.config, "--no-such-option"],
                ["run", args.config, "--threads", "-1"],
                ["run", args.config, "--replications", "0"],
                ["run", args.config, "--progress", "fancy"],
                ["run"],
                ["frobnicate"],
                []):
        result = run(icsflow, bad, tmp)
        expect_exit(result, 2)
        expect(result.stderr.strip() != "", "no explanation on stderr")
    expect(os.listdir(tmp) == [], f"files were written: {os.listdir(tmp)}")


def check_info_missing_file(icsflow, args, tmp):
    result = run(icsflow, ["info", os.path.join(tmp, "missing.h5")], tmp)
    expect_exit(result, 4)
    expect("missing.h5" in result.stderr, "stderr does not name the file")


def check_info_not_icsflow_file(icsflow, args, tmp):
    """An HDF5 file of another program, and a file that is not HDF5 at all: exit 4."""
    import h5py  # only this check needs it
    import numpy as np
    other = os.path.join(tmp, "other.h5")
    with h5py.File(other, "w") as f:
        f.create_dataset("data", data=np.arange(10.0))
        f.attrs["filetype"] = "somebody-elses-results"
    result = run(icsflow, ["info", other], tmp)
    expect_exit(result, 4)
    expect("is not an icsflow results file" in result.stderr, "stderr does not say why")
    text_file = os.path.join(tmp, "text.h5")
    with open(text_file, "w", encoding="utf-8") as stream:
        stream.write("not HDF5\n")
    result = run(icsflow, ["info", text_file], tmp)
    expect_exit(result, 4)
    # Not regular files: refused at once (a FIFO once made `info` wait for a writer).
    fifo = os.path.join(tmp, "fifo.h5")
    os.mkfifo(fifo)
    for path in (fifo, tmp, "/dev/zero"):
        started = time.monotonic()
        result = run(icsflow, ["info", path], tmp, timeout=30)
        expect_exit(result, 4)
        expect(path in result.stderr, "stderr does not name the file")
        expect(time.monotonic() - started < 10, f"info {path} took too long")


def check_info_results_file(icsflow, args, tmp):
    result = run(icsflow, ["info", args.results], tmp)
    expect_exit(result, 0)
    for expected in ("format:           icsflow-results 1.1", "model:             queueing",
                     "/series/queue_length", "/summary/moments/mean_sojourn"):
        expect(expected in result.stdout, f"info output lacks {expected!r}")


def check_version(icsflow, args, tmp):
    result = run(icsflow, ["--version"], tmp)
    expect_exit(result, 0)
    expect(result.stdout.startswith("icsflow "), "the version banner does not start 'icsflow '")
    expect("HDF5" in result.stdout, "the version banner lists no libraries")


def check_models_and_params(icsflow, args, tmp):
    result = run(icsflow, ["models"], tmp)
    expect_exit(result, 0)
    expect(any(line.startswith("queueing ") for line in result.stdout.splitlines()),
           "the queueing model is not listed")
    result = run(icsflow, ["params", "queueing"], tmp)
    expect_exit(result, 0)
    expect("`queueing.stages[].servers`" in result.stdout, "params lacks the queueing keys")
    expect("`run.start_date`" in result.stdout, "params lacks the [run] keys")
    result = run(icsflow, ["params", "no-such-model"], tmp)
    expect_exit(result, 2)


# docs/parameters.md is a preamble, this marker line, then exactly what `icsflow params` prints.
PARAMS_MARKER = "<!-- generated: everything below is `icsflow params` -->"


def check_params_doc_current(icsflow, args, tmp):
    result = run(icsflow, ["params"], tmp)
    expect_exit(result, 0)
    with open(args.document, encoding="utf-8") as stream:
        document = stream.read()
    expect(PARAMS_MARKER in document, f"{args.document} lacks the line {PARAMS_MARKER!r}")
    generated = document.split(PARAMS_MARKER, 1)[1].lstrip("\n")
    if generated != result.stdout:
        doc_lines, out_lines = generated.splitlines(), result.stdout.splitlines()
        first = next((i for i, (a, b) in enumerate(zip(doc_lines, out_lines)) if a != b),
                     min(len(doc_lines), len(out_lines)))
        raise CheckFailed(f"{args.document} is out of date from its line after the marker "
                          f"+{first + 1}; regenerate it with scripts/update-parameters-doc.sh")


def check_run_default_output(icsflow, args, tmp):
    """Without -o, results go to results/<config name>-<UTC time>.h5 under the working directory,
    or to the next free <...>-2.h5, -3, ... when another run has that name; the summary line
    names the file."""
    result = run(icsflow, ["run", args.config, "-r", "3", "--threads", "2", "--progress",
                           "none"], tmp)
    expect_exit(result, 0)
    expect(os.listdir(tmp) == ["results"], f"unexpected files: {os.listdir(tmp)}")
    files = os.listdir(os.path.join(tmp, "results"))
    stem = os.path.splitext(os.path.basename(args.config))[0]
    expect(len(files) == 1 and files[0].startswith(stem + "-") and files[0].endswith(".h5"),
           f"unexpected results files: {files}")
    expect(result.stdout.startswith(os.path.join("results", files[0]) + ": 3 replications"),
           "the summary does not name the file and the replications")

    # A run started in a second whose name another run has taken (its results file, or only its
    # checkpoint while it computes) is given the next free name instead of being refused. Every
    # name of the next minute is taken, alternately by a results file and by a checkpoint.
    start = int(time.time())
    taken = set()
    for second in range(start - 1, start + 60):
        name = f"{stem}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime(second))}.h5"
        taken.add(name)
        placeholder = name if second % 2 == 0 else name + ".checkpoint"
        with open(os.path.join(tmp, "results", placeholder), "w", encoding="utf-8"):
            pass
    before = set(os.listdir(os.path.join(tmp, "results")))
    result = run(icsflow, ["run", args.config, "-r", "3", "--threads", "2", "--progress",
                           "none"], tmp)
    expect_exit(result, 0)
    new = set(os.listdir(os.path.join(tmp, "results"))) - before
    expect(len(new) == 1, f"expected one new results file, found {sorted(new)}")
    made = new.pop()
    expect(made.endswith("-2.h5") and made[:-len("-2.h5")] + ".h5" in taken,
           f"{made} is not the taken name of its second with -2")
    expect(result.stdout.startswith(os.path.join("results", made) + ": 3 replications"),
           "the summary does not name the second file")
    expect(all(os.path.getsize(os.path.join(tmp, "results", name)) == 0
               for name in before if name not in files),
           "a placeholder of another run was written to")


def partial_files(directory):
    """The partial results files in `directory` (each run has its own: <out>.<host>-<pid>-<n>.part)."""
    return [name for name in os.listdir(directory) if name.endswith(".part")]


def start_run(icsflow, command_args, cwd, env=None):
    command = [icsflow, *command_args]
    print(f"$ {' '.join(command)}")
    return subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def finish(process, timeout=TIMEOUT):
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    print(f"  exit {process.returncode}\n  stdout: {stdout!r}\n  stderr: {stderr!r}")
    return stdout, stderr


def interrupt_when_ready(process, ready, number, what, delay=0.0):
    """Sends signal `number` to `process` once `ready()` holds (and `delay` seconds more); returns
    its stderr and how many seconds it took to end after the signal. The process never outlives
    the check."""
    try:
        deadline = time.monotonic() + TIMEOUT
        while not ready():
            expect(process.poll() is None,
                   f"{what} ended (exit {process.returncode}) before it was interrupted")
            expect(time.monotonic() < deadline, f"{what} never reached the point to interrupt")
            time.sleep(0.001)
        time.sleep(delay)
        expect(process.poll() is None, f"{what} ended before it was interrupted")
        sent = time.monotonic()
        process.send_signal(number)
        _, stderr = finish(process)
        return stderr, time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def check_run_interrupted(icsflow, args, tmp):
    """A terminating signal during a run (SIGINT unless --signal names another): exit 1 within
    seconds, and neither the results file nor a partial file is left."""
    output = os.path.join(tmp, "interrupted.h5")
    number = getattr(signal, args.signal)
    count = ["-r", str(args.replications)] if args.replications else []
    process = start_run(icsflow, ["run", args.config, "-o", output, "--threads", "2",
                                  "--progress", "none", *count], tmp)
    # The run has started writing once its partial file exists; optionally later, while
    # replications are running rather than while the run starts.
    stderr, obeyed = interrupt_when_ready(process, lambda: partial_files(tmp), number, "the run",
                                          delay=args.delay)
    print(f"  ended {obeyed:.2f} s after {args.signal}")
    expect(process.returncode == 1, f"exit code {process.returncode}, expected 1")
    expect(f"interrupted by {args.signal}" in stderr, "stderr does not report the signal")
    expect(obeyed < 10, f"the run took {obeyed:.1f} s to obey {args.signal}")
    expect(not os.path.exists(output), "a results file was left behind")
    # Replications that finished before the signal are kept for --resume, and said so; nothing
    # else may remain (tests/cluster checks the checkpoint's contents and the resumed run).
    left = os.listdir(tmp)
    if "interrupted.h5.checkpoint" in left:
        expect("replications finished and are kept in" in stderr and
               "interrupted.h5.checkpoint" in stderr, "a checkpoint was kept without saying so")
        left.remove("interrupted.h5.checkpoint")
    expect(left == [], f"files were left behind: {left}")


def check_merge_interrupted(icsflow, args, tmp):
    """A signal while `merge` writes (a Slurm time limit sends SIGTERM): exit 1, and neither the
    merged file nor its partial file is left; the parts are untouched. An existing output is
    refused before any part is read."""
    parts = []
    for index in range(2):
        part = os.path.join(tmp, f"part{index}.h5")
        expect_exit(run(icsflow, ["run", args.config, "-r", "20000", "--replication-offset",
                                  str(20000 * index), "--threads", "2", "--progress", "none",
                                  "-o", part], tmp), 0)
        parts.append(part)
    sizes = [os.path.getsize(part) for part in parts]
    # An existing output is refused before any part is read (exit 4, unchanged); --force
    # replaces it.
    existing = os.path.join(tmp, "existing.h5")
    write_text(existing, "not results")
    result = run(icsflow, ["merge", parts[0], "-o", existing], tmp)
    expect_exit(result, 4)
    expect("already exists" in result.stderr, "the existing output is not named")
    with open(existing, encoding="utf-8") as stream:
        expect(stream.read() == "not results", "the existing output was changed")
    expect_exit(run(icsflow, ["merge", parts[0], "-o", existing, "--force"], tmp), 0)
    os.remove(existing)
    output = os.path.join(tmp, "merged.h5")
    # While the parts are being screened (about a second for these), then while it writes.
    process = start_run(icsflow, ["merge", *parts, "-o", output], tmp)
    stderr, obeyed = interrupt_when_ready(process, lambda: True, signal.SIGTERM, "merge",
                                          delay=0.2)
    expect(process.returncode == 1 and "interrupted by SIGTERM" in stderr and obeyed < 5,
           f"merge stopped while screening: exit {process.returncode} after {obeyed:.1f} s\n"
           f"{stderr}")
    expect(not partial_files(tmp) and not os.path.exists(output), "files were left behind")
    process = start_run(icsflow, ["merge", *parts, "-o", output], tmp)
    stderr, _ = interrupt_when_ready(process, lambda: partial_files(tmp), signal.SIGTERM, "merge")
    expect(process.returncode == 1, f"exit code {process.returncode}, expected 1\n{stderr}")
    expect("interrupted by SIGTERM" in stderr, "stderr does not report the signal")
    expect(not os.path.exists(output), "a merged file was left behind")
    expect(not partial_files(tmp), f"partial files were left behind: {partial_files(tmp)}")
    expect([os.path.getsize(part) for part in parts] == sizes, "a part was changed")


def check_stdout_write_errors(icsflow, args, tmp):
    """Output that cannot be written (standard output on a full disk, /dev/full) is exit 4 with
    a message, never exit 0 with the table lost; the same commands succeed on a writable one."""
    results = os.path.join(tmp, "a.h5")
    expect_exit(run(icsflow, ["run", args.config, "-r", "2", "--threads", "2", "--progress",
                              "none", "-o", results], tmp), 0)
    for command in (["info", results], ["compare", results, results, "--format", "csv"],
                    ["validate", args.config], ["params"], ["run", args.config, "-r", "2",
                                                             "--progress", "none", "--force",
                                                             "-o", results]):
        with open("/dev/full", "w", encoding="utf-8") as full:
            result = subprocess.run([icsflow, *command], cwd=tmp, stdout=full,
                                    stderr=subprocess.PIPE, text=True, timeout=TIMEOUT,
                                    check=False)
        expect(result.returncode == 4, f"{command[0]} to /dev/full: exit {result.returncode}")
        expect("cannot write the standard output" in result.stderr,
               f"{command[0]} to /dev/full: no message")
        expect_exit(run(icsflow, command, tmp), 0)


def check_seek_interrupted(icsflow, args, tmp):
    """A signal during `seek` stops it like a run: exit 1 within seconds, the signal named, and
    no JSON written."""
    write_text(os.path.join(tmp, "seek.toml"),
               f'base = "{os.path.abspath(args.config)}"\n[[queueing.targets]]\nname = "w"\n'
               'summary = "stage_1_probability_of_wait"\nat_most = 0.5\n')
    process = start_run(icsflow, ["seek", "seek.toml", "--lever", "queueing.stages[0].servers",
                                  "--range", "1:8", "--target", "w", "-r", "40", "--threads",
                                  "2", "-o", "seek.json"], tmp)
    # The first evaluation of 40 long replications takes far longer than a second.
    stderr, obeyed = interrupt_when_ready(process, lambda: True, signal.SIGINT, "seek", delay=1.0)
    expect(process.returncode == 1, f"exit code {process.returncode}, expected 1")
    expect("interrupted by SIGINT" in stderr, "stderr does not report the signal")
    expect(obeyed < 10, f"seek took {obeyed:.1f} s to obey SIGINT")
    expect(not os.path.exists(os.path.join(tmp, "seek.json")), "seek wrote its output")


def master_seed(path):
    import h5py
    with h5py.File(path, "r") as f:
        return int(f.attrs["master_seed"])


def check_run_concurrent_same_output(icsflow, args, tmp):
    """Two runs started at once on one output path, with HDF5's file locking and without it
    (HDF5_USE_FILE_LOCKING=FALSE, as on cluster file systems): one writes the file and says so,
    the other is refused (exit 4) and leaves it alone; the file holds the results of the run that
    reported success; no partial file and no checkpoint is left (the two never share one: it is
    created exclusively, and the refused run's is removed)."""
    for locking in ("TRUE", "FALSE"):
        output = os.path.join(tmp, f"shared-{locking}.h5")
        env = dict(os.environ, HDF5_USE_FILE_LOCKING=locking)
        runs = {seed: start_run(icsflow, ["run", args.config, "-o", output, "--seed", str(seed),
                                          "-r", "4", "--threads", "1", "--progress", "none"],
                                tmp, env)
                for seed in (101, 202)}
        outcomes = {seed: (process, *finish(process)) for seed, process in runs.items()}
        codes = sorted(process.returncode for process, _, _ in outcomes.values())
        expect(codes == [0, 4], f"exit codes {codes} with locking {locking}, expected 0 and 4")
        winner = next(seed for seed, (process, _, _) in outcomes.items()
                      if process.returncode == 0)
        loser = next(seed for seed in outcomes if seed != winner)
        expect(master_seed(output) == winner,
               f"{output} holds seed {master_seed(output)}, but the run with seed {winner} "
               "reported success")
        expect("was created by another run" in outcomes[loser][2] or
               "already exists" in outcomes[loser][2],
               "the refused run does not say why")
        expect(partial_files(tmp) == [], f"partial files left: {partial_files(tmp)}")
        checkpoints = [name for name in os.listdir(tmp) if name.endswith(".checkpoint")]
        expect(checkpoints == [], f"checkpoints left: {checkpoints}")


def check_run_output_rules(icsflow, args, tmp):
    """A results path is a regular file: an existing one is kept (exit 4) unless --force; a link,
    a directory or a device is never used, --force or not."""
    base = ["run", args.config, "-r", "2", "--threads", "1", "--progress", "none"]
    output = os.path.join(tmp, "kept.h5")
    expect_exit(run(icsflow, [*base, "--seed", "1", "-o", output], tmp), 0)
    result = run(icsflow, [*base, "--seed", "2", "-o", output], tmp)
    expect_exit(result, 4)
    expect("already exists" in result.stderr and "--force" in result.stderr,
           "the refusal does not say what to do")
    expect(master_seed(output) == 1, "the existing file was changed")
    expect_exit(run(icsflow, [*base, "--seed", "3", "-o", output, "--force"], tmp), 0)
    expect(master_seed(output) == 3, "--force did not replace the file")
    link = os.path.join(tmp, "link.h5")
    os.symlink(output, link)
    directory = os.path.join(tmp, "a-directory.h5")
    os.mkdir(directory)
    for target in (link, directory, "/dev/null"):
        for force in ([], ["--force"]):
            result = run(icsflow, [*base, "-o", target, *force], tmp)
            expect_exit(result, 4)
            expect("must be a regular file" in result.stderr, "no explanation on stderr")
    expect(os.path.islink(link) and master_seed(output) == 3, "the link or its target changed")
    expect(not os.path.isfile("/dev/null"), "/dev/null was replaced")
    expect(partial_files(tmp) == [], f"partial files left: {partial_files(tmp)}")


def check_run_bad_values(icsflow, args, tmp):
    """Counts, thread numbers and seeds beyond their ranges are usage errors (exit 2) naming the
    option, never wrapped, truncated or passed on to fail later; in-range values are recorded as
    given, and the threads recorded are the threads that ran."""
    base = ["run", args.config, "--progress", "none"]
    for bad in (["--threads", "10000000"], ["--threads", "100000"],
                ["-r", "4294967296"], ["-r", "18446744073709551615"], ["-r", "1000000001"],
                ["--seed", "-1"], ["--seed", "18446744073709551616"],
                ["--seed", "9223372036854775808"], ["--seed", "1e3"], ["--seed", ""],
                ["--replication-offset", "-1"], ["--replication-offset", "18446744073709551616"],
                ["--replication-offset", "1000000000000000001"],
                ["--precision", "nan"], ["--precision", "0"], ["--precision", "inf"],
                ["--precision", "0.1", "--max-replications", "99999999999999"],
                ["--precision", "0.1", "--probability-precision", "nan"],
                ["--precision", "0.1", "--block", "-1"],
                ["--block", "5"], ["--max-replications", "50"]):
        result = run(icsflow, [*base, *bad], tmp)
        expect_exit(result, 2)
        named = bad[-2] if bad[-2] in result.stderr else bad[0]
        expect(named in result.stderr, f"{bad}: stderr does not name the option")
    # The other commands that take a seed or threads hold them to the same ranges.
    seek = ["seek", args.config, "--lever", "queueing.arrival_rate", "--range", "1:2",
            "--target", "any"]
    calibrate = ["calibrate", args.config, "--observed", "none.csv", "--train", "2019-04:2019-05",
                 "--test", "2019-06:2019-07"]
    for command in (seek, calibrate):
        for bad in (["--seed", "-1"], ["--seed", "18446744073709551616"],
                    ["--threads", "2000"]):
            result = run(icsflow, [*command, *bad], tmp)
            expect_exit(result, 2)
            expect(bad[0] in result.stderr, f"{command[0]} {bad}: stderr does not name it")
    expect(os.listdir(tmp) == [], f"files were written: {os.listdir(tmp)}")
    # Numbers as CLI11 reads them elsewhere stay accepted: a leading '+' and a leading blank.
    accepted = os.path.join(tmp, "accepted.h5")
    expect_exit(run(icsflow, [*base, "--precision", "+0.5", "--max-replications", " 20",
                              "--threads", "2", "-o", accepted], tmp), 0)
    os.remove(accepted)
    output = os.path.join(tmp, "big-seed.h5")
    seed = 9200000000000000000
    expect_exit(run(icsflow, [*base, "-r", "2", "--threads", "5", "--seed", str(seed), "-o",
                              output], tmp), 0)
    expect(master_seed(output) == seed, f"seed {seed} recorded as {master_seed(output)}")
    result = run(icsflow, ["info", output], tmp)
    expect("threads:           5" in result.stdout.splitlines(), "5 threads are not recorded")


def write_text(path, text):
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(text)


def check_validate_hostile_inputs(icsflow, args, tmp):
    """Configurations that once crashed, hung, grew without bound or were misreported: each is a
    clear error with its file, line and key, exit 3 (or 4 for a file that cannot be read), at
    once."""
    config = os.path.abspath(args.config)
    with open(config, encoding="utf-8") as stream:
        valid = stream.read()
    deep = 5000
    cases = [
        # (file name, text or None for a non-file, expected exit, expected stderr lines)
        ("deep-arrays.toml", "x = " + "[" * deep + "]" * deep + "\n", 3,
         ["deep-arrays.toml:1: nested more than"]),
        ("deep-inline.toml", "x = " + "{a = " * deep + "1" + "}" * deep + "\n", 3,
         ["deep-inline.toml:1: nested more than"]),
        ("deep-header.toml", "# x\n[" + "a." * 30000 + "b]\n", 3,
         ["deep-header.toml:2: nested more than"]),
        ("bad-date.toml", valid.replace("start_date = 2020-01-06", "start_date = 2021-02-30"), 3,
         [f"bad-date.toml:{line_of(config, 'start_date')}: key 'run.start_date': "
          "TOML syntax error"]),
        ("huge-rate.toml", valid.replace("arrival_rate = 9.0", "arrival_rate = 1e308"), 3,
         [f"huge-rate.toml:{line_of(config, 'arrival_rate')}: key 'queueing.arrival_rate': "
          "value 1e+308 is out of range"]),
        ("cycle.toml", "# a cycle\nbase = \"cycle.toml\"\n", 3,
         ["cycle.toml:2: key 'base': configuration files extend each other in a cycle"]),
        ("orphan.toml", "# no base\nbase = \"missing.toml\"\n", 4,
         ["orphan.toml:2: key 'base': cannot read configuration file"]),
        ("zero-base.toml", "base = \"/dev/zero\"\n", 4,
         ["zero-base.toml:1: key 'base': cannot read configuration file '/dev/zero': "
          "it is a device"]),
        ("no-queueing.toml", "# x\n[run]\nmodel = \"queueing\"\nstart_date = 2020-01-06\n"
         "end_date = 2020-02-01\n", 3,
         ["no-queueing.toml:1: key 'queueing.arrival_rate': missing required key"]),
        ("/dev/zero", None, 4, ["cannot read configuration file '/dev/zero': it is a device"]),
        (tmp, None, 4, [f"cannot read configuration file '{tmp}': it is a directory"]),
    ]
    if args.blmk_config:
        blmk = os.path.abspath(args.blmk_config)
        window = f'base = "{blmk}"\n\n[analysis]\npeak_from = 2021-04-01\npeak_to = 2020-04-01\n'
        crowd = (f'base = "{blmk}"\n\n[places.luton]\npopulation = 9000000\n\n'
                 '[places.milton_keynes]\npopulation = 9000000\n')
        cases.append(("crowded.toml", crowd, 3,
                      ["key 'places': the places hold", "at most 1e+07"]))
        cases.append(("inverted-peak.toml", window, 3,
                      ["inverted-peak.toml:5: key 'analysis.peak_to': the peak is searched in no "
                       "simulated month"]))
        # A name that becomes part of a dataset's name: once a raw HDF5 error at the end of a run.
        slash = (f'base = "{blmk}"\n\n[[append.analysis.targets]]\nname = "list/feb"\n'
                 'measure = "waiting_list"\nmonth = "2021-03"\nthreshold = 1\n')
        cases.append(("slash-target.toml", slash, 3,
                      ["slash-target.toml:4: key 'analysis.targets[", "'list/feb': a name may "
                       "not contain '/'"]))
    for name, text, code, needles in cases:
        path = name
        if text is not None:
            path = os.path.join(tmp, name)
            write_text(path, text)
        started = time.monotonic()
        result = run(icsflow, ["validate", path], tmp, timeout=30)
        seconds = time.monotonic() - started
        expect_exit(result, code)
        for needle in needles:
            expect(any(line.startswith(os.path.join(tmp, "") + needle) or line.startswith(needle)
                       or needle in line for line in result.stderr.splitlines()),
                   f"stderr lacks {needle!r}")
        expect(seconds < 5, f"validate took {seconds:.1f} s")
    # One error is reported once: the keys next to it are still read, not called unknown.
    target = ('[[queueing.targets]]\nname = "w"\nsummary = "stage_1_probability_of_wait"\n'
              'at_most = 0.5\n')
    for name, text, needle in (
            ("both-bounds.toml", f'base = "{config}"\n{target}at_least = 0.1\n',
             "give exactly one of at_most and at_least"),
            ("bad-rate-with-target.toml",
             f'base = "{config}"\n[queueing]\narrival_rate = -1\n\n{target}',
             "key 'queueing.arrival_rate': value -1 is out of range")):
        write_text(os.path.join(tmp, name), text)
        result = run(icsflow, ["validate", name], tmp)
        expect_exit(result, 3)
        lines = result.stderr.splitlines()
        expect(len(lines) == 2 and needle in lines[0] and "has 1 error" in lines[1],
               f"{name}: expected one error ({needle}), got {lines}")


def corrupted_copies(data, count, rng):
    """Damaged versions of a file: bytes overwritten in place (a few or a run of them), the file
    cut short, or a block zeroed; deterministic for one generator."""
    for _ in range(count):
        copy = bytearray(data)
        kind = rng.randrange(4)
        if kind == 0:
            for _ in range(rng.randint(1, 8)):
                copy[rng.randrange(len(copy))] = rng.randrange(256)
        elif kind == 1:
            start = rng.randrange(len(copy))
            for i in range(start, min(len(copy), start + rng.randint(1, 64))):
                copy[i] = rng.randrange(256)
        elif kind == 2:
            copy = copy[:rng.randrange(len(copy))]
        else:
            start = rng.randrange(len(copy))
            copy[start:start + 512] = bytes(len(copy[start:start + 512]))
        yield bytes(copy)


def check_info_corrupted_files(icsflow, args, tmp):
    """`info`, `compare` and `merge` on damaged copies of a real results file: each gives its
    result (exit 0; compare also 5, results it cannot pair) or a clear error naming the file
    (exit 4) and nothing half-written, never a crash or a hang. compare and merge read files in
    their own process, so each file is first read whole in a contained child."""
    import random
    with open(args.results, "rb") as stream:
        data = stream.read()
    rng = random.Random(20261129)
    allowed = {"info": (0, 4), "compare": (0, 4, 5), "merge": (0, 4)}
    tally = {command: {} for command in allowed}
    for index, copy in enumerate(corrupted_copies(data, args.copies, rng)):
        path = os.path.join(tmp, f"damaged-{index}.h5")
        with open(path, "wb") as stream:
            stream.write(copy)
        merged = os.path.join(tmp, f"merged-{index}.h5")
        commands = {"info": ["info", path],
                    "compare": ["compare", path, args.results],
                    "merge": ["merge", path, "-o", merged]}
        for command, arguments in commands.items():
            result = subprocess.run([icsflow, *arguments], cwd=tmp, capture_output=True,
                                    text=True, errors="replace", timeout=TIMEOUT, check=False)
            code = result.returncode
            tally[command][code] = tally[command].get(code, 0) + 1
            if code not in allowed[command]:
                print(f"{command} on damaged copy {index}: exit {code}\n{result.stderr}")
            expect(code in allowed[command],
                   f"{command} on damaged copy {index} ended with {code}")
            if code == 4:
                expect(result.stdout == "",
                       f"{command}, copy {index}: a partial result was printed")
                expect(path in result.stderr,
                       f"{command}, copy {index}: the error does not name the file")
        expect(not [name for name in os.listdir(tmp) if name.startswith(f"merged-{index}.h5.")],
               f"merge of copy {index} left a partial file")
        for leftover in (path, merged):
            if os.path.exists(leftover):
                os.remove(leftover)
    for command, codes in tally.items():
        print(f"  {command} on {args.copies} damaged copies: exit codes {codes}")


def check_shipped_configs(icsflow, args, tmp):
    """Every configuration in configs/ validates, and runs one replication to a results file that
    `info` reads."""
    names = sorted(name for name in os.listdir(args.configs) if name.endswith(".toml"))
    expect(names, f"no configurations in {args.configs}")
    for name in names:
        config = os.path.join(args.configs, name)
        expect_exit(run(icsflow, ["validate", config], tmp), 0)
        output = os.path.join(tmp, name.replace(".toml", ".h5"))
        result = run(icsflow, ["run", config, "-r", "1", "--threads", "2", "--progress", "none",
                               "-o", output], tmp, timeout=600)
        expect_exit(result, 0)
        expect_exit(run(icsflow, ["info", output], tmp), 0)
        os.remove(output)
    print(f"  {len(names)} configurations: {', '.join(names)}")
def summary_values(path, name):
    import h5py  # Debian's python3 (ICSFLOW_PYTHON) has it
    with h5py.File(path, "r") as f:
        return [float(v) for v in f[f"summary/values/{name}"][()]]


def check_compare(icsflow, args, tmp):
    """Two scenarios of the M/M/c queue run with one seed: the paired difference equals the
    difference of the stored means, its interval is narrower than the unpaired one, target
    probabilities come with Wilson intervals; files run with another seed or another number of
    replications are refused with exit 5 and the reason."""
    base = os.path.abspath(args.config)
    write_text(os.path.join(tmp, "plan.toml"), f'base = "{base}"\n')
    write_text(os.path.join(tmp, "more.toml"),
               f'base = "{base}"\n[[queueing.stages]]\nservers = 11\nservice_rate = 1.0\n'
               '[[append.queueing.targets]]\nname = "short_wait"\n'
               'summary = "stage_1_mean_wait"\nat_most = 0.3\n')
    common = ["--threads", "2", "--progress", "none"]
    for name, extra in (("plan", ["-r", "12"]), ("more", ["-r", "12"]),
                        ("other_seed", ["-r", "12", "--seed", "99"]), ("fewer", ["-r", "10"])):
        config = "plan.toml" if name in ("plan",) else "more.toml"
        expect_exit(run(icsflow, ["run", config, "-o", f"{name}.h5", *common, *extra], tmp), 0)

    result = run(icsflow, ["compare", "plan.h5", "more.h5", "--format", "json",
                           "--labels", "10 servers", "11 servers"], tmp)
    expect_exit(result, 0)
    table = json.loads(result.stdout)
    measures = {m["name"]: m for m in table["measures"]}
    wait = measures["stage_1_mean_wait"]
    a = summary_values(os.path.join(tmp, "plan.h5"), "stage_1_mean_wait")
    b = summary_values(os.path.join(tmp, "more.h5"), "stage_1_mean_wait")
    difference = wait["scenarios"][1]["difference"]
    expect(math.isclose(difference["estimate"], sum(b) / len(b) - sum(a) / len(a),
                        rel_tol=1e-9), "the paired difference is not the difference of the means")
    expect(difference["estimate"] < 0, "an 11th server did not shorten the wait")
    paired = difference["paired_high"] - difference["paired_low"]
    unpaired = difference["unpaired_high"] - difference["unpaired_low"]
    expect(0 < paired < unpaired, f"paired width {paired} not below unpaired width {unpaired}")
    # The target exists only in the second file: absent in the first, a probability in the second.
    target = measures.get("target_short_wait_met")
    expect(target is None, "a target of the second file only was compared as if in the first")
    result = run(icsflow, ["compare", "more.h5", "plan.h5", "--format", "csv"], tmp)
    expect_exit(result, 0)
    rows = [line.split(",") for line in result.stdout.splitlines()]
    met = [row for row in rows if row[0] == "target_short_wait_met"]
    expect(len(met) == 2 and met[0][1] == "probability", f"target rows: {met}")
    low, high = float(met[0][6]), float(met[0][7])
    expect(low < high, f"the probability's interval has no width: {met[0]}")

    for other, reason in (("other_seed.h5", "different master seeds"),
                          ("fewer.h5", "different replication sets")):
        result = run(icsflow, ["compare", "plan.h5", other], tmp)
        expect_exit(result, 5)
        expect(reason in result.stderr and other in result.stderr,
               f"the refusal does not say '{reason}' about {other}")
    for form in ("table", "md"):
        expect_exit(run(icsflow, ["compare", "plan.h5", "more.h5", "--format", form], tmp), 0)
    expect_exit(run(icsflow, ["compare", "plan.h5"], tmp), 2)
    # Markdown keeps its columns whatever the labels hold: every row has the header's cells.
    result = run(icsflow, ["compare", "plan.h5", "more.h5", "--format", "md",
                           "--labels", "plan | A", "more"], tmp)
    expect_exit(result, 0)
    rows = [line for line in result.stdout.splitlines() if line.startswith("|")]
    cells = [len(re.split(r"(?<!\\)\|", line)) for line in rows]
    expect(len(rows) > 2 and len(set(cells)) == 1,
           f"Markdown rows with different numbers of cells: {sorted(set(cells))}")


def check_run_precision(icsflow, args, tmp):
    """--precision adds replications in blocks until met, says how many it took, and writes the
    same datasets as a fixed run of that many replications."""
    result = run(icsflow, ["run", args.config, "--precision", "0.1", "--block", "4",
                           "--threads", "2", "--progress", "none", "-o", "precise.h5"], tmp)
    expect_exit(result, 0)
    line = [text for text in result.stdout.splitlines() if text.startswith("precision reached")]
    expect(len(line) == 1, "no 'precision reached after N replications' line")
    count = int(line[0].split(" after ")[1].split()[0])
    expect(count > 4 and count % 4 == 0, f"{count} replications: not whole blocks beyond the first")
    expect_exit(run(icsflow, ["run", args.config, "-r", str(count), "--threads", "1",
                              "--progress", "none", "-o", "fixed.h5"], tmp), 0)
    # A fixed number and a precision contradict each other: a usage error.
    expect_exit(run(icsflow, ["run", args.config, "--precision", "0.1", "-r", "5"], tmp), 2)
    compare = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python",
                           "compare_results.py")
    same = subprocess.run([sys.executable, compare, os.path.join(tmp, "precise.h5"),
                           os.path.join(tmp, "fixed.h5")], capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)
    print(same.stdout, same.stderr)
    expect(same.returncode == 0, "the precision run differs from the fixed run")


def erlang_c(servers, offered):
    """P(wait) of M/M/c (servers c, offered load a = lambda / mu < c)."""
    term = 1.0
    total = 1.0
    for k in range(1, servers):
        term *= offered / k
        total += term
    last = term * offered / servers * servers / (servers - offered)
    return last / (total + last)


def check_seek_erlang_c(icsflow, args, tmp):
    """`seek` over the servers of M/M/c (9 arrivals a day, service rate 1) finds the fewest
    servers with P(wait) <= x, as Erlang C gives it, for three x; and writes its evaluations.

    Each x lies between C(c - 1) and C(c) of the exact answer c, far enough from both (several
    standard errors of one replication's share over four years) that P(met) is near 1 at c and
    near 0 at c - 1: the search must find c, not a neighbour."""
    for wanted in (0.55, 0.21, 0.065):
        exact = next(c for c in range(10, 40) if erlang_c(c, 9.0) <= wanted)
        write_text(os.path.join(tmp, "queue.toml"),
                   f'base = "{os.path.abspath(args.config)}"\n[run]\nend_date = 2024-01-01\n'
                   '[[append.queueing.targets]]\nname = "wait"\n'
                   f'summary = "stage_1_probability_of_wait"\nat_most = {wanted}\n')
        result = run(icsflow, ["seek", "queue.toml", "--lever", "queueing.stages[0].servers",
                               "--range", "10:30", "--target", "wait", "--probability", "0.9",
                               "-r", "40", "--threads", "2", "-o", f"seek-{wanted}.json"], tmp)
        expect_exit(result, 0)
        with open(os.path.join(tmp, f"seek-{wanted}.json"), encoding="utf-8") as stream:
            found = json.load(stream)
        expect(found["found"] and found["answer"] == exact,
               f"x = {wanted}: answer {found['answer']}, Erlang C gives {exact}")
        expect(f"= {exact}\n" in result.stdout, "the answer is not printed")
        levers = [e["lever"] for e in found["evaluations"]]
        expect(len(levers) == len(set(levers)) and len(levers) <= 7,
               f"evaluations {levers}: repeated or not a bisection")
        below = [e for e in found["evaluations"] if e["lever"] == exact - 1]
        expect(exact == 10 or (below and below[0]["probability"] < 0.9),
               "the value below the answer was not shown to miss")
    result = run(icsflow, ["seek", "queue.toml", "--lever", "queueing.stages[0].servers",
                           "--range", "10:30", "--target", "nothing", "-r", "2"], tmp)
    expect_exit(result, 2)
    expect("no target named 'nothing'" in result.stderr, "unknown target not reported")

    # Its output: an existing file is refused before any evaluation (--force replaces it), a
    # range the configuration cannot take is refused before any evaluation, and names that need
    # escaping still give valid JSON.
    quick = ["--lever", "queueing.stages[0].servers", "--target", "wait", "-r", "2",
             "--threads", "2"]
    existing = os.path.join(tmp, "seek-0.55.json")
    with open(existing, "rb") as stream:
        before = stream.read()
    result = run(icsflow, ["seek", "queue.toml", *quick, "--range", "10:30", "-o", existing], tmp)
    expect_exit(result, 4)
    expect("P(all met)" not in result.stdout, "an existing output was refused only after work")
    with open(existing, "rb") as stream:
        expect(stream.read() == before, "the existing output was changed")
    result = run(icsflow, ["seek", "queue.toml", *quick, "--range", "10:30", "-o", existing,
                           "--force"], tmp)
    expect_exit(result, 0)
    for bad_range in ("0:30", "10:inf"):
        result = run(icsflow, ["seek", "queue.toml", *quick, "--range", bad_range,
                               "-o", "never.json"], tmp)
        expect_exit(result, 2)
        expect("--range" in result.stderr and "P(all met)" not in result.stdout,
               f"--range {bad_range} was not refused before any evaluation")
    expect(not os.path.exists(os.path.join(tmp, "never.json")), "a refused seek wrote output")
    odd = 'queue "quoted" \\ name.toml'
    write_text(os.path.join(tmp, odd), 'base = "queue.toml"\n')
    result = run(icsflow, ["seek", odd, *quick, "--range", "10:30", "-o", "odd.json"], tmp)
    expect_exit(result, 0)
    with open(os.path.join(tmp, "odd.json"), encoding="utf-8") as stream:
        expect(json.load(stream)["config"] == odd, "the configuration's name was not kept")
    expect(not partial_files(tmp), "seek left partial files")


def produce(icsflow, args, tmp):
    """Runs `icsflow run CONFIG -o OUTPUT EXTRA...` for the results tests (fixture setup)."""
    if os.path.exists(args.output):
        os.remove(args.output)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    result = run(icsflow, ["run", args.config, "-o", args.output, "--progress", "none",
                           *args.extra], tmp)
    expect_exit(result, 0)
    expect(os.path.exists(args.output), f"{args.output} was not written")
    # Other fixtures write into the same folder at the same time: only this run's partial files.
    prefix = os.path.basename(args.output) + "."
    leftovers = [name for name in partial_files(os.path.dirname(os.path.abspath(args.output)))
                 if name.startswith(prefix)]
    expect(leftovers == [], f"partial files were left behind: {leftovers}")
    expect(os.listdir(tmp) == [], f"files written to the working directory: {os.listdir(tmp)}")


CHECKS = {
    "validate-reports-every-error": check_validate_reports_every_error,
    "validate-valid-config": check_validate_valid_config,
    "validate-missing-file": check_validate_missing_file,
    "run-bad-option": check_run_bad_option,
    "run-default-output": check_run_default_output,
    "run-interrupted": check_run_interrupted,
    "merge-interrupted": check_merge_interrupted,
    "seek-interrupted": check_seek_interrupted,
    "stdout-write-errors": check_stdout_write_errors,
    "run-concurrent-same-output": check_run_concurrent_same_output,
    "run-output-rules": check_run_output_rules,
    "run-bad-values": check_run_bad_values,
    "validate-hostile-inputs": check_validate_hostile_inputs,
    "info-corrupted-files": check_info_corrupted_files,
    "shipped-configs": check_shipped_configs,
    "info-missing-file": check_info_missing_file,
    "info-not-icsflow-file": check_info_not_icsflow_file,
    "info-results-file": check_info_results_file,
    "version": check_version,
    "models-and-params": check_models_and_params,
    "params-doc-current": check_params_doc_current,
    "compare": check_compare,
    "run-precision": check_run_precision,
    "seek-erlang-c": check_seek_erlang_c,
    "produce": produce,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--icsflow", required=True, help="the program under test")
    parser.add_argument("check", choices=sorted(CHECKS))
    parser.add_argument("--config", help="configuration file the check uses")
    parser.add_argument("--results", help="results file the check reads")
    parser.add_argument("--output", help="results file to write (produce)")
    parser.add_argument("--document", help="document the check compares (params-doc-current)")
    parser.add_argument("--signal", default="SIGINT",
                        help="signal that interrupts the run (run-interrupted)")
    parser.add_argument("--replications", type=int,
                        help="replications to ask for (run-interrupted)")
    parser.add_argument("--blmk-config", help="a BLMK configuration (validate-hostile-inputs)")
    parser.add_argument("--configs", help="the folder of shipped configurations (shipped-configs)")
    parser.add_argument("--copies", type=int, default=100,
                        help="damaged copies to try (info-corrupted-files)")
    parser.add_argument("--delay", type=float, default=0.0,
                        help="seconds between the .part file appearing and SIGINT "
                             "(run-interrupted)")
    # Everything after "--" is passed on to `icsflow run` (produce).
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    args = parser.parse_args(argv)
    args.extra = extra
    icsflow = os.path.abspath(args.icsflow)
    with tempfile.TemporaryDirectory(prefix="icsflow-cli-") as tmp:
        try:
            CHECKS[args.check](icsflow, args, tmp)
        except CheckFailed as failure:
            print(f"FAIL ({args.check}): {failure}")
            return 1
    print(f"OK ({args.check})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
