"""Load generation for bench/sparql_http.py: wrk (or Python threads), latency quantiles, and
what else the machine was doing while we measured.

Each run yields a ``Run``: requests, errors, duration and 1,000 latency quantiles (each
standing for 0.1% of the requests), so runs made in slices merge into one distribution.
"""

from __future__ import annotations

import http.client
import os
import resource
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

POINTS = 1000
ACCEPT = "application/sparql-results+json"
_LUA = (
    f'wrk.headers["Accept"] = "{ACCEPT}"\n'
    "done = function(summary, latency, requests)\n"
    "  local e = summary.errors\n"
    '  io.write(string.format("LEGKG %d %d %d", summary.requests, summary.duration,\n'
    "    e.connect + e.read + e.write + e.timeout + e.status))\n"
    f"  for i = 1, {POINTS} do\n"
    f'    io.write(string.format(" %d", latency:percentile((i - 0.5) * 100 / {POINTS})))\n'
    "  end\n"
    '  io.write("\\n")\n'
    "end\n"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Run:
    """One measurement: ``quantiles`` are latencies in ms, one per 1/POINTS of requests."""

    requests: int
    seconds: float
    errors: int
    quantiles: list[float] = field(default_factory=list)

    @property
    def rps(self) -> float:
        """Successful responses per second (errors do not count)."""
        return max(0, self.requests - self.errors) / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.quantiles:
            return float("nan")
        return self.quantiles[min(len(self.quantiles) - 1, int(q * len(self.quantiles)))]

    @property
    def p50(self) -> float:
        return self.pct(0.50)

    @property
    def p99(self) -> float:
        return self.pct(0.99)

    @staticmethod
    def merge(runs: list[Run]) -> Run:
        """Runs made in slices as one: each quantile weighted by its run's requests."""
        points = sorted((q, r.requests) for r in runs for q in r.quantiles)
        total = sum(w for _, w in points)
        merged, seen, step = [], 0.0, total / POINTS if total else 0
        for value, weight in points:
            seen += weight
            while step and len(merged) < POINTS and seen >= step * (len(merged) + 0.5):
                merged.append(value)
        return Run(
            sum(r.requests for r in runs),
            sum(r.seconds for r in runs),
            sum(r.errors for r in runs),
            merged,
        )


def wrk_run(port: int, query: str, clients: int, seconds: float) -> Run:
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA)
    try:
        # wrk takes whole seconds only; the Run keeps the duration wrk measured
        cmd = ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "30s"]
        out = subprocess.run([*cmd, "-s", script.name, url], capture_output=True, text=True)
    finally:
        os.unlink(script.name)
    line = next((x for x in out.stdout.splitlines() if x.startswith("LEGKG ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {out.stderr or out.stdout}")
    fields = [int(x) for x in line.split()[1:]]
    requests, duration_us, errors = fields[:3]
    return Run(requests, duration_us / 1e6, errors, [us / 1000 for us in fields[3:]])


def python_run(port: int, query: str, clients: int, seconds: float) -> Run:
    """Fallback load: ``clients`` keep-alive threads (the generator competes for the CPU)."""
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept": ACCEPT})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
            if ok:
                mine.append((time.perf_counter() - start) * 1000)
            with lock:
                errors[0] += not ok
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    n = len(latencies)
    quantiles = (
        [latencies[min(n - 1, int((i + 0.5) * n / POINTS))] for i in range(POINTS)] if n else []
    )
    return Run(n + errors[0], seconds, errors[0], quantiles)


def _tree_cpu(pid: int) -> float:
    """CPU seconds used so far by ``pid`` and its descendants (alive ones)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == parent and p not in tree]
        tree.update(kids)
        frontier.extend(kids)
    return sum(times.get(p, 0.0) for p in tree)


def _busy_cpu() -> float:
    """CPU seconds the whole machine has been busy (all cores)."""
    with open("/proc/stat") as f:
        values = [int(x) for x in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class Meter:
    """Runs loads and accounts the CPU: server, load generator, everything else."""

    def __init__(self, servers: dict[str, subprocess.Popen], use_wrk: bool) -> None:
        self.servers = servers
        self.use_wrk = use_wrk
        self.wall = self.gen = self.other = 0.0
        self.other_max = 0.0
        self.loadavg_start = os.getloadavg()

    def run(self, server: tuple[int, int], query: str, clients: int, seconds: float) -> Run:
        pid, port = server
        settle(pid)
        others = [p.pid for p in self.servers.values() if p.pid != pid]
        server0, others0, busy0 = _tree_cpu(pid), sum(map(_tree_cpu, others)), _busy_cpu()
        kids0, wall0 = _children_cpu(), time.monotonic()
        load = wrk_run if self.use_wrk else python_run
        result = load(port, query, clients, seconds)
        wall = time.monotonic() - wall0
        gen = _children_cpu() - kids0
        server = _tree_cpu(pid) - server0 + sum(map(_tree_cpu, others)) - others0
        other = max(0.0, _busy_cpu() - busy0 - server - gen)
        self.wall += wall
        self.gen += gen
        self.other += other
        self.other_max = max(self.other_max, other / wall)
        return result

    def note(self) -> str:
        cores = os.cpu_count() or 1
        end = os.getloadavg()
        return (
            f"load generator {100 * self.gen / self.wall:.0f}% of one core; other processes "
            f"{100 * self.other / self.wall:.0f}% of one core on average (worst slice "
            f"{100 * self.other_max:.0f}%) out of {cores} cores; load average "
            f"{self.loadavg_start[0]:.1f} at start, {end[0]:.1f} at end"
        )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def settle(pid: int, limit: float = 60.0) -> None:
    """Wait until the server has finished the requests a previous load left behind."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = _tree_cpu(pid)
        time.sleep(0.25)
        if _tree_cpu(pid) - before < 0.01:
            return
