"""eg-ship alone into a real clickhouse-server (Debian clickhouse-server, started here on free loopback
ports with its own data directory in a temp folder and stopped by PID): the cisco workload's first 10
intervals (200,000 events), each a row of its record's fields, INSERTed over the HTTP interface;
`SELECT count()` must then give every event. Skipped, with a message, when clickhouse-server is absent."""
import os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time, urllib.request
from benchlib import NOW, RUNS, SEED, events, out, sh, tool

ORDER = 55
ABOUT = "eg-ship into a real clickhouse-server"
BINARIES = ["/usr/bin/clickhouse-server", "/usr/sbin/clickhouse-server"]
TABLE = ("CREATE TABLE cisco (_raw String, sample String, index String, host String, source String, "
         "sourcetype String, _time Float64) ENGINE = MergeTree ORDER BY _time")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """clickhouse-server on loopback ports with its data in a temp folder."""

    def __init__(self, binary):
        self.dir = tempfile.mkdtemp(prefix="eg-bench-ch.")
        self.port = free_port()
        with open(os.path.join(self.dir, "config.xml"), "w") as f:
            f.write(f"""<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><console>1</console></logger>
    <http_port>{self.port}</http_port>
    <tcp_port>{free_port()}</tcp_port>
    <listen_host>127.0.0.1</listen_host>
    <path>{self.dir}/data/</path>
    <tmp_path>{self.dir}/tmp/</tmp_path>
    <users_config>{self.dir}/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <mark_cache_size>5368709</mark_cache_size>
</yandex>
""")
        with open(os.path.join(self.dir, "users.xml"), "w") as f:
            f.write("""<?xml version="1.0"?>
<yandex>
    <profiles><default></default></profiles>
    <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
    <quotas><default></default></quotas>
</yandex>
""")
        self.process = subprocess.Popen([binary, f"--config-file={self.dir}/config.xml"], stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                if self.query("SELECT 1") == "1\n":
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        sys.exit(f"clickhouse bench: clickhouse-server on port {self.port} did not answer")

    def query(self, sql):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", data=sql.encode(), timeout=30) as r:
            return r.read().decode()

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def run():
    binary = next((b for b in BINARIES if os.access(b, os.X_OK)), None)
    if binary is None:
        return {"skipped": "clickhouse-server is not installed (apt-get install -y clickhouse-server)"}
    tok = out("clickhouse.tok.ndjson")
    sh(f"{tool('eg-sample')} bench/cisco | {tool('eg-rate')} --now {NOW} --seed {SEED} --end 10 | {tool('eg-tokenize')} --seed {SEED} > {tok}")
    n = events(tok)
    times = []
    server = Server(binary)
    try:
        for _ in range(RUNS):
            server.query("DROP TABLE IF EXISTS cisco")
            server.query(TABLE)
            t0 = time.perf_counter()
            with open(tok, "rb") as f:
                r = subprocess.run([tool("eg-ship"), "--clickhouse-url", f"http://127.0.0.1:{server.port}", "--clickhouse-table", "cisco"],
                                   stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            times.append(time.perf_counter() - t0)
            count = server.query("SELECT count() FROM cisco").strip()
            if r.returncode != 0 or f" events={n} " not in r.stderr or count != str(n):
                sys.exit(f"clickhouse bench: not every event was inserted (count {count} of {n}): {r.stderr}")
    finally:
        server.stop()
    os.remove(tok)
    secs = statistics.median(times)
    return {"events": n, "seconds": round(secs, 3), "events_per_s": round(n / secs)}


def report(r):
    if "skipped" in r:
        return [f"eg-ship into ClickHouse: skipped: {r['skipped']}"]
    return [f"eg-ship into a real clickhouse-server: {r['events']:,} events in {r['seconds']} s, {r['events_per_s']:,} events/s"
            " (SELECT count() checked)"]
