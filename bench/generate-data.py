#!/usr/bin/env python3
"""Writes the benchmark samples and replacement lists under bench/*/samples (deterministic, seed 1).

The files are committed; this script documents how they were made and can remake them."""
import random, os
R = random.Random(1)
here = os.path.dirname(os.path.abspath(__file__))
def w(path, lines):
    with open(os.path.join(here, path), "w") as f:
        f.write("".join(l + "\n" for l in lines))

# cisco: 60 IOS syslog lines
hosts = ["edge-rtr-01", "edge-rtr-02", "core-sw-01", "core-sw-02", "access-sw-%02d"]
msgs = [
    "%LINK-3-UPDOWN: Interface GigabitEthernet0/{p}, changed state to {ud}",
    "%LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet0/{p}, changed state to {ud}",
    "%SEC-6-IPACCESSLOGP: list OUTSIDE-IN denied tcp 198.51.100.{o}({sp}) -> 203.0.113.10({dp}), 1 packet",
    "%SYS-5-CONFIG_I: Configured from console by netops on vty0 (10.20.0.{o})",
    "%OSPF-5-ADJCHG: Process 10, Nbr 10.255.0.{o} on Vlan100 from LOADING to FULL, Loading Done",
    "%DOT1X-5-SUCCESS: Authentication successful for client (3c22.fb10.{h4}) on Interface Gi1/0/{p}",
]
lines = []
for i in range(60):
    h = R.choice(hosts)
    if "%" in h: h = h % R.randint(1, 12)
    m = R.choice(msgs).format(p=R.randint(1, 48), ud=R.choice(["up", "down"]), o=R.randint(1, 254),
                              sp=R.randint(1024, 65535), dp=R.choice([22, 443, 3389]), h4="%04x" % R.randint(0, 65535))
    lines.append("Feb %2d %02d:%02d:%02d %s %d: %s" % (R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59), h, 100 + i, m))
w("cisco/samples/cisco.log", lines)

# business: one key=value event and its lists
w("business/samples/business.log", ['2026-01-05 08:00:00,000 transType=New transID=10000 transGUID=0f6f1c3e-2a54-4b21-9d0e-4a1e6c7d8b90 userName=ajones city="Springfield" state=IL zip=62701 value=3.5 quantity=7'])
w("business/samples/transtypes.txt", ["New", "Change", "Cancel", "Renew", "Upgrade", "Downgrade", "Transfer", "Refund"])
cities = [("62701", "Springfield", "IL"), ("97201", "Portland", "OR"), ("78701", "Austin", "TX"), ("80202", "Denver", "CO"),
          ("30303", "Atlanta", "GA"), ("02108", "Boston", "MA"), ("98101", "Seattle", "WA"), ("55401", "Minneapolis", "MN")]
w("business/samples/markets.csv", ["%s,%s,%s" % row for row in cities * 25])
w("business/samples/users.txt", ["user%03d" % i for i in range(500)])

# json: one ~500-byte ECS-style web event and its lists
w("json/samples/web.json", ['{"@timestamp":"2026-01-05T08:00:00.000000+0000","event":{"kind":"event","category":["web"],"duration":1200345},"source":{"ip":"10.1.2.3"},"user":{"name":"ajones"},"url":{"path":"/cart/checkout"},"http":{"request":{"method":"GET"},"response":{"status_code":200,"body":{"bytes":5120}}},"user_agent":{"original":"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"},"host":{"name":"web-01"},"trace":{"id":"4bf92f3577b34da6a3ce929d0e0e4736"},"service":{"name":"shop-frontend","environment":"production"}}'])
w("json/samples/paths.txt", ["/", "/cart", "/cart/checkout", "/product/%d" % 1, "/search?q=shoes", "/account", "/login", "/logout", "/api/v1/items", "/static/app.js"])
w("json/samples/agents.txt", ["Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/119.0 Safari/537.36",
                               "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Mobile/15E148", "curl/8.4.0", "Go-http-client/2.0"])
w("json/samples/users.txt", ["user%03d" % i for i in range(300)])

# replay: a 10,000-line CSV over one day, in time order
rows = ["_time,_raw,index,host,source,sourcetype"]
t = 1767600000  # 2026-01-05T08:00:00Z
import datetime
for i in range(10000):
    t += R.randint(1, 16)
    ts = datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    raw = '%s app=checkout level=%s msg="order %d processed" latency_ms=%d' % (ts, R.choice(["INFO", "INFO", "WARN", "ERROR"]), 100000 + i, R.randint(5, 900))
    rows.append('%d,"%s",main,app-%02d,checkout.log,app:checkout' % (t, raw.replace('"', '""'), R.randint(1, 8)))
with open(os.path.join(here, "replay/samples/checkout.csv"), "w") as f:
    f.write("\n".join(rows) + "\n")
