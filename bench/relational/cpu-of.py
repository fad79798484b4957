#!/usr/bin/env python3
"""CPU-seconds of a command and of the database processes that work for it (issue 21).

  bench/relational/cpu-of.py --pg-database DB COMMAND...

Runs COMMAND, exits with its exit code, and prints on stderr one line of key=value pairs: its wall
time and the CPU-seconds (user + system) of:

  client    COMMAND and every child it waited for (getrusage), e.g. the `ferry` JVM
  mariadb   the whole mariadbd process (every thread: the connections' and InnoDB's own), the
            difference of /proc/<pid>/stat before and after
  pg        the PostgreSQL backends connected to DB and the parallel workers they started
            (pg_leader / pg_workers: each part), sampled from /proc every 20 ms while COMMAND
            runs: a process's CPU is its last sample, so a worker's final < 20 ms may be missed
  busy      how busy all the machine's CPUs were meanwhile (%), whoever used them

On a machine shared with other work, `mariadb` holds the other work's queries too; compare runs
interleaved, and read `busy` beside it. Linux only.
"""

import os
import re
import resource
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def stat(pid):
    """(comm, ppid, utime+stime in ticks) of a process or thread, None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return None
    comm = s[s.index("(") + 1 : s.rindex(")")]
    fields = s[s.rindex(")") + 2 :].split()
    return comm, int(fields[1]), int(fields[11]) + int(fields[12])


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def pid_of(name):
    for p in os.listdir("/proc"):
        if p.isdigit() and (s := stat(p)) and s[0] == name and s[1] == 1:
            return int(p)
    return None


def cpu_ticks():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v), v[3] + v[4]


def main(argv):
    if len(argv) < 3 or argv[0] != "--pg-database":
        sys.exit(__doc__)
    database, command = argv[1], argv[2:]
    postmaster = pid_of("postgres")
    mariadbd = pid_of("mariadbd")
    backend = re.compile(r"^postgres: (?:\S+: )?\S+ " + re.escape(database) + r" ")
    worker = re.compile(r"^postgres: (?:\S+: )?parallel worker for PID (\d+)")
    leaders, workers = {}, {}  # pid -> (ticks at first sight, last ticks)

    def sample():
        kids = []
        for p in os.listdir("/proc"):
            if p.isdigit() and (s := stat(p)) and s[1] == postmaster:
                kids.append((int(p), s[2]))
        for pid, ticks in kids:
            if pid in leaders:
                leaders[pid] = (leaders[pid][0], ticks)
            elif backend.match(cmdline(pid)):
                leaders[pid] = (0, ticks)  # connected while COMMAND runs: all its CPU
        for pid, ticks in kids:
            m = worker.match(cmdline(pid))
            if m and int(m.group(1)) in leaders:
                workers[pid] = (workers.get(pid, (0, 0))[0], ticks)

    # Backends of DB already connected before COMMAND count from their CPU now.
    for p in os.listdir("/proc"):
        if p.isdigit() and (s := stat(p)) and s[1] == postmaster and backend.match(cmdline(p)):
            leaders[int(p)] = (s[2], s[2])
    m0 = stat(mariadbd)[2] if mariadbd else 0
    c0 = cpu_ticks()
    u0 = resource.getrusage(resource.RUSAGE_CHILDREN)  # e.g. a launcher's before it exec'd us
    start = time.monotonic()
    proc = subprocess.Popen(command)
    while proc.poll() is None:
        sample()
        time.sleep(0.02)
    wall = time.monotonic() - start
    c1 = cpu_ticks()
    m1 = stat(mariadbd)[2] if mariadbd else 0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    client = usage.ru_utime + usage.ru_stime - u0.ru_utime - u0.ru_stime
    leader = sum(last - first for first, last in leaders.values()) / TICK
    work = sum(last - first for first, last in workers.values()) / TICK
    total = c1[0] - c0[0]
    busy = 100 * (total - (c1[1] - c0[1])) / total if total else 0
    print(
        f"exit={proc.returncode} wall={wall:.2f} client={client:.2f}"
        f" mariadb={(m1 - m0) / TICK:.2f} pg={leader + work:.2f} pg_leader={leader:.2f}"
        f" pg_workers={work:.2f} pg_backends={len(leaders)} pg_worker_processes={len(workers)}"
        f" busy={busy:.0f}%",
        file=sys.stderr,
    )
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
