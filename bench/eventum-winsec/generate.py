#!/usr/bin/env python3
"""Writes the eventum-winsec benchmark generator: generator.yml, 12 Jinja templates and samples.

A generator written for eg's benchmark with the shape of a Windows Security event-log generator
for Eventum: 12 templates picked by chance, ECS JSON events of 1.5-2.5 KB rendered pretty (one
member per line), a per-host record counter in `shared`, a pool of open logon sessions per host
(4624 adds, 4634 and 4672 read or take) and a pool of running processes (4688 adds, 4689 takes),
about 20 random draws per event. Deterministic (seed 1); the files are committed, this script
documents how they were made and can remake them."""
import os, random

R = random.Random(1)
HERE = os.path.dirname(os.path.abspath(__file__))


def write(rel, text):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


# ---- samples ------------------------------------------------------------------------------
sites = ["HQ", "BR1", "BR2", "LAB"]
roles = [("DC", "domain_controller", 4), ("FS", "file_server", 6), ("APP", "server", 14), ("WS", "workstation", 56)]
rows = ["hostname,address,agent,role,site"]
n = 0
for prefix, role, count in roles:
    for i in range(1, count + 1):
        n += 1
        site = sites[n % len(sites)]
        agent = "%08x-%04x-4%03x-%04x-%012x" % (R.getrandbits(32), R.getrandbits(16), R.getrandbits(12),
                                               0x8000 | R.getrandbits(14), R.getrandbits(48))
        rows.append(f"{site}-{prefix}{i:03d},10.{40 + sites.index(site)}.{n // 250}.{n % 250 + 2},{agent},{role},{site}")
write("samples/hosts.csv", "\n".join(rows) + "\n")

first = ["anna", "boris", "carla", "dmitri", "elena", "farid", "greta", "hugo", "irina", "jonas", "kira",
         "lars", "mona", "nils", "olga", "piotr", "quinn", "rosa", "sven", "tara", "ulla", "viktor"]
last = ["berg", "cole", "dahl", "evans", "fox", "gray", "holm", "ivers", "janssen", "kerr", "lund", "moss"]
accounts = ["account,department,rid"]
seen = set()
while len(accounts) < 41:
    a = R.choice(first) + "." + R.choice(last)
    if a in seen:
        continue
    seen.add(a)
    accounts.append(f"{a},{R.choice(['finance', 'sales', 'it', 'hr', 'ops', 'legal'])},{R.randint(1200, 8999)}")
write("samples/accounts.csv", "\n".join(accounts) + "\n")

programs = [
    ("C:\\\\Windows\\\\System32\\\\svchost.exe", "-k netsvcs -p", "C:\\\\Windows\\\\System32\\\\services.exe"),
    ("C:\\\\Windows\\\\System32\\\\svchost.exe", "-k RPCSS -p", "C:\\\\Windows\\\\System32\\\\services.exe"),
    ("C:\\\\Windows\\\\System32\\\\conhost.exe", "0xffffffff -ForceV1", "C:\\\\Windows\\\\System32\\\\cmd.exe"),
    ("C:\\\\Windows\\\\System32\\\\cmd.exe", "/c ipconfig /all", "C:\\\\Windows\\\\explorer.exe"),
    ("C:\\\\Windows\\\\System32\\\\WindowsPowerShell\\\\v1.0\\\\powershell.exe", "-NoProfile -ExecutionPolicy Bypass -File C:\\\\ops\\\\inventory.ps1", "C:\\\\Windows\\\\System32\\\\taskeng.exe"),
    ("C:\\\\Windows\\\\System32\\\\taskhostw.exe", "USER", "C:\\\\Windows\\\\System32\\\\svchost.exe"),
    ("C:\\\\Program Files\\\\Microsoft Office\\\\root\\\\Office16\\\\OUTLOOK.EXE", "/recycle", "C:\\\\Windows\\\\explorer.exe"),
    ("C:\\\\Program Files\\\\Google\\\\Chrome\\\\Application\\\\chrome.exe", "--type=renderer --lang=en-US", "C:\\\\Program Files\\\\Google\\\\Chrome\\\\Application\\\\chrome.exe"),
    ("C:\\\\Windows\\\\System32\\\\wbem\\\\WmiPrvSE.exe", "-secured -Embedding", "C:\\\\Windows\\\\System32\\\\svchost.exe"),
    ("C:\\\\Windows\\\\System32\\\\SearchIndexer.exe", "/Embedding", "C:\\\\Windows\\\\System32\\\\services.exe"),
    ("C:\\\\Windows\\\\System32\\\\msiexec.exe", "/V", "C:\\\\Windows\\\\System32\\\\services.exe"),
    ("C:\\\\Windows\\\\System32\\\\net.exe", "use Z: \\\\\\\\fs01\\\\share", "C:\\\\Windows\\\\System32\\\\cmd.exe"),
]
items = []
for path, args, parent in programs:
    name = path.split("\\\\")[-1]
    pname = parent.split("\\\\")[-1]
    elevation = R.choice(["%%1936", "%%1937", "%%1938"])
    level = R.choice(["S-1-16-4096", "S-1-16-8192", "S-1-16-12288", "S-1-16-16384"])
    items.append('  {"image": "%s", "name": "%s", "args": "%s", "parent_image": "%s", "parent_name": "%s", "elevation": "%s", "integrity": "%s"}'
                 % (path, name, args, parent, pname, elevation, level))
