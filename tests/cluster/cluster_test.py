#!/usr/bin/python3
"""Checks of icsflow on clusters: MPI ranks, job-array parts and merge, interrupted and resumed
batches, the batch planner and the Slurm scripts.

    cluster_test.py --icsflow PROGRAM CHECK [options]

Every check runs in a fresh temporary directory and compares results files with
tests/python/compare_results.py (every dataset outside /runtime identical).
"""

import argparse
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from check_support import CheckFailed, expect, expect_exit, run_command  # noqa: E402
from compare_results import compare  # noqa: E402

import h5py  # noqa: E402

TIMEOUT = 600


def run(command, cwd, env=None, timeout=TIMEOUT):
    return run_command(command, cwd, timeout, env=env, shown_lines=40)


def expect_identical(a, b):
    layout, values = compare(a, b)
    expect(not layout and not values,
           f"{a} and {b} differ: layout {layout[:5]}, values {values[:5]}")
    print(f"  identical: {os.path.basename(a)} and {os.path.basename(b)}")


def icsflow_run(args, tmp, config, output, *extra, launcher=(), expect_code=0):
    result = run([*launcher, args.icsflow, "run", config, "-o", output, "--progress", "none",
                  *extra], tmp)
    expect_exit(result, expect_code)
    return result


def launcher_of(args, ranks):
    """mpiexec -n RANKS (with the CTest flags) as a list of words."""
    words = [args.mpiexec, args.numproc_flag, str(ranks)]
    words += shlex.split(args.mpiexec_preflags or "")
    if ranks > 2:
        words.append("--oversubscribe")
    return words


# ---------------------------------------------------------------------------------------------
def check_mpi_identical(args, tmp):
    """`mpiexec -n N icsflow run` gives the datasets of a single-process run, under both
    distribution policies, and records the ranks."""
    single = os.path.join(tmp, "single.h5")
    icsflow_run(args, tmp, args.config, single, "--threads", "2", *args.extra)
    for policy in ("chunks", "blocks"):
        output = os.path.join(tmp, f"mpi-{args.ranks}-{policy}.h5")
        result = icsflow_run(args, tmp, args.config, output, "--threads", "1",
                             "--distribution", policy, *args.extra,
                             launcher=launcher_of(args, args.ranks))
        expect(f"{args.ranks} ranks x 1 threads" in result.stdout,
               "the summary does not report the ranks")
        expect_identical(single, output)
        with h5py.File(output, "r") as f:
            expect(int(f.attrs["mpi_ranks"]) == args.ranks,
                   f"mpi_ranks = {f.attrs['mpi_ranks']}, expected {args.ranks}")
            expect(int(f.attrs["threads"]) == 1, "threads is not recorded as 1")
            expect(int(f["runtime"].attrs["ranks"]) == args.ranks, "/runtime ranks is wrong")
    expect(sorted(os.listdir(tmp)) == sorted(["single.h5", f"mpi-{args.ranks}-chunks.h5",
                                              f"mpi-{args.ranks}-blocks.h5"]),
           f"unexpected files left: {os.listdir(tmp)}")


def check_split_merge(args, tmp):
    """Parts computed with --replication-offset and joined with `icsflow merge` (given out of
    order) give the datasets of one run; each part holds exactly its replications."""
    whole = os.path.join(tmp, "whole.h5")
    icsflow_run(args, tmp, args.config, whole, "-r", "10", "--threads", "2")
    parts = []
    for first, count in ((0, 3), (3, 1), (4, 6)):
        part = os.path.join(tmp, f"part-{first}.h5")
        icsflow_run(args, tmp, args.config, part, "-r", str(count), "--replication-offset",
                    str(first), "--threads", "2")
        with h5py.File(part, "r") as f:
            expect(list(f["axes/replication"][:]) == list(range(first, first + count)),
                   f"{part} holds replications {list(f['axes/replication'][:])}")
            expect(int(f.attrs["first_replication"]) == first, "first_replication is wrong")
        parts.append(part)
    merged = os.path.join(tmp, "merged.h5")
    result = run([args.icsflow, "merge", parts[2], parts[0], parts[1], "-o", merged], tmp)
    expect_exit(result, 0)
    expect_identical(whole, merged)
    with h5py.File(whole, "r") as a, h5py.File(merged, "r") as b:
        expect(int(b.attrs["replications"]) == 10 and int(b.attrs["first_replication"]) == 0,
               "the merged file's replication attributes are wrong")
        expect(b["runtime/wall_seconds"].shape == (10,) and b["runtime/bytes"].shape == (10,),
               "the merged /runtime does not cover every replication")
        expect(list(a["runtime/bytes"][:]) == list(b["runtime/bytes"][:]),
               "bytes per replication differ between the run and the merge")


