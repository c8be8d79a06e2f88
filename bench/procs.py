"""Process helpers for the benchmarks: free ports, a server's processes and their RSS."""

from __future__ import annotations

import socket
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    """Child processes of ``pid``, forked by any of its threads."""
    found: list[int] = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found.extend(int(p) for p in path.read_text().split())
        except OSError:  # the thread has gone
            continue
    return found


def alive(pid: int) -> bool:
    """Running, not gone and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def server_processes(master: int) -> list[int]:
    """The server workers of ``master`` and their query processes (all descendants)."""
    found, todo = [], children(master)
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children(pid))
    return sorted(found)


def rss_mb(pid: int) -> float:
    """Resident set size in MB (VmRSS; pages shared with the master count in full)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def pss_mb(pid: int) -> float:
    """Proportional set size in MB: shared pages divided among their sharers."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
