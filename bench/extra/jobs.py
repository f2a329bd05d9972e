"""One machine, many cores: eg-tokenize --jobs 1, 2 and 4 over the same recorded input (the json
workload, ECS-style events with 10 tokens, and the jinja workload, a generator = jinja template), its
output into a file. Every job count must write the same bytes (checked by SHA-256); on a 2-core
machine the gain is bounded by the two cores and by the reading and writing that stay on one."""
import hashlib, os, statistics
from benchlib import NOW, RUNS, SEED, out, sh, timed, tool

ORDER = 65
ABOUT = "eg-tokenize --jobs 1, 2, 4 on one recorded input (json, jinja)"
JOBS = (1, 2, 4)
INPUTS = {
    "json": ("bench/json", "--end 20"),
    "jinja": ("bench/jinja", "--end 20"),
}


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def run():
    result = {}
    for name, (source, rate) in INPUTS.items():
        stream = out(f"jobs.{name}.in")
        sh(f"{tool('eg-sample')} {source} | {tool('eg-rate')} --now {NOW} --seed {SEED} {rate} > {stream}")
        with open(stream, "rb") as f:
            events = sum(1 for line in f if not line.startswith(b'{"_kind":'))
        rows = {}
        first = None
        for n in JOBS:
            target = out(f"jobs.{name}.{n}.out")
            secs = statistics.median(timed(f"{tool('eg-tokenize')} --seed {SEED} --jobs {n} {stream} > {target}")
                                     for _ in range(RUNS))
            d = digest(target)
            first = first or d
            if d != first:
                raise SystemExit(f"jobs bench: {name} with --jobs {n} wrote other bytes than --jobs 1")
            os.remove(target)
            rows[str(n)] = {"seconds": round(secs, 3), "events_per_s": round(events / secs)}
        os.remove(stream)
        result[name] = {"events": events, "jobs": rows}
    return {"inputs": result}


def report(r):
    rows = ["input            events    jobs  seconds  events/s  speed-up"]
    for name, v in r["inputs"].items():
        base = v["jobs"]["1"]["seconds"]
        for n, j in v["jobs"].items():
            rows.append(f"{name:<15}  {v['events']:>8,}  {n:>4}  {j['seconds']:>7}  {j['events_per_s']:>8,}  {base / j['seconds']:>7.2f}x")
    return rows