def check_merge_refuses(args, tmp):
    """Overlapping parts, a gap, another seed, another configuration, a file that is not
    results: exit 4 with a message naming the problem, and no output file."""
    def part(name, first, count, *extra, config=args.config):
        path = os.path.join(tmp, name)
        icsflow_run(args, tmp, config, path, "-r", str(count), "--replication-offset",
                    str(first), "--threads", "1", *extra)
        return path

    a = part("a.h5", 0, 4)
    overlapping = part("overlapping.h5", 3, 3)
    after_gap = part("after-gap.h5", 5, 2)
    other_seed = part("other-seed.h5", 4, 2, "--seed", "99")
    other_config = part("other-config.h5", 4, 2, config=args.other_config)
    not_results = os.path.join(tmp, "not-results.h5")
    with h5py.File(not_results, "w") as f:
        f.attrs["filetype"] = "something else"
    cases = [
        ([a, overlapping], r"'.*a\.h5' \(replications 0-3\) and '.*overlapping\.h5' "
                           r"\(replications 3-5\) overlap"),
        ([a, after_gap], r"replication 4 is in no part"),
        ([a, other_seed], r"the master seeds \(99, \d+\) differ"),
        ([a, other_config], r"differ"),
        ([a, not_results], r"is not an icsflow results file"),
        ([a, a], r"overlap"),
    ]
    for parts, pattern in cases:
        merged = os.path.join(tmp, "merged.h5")
        result = run([args.icsflow, "merge", *parts, "-o", merged], tmp)
        expect_exit(result, 4)
        expect(re.search(pattern, result.stderr), f"stderr does not match /{pattern}/")
        expect(not os.path.exists(merged) and not os.path.exists(merged + ".part"),
               "a merged file was left behind")


def checkpoint_header_size(checkpoint):
    """Bytes before the first record: magic line, identity length, identity."""
    with open(checkpoint, "rb") as f:
        head = f.read(29)
    if len(head) < 29:
        return None
    return 21 + 8 + int.from_bytes(head[21:29], "little")


