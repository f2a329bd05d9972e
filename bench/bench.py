#!/usr/bin/env python3
"""eg benchmark suite: every tool alone and the whole pipeline, per workload, against `cat`.

Prints a table and writes bench/results.json. See bench/README.md."""
import json, os, platform, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
BIN = os.environ.get("BENCH_BIN") or subprocess.run(
    ["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
NOW = "2026-01-05T12:00:00Z"
SEED = 42

# name, conf dir, eg-rate arguments, expected events
WORKLOADS = [
    ("cisco", "bench/cisco", ["--end", "100"], 2_000_000),
    ("business", "bench/business", ["--end", "100"], 1_000_000),
    ("json", "bench/json", ["--end", "100"], 1_000_000),
    ("replay", "bench/replay", ["--end", "1"], 10_000),
    ("windbag", "bench/windbag", ["--end", "100"], 5_000_000),
    ("jinja", "bench/jinja", ["--end", "100"], 200_000),
    ("eventum-winsec", "bench/eventum-winsec", ["--count", "200000"], 200_000),
]

def tool(name):
    return os.path.join(BIN, name)

def sh(cmd, **kw):
    return subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=ROOT, check=True, **kw)

def timed(cmd):
    t0 = time.perf_counter()
    sh(cmd)
    return time.perf_counter() - t0

def median_time(cmd):
    return statistics.median(timed(cmd) for _ in range(RUNS))

def lines(path):
    n = 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            n += chunk.count(b"\n")
    return n

def rss_pipeline(name, conf, rate_args, out_file):
    """Runs the pipeline once under /usr/bin/time and returns peak RSS (KiB) per process."""
    files = [os.path.join(OUT, f"{name}.rss.{k}") for k in range(4)]
    if os.path.exists(out_file):
        os.remove(out_file)
    t = "/usr/bin/time -f %M -o "
    sh(f"{t}{files[0]} {tool('eg-sample')} {conf} | {t}{files[1]} {tool('eg-rate')} --now {NOW} --seed {SEED} {' '.join(rate_args)}"
       f" | {t}{files[2]} {tool('eg-tokenize')} --seed {SEED} | {t}{files[3]} {tool('eg-ship')} --quiet --set fileMaxBytes=0 --output file --file {out_file}")
    return [int(open(f).read().split()[-1]) for f in files]

def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()}

def bench(name, conf, rate_args, expected):
    p = lambda suffix: os.path.join(OUT, f"{name}.{suffix}")
    rate = f"{tool('eg-rate')} --now {NOW} --seed {SEED} {' '.join(rate_args)}"
    tok = f"{tool('eg-tokenize')} --seed {SEED}"
    ship = f"{tool('eg-ship')} --quiet --set fileMaxBytes=0 --output file --file"
    # Pre-record each tool's input once.
    sh(f"{tool('eg-sample')} {conf} > {p('sample.ndjson')}")
    sh(f"{rate} < {p('sample.ndjson')} > {p('rate.ndjson')}")
    sh(f"{tok} < {p('rate.ndjson')} > {p('tok.ndjson')}")
    # eg-ship's file output appends: every run starts from no file.
    sh(f"rm -f {p('raw.log')} && {ship} {p('raw.log')} < {p('tok.ndjson')}")
    events = lines(p("raw.log"))
    size = lambda s: os.path.getsize(p(s))
    result = {"events": events, "expected_events": expected, "tools": {}}
    # eg-sample alone: plain-file mode over the generated log (a large sample to read and encode).
    alone = {
        "eg-sample": (f"{tool('eg-sample')} {p('raw.log')} > /dev/null", events, size("raw.log")),
        "eg-rate": (f"{rate} < {p('sample.ndjson')} > /dev/null", events, size("rate.ndjson")),
        "eg-tokenize": (f"{tok} < {p('rate.ndjson')} > /dev/null", events, size("rate.ndjson")),
        "eg-ship": (f"rm -f {p('ship.log')} && {ship} {p('ship.log')} < {p('tok.ndjson')}", events, size("tok.ndjson")),
    }
    for t, (cmd, records, nbytes) in alone.items():
        secs = median_time(cmd)
        result["tools"][t] = {"seconds": round(secs, 3), "records_per_s": round(records / secs), "mb_per_s": round(nbytes / secs / 1e6, 1)}
    pipeline = f"rm -f {p('pipe.log')} && {tool('eg-sample')} {conf} | {rate} | {tok} | {ship} {p('pipe.log')}"
    secs = median_time(pipeline)
    out_bytes = size("pipe.log")
    cat_secs = median_time(f"cat {p('tok.ndjson')} | cat | cat | cat > {p('cat.out')}")
    result["pipeline"] = {"seconds": round(secs, 3), "events_per_s": round(events / secs), "mb_per_s": round(out_bytes / secs / 1e6, 1),
                          "stream_mb": round(size("tok.ndjson") / 1e6, 1), "cat_seconds": round(cat_secs, 3),
                          "share_of_cat": round(cat_secs / secs, 3),
                          "peak_rss_kib": dict(zip(["eg-sample", "eg-rate", "eg-tokenize", "eg-ship"],
                                                   rss_pipeline(name, conf, rate_args, p("rss.log"))))}
    for s in ("rate.ndjson", "tok.ndjson", "cat.out", "ship.log", "pipe.log", "rss.log"):
        os.remove(p(s))
    return result

