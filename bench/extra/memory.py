"""Memory over a 10x longer run: the cisco pipeline for 20,000,000 events, peak RSS per process
(target: flat against the 2,000,000-event run, and at most 64 MiB per tool)."""
import os
from benchlib import NOW, SEED, TOOLS, out, peak_rss_kib, tool

ORDER = 10
ABOUT = "cisco x10 (20,000,000 events), peak RSS per process"
LIMIT_MIB = 64


def run():
    log = out("long.log")
    rss = peak_rss_kib([f"{tool('eg-sample')} bench/cisco",
                        f"{tool('eg-rate')} --now {NOW} --seed {SEED} --end 1000",
                        f"{tool('eg-tokenize')} --seed {SEED}",
                        f"{tool('eg-ship')} --quiet --set fileMaxBytes=0 --output file --file {log}"])
    os.remove(log)
    return {"events": 20_000_000, "peak_rss_kib": dict(zip(TOOLS, rss))}


def report(r):
    mib = [round(v / 1024) for v in r["peak_rss_kib"].values()]
    ok = "met" if max(mib) <= LIMIT_MIB else "NOT met"
    return [f"cisco x10 ({r['events']:,} events) peak RSS MiB s/r/t/sh: {'/'.join(map(str, mib))}  "
            f"{ok} (<= {LIMIT_MIB} MiB per tool)"]
