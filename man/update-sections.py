#!/usr/bin/env python3
"""Rewrites the SYNOPSIS and OPTIONS sections of man/<tool>.1 from `<tool> --man-sections`.

Usage: man/update-sections.py BINDIR   (run by `make man`)"""
import os, re, subprocess, sys

bindir = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
for tool in ("eg-sample", "eg-rate", "eg-tokenize", "eg-ship"):
    sections = subprocess.run([os.path.join(bindir, tool), "--man-sections"], check=True,
                              capture_output=True, text=True).stdout
    path = os.path.join(here, tool + ".1")
    page = open(path).read()
    # The generated block runs from ".SH SYNOPSIS" to the last option, --version, which every tool has.
    end = "Print the version and exit.\n"
    new, n = re.subn(r"\.SH SYNOPSIS\n.*?" + re.escape(end), lambda _: sections, page, count=1, flags=re.S)
    if n != 1:
        sys.exit(f"{path}: no generated SYNOPSIS ... OPTIONS block ending with --version")
    if new != page:
        open(path, "w").write(new)
        print(f"updated {path}")