def wait_for_records(checkpoint, process):
    """Waits until the checkpoint holds at least one finished replication."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        if os.path.exists(checkpoint):
            header = checkpoint_header_size(checkpoint)
            # A record: replication, length, result (at least a few hundred bytes), checksum.
            if header is not None and os.path.getsize(checkpoint) > header + 200:
                return
        expect(process.poll() is None, f"icsflow ended (exit {process.returncode}) before it was "
               "interrupted")
        expect(time.monotonic() < deadline, f"{checkpoint} did not grow")
        time.sleep(0.01)


def check_resume(args, tmp):
    """A batch interrupted by SIGTERM keeps its finished replications in a checkpoint; `--resume`
    computes only the others, and the file equals an uninterrupted run's."""
    launcher = launcher_of(args, args.ranks) if args.ranks > 1 else []
    threads = "1" if args.ranks > 1 else "2"
    reference = os.path.join(tmp, "reference.h5")
    icsflow_run(args, tmp, args.config, reference, "--threads", "2", *args.extra)
    with h5py.File(reference, "r") as f:
        total = int(f.attrs["replications"])

    output = os.path.join(tmp, "interrupted.h5")
    checkpoint = output + ".checkpoint"
    command = [*launcher, args.icsflow, "run", args.config, "-o", output, "--threads", threads,
               "--progress", "none", *args.extra]
    print(f"$ {' '.join(command)}")
    process = subprocess.Popen(command, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        # The header is a few kB (the resolved configuration); a record is larger than 100 B.
        wait_for_records(checkpoint, process)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    print(f"  exit {process.returncode}\n  stderr: {stderr!r}")
    expect(process.returncode != 0, "the interrupted run reported success")
    match = re.search(r"(\d+) of (\d+) replications finished and are kept in", stderr)
    expect(match, "stderr does not say how many replications the checkpoint keeps")
    kept = int(match.group(1))
    expect(0 < kept < total, f"{kept} of {total} kept: the interrupt did not land mid-batch")
    expect(not os.path.exists(output), "a results file was written by the interrupted run")
    expect(os.path.exists(checkpoint), "no checkpoint was kept")

    result = icsflow_run(args, tmp, args.config, output, "--threads", threads, "--resume",
                         *args.extra, launcher=launcher)
    match = re.search(r"(\d+) replications taken from .*, (\d+) computed now", result.stderr)
    expect(match, "the resumed run does not report what it took from the checkpoint")
    expect(int(match.group(1)) == kept, f"{match.group(1)} taken, {kept} were kept")
    expect(int(match.group(2)) == total - kept,
           f"{match.group(2)} computed now, expected {total - kept}: finished work was redone")
    if result.stdout:  # rank 0's summary names the replications in the file, not those computed
        expect(f": {total} replications of" in result.stdout,
               f"the summary does not count the {total} replications in the file")
    expect(not os.path.exists(checkpoint), "the checkpoint was not removed after the results "
           "file was written")
    expect_identical(reference, output)


def check_resume_refuses_other_batch(args, tmp):
    """--resume with a checkpoint of another batch (another seed): exit 4, checkpoint kept; a run
    without --resume does not overwrite a checkpoint; a second --resume while one runs: exit 4."""
    output = os.path.join(tmp, "out.h5")
    checkpoint = output + ".checkpoint"
    command = [args.icsflow, "run", args.config, "-o", output, "--threads", "2", "--progress",
               "none"]
    process = subprocess.Popen(command, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        wait_for_records(checkpoint, process)
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    expect(os.path.exists(checkpoint), "no checkpoint was kept")
    size = os.path.getsize(checkpoint)
    result = icsflow_run(args, tmp, args.config, output, "--seed", "5", "--resume",
                         expect_code=4)
    expect("belongs to another batch (checkpoint has 'seed = " in result.stderr,
           "the refusal does not name the difference")
    result = icsflow_run(args, tmp, args.config, output, expect_code=4)
    expect("already exists" in result.stderr and "--resume" in result.stderr,
           "a run without --resume does not explain the existing checkpoint")
    expect(os.path.getsize(checkpoint) == size, "the checkpoint was changed")

    # While another run holds the checkpoint (resuming it, or still writing it), a --resume of
    # it is refused at once: both would append to one checkpoint. The other run is stood for by
    # this test holding the same lock, so that nothing depends on timing.
    import fcntl
    with open(checkpoint, "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = icsflow_run(args, tmp, args.config, output, "--resume", expect_code=4)
        expect("is in use by another run of this batch" in result.stderr,
               "a --resume of a checkpoint in use was not refused as such")
    expect(os.path.getsize(checkpoint) == size, "the refused --resume changed the checkpoint")
    icsflow_run(args, tmp, args.config, output, "--resume")
    expect(not os.path.exists(checkpoint), "the finished --resume left its checkpoint")


def plan(args, tmp, *extra):
    result = run([args.icsflow, "plan-cluster", *extra], tmp)
    expect_exit(result, 0)
    rows = {}
    for line in result.stdout.splitlines():
        m = re.match(r"(\d+) x (\d+)\s+(\d+)\s+(chunks|blocks|-)\s+(\S+)\s+([\d.]+)%", line)
        if m:
            rows[(int(m.group(1)), int(m.group(2)), m.group(4))] = (m.group(5),
                                                                    float(m.group(6)))
    return result, rows


def check_plan_exact(args, tmp):
    """The planner against exact answers: a 2-core host, no launch time, 1 s per replication and
    no bytes: 10 replications take 10 s on 1 thread, 5 s on 2 threads or 2 ranks; 11 take 6 s."""
    common = ["--platform", args.platform, "--seconds-per-replication", "1",
              "--bytes-per-replication", "0"]
    _, rows = plan(args, tmp, *common, "-r", "10", "--layout", "1x1", "--layout", "1x2",
                   "--layout", "2x1:chunks", "--layout", "2x1:blocks")
    expect(rows.get((1, 1, "-"), ("",))[0] == "10.0s", f"1 x 1: {rows.get((1, 1, '-'))}")
    expect(rows.get((1, 2, "-"), ("",))[0] == "5.0s", f"1 x 2: {rows.get((1, 2, '-'))}")
    expect(rows.get((2, 1, "chunks"), ("",))[0] == "5.0s", f"2 x 1: {rows.get((2, 1, 'chunks'))}")
    expect(rows.get((2, 1, "blocks"), ("",))[0] == "5.0s", f"2 x 1: {rows.get((2, 1, 'blocks'))}")
    expect(abs(rows[(1, 2, "-")][1] - 100.0) < 0.2, "efficiency of 1 x 2 is not 100%")
    result, rows = plan(args, tmp, *common, "-r", "11", "--layout", "1x2", "--deadline", "5.5s")
    expect(rows.get((1, 2, "-"), ("",))[0] == "6.0s", f"1 x 2, 11 replications: {rows}")
    expect("no layout meets the deadline" in result.stdout, "a missed deadline is not reported")


def check_plan_profile(args, tmp):
    """The planner reads a results file's /runtime and simulates the 64-node platform; with a
    generous deadline it recommends fewer cores than the fastest layout."""
    profile = os.path.join(tmp, "profile.h5")
    icsflow_run(args, tmp, args.config, profile, "--threads", "2")
    result, rows = plan(args, tmp, "--platform", args.platform, "-r", "2000", "--profile",
                        profile, "--deadline", "10h", "--layout", "32x1", "--layout", "512x1",
                        "--layout", "512x1:blocks")
    expect(len(rows) == 3, f"expected 3 layouts, got {rows}")
    expect("64 compute hosts of 32 cores" in result.stdout, "the platform is not described")
    expect(re.search(r"recommended for a deadline of 10h00m: 32 x 1 \(chunks\) on 1 node",
                     result.stdout), "the recommendation is not the smallest layout")
    bad = run([args.icsflow, "plan-cluster", "--platform", args.platform, "-r", "10",
               "--profile", args.config], tmp)
    expect_exit(bad, 4)


def check_slurm_scripts(args, tmp):
    """The Slurm scripts run with bash as Slurm would run them (SLURM_* variables set, `srun`
    standing for mpiexec): the MPI job, a job array of 3 tasks and its merge give the file of a
    single run."""
    scripts = args.slurm_dir
    reference = os.path.join(tmp, "reference.h5")
    icsflow_run(args, tmp, args.config, reference, "-r", "7", "--threads", "2")
    bin_dir = os.path.join(tmp, "bin")
    os.makedirs(bin_dir)
    with open(os.path.join(bin_dir, "srun"), "w") as f:
        f.write("#!/bin/sh\n# srun for the test: drop srun's options, run under mpiexec\n"
                "while [ $# -gt 0 ] && [ \"${1#--}\" != \"$1\" ]; do shift; done\n"
                f"exec {' '.join(shlex.quote(w) for w in launcher_of(args, 2))} \"$@\"\n")
    os.chmod(os.path.join(bin_dir, "srun"), 0o755)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"],
               ICSFLOW=args.icsflow, ICSFLOW_CONFIG=args.config, ICSFLOW_REPLICATIONS="7")

    mpi_output = os.path.join(tmp, "mpi.h5")
    result = run(["bash", os.path.join(scripts, "icsflow-mpi.sbatch")], tmp,
                 env=dict(env, SLURM_JOB_ID="41", SLURM_NTASKS="2", SLURM_CPUS_PER_TASK="1",
                          ICSFLOW_OUTPUT=mpi_output))
    expect_exit(result, 0)
    expect_identical(reference, mpi_output)

    parts = os.path.join(tmp, "parts")
    for task in range(3):
        result = run(["bash", os.path.join(scripts, "icsflow-array.sbatch")], tmp,
                     env=dict(env, SLURM_ARRAY_TASK_ID=str(task), SLURM_ARRAY_TASK_MIN="0",
                              SLURM_ARRAY_TASK_COUNT="3", SLURM_CPUS_PER_TASK="2",
                              ICSFLOW_PARTS=parts))
        expect_exit(result, 0)
    expect(sorted(os.listdir(parts)) == [f"part-{k:06d}.h5" for k in range(3)],
           f"unexpected part files {os.listdir(parts)}")
    merged = os.path.join(tmp, "merged.h5")
    result = run(["bash", os.path.join(scripts, "icsflow-merge.sbatch")], tmp,
                 env=dict(env, ICSFLOW_PARTS=parts, ICSFLOW_OUTPUT=merged))
    expect_exit(result, 0)
    expect_identical(reference, merged)
    # More tasks than replications: a task without work says so and fails.
    result = run(["bash", os.path.join(scripts, "icsflow-array.sbatch")], tmp,
                 env=dict(env, SLURM_ARRAY_TASK_ID="0", SLURM_ARRAY_TASK_COUNT="9",
                          ICSFLOW_PARTS=parts))
    expect_exit(result, 2)
    for script in ("icsflow-mpi.sbatch", "icsflow-array.sbatch", "icsflow-merge.sbatch",
                   "submit-array.sh"):
        syntax = run(["bash", "-n", os.path.join(scripts, script)], tmp)
        expect_exit(syntax, 0)


def check_mpi_errors(args, tmp):
    """Under mpiexec: an invalid configuration exits 3 with its errors printed once (by rank 0);
    a failure on rank 0 alone (a checkpoint in the way) ends every rank with exit 4."""
    launcher = launcher_of(args, 2)
    result = run([*launcher, args.icsflow, "run", args.bad_config, "-o", "x.h5"], tmp)
    expect_exit(result, 3)
    expect(result.stderr.count("icsflow: the configuration has") == 1,
           "the configuration errors are not reported exactly once")
    output = os.path.join(tmp, "out.h5")
    with open(output + ".checkpoint", "w") as f:
        f.write("not finished work, but in the way")
    result = run([*launcher, args.icsflow, "run", args.config, "-o", output, "--progress",
                  "none"], tmp)
    expect_exit(result, 4)
    expect("already exists" in result.stderr, "the checkpoint in the way is not reported")
    expect(not os.path.exists(output) and not os.path.exists(output + ".part"),
           "a results file was left behind")


def alive(pid):
    """True while process `pid` runs (a zombie no longer does)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in f)
    except OSError:
        return False


class LocalSlurm:
    """A single-node Slurm (slurmctld + slurmd on this host) with its own munged, configuration,
    spool and ports under `root`; stopped on exit. Needs root."""

    def __init__(self, root):
        self.root = root
        self.conf = os.path.join(root, "slurm.conf")
        self.socket = os.path.join(root, "munge.socket")
        self.env = dict(os.environ, SLURM_CONF=self.conf)

    @staticmethod
    def free_port():
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def start(self):
        host = subprocess.run(["hostname", "-s"], capture_output=True, text=True).stdout.strip()
        for d in ("state", "spool"):
            os.makedirs(os.path.join(self.root, d))
        subprocess.run(["/usr/sbin/munged", "--force", "--socket", self.socket,
                        "--pid-file", os.path.join(self.root, "munged.pid"),
                        "--seed-file", os.path.join(self.root, "munged.seed"),
                        "--log-file", os.path.join(self.root, "munged.log")], check=True)
        r = self.root
        with open(self.conf, "w") as f:
            f.write(f"""ClusterName=icsflowtest
SlurmctldHost={host}
SlurmUser=root
SlurmdUser=root
SlurmctldPort={self.free_port()}
SlurmdPort={self.free_port()}
AuthType=auth/munge
AuthInfo=socket={self.socket}
StateSaveLocation={r}/state
SlurmdSpoolDir={r}/spool
SlurmctldPidFile={r}/slurmctld.pid
SlurmdPidFile={r}/slurmd.pid
SlurmctldLogFile={r}/slurmctld.log
SlurmdLogFile={r}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
KillWait=30
NodeName={host} CPUs={os.cpu_count()} State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
""")
        subprocess.run(["/usr/sbin/slurmctld", "-f", self.conf], check=True, env=self.env)
        subprocess.run(["/usr/sbin/slurmd", "-f", self.conf], check=True, env=self.env)
        deadline = time.monotonic() + 60
        while True:
            state = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True,
                                   env=self.env).stdout.strip()
            if state == "idle":
                return
            expect(time.monotonic() < deadline, f"the node did not become idle ({state!r})")
            time.sleep(0.5)

    def stop(self):
        """Ends the daemons and waits until they are gone (they write to the directory)."""
        subprocess.run(["scontrol", "shutdown"], env=self.env, capture_output=True)
        for name in ("slurmd.pid", "slurmctld.pid", "munged.pid"):
            try:
                with open(os.path.join(self.root, name)) as f:
                    pid = int(f.read().strip())
                os.kill(pid, signal.SIGTERM)
            except (OSError, ValueError):
                continue
            deadline = time.monotonic() + 30
            while alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)

    def wait_idle(self, timeout=120):
        deadline = time.monotonic() + timeout
        while True:
            queue = subprocess.run(["squeue", "-h", "-o", "%i %T %r"], capture_output=True,
                                   text=True, env=self.env).stdout.strip()
            if not queue:
                return
            expect(time.monotonic() < deadline, f"jobs did not finish: {queue}")
            time.sleep(0.5)


def check_slurm_cluster(args, tmp):
    """The Slurm scripts on a real single-node Slurm: the MPI job (srun, 2 ranks), the job array
    and its merge submitted by submit-array.sh, and an MPI job signalled with SIGTERM as at its
    time limit, then submitted again to finish with --resume; each file equals one run's."""
    slurm = LocalSlurm(os.path.join(tmp, "slurm"))
    try:
        slurm.start()
        scripts = args.slurm_dir
        env = dict(slurm.env, ICSFLOW=args.icsflow, ICSFLOW_CONFIG=args.config,
                   ICSFLOW_REPLICATIONS="7")
        small = ["--nodes=1", "--ntasks-per-node=2", "--cpus-per-task=1", "--time=10"]
        reference = os.path.join(tmp, "reference.h5")
        icsflow_run(args, tmp, args.config, reference, "-r", "7", "--threads", "2")

        mpi_output = os.path.join(tmp, "mpi.h5")
        result = run(["sbatch", "--wait", *small, f"--output={tmp}/mpi-%j.log",
                      os.path.join(scripts, "icsflow-mpi.sbatch")], tmp,
                     env=dict(env, ICSFLOW_OUTPUT=mpi_output))
        expect_exit(result, 0)
        expect_identical(reference, mpi_output)
        with h5py.File(mpi_output, "r") as f:
            expect(int(f.attrs["mpi_ranks"]) == 2, "the Slurm job did not run on 2 ranks")

        merged = os.path.join(tmp, "array.h5")
        result = run(["sh", os.path.join(scripts, "submit-array.sh"), args.config, "7", "3",
                      merged, "--cpus-per-task=1", "--time=10", f"--output={tmp}/array-%j.log"],
                     tmp, env=env)
        expect_exit(result, 0)
        slurm.wait_idle()
        expect(os.path.exists(merged), "the merge job did not write the merged file")
        expect_identical(reference, merged)

        # SIGTERM to the job's steps, as Slurm sends at the time limit.
        long_reference = os.path.join(tmp, "long-reference.h5")
        icsflow_run(args, tmp, args.resume_config, long_reference, "-r", "60", "--threads", "2")
        long_output = os.path.join(tmp, "long.h5")
        long_env = dict(env, ICSFLOW_CONFIG=args.resume_config, ICSFLOW_REPLICATIONS="60",
                        ICSFLOW_OUTPUT=long_output)
        submitted = run(["sbatch", "--parsable", *small, f"--output={tmp}/long-%j.log",
                         os.path.join(scripts, "icsflow-mpi.sbatch")], tmp, env=long_env)
        expect_exit(submitted, 0)
        job = submitted.stdout.strip().split(";")[0]
        deadline = time.monotonic() + TIMEOUT
        checkpoint = long_output + ".checkpoint"
        while True:
            header = checkpoint_header_size(checkpoint) if os.path.exists(checkpoint) else None
            if header is not None and os.path.getsize(checkpoint) > header + 200:
                break
            expect(time.monotonic() < deadline, "the job wrote no checkpoint")
            time.sleep(0.05)
        expect_exit(run(["scancel", "--signal=TERM", job], tmp, env=slurm.env), 0)
        slurm.wait_idle()
        expect(not os.path.exists(long_output), "the signalled job wrote a results file")
        expect(os.path.exists(checkpoint), "the signalled job kept no checkpoint")
        with open(os.path.join(tmp, f"long-{job}.log")) as f:
            log = f.read()
        print(log)
        expect("replications finished and are kept in" in log, "the job log does not say what "
               "was kept")
        result = run(["sbatch", "--wait", *small, f"--output={tmp}/long-again-%j.log",
                      os.path.join(scripts, "icsflow-mpi.sbatch")], tmp, env=long_env)
        expect_exit(result, 0)
        expect_identical(long_reference, long_output)
        expect(not os.path.exists(checkpoint), "the checkpoint was not removed")
    finally:
        slurm.stop()


CHECKS = {
    "slurm-cluster": check_slurm_cluster,
    "mpi-errors": check_mpi_errors,
    "mpi-identical": check_mpi_identical,
    "split-merge": check_split_merge,
    "merge-refuses": check_merge_refuses,
    "resume": check_resume,
    "resume-refuses-other-batch": check_resume_refuses_other_batch,
    "plan-exact": check_plan_exact,
    "plan-profile": check_plan_profile,
    "slurm-scripts": check_slurm_scripts,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--icsflow", required=True)
    parser.add_argument("check", choices=sorted(CHECKS))
    parser.add_argument("--config")
    parser.add_argument("--other-config")
    parser.add_argument("--bad-config")
    parser.add_argument("--resume-config")
    parser.add_argument("--platform")
    parser.add_argument("--slurm-dir")
    parser.add_argument("--ranks", type=int, default=1)
    parser.add_argument("--mpiexec", default="mpiexec")
    parser.add_argument("--numproc-flag", default="-n")
    parser.add_argument("--mpiexec-preflags", default="")
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    args = parser.parse_args(argv)
    args.extra = extra
    args.icsflow = os.path.abspath(args.icsflow)
    with tempfile.TemporaryDirectory(prefix="icsflow-cluster-") as tmp:
        try:
            CHECKS[args.check](args, tmp)
        except CheckFailed as failure:
            print(f"FAIL ({args.check}): {failure}")
            return 1
    print(f"OK ({args.check})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
