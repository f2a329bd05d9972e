"""What every benchmark shares: paths, the run settings, shell helpers, timing and callgrind counts.

bench.py runs the suite; workloads (bench/<name>/workload.json) and extra benchmarks
(bench/extra/<name>.py) use these helpers. See bench/README.md."""
import os, statistics, subprocess, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
OUT = os.path.join(BENCH, "out")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
NOW = "2026-01-05T12:00:00Z"
SEED = 42
TOOLS = ["eg-sample", "eg-rate", "eg-tokenize", "eg-ship"]
_bin = os.environ.get("BENCH_BIN")


def tool(name):
    """The path of a release binary (BENCH_BIN, else `swift build -c release --show-bin-path`)."""
    global _bin
    if not _bin:
        _bin = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT,
                              capture_output=True, text=True).stdout.strip()
    return os.path.join(_bin, name)


def out(name):
    """A file in bench/out/."""
    return os.path.join(OUT, name)


def sh(cmd, **kw):
    """Runs a bash command line (pipefail) from the package root; fails the suite if it fails."""
    return subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=ROOT, check=True, **kw)


def timed(cmd):
    t0 = time.perf_counter()
    sh(cmd)
    return time.perf_counter() - t0


def median_time(cmd):
    """The median wall time of BENCH_RUNS runs of a command line."""
    return statistics.median(timed(cmd) for _ in range(RUNS))


def lines(path):
    """Lines in a file."""
    n = 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            n += chunk.count(b"\n")
    return n


def events(path):
    """Event records in an eg stream file (lines that are not `_kind` records such as stanzas)."""
    with open(path, "rb") as f:
        return sum(1 for line in f if not line.startswith(b'{"_kind":'))


def peak_rss_kib(stages):
    """Runs `stage0 | stage1 | ...` once, each under /usr/bin/time, and returns each stage's peak
    RSS in KiB. A stage is a command line; redirections of the first and last stage are kept."""
    files = [out(f"rss.{k}") for k in range(len(stages))]
    sh(" | ".join(f"/usr/bin/time -f %M -o {f} {s}" for f, s in zip(files, stages)))
    rss = [int(open(f).read().split()[-1]) for f in files]
    for f in files:
        os.remove(f)
    return rss


def callgrind(cmd, stdin=None, stdout="/dev/null", name="cg"):
    """Instructions executed (callgrind's total Ir, every thread, start-up included) by one command
    line (a single program and its arguments) reading `stdin` and writing `stdout`."""
    cg = out(f"{name}.callgrind")
    redirect = (f" < {stdin}" if stdin else "") + f" > {stdout}"
    sh(f"valgrind --tool=callgrind --callgrind-out-file={cg} {cmd}{redirect}", stderr=subprocess.DEVNULL)
    total = None
    with open(cg) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
    os.remove(cg)
    if total is None:
        raise SystemExit(f"bench: no instruction total in callgrind's output for {cmd}")
    return total


def have_valgrind():
    return subprocess.run(["bash", "-c", "command -v valgrind"], capture_output=True).returncode == 0
