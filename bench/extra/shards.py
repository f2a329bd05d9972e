"""Scale-out on one machine: the cisco workload's pipeline (eg-sample | eg-rate --shard I/N | eg-tokenize |
eg-ship into a file) run as 1, 2 and 4 concurrent shards of the same 2,000,000-event run. Every shard
runs all four tools, so on a 2-core machine the total is bounded by the cores, not by the shard count;
on N machines each shard gets its own. The union of the shards' line counts must equal the unsharded run's."""
import os, statistics, subprocess, time
from benchlib import NOW, RUNS, SEED, lines, out, tool

ORDER = 60
ABOUT = "1, 2 and 4 concurrent shards of one cisco run"
SHARDS = (1, 2, 4)
RATE = "--end 100"


def pipeline(i, n, path):
    shard = f"--shard {i}/{n}" if n > 1 else ""
    return (f"{tool('eg-sample')} bench/cisco | {tool('eg-rate')} --now {NOW} --seed {SEED} {RATE} {shard} | "
            f"{tool('eg-tokenize')} --seed {SEED} | {tool('eg-ship')} --output file --file {path} 2>/dev/null")


def once(n):
    paths = [out(f"shards.{n}.{i}.log") for i in range(n)]
    for p in paths:
        if os.path.exists(p):
            os.remove(p)
    t0 = time.perf_counter()
    procs = [subprocess.Popen(["bash", "-o", "pipefail", "-c", pipeline(i, n, p)]) for i, p in enumerate(paths)]
    codes = [p.wait() for p in procs]
    secs = time.perf_counter() - t0
    if any(codes):
        raise SystemExit(f"shards bench: a shard of {n} failed: exit codes {codes}")
    counts = [lines(p) for p in paths]
    for p in paths:
        os.remove(p)
    return secs, counts


def run():
    result = {}
    total = None
    for n in SHARDS:
        runs = [once(n) for _ in range(RUNS)]
        secs = statistics.median(r[0] for r in runs)
        counts = runs[0][1]
        if total is None:
            total = sum(counts)
        if sum(counts) != total:
            raise SystemExit(f"shards bench: {n} shards wrote {sum(counts)} events, the unsharded run {total}")
        result[str(n)] = {"seconds": round(secs, 3), "events": sum(counts),
                          "events_per_s": round(sum(counts) / secs),
                          "per_shard_events_per_s": round(sum(counts) / secs / n)}
    return {"shards": result}


def report(r):
    rows = ["shards  events      seconds  events/s total  events/s per shard"]
    for n, v in r["shards"].items():
        rows.append(f"{n:>6}  {v['events']:>10,}  {v['seconds']:>7}  {v['events_per_s']:>14,}  {v['per_shard_events_per_s']:>18,}")
    return rows
