"""eg-ship alone into librdkafka's mock cluster (eg-bench-kafka-mock, 4 partitions), keyed by host,
over the json workload's first 20 intervals (200,000 events); every event must be acknowledged.
eg-ship's peak RSS is recorded too (librdkafka's queue is bounded, so it must stay flat)."""
import os, statistics, subprocess, sys, time
from benchlib import NOW, RUNS, SEED, events, out, sh, tool

ORDER = 50
ABOUT = "eg-ship into the Kafka mock cluster"


def run():
    tok = out("kafka.tok.ndjson")
    sh(f"{tool('eg-sample')} bench/json | {tool('eg-rate')} --now {NOW} --seed {SEED} --end 20 | {tool('eg-tokenize')} --seed {SEED} > {tok}")
    n = events(tok)
    times, rss = [], []
    for _ in range(RUNS):
        mock = subprocess.Popen([tool("eg-bench-kafka-mock"), "bench", "4"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        brokers = mock.stdout.readline().strip()
        t0 = time.perf_counter()
        with open(tok, "rb") as f:
            r = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out("kafka.rss"), tool("eg-ship"), "--kafka-brokers", brokers,
                                "--kafka-topic", "bench", "--kafka-key", "$host"],
                               stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - t0)
        rss.append(int(open(out("kafka.rss")).read().split()[-1]))
        os.remove(out("kafka.rss"))
        mock.stdin.close()
        mock.wait()
        if r.returncode != 0 or f" events={n} " not in r.stderr:
            sys.exit(f"kafka bench: not every event was delivered: {r.stderr}")
    secs = statistics.median(times)
    os.remove(tok)
    return {"events": n, "seconds": round(secs, 3), "events_per_s": round(n / secs), "ship_peak_rss_kib": max(rss)}


def report(r):
    rss = f", eg-ship peak RSS {round(r['ship_peak_rss_kib'] / 1024)} MiB" if "ship_peak_rss_kib" in r else ""
    return [f"eg-ship into the Kafka mock cluster: {r['events']:,} events in {r['seconds']} s, {r['events_per_s']:,} events/s{rss}"]