write("samples/programs.json", "[\n" + ",\n".join(items) + "\n]\n")

tasks = []
for name, cmd in [("\\\\Ops\\\\NightlyInventory", "C:\\\\ops\\\\inventory.ps1"), ("\\\\Ops\\\\LogRotate", "C:\\\\ops\\\\rotate.cmd"),
                  ("\\\\Vendor\\\\UpdateCheck", "C:\\\\Program Files\\\\Vendor\\\\update.exe"), ("\\\\Backup\\\\Snapshot", "C:\\\\backup\\\\snap.exe")]:
    tasks.append('  {"task": "%s", "command": "%s"}' % (name, cmd))
write("samples/tasks.json", "[\n" + ",\n".join(tasks) + "\n]\n")


# ---- templates ----------------------------------------------------------------------------
def body(fields, indent=0):
    """Pretty JSON text of nested (key, value) lists; a str value is written as it stands."""
    pad = "    " * (indent + 1)
    lines = []
    for k, v in fields:
        if isinstance(v, list):
            lines.append(f'{pad}"{k}": {{\n' + body(v, indent + 1) + f"\n{pad}}}")
        else:
            lines.append(f'{pad}"{k}": {v}')
    return ",\n".join(lines)


def q(expr):
    return '"{{ ' + expr + ' }}"'


PRE = """{%- set host = samples.hosts | random -%}
{%- set hostname = host.hostname -%}
{%- set fqdn = (hostname ~ '.' ~ params.dns_suffix) | lower -%}
{%- set seq = shared.get('record/' ~ hostname, 1000) -%}
{%- set pid = module.rand.number.integer(300, 24000) -%}
{%- set tid = module.rand.number.integer(100, 9000) -%}
"""
POST = "\n{%- do shared.set('record/' ~ hostname, seq + 1) -%}\n"


def event(code, action, category, etype, outcome, task, data, extra=(), related='[' + q("account") + ']', user=None):
    top = [
        ("@timestamp", q("timestamp.isoformat()")),
        ("agent", [("ephemeral_id", q("module.rand.crypto.uuid4()")), ("id", q("host.agent")), ("name", q("fqdn")),
                   ("type", '"winlogbeat"'), ("version", q("params.beat_version"))]),
        ("ecs", [("version", '"8.11.0"')]),
        ("event", [("action", f'"{action}"'), ("category", f'["{category}"]'), ("code", f'"{code}"'), ("kind", '"event"'),
                   ("module", '"security"'), ("outcome", f'"{outcome}"'), ("provider", '"Microsoft-Windows-Security-Auditing"'),
                   ("type", f'["{etype}"]')]),
        ("host", [("hostname", q("hostname | lower")), ("ip", '[' + q("host.address") + ']'), ("name", q("fqdn")),
                  ("os", [("family", '"windows"'), ("platform", '"windows"'), ("type", '"windows"')])]),
        ("log", [("level", '"information"')]),
    ]
    top += list(extra)
    top.append(("related", [("user", related)]))
    top.append(("user", user or [("domain", q("params.domain")), ("id", q("sid")), ("name", q("account"))]))
    top.append(("winlog", [
        ("channel", '"Security"'), ("computer_name", q("fqdn")), ("event_data", data), ("event_id", f'"{code}"'),
        ("keywords", '["Audit ' + ("Success" if outcome == "success" else "Failure") + '"]'), ("level", '"information"'),
        ("opcode", '"Info"'), ("process", [("pid", "{{ pid }}"), ("thread", [("id", "{{ tid }}")])]),
        ("provider_guid", '"{54849625-5478-4994-a5ba-3e3b0328c30d}"'), ("provider_name", '"Microsoft-Windows-Security-Auditing"'),
        ("record_id", "{{ seq }}"), ("task", f'"{task}"'), ("time_created", q("timestamp.isoformat()"))]))
    return "{\n" + body(top) + "\n}"


