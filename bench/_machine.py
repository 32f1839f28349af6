"""The machine a benchmark ran on, with a speed reading, so figures from different runs (and
different days: this machine's host is shared and its speed varies) can be compared."""

import os
import platform
import statistics
import sys
import time
from pathlib import Path


def python_speed() -> dict:
    """Seconds for a fixed pure-Python loop (ten million additions), median of five runs. On
    this 2-core machine it has read between 0.45 and 1.6 seconds on different days."""
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        runs.append(time.perf_counter() - started)
    return {"loop_10m_additions_seconds": round(statistics.median(runs), 3)}


def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "speed": python_speed(),
    }
