"""What the machine does during the load benchmark (Linux /proc): CPU time of the machine and
of process trees, resident memory, the load average sampled."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) CPU time of the machine since boot, in clock ticks (Linux)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])
    return total - idle, total


def process_tree_jiffies(root: int) -> int:
    """CPU time (user + system, with reaped children) of a process and its descendants."""
    stats: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        rest = raw[raw.rindex(")") + 2 :].split()
        ppid = int(rest[1])
        used = sum(int(x) for x in rest[11:15])  # utime, stime, cutime, cstime
        stats[int(entry.name)] = (ppid, used)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, (0, 0))[1]
        todo += [child for child, (ppid, _) in stats.items() if ppid == pid]
    return total


class Sampler(threading.Thread):
    """Samples the 1-minute load average every few seconds."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.loads: list[float] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(5):
            self.loads.append(os.getloadavg()[0])


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if (
                entry.name.isdigit()
                and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid
            ):
                found.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of a process, in MB: now (``VmRSS``) or its peak (``VmHWM``); 0 when
    the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in text.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory of a process since it started, in MB."""
    return rss_mb(pid, "VmHWM")