ACCOUNT = """{%- set who = samples.accounts | random -%}
{%- set account = who.account -%}
{%- set sid = params.domain_sid ~ '-' ~ who.rid -%}
"""
LOGON_KIND = """{%- set kind = module.rand.weighted_choice([3, 2, 10, 5, 7, 11], [50, 15, 10, 15, 5, 5]) -%}
{%- if kind == 3 -%}
  {%- set kind_name = "Network" -%}{%- set package = module.rand.choice(["Kerberos", "NTLM"]) -%}{%- set process_name = "NtLmSsp" if package == "NTLM" else "Kerberos" -%}
{%- elif kind == 10 -%}
  {%- set kind_name = "RemoteInteractive" -%}{%- set package = "Negotiate" -%}{%- set process_name = "User32" -%}
{%- elif kind == 5 -%}
  {%- set kind_name = "Service" -%}{%- set package = "Negotiate" -%}{%- set process_name = "Advapi" -%}
{%- elif kind in [2, 7, 11] -%}
  {%- set kind_name = {2: "Interactive", 7: "Unlock", 11: "CachedInteractive"}[kind] -%}{%- set package = "Negotiate" -%}{%- set process_name = "User32" -%}
{%- endif -%}
{%- set remote = module.rand.network.ip_v4_private_a() if kind in [3, 10] else "-" -%}
{%- set remote_port = module.rand.number.integer(49152, 65535) if kind in [3, 10] else 0 -%}
"""

templates = {}

templates["4624-logon"] = PRE + ACCOUNT + LOGON_KIND + """{%- set logon_id = "0x" ~ module.rand.string.hex(6) -%}
{%- set open_logons = shared.get('logon-pool/' ~ hostname, []) -%}
{%- do open_logons.append({"logon_id": logon_id, "account": account, "sid": sid, "kind": kind, "kind_name": kind_name, "since": timestamp.isoformat()}) -%}
{%- if open_logons | length > 64 -%}{%- do open_logons.pop(0) -%}{%- endif -%}
{%- do shared.set('logon-pool/' ~ hostname, open_logons) -%}
""" + event("4624", "logged-in", "authentication", "start", "success", "Logon", [
    ("AuthenticationPackageName", q("package")), ("ElevatedToken", '"%%1842"'), ("ImpersonationLevel", '"%%1833"'),
    ("IpAddress", q("remote")), ("IpPort", q("remote_port")), ("KeyLength", '"0"'), ("LmPackageName", q('"NTLM V2" if package == "NTLM" else "-"')),
    ("LogonGuid", q("'{' ~ module.rand.crypto.uuid4() ~ '}'")), ("LogonProcessName", q("process_name")), ("LogonType", q("kind")),
    ("SubjectDomainName", q("params.domain")), ("SubjectLogonId", '"0x3e7"'), ("SubjectUserName", q("hostname ~ '$'")),
    ("SubjectUserSid", '"S-1-5-18"'), ("TargetDomainName", q("params.domain")), ("TargetLogonId", q("logon_id")),
    ("TargetUserName", q("account")), ("TargetUserSid", q("sid")), ("VirtualAccount", '"%%1843"'),
    ("WorkstationName", q("hostname if kind not in [3, 10] else (samples.hosts | random).hostname"))],
    extra=[("source", [("ip", q("remote")), ("port", "{{ remote_port }}")])]) + POST

templates["4634-logoff"] = PRE + """{%- set open_logons = shared.get('logon-pool/' ~ hostname, []) -%}
{%- if open_logons | length > 0 -%}
  {%- set s = open_logons.pop(0) -%}
  {%- set account = s.account -%}{%- set sid = s.sid -%}{%- set logon_id = s.logon_id -%}{%- set kind = s.kind -%}
{%- else -%}
""" + ACCOUNT.replace("{%-", "  {%-") + """  {%- set logon_id = "0x" ~ module.rand.string.hex(6) -%}
  {%- set kind = module.rand.choice([2, 3, 10]) -%}
{%- endif -%}
""" + event("4634", "logged-out", "authentication", "end", "success", "Logoff", [
    ("LogonType", q("kind")), ("TargetDomainName", q("params.domain")), ("TargetLogonId", q("logon_id")),
    ("TargetUserName", q("account")), ("TargetUserSid", q("sid"))]) + POST

