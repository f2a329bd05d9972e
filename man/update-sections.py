#!/usr/bin/env python3
"""Rewrites each man page's generated parts: the .TH line (date and version from EgVersion, via
`<tool> --man-title`) and the SYNOPSIS and OPTIONS sections of man/<tool>.1 (from
`<tool> --man-sections`). eg-stream(5) gets the same date and version in its own .TH line.

Usage: man/update-sections.py BINDIR   (run by `make man`)"""
import os, re, shlex, subprocess, sys

bindir = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))

def tool_output(tool, flag):
    return subprocess.run([os.path.join(bindir, tool), flag], check=True, capture_output=True, text=True).stdout

def rewrite(path, page):
    old = open(path).read()
    if page != old:
        open(path, "w").write(page)
        print(f"updated {path}")

def with_title(path, page, title):
    lines = page.split("\n", 1)
    if not lines[0].startswith(".TH "):
        sys.exit(f"{path}: the first line is not a .TH line")
    return title + "\n" + lines[1]

title = None
for tool in ("eg-sample", "eg-rate", "eg-tokenize", "eg-ship"):
    sections = tool_output(tool, "--man-sections")
    title = tool_output(tool, "--man-title").rstrip("\n")
    path = os.path.join(here, tool + ".1")
    page = with_title(path, open(path).read(), title)
    # The generated block runs from ".SH SYNOPSIS" to the last option, --version, which every tool has.
    end = "Print the version and exit.\n"
    page, n = re.subn(r"\.SH SYNOPSIS\n.*?" + re.escape(end), lambda _: sections, page, count=1, flags=re.S)
    if n != 1:
        sys.exit(f"{path}: no generated SYNOPSIS ... OPTIONS block ending with --version")
    rewrite(path, page)

# Pages of other sections keep their name, section and manual, and take the tools' date and version.
_, _, _, date, version, _ = shlex.split(title)
for name in sorted(os.listdir(here)):
    if re.fullmatch(r"eg-[a-z]+\.[2-9]", name):
        path = os.path.join(here, name)
        page = open(path).read()
        fields = shlex.split(page.split("\n", 1)[0])
        fields[3], fields[4] = date, version
        th = ".TH " + " ".join(f if i < 2 else '"' + f + '"' for i, f in enumerate(fields[1:]))
        rewrite(path, with_title(path, page, th))
