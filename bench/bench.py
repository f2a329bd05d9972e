#!/usr/bin/env python3
"""eg benchmark suite. For every workload: instructions per event of each tool (callgrind, on a
pre-recorded slice), records/s of each tool alone, the whole pipeline's events/s into a file beside
`cat | cat | cat | cat` on the same bytes, and peak RSS; then the extra benchmarks (bench/extra/).
Prints the tables beside Splunk eventgen's and Eventum's figures and writes bench/results.json.

A workload is a directory bench/<name>/ holding an eventgen app (or generator) and a
`workload.json`; an extra benchmark is a module bench/extra/<name>.py. Add either without touching
this file. See bench/README.md."""
import glob, importlib.util, json, os, platform, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import (BENCH, NOW, OUT, ROOT, RUNS, SEED, TOOLS, callgrind, events, have_valgrind,
                      lines, median_time, out, peak_rss_kib, sh, tool)

# What each measure needs: BENCH_MEASURE=callgrind skips the wall-clock runs, =wall skips callgrind.
MEASURE = set(filter(None, os.environ.get("BENCH_MEASURE", "wall,callgrind").split(",")))

# Other generators' figures, printed beside eg's. Published: Splunk eventgen's own performance
# documents, as summarised in ../shared/reference/eventgen-semantics.md section 7.1 (their events/s
# are eventgen's own counters). Measured: Eventum 2.8.0 on this 2-core machine, from
# ../shared/reference/eventum-generators.md ("Measured here").
REFERENCE = [
    ("eventgen v4, 2-core MacBook Air, default regex generator, weblog sample", 3_030,
     "published (README/Performance.md, 2014; eventgen's Events/Sec counter)"),
    ("eventgen v4, 2-core MacBook Air, windbag, thread mode", 490_000,
     "published (README/Performance.md, 2014)"),
    ("eventgen v4, 2-core MacBook Air, C weblog generator", 92_846,
     "published (README/Performance.md, 2014)"),
    ("eventgen 6.x, windbag over HEC, outputCounter", 11_361,
     "published (docs/PERFORMANCE.md, 2019; eventgen's own counter)"),
    ("eventgen 6.x, windbag over HEC, 26 GB/day at ~45 B/event", 7_000,
     "derived in eventgen-semantics.md 7.1 from the published GB/day"),
    ("Eventum 2.8.0, windows-security generator, into a JSON file", 2_961,
     "measured here (eventum-generators.md)"),
    ("Eventum 2.8.0, linux-auditd generator, into a JSON file", 3_445,
     "measured here (eventum-generators.md)"),
]


def load_workloads():
    """Every bench/<name>/workload.json, in their `order`."""
    found = []
    for path in glob.glob(os.path.join(BENCH, "*", "workload.json")):
        name = os.path.basename(os.path.dirname(path))
        with open(path) as f:
            w = json.load(f)
        w["name"] = name
        w.setdefault("input", f"bench/{name}")
        found.append(w)
    return sorted(found, key=lambda w: (w.get("order", 100), w["name"]))