templates["4672-privileges"] = PRE + """{%- set open_logons = shared.get('logon-pool/' ~ hostname, []) -%}
{%- if open_logons -%}
  {%- set s = open_logons[-1] -%}{%- set account = s.account -%}{%- set sid = s.sid -%}{%- set logon_id = s.logon_id -%}
{%- else -%}
  {%- set account = "Administrator" -%}{%- set sid = params.domain_sid ~ "-500" -%}{%- set logon_id = "0x" ~ module.rand.string.hex(6) -%}
{%- endif -%}
{%- set privileges = module.rand.choices(["SeSecurityPrivilege", "SeBackupPrivilege", "SeRestorePrivilege", "SeTakeOwnershipPrivilege", "SeDebugPrivilege", "SeSystemEnvironmentPrivilege", "SeLoadDriverPrivilege", "SeImpersonatePrivilege"], 4) -%}
""" + event("4672", "assigned-special-privileges", "iam", "admin", "success", "Special Logon", [
    ("PrivilegeList", '{{ privileges | tojson }}'), ("SubjectDomainName", q("params.domain")),
    ("SubjectLogonId", q("logon_id")), ("SubjectUserName", q("account")), ("SubjectUserSid", q("sid"))]) + POST

templates["4625-logon-failed"] = PRE + ACCOUNT + LOGON_KIND + """{%- set reason = module.rand.weighted_choice([["0xc000006a", "%%2313"], ["0xc0000064", "%%2313"], ["0xc0000234", "%%2307"], ["0xc0000072", "%%2310"]], [60, 25, 10, 5]) -%}
""" + event("4625", "logon-failed", "authentication", "start", "failure", "Logon", [
    ("AuthenticationPackageName", q("package")), ("FailureReason", q("reason[1]")), ("IpAddress", q("remote")),
    ("IpPort", q("remote_port")), ("KeyLength", '"0"'), ("LmPackageName", '"-"'), ("LogonProcessName", q("process_name")),
    ("LogonType", q("kind")), ("Status", '"0xc000006d"'), ("SubStatus", q("reason[0]")), ("SubjectDomainName", '"-"'),
    ("SubjectLogonId", '"0x0"'), ("SubjectUserName", '"-"'), ("SubjectUserSid", '"S-1-0-0"'),
    ("TargetDomainName", q("params.domain")), ("TargetUserName", q("account")), ("TargetUserSid", '"S-1-0-0"'),
    ("WorkstationName", q("(samples.hosts | random).hostname"))],
    extra=[("source", [("ip", q("remote")), ("port", "{{ remote_port }}")])]) + POST

templates["4648-explicit-credentials"] = PRE + ACCOUNT + """{%- set target = (samples.hosts | selectattr("role", "equalto", "file_server") | list | random).hostname -%}
{%- set other = (samples.accounts | random).account -%}
""" + event("4648", "explicit-credential-logon", "authentication", "start", "success", "Logon", [
    ("IpAddress", q("host.address")), ("IpPort", '"0"'), ("LogonGuid", q("'{' ~ module.rand.crypto.uuid4() ~ '}'")),
    ("ProcessId", q("'0x%x' % pid")), ("ProcessName", '"C:\\\\Windows\\\\System32\\\\svchost.exe"'),
    ("SubjectDomainName", q("params.domain")), ("SubjectLogonId", q("'0x' ~ module.rand.string.hex(6)")),
    ("SubjectUserName", q("account")), ("SubjectUserSid", q("sid")), ("TargetDomainName", q("params.domain")),
    ("TargetInfo", q("target ~ '.' ~ params.dns_suffix")), ("TargetServerName", q("target")), ("TargetUserName", q("other"))],
    related='[' + q("account") + ', ' + q("other") + ']') + POST