def bench_kafka():
    """eg-ship alone into librdkafka's mock cluster (eg-bench-kafka-mock, 4 partitions), keyed by host,
    over the json workload's first 20 intervals (200,000 events); every event must be acknowledged."""
    p = lambda suffix: os.path.join(OUT, f"kafka.{suffix}")
    sh(f"{tool('eg-sample')} bench/json | {tool('eg-rate')} --now {NOW} --seed {SEED} --end 20 | {tool('eg-tokenize')} --seed {SEED} > {p('tok.ndjson')}")
    with open(p("tok.ndjson"), "rb") as f:
        events = sum(1 for line in f if not line.startswith(b'{"_kind":"stanza"'))
    times = []
    for _ in range(RUNS):
        mock = subprocess.Popen([tool("eg-bench-kafka-mock"), "bench", "4"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        brokers = mock.stdout.readline().strip()
        t0 = time.perf_counter()
        with open(p("tok.ndjson"), "rb") as f:
            r = subprocess.run([tool("eg-ship"), "--kafka-brokers", brokers, "--kafka-topic", "bench", "--kafka-key", "$host"],
                               stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - t0)
        mock.stdin.close()
        mock.wait()
        if r.returncode != 0 or f" events={events} " not in r.stderr:
            sys.exit(f"kafka bench: not every event was delivered: {r.stderr}")
    secs = statistics.median(times)
    os.remove(p("tok.ndjson"))
    return {"events": events, "seconds": round(secs, 3), "events_per_s": round(events / secs)}

def main():
    os.makedirs(OUT, exist_ok=True)
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
    info = machine()
    print(f"eg benchmark: {info['cores']} cores, {info['cpu']}, commit {info['commit']}, median of {RUNS} runs")
    results = {"machine": info, "runs": RUNS, "now": NOW, "seed": SEED, "workloads": {}}
    for name, conf, rate_args, expected in WORKLOADS:
        if only and name not in only:
            continue
        print(f"  running {name} ...", file=sys.stderr, flush=True)
        results["workloads"][name] = bench(name, conf, rate_args, expected)
    if not only or "cisco" in only:
        # Memory stays flat over a 10x longer run.
        print("  running cisco x10 for memory ...", file=sys.stderr, flush=True)
        rss = rss_pipeline("cisco-long", "bench/cisco", ["--end", "1000"], os.path.join(OUT, "long.log"))
        os.remove(os.path.join(OUT, "long.log"))
        results["cisco_x10_peak_rss_kib"] = dict(zip(["eg-sample", "eg-rate", "eg-tokenize", "eg-ship"], rss))
    if not only or "kafka" in only:
        print("  running eg-ship into the Kafka mock cluster ...", file=sys.stderr, flush=True)
        results["kafka"] = bench_kafka()
    print_table(results)
    with open(os.path.join(ROOT, "bench", "results.json"), "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    print("wrote bench/results.json")

def print_table(results):
    print()
    print(f"{'workload':<10} {'events':>10} {'pipeline ev/s':>14} {'MB/s':>7} {'cat share':>9} | "
          f"{'sample rec/s':>12} {'rate rec/s':>11} {'tokenize rec/s':>14} {'ship rec/s':>11} | peak RSS MiB (s/r/t/sh)")
    for name, r in results["workloads"].items():
        pl, t = r["pipeline"], r["tools"]
        rss = "/".join(str(round(v / 1024)) for v in pl["peak_rss_kib"].values())
        print(f"{name:<10} {r['events']:>10,} {pl['events_per_s']:>14,} {pl['mb_per_s']:>7} {pl['share_of_cat']:>9.0%} | "
              f"{t['eg-sample']['records_per_s']:>12,} {t['eg-rate']['records_per_s']:>11,} {t['eg-tokenize']['records_per_s']:>14,} "
              f"{t['eg-ship']['records_per_s']:>11,} | {rss}")
    if "cisco_x10_peak_rss_kib" in results:
        rss = "/".join(str(round(v / 1024)) for v in results["cisco_x10_peak_rss_kib"].values())
        print(f"cisco x10 (20,000,000 events) peak RSS MiB: {rss}")
    if "kafka" in results:
        k = results["kafka"]
        print(f"eg-ship into the Kafka mock cluster: {k['events']:,} events in {k['seconds']} s, {k['events_per_s']:,} events/s")

if __name__ == "__main__":
    main()
