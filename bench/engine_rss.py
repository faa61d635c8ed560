"""Run one engine command in a separate process and read its peak memory (RSS)."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

# The process's own high-water mark (VmHWM), not getrusage's ru_maxrss: Linux carries ru_maxrss over
# fork and exec, so a child of a large parent would report the parent's peak.
_CODE = (
    "import runpy, sys; sys.argv = ['core', sys.argv[1], '--job', sys.argv[2]];"
    "\ntry:\n runpy.run_module('glacier_terminus.core', run_name='__main__')"
    "\nfinally:\n print('PEAK_RSS_KB', [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0],"
    " file=sys.stderr)"
)


def engine_peak_rss(command: str, job: dict, jobfile: Path) -> tuple[float, float, dict]:
    """``(peak RSS in MB, seconds, result)`` of ``python -m glacier_terminus.core <command>`` on ``job``."""
    jobfile.write_text(json.dumps(job))
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CODE, command, str(jobfile)], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    rss = [line for line in proc.stderr.splitlines() if line.startswith("PEAK_RSS_KB")]
    results = [json.loads(line)["result"] for line in proc.stdout.splitlines() if line.startswith('{"result"')]
    if proc.returncode != 0 or not rss or not results:
        raise RuntimeError(f"engine failed: {proc.stdout[-2000:]} {proc.stderr[-2000:]}")
    return int(rss[-1].split()[1]) / 1024, seconds, results[-1]