templates["4688-process-start"] = PRE + ACCOUNT + """{%- set prog = samples.programs | random -%}
{%- set new_pid = "0x" ~ module.rand.string.hex(4) -%}
{%- set running = shared.get('process-pool/' ~ hostname, []) -%}
{%- do running.append({"pid": new_pid, "image": prog.image, "name": prog.name, "account": account, "sid": sid}) -%}
{%- if running | length > 48 -%}{%- do running.pop(0) -%}{%- endif -%}
{%- do shared.set('process-pool/' ~ hostname, running) -%}
{%- set command = prog.image ~ ' ' ~ prog.args -%}
""" + event("4688", "created-process", "process", "start", "success", "Process Creation", [
    ("CommandLine", '{{ command | tojson }}'), ("MandatoryLabel", q("prog.integrity")), ("NewProcessId", q("new_pid")),
    ("NewProcessName", '{{ prog.image | tojson }}'), ("ParentProcessName", '{{ prog.parent_image | tojson }}'),
    ("ProcessId", q("'0x' ~ module.rand.string.hex(4)")), ("SubjectDomainName", q("params.domain")),
    ("SubjectLogonId", q("'0x' ~ module.rand.string.hex(6)")), ("SubjectUserName", q("account")), ("SubjectUserSid", q("sid")),
    ("TargetDomainName", '"-"'), ("TargetLogonId", '"0x0"'), ("TargetUserName", '"-"'), ("TargetUserSid", '"S-1-0-0"'),
    ("TokenElevationType", q("prog.elevation"))],
    extra=[("process", [("args", '{{ command.split() | tojson }}'), ("command_line", '{{ command | tojson }}'),
                        ("executable", '{{ prog.image | tojson }}'), ("name", q("prog.name")), ("pid", "{{ pid }}"),
                        ("parent", [("executable", '{{ prog.parent_image | tojson }}'), ("name", q("prog.parent_name"))])])]) + POST

templates["4689-process-end"] = PRE + """{%- set running = shared.get('process-pool/' ~ hostname, []) -%}
{%- if running | length > 0 -%}
  {%- set p = running.pop(0) -%}
  {%- set image = p.image -%}{%- set name = p.name -%}{%- set exit_pid = p.pid -%}{%- set account = p.account -%}{%- set sid = p.sid -%}
{%- else -%}
  {%- set prog = samples.programs | random -%}
  {%- set image = prog.image -%}{%- set name = prog.name -%}{%- set exit_pid = "0x" ~ module.rand.string.hex(4) -%}
""" + ACCOUNT.replace("{%-", "  {%-") + """{%- endif -%}
""" + event("4689", "exited-process", "process", "end", "success", "Process Termination", [
    ("ProcessId", q("exit_pid")), ("ProcessName", '{{ image | tojson }}'), ("Status", q('module.rand.weighted_choice(["0x0", "0x1", "0xc000013a"], [90, 8, 2])')),
    ("SubjectDomainName", q("params.domain")), ("SubjectLogonId", q("'0x' ~ module.rand.string.hex(6)")),
    ("SubjectUserName", q("account")), ("SubjectUserSid", q("sid"))],
    extra=[("process", [("executable", '{{ image | tojson }}'), ("name", q("name")), ("pid", "{{ exit_pid | int(base=16) }}")])]) + POST

templates["4768-kerberos-tgt"] = PRE + ACCOUNT + """{%- set dc = (samples.hosts | selectattr("role", "equalto", "domain_controller") | list | random) -%}
{%- set result = module.rand.weighted_choice(["0x0", "0x6", "0x12", "0x18"], [88, 6, 2, 4]) -%}
""" + event("4768", "kerberos-authentication-ticket-requested", "authentication", "start", "success", "Kerberos Authentication Service", [
    ("CertIssuerName", '""'), ("IpAddress", q("'::ffff:' ~ host.address")), ("IpPort", q("module.rand.number.integer(49152, 65535)")),
    ("PreAuthType", '"2"'), ("ServiceName", '"krbtgt"'), ("ServiceSid", q("params.domain_sid ~ '-502'")), ("Status", q("result")),
    ("TargetDomainName", q("params.domain")), ("TargetSid", q("sid")), ("TargetUserName", q("account")),
    ("TicketEncryptionType", q('module.rand.choice(["0x12", "0x17"])')), ("TicketOptions", '"0x40810010"')],
    extra=[("observer", [("name", q("dc.hostname"))])]) + POST

templates["4776-credential-validation"] = PRE + ACCOUNT + """{%- set status = module.rand.weighted_choice(["0x0", "0xc000006a", "0xc0000064"], [92, 5, 3]) -%}
""" + event("4776", "credential-validated", "authentication", "info", "success", "Credential Validation", [
    ("PackageName", '"MICROSOFT_AUTHENTICATION_PACKAGE_V1_0"'), ("Status", q("status")), ("TargetUserName", q("account")),
    ("Workstation", q("(samples.hosts | random).hostname"))]) + POST