def load_extras():
    """Every bench/extra/<name>.py: a module with ORDER, ABOUT, run() -> dict and report(dict) -> lines."""
    mods = []
    for path in sorted(glob.glob(os.path.join(BENCH, "extra", "*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(f"extra_{name}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mod.NAME = name
        mods.append(mod)
    return sorted(mods, key=lambda m: (getattr(m, "ORDER", 100), m.NAME))


class Commands:
    """The command lines of one workload's tools."""

    def __init__(self, w):
        self.sample = f"{tool('eg-sample')} {w['input']}"
        self.rate = f"{tool('eg-rate')} --now {NOW} --seed {SEED}"
        self.tokenize = f"{tool('eg-tokenize')} --seed {SEED}"
        self.ship = f"{tool('eg-ship')} --quiet --set fileMaxBytes=0 --output file --file"


def record_inputs(w, c):
    """Records each tool's input once for the whole run: the sample pool, eg-rate's and eg-tokenize's
    output and eg-ship's file; returns the events in the file."""
    n = w["name"]
    sh(f"{c.sample} > {out(n + '.sample.ndjson')}")
    sh(f"{c.rate} {' '.join(w['rate_args'])} < {out(n + '.sample.ndjson')} > {out(n + '.rate.ndjson')}")
    sh(f"{c.tokenize} < {out(n + '.rate.ndjson')} > {out(n + '.tok.ndjson')}")
    sh(f"rm -f {out(n + '.raw.log')} && {c.ship} {out(n + '.raw.log')} < {out(n + '.tok.ndjson')}")
    return lines(out(n + ".raw.log"))


def measure_wall(w, c, total):
    """Each tool alone on its recorded input, the pipeline into a file, cat on the same bytes, RSS."""
    n = w["name"]
    p = lambda s: out(f"{n}.{s}")
    size = lambda s: os.path.getsize(p(s))
    alone = {
        # eg-sample in plain-file mode over the generated log (a large sample to read and encode).
        "eg-sample": (f"{tool('eg-sample')} {p('raw.log')} > /dev/null", size("raw.log")),
        "eg-rate": (f"{c.rate} {' '.join(w['rate_args'])} < {p('sample.ndjson')} > /dev/null", size("rate.ndjson")),
        "eg-tokenize": (f"{c.tokenize} < {p('rate.ndjson')} > /dev/null", size("rate.ndjson")),
        "eg-ship": (f"rm -f {p('ship.log')} && {c.ship} {p('ship.log')} < {p('tok.ndjson')}", size("tok.ndjson")),
    }
    tools = {}
    for t, (cmd, nbytes) in alone.items():
        secs = median_time(cmd)
        tools[t] = {"seconds": round(secs, 3), "records_per_s": round(total / secs), "mb_per_s": round(nbytes / secs / 1e6, 1)}
    stages = [c.sample, f"{c.rate} {' '.join(w['rate_args'])}", c.tokenize, f"{c.ship} {p('pipe.log')}"]
    secs = median_time(f"rm -f {p('pipe.log')} && " + " | ".join(stages))
    out_bytes = size("pipe.log")
    cat_secs = median_time(f"cat {p('tok.ndjson')} | cat | cat | cat > {p('cat.out')}")
    sh(f"rm -f {p('pipe.log')}")
    rss = peak_rss_kib(stages)
    pipeline = {"seconds": round(secs, 3), "events_per_s": round(total / secs), "mb_per_s": round(out_bytes / secs / 1e6, 1),
                "stream_mb": round(size("tok.ndjson") / 1e6, 1), "cat_seconds": round(cat_secs, 3),
                "cat_events_per_s": round(total / cat_secs), "share_of_cat": round(cat_secs / secs, 3),
                "peak_rss_kib": dict(zip(TOOLS, rss))}
    return tools, pipeline


def measure_instructions(w, c, total):
    """callgrind on a recorded slice (workload.json's slice_rate_args): eg-rate over the sample pool,
    eg-tokenize over that slice of eg-rate's output, eg-ship over eg-tokenize's output into a file.
    Each tool's start-up (the same run with no events: eg-rate with `--end 0`, eg-tokenize and
    eg-ship given only the slice's `_kind` records) is counted apart and taken out of the per-event
    figure. eg-sample writes the pool once per run, so its whole count is divided by the run's
    events. The slice files stay in bench/out/ for profiling by hand."""
    n = w["name"]
    p = lambda s: out(f"{n}.{s}")
    slice_args = " ".join(w["slice_rate_args"])
    ir = {"eg-sample": callgrind(c.sample, name=n)}
    startup = {"eg-sample": 0}
    ir["eg-rate"] = callgrind(f"{c.rate} {slice_args}", stdin=p("sample.ndjson"), stdout=p("slice.rate.ndjson"), name=n)
    startup["eg-rate"] = callgrind(f"{c.rate} --end 0", stdin=p("sample.ndjson"), name=n)
    ir["eg-tokenize"] = callgrind(c.tokenize, stdin=p("slice.rate.ndjson"), stdout=p("slice.tok.ndjson"), name=n)
    sh(f"grep '^{{\"_kind\":' {p('slice.rate.ndjson')} > {p('slice.kinds.ndjson')} || true")
    startup["eg-tokenize"] = callgrind(c.tokenize, stdin=p("slice.kinds.ndjson"), name=n)
    sh(f"rm -f {p('slice.ship.log')}")
    ir["eg-ship"] = callgrind(f"{c.ship} {p('slice.ship.log')}", stdin=p("slice.tok.ndjson"), name=n)
    counts = {"eg-sample": total, "eg-rate": events(p("slice.rate.ndjson")),
              "eg-tokenize": events(p("slice.tok.ndjson")), "eg-ship": lines(p("slice.ship.log"))}
    sh(f"rm -f {p('slice.ship.log')} && grep '^{{\"_kind\":' {p('slice.tok.ndjson')} > {p('slice.kinds.ndjson')} || true")
    startup["eg-ship"] = callgrind(f"{c.ship} {p('slice.ship.log')}", stdin=p("slice.kinds.ndjson"), name=n)
    sh(f"rm -f {p('slice.ship.log')} {p('slice.kinds.ndjson')}")
    per_event = {t: round((ir[t] - startup[t]) / max(counts[t], 1)) for t in TOOLS}
    return {"slice_events": counts["eg-tokenize"], "instructions": ir, "startup_instructions": startup,
            "events": counts, "per_event": per_event, "sum_per_event": sum(per_event.values()),
            "per_event_with_startup": {t: round(ir[t] / max(counts[t], 1)) for t in TOOLS}}


def bench(w):
    c = Commands(w)
    total = record_inputs(w, c)
    result = {"events": total, "expected_events": w["events"], "about": w.get("about", ""),
              "targets": w.get("targets", {})}
    if "callgrind" in MEASURE and have_valgrind():
        result["callgrind"] = measure_instructions(w, c, total)
    if "wall" in MEASURE:
        result["tools"], result["pipeline"] = measure_wall(w, c, total)
    for s in ("rate.ndjson", "tok.ndjson", "cat.out", "ship.log", "raw.log"):
        if os.path.exists(out(f"{w['name']}.{s}")):
            os.remove(out(f"{w['name']}.{s}"))
    return result


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()}


def previous_results():
    """bench/results.json as the last run left it, each entry marked with its commit."""
    try:
        with open(os.path.join(BENCH, "results.json")) as f:
            old = json.load(f)
    except (OSError, ValueError):
        return {"workloads": {}, "extras": {}}
    commit = old.get("machine", {}).get("commit", "")
    return {part: {k: dict({"commit": commit}, **v) for k, v in old.get(part, {}).items()} for part in ("workloads", "extras")}


def main():
    os.makedirs(OUT, exist_ok=True)
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
    info = machine()
    print(f"eg benchmark: {info['cores']} cores, {info['cpu']}, commit {info['commit']}, median of {RUNS} runs")
    results = {"machine": info, "runs": RUNS, "now": NOW, "seed": SEED, "workloads": {}, "extras": {}}
    # A BENCH_ONLY run replaces only what it measures: the other entries of results.json stay, each
    # with the commit it was measured on.
    kept = previous_results() if only else {"workloads": {}, "extras": {}}
    for w in load_workloads():
        if not only or w["name"] in only:
            print(f"  running {w['name']} ...", file=sys.stderr, flush=True)
            results["workloads"][w["name"]] = dict(bench(w), commit=info["commit"])
    extras = load_extras()
    for m in extras:
        if not only or m.NAME in only:
            print(f"  running {m.NAME}: {m.ABOUT} ...", file=sys.stderr, flush=True)
            results["extras"][m.NAME] = dict(m.run(), commit=info["commit"])
    print_tables(results, extras)
    for part in ("workloads", "extras"):
        results[part] = {**kept.get(part, {}), **results[part]}
    with open(os.path.join(BENCH, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    print("wrote bench/results.json")


def verdict(value, target, at_most):
    if target is None:
        return ""
    ok = value <= target if at_most else value >= target
    return f"{'met' if ok else 'NOT met'} ({'<=' if at_most else '>='} {target:,})"


def print_tables(results, extras):
    ws = results["workloads"]
    cg = {n: r for n, r in ws.items() if "callgrind" in r}
    if cg:
        print("\ninstructions per event (callgrind on the slice, each tool's start-up taken out and shown in millions;"
              "\n eg-sample's whole run over the run's events; 'with start-up' is the slice's total over its events)")
        print(f"{'workload':<10} {'slice':>7} {'sample':>7} {'rate':>7} {'tokenize':>9} {'ship':>7} {'sum':>8} | "
              f"{'start-up M r/t/sh':<17} {'with start-up':>13} | target")
        for n, r in cg.items():
            c, pe = r["callgrind"], r["callgrind"]["per_event"]
            su = "/".join(f"{c['startup_instructions'][t] / 1e6:.0f}" for t in TOOLS[1:])
            with_su = sum(c["per_event_with_startup"].values())
            print(f"{n:<10} {c['slice_events']:>7,} {pe['eg-sample']:>7,} {pe['eg-rate']:>7,} {pe['eg-tokenize']:>9,} "
                  f"{pe['eg-ship']:>7,} {c['sum_per_event']:>8,} | {su:<17} {with_su:>13,} | "
                  f"{verdict(c['sum_per_event'], r['targets'].get('ins_per_event'), True)}")
    wall = {n: r for n, r in ws.items() if "pipeline" in r}
    if wall:
        print("\nevents/s (wall clock, median of runs; cat = the same stream bytes through cat | cat | cat | cat)")
        print(f"{'workload':<10} {'events':>10} {'pipeline ev/s':>14} {'MB/s':>6} {'cat ev/s':>11} {'share':>6} | "
              f"{'sample':>10} {'rate':>10} {'tokenize':>10} {'ship':>10} | {'RSS MiB s/r/t/sh':<16} target")
        for n, r in wall.items():
            pl, t = r["pipeline"], r["tools"]
            rss = "/".join(str(round(v / 1024)) for v in pl["peak_rss_kib"].values())
            print(f"{n:<10} {r['events']:>10,} {pl['events_per_s']:>14,} {pl['mb_per_s']:>6} {pl['cat_events_per_s']:>11,} "
                  f"{pl['share_of_cat']:>6.0%} | {t['eg-sample']['records_per_s']:>10,} {t['eg-rate']['records_per_s']:>10,} "
                  f"{t['eg-tokenize']['records_per_s']:>10,} {t['eg-ship']['records_per_s']:>10,} | {rss:<16} "
                  f"{verdict(pl['events_per_s'], r['targets'].get('events_per_s'), False)}")
    for m in extras:
        if m.NAME in results["extras"]:
            print()
            for line in m.report(results["extras"][m.NAME]):
                print(line)
    print("\nfor comparison (events/s):")
    for what, eps, source in REFERENCE:
        print(f"  {eps:>9,}  {what}: {source}")


if __name__ == "__main__":
    main()