templates["4698-task-created"] = PRE + ACCOUNT + """{%- set t = samples.tasks | random -%}
""" + event("4698", "scheduled-task-created", "configuration", "creation", "success", "Other Object Access Events", [
    ("ClientProcessId", q("pid")), ("SubjectDomainName", q("params.domain")), ("SubjectLogonId", q("'0x' ~ module.rand.string.hex(6)")),
    ("SubjectUserName", q("account")), ("SubjectUserSid", q("sid")), ("TaskContent", '{{ ("<Task><Actions><Exec><Command>" ~ t.command ~ "</Command></Exec></Actions></Task>") | tojson }}'),
    ("TaskName", '{{ t.task | tojson }}')]) + POST

templates["4740-account-locked"] = PRE + ACCOUNT + """{%- set dc = (samples.hosts | selectattr("role", "equalto", "domain_controller") | list | random).hostname -%}
""" + event("4740", "user-account-locked", "iam", "change", "success", "User Account Management", [
    ("SubjectDomainName", q("params.domain")), ("SubjectLogonId", '"0x3e7"'), ("SubjectUserName", q("dc ~ '$'")),
    ("SubjectUserSid", '"S-1-5-18"'), ("TargetDomainName", q("hostname")), ("TargetSid", q("sid")), ("TargetUserName", q("account"))]) + POST

templates["4719-audit-policy-changed"] = PRE + """{%- set account = "SYSTEM" -%}{%- set sid = "S-1-5-18" -%}
{%- set sub = module.rand.choice([["Logon", "{0cce9215-69ae-11d9-bed3-505054503030}"], ["Process Creation", "{0cce922b-69ae-11d9-bed3-505054503030}"], ["Security Group Management", "{0cce9237-69ae-11d9-bed3-505054503030}"]]) -%}
""" + event("4719", "audit-policy-changed", "configuration", "change", "success", "Audit Policy Change", [
    ("AuditPolicyChanges", q('module.rand.choice(["%%8449, %%8451", "%%8448, %%8450", "%%8449"])')), ("CategoryId", '"%%8274"'),
    ("SubcategoryGuid", q("sub[1]")), ("SubcategoryId", q("sub[0]")), ("SubjectDomainName", q("params.domain")),
    ("SubjectLogonId", '"0x3e7"'), ("SubjectUserName", q("hostname ~ '$'")), ("SubjectUserSid", q("sid"))]) + POST

weights = [("4688-process-start", 240), ("4689-process-end", 240), ("4624-logon", 160), ("4634-logoff", 130),
           ("4672-privileges", 90), ("4768-kerberos-tgt", 60), ("4625-logon-failed", 45), ("4776-credential-validation", 40),
           ("4648-explicit-credentials", 25), ("4698-task-created", 4), ("4740-account-locked", 3), ("4719-audit-policy-changed", 2)]
assert sorted(templates) == sorted(w for w, _ in weights)
for name, text in templates.items():
    write(f"templates/{name}.json.jinja", text + "\n")

yml = ["# eg's benchmark generator with the shape of a Windows Security event-log generator for Eventum",
       "# (made by generate.py; see bench/README.md). Run: eg-sample bench/eventum-winsec | eg-rate --count N | ...",
       "input:", "  - cron:", '      expression: "* * * * * *"', "      count: 20", "",
       "event:", "  template:", "    mode: chance", "    params:", "      domain: NORTHWIND", "      dns_suffix: corp.northwind.test",
       '      domain_sid: "S-1-5-21-1180699209-877415012-3182924384"', '      beat_version: "8.11.4"', "    samples:",
       "      hosts: {type: csv, source: samples/hosts.csv, header: true}",
       "      accounts: {type: csv, source: samples/accounts.csv, header: true}",
       "      programs: {type: json, source: samples/programs.json}",
       "      tasks: {type: json, source: samples/tasks.json}", "    templates:"]
for name, w in weights:
    alias = name.split("-", 1)[1].replace("-", "_")
    yml += [f"      - {alias}:", f"          template: templates/{name}.json.jinja", f"          chance: {w}"]
yml += ["", "output:", "  - file:", "      path: output/events.json", "      write_mode: overwrite", "      formatter:", "        format: json"]
write("generator.yml", "\n".join(yml) + "\n")
