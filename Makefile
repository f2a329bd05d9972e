# eg: build, demo, test, install. See README.md.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
GENDIR  ?= $(PREFIX)/share/eg/generators
SWIFT   ?= swift
# SWIFTFLAGS: extra flags of the release build, e.g. --static-swift-stdlib for a container image
SWIFTFLAGS ?=
TOOLS   := eg-sample eg-rate eg-tokenize eg-ship
RELEASE := $(shell $(SWIFT) build -c release $(SWIFTFLAGS) --show-bin-path 2>/dev/null || echo .build/release)

.PHONY: all deps build demo demo-generator test install uninstall clean bench man web-anomaly

all: build

## deps: the system headers eg-ship builds against (zlib, libcurl); installed on Debian when missing
deps:
	@.ci/deps

## build: release binaries of the four tools
build: deps
	$(SWIFT) build -c release $(SWIFTFLAGS)

## demo: run the tutorial's first example (a Cisco IOS syslog sample) and print one interval of events
demo: build
	@echo "# eg-sample examples/cisco | eg-rate --end 1 | eg-tokenize | eg-ship --output stdout" >&2
	@$(RELEASE)/eg-sample examples/cisco | $(RELEASE)/eg-rate --end 1 | $(RELEASE)/eg-tokenize | $(RELEASE)/eg-ship --output stdout
	@echo "# second quick start: make demo-generator (events from one of eg's own generators; GENERATOR=name)" >&2

## demo-generator: the second quick start: 5 events from one of eg's own generators
##                 (GENERATOR=name, default windows-security; eg-sample --generators lists them)
GENERATOR ?= windows-security
demo-generator: build
	@echo "# eg-sample $(GENERATOR) | eg-rate --count 5 --seed 7 | eg-tokenize --seed 7 | eg-ship --output stdout" >&2
	@$(RELEASE)/eg-sample $(GENERATOR) | $(RELEASE)/eg-rate --count 5 --seed 7 | $(RELEASE)/eg-tokenize --seed 7 | $(RELEASE)/eg-ship --output stdout

## web-anomaly: 21 days of labelled web traffic (a 10x spike and an outage) in examples/web-anomaly/out/
WA      := examples/web-anomaly
SEED    ?= 42
NOW     ?= 2024-06-01T00:00:00Z
web-anomaly: build
	@rm -rf $(WA)/out && mkdir -p $(WA)/out
	$(RELEASE)/eg-sample $(WA) \
	  | $(RELEASE)/eg-rate --seed $(SEED) --now $(NOW) --backfill -21d --end $(NOW) \
	      --labels $(WA)/out/labels.jsonl --labels-format nab \
	  | $(RELEASE)/eg-tokenize --seed $(SEED) > $(WA)/out/events.ndjson
	$(RELEASE)/eg-ship --output file --file $(WA)/out/access.log --set fileMaxBytes=4294967296 < $(WA)/out/events.ndjson
	@wc -l $(WA)/out/access.log
	@cat $(WA)/out/labels.jsonl

## test: build everything and run the unit and end-to-end tests
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

## install: binaries to $(BINDIR), man pages to $(MANDIR), bash and zsh completion (each tool's --completion),
##          eg's generators to $(GENDIR) (where eg-sample NAME finds them: <bin>/../share/eg/generators)
install: build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -d $(DESTDIR)$(GENDIR)
	for g in generators/*/; do \
	  n=$$(basename $$g); rm -rf $(DESTDIR)$(GENDIR)/$$n; cp -R $$g $(DESTDIR)$(GENDIR)/$$n || exit 1; \
	  chmod -R u=rwX,go=rX $(DESTDIR)$(GENDIR)/$$n; \
	done
	for t in $(TOOLS); do install -m 755 $(RELEASE)/$$t $(DESTDIR)$(BINDIR)/$$t; done
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	for t in $(TOOLS); do \
	  $(RELEASE)/$$t --completion bash > $(DESTDIR)$(BASHCOMPDIR)/$$t && \
	  $(RELEASE)/$$t --completion zsh > $(DESTDIR)$(ZSHCOMPDIR)/_$$t || exit 1; \
	done

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(BINDIR)/$$t $(DESTDIR)$(MANDIR)/man1/$$t.1 $(DESTDIR)$(BASHCOMPDIR)/$$t $(DESTDIR)$(ZSHCOMPDIR)/_$$t; done
	rm -f $(DESTDIR)$(MANDIR)/man5/eg-stream.5
	for g in generators/*/; do rm -rf $(DESTDIR)$(GENDIR)/$$(basename $$g); done
	-rmdir $(DESTDIR)$(GENDIR) $(DESTDIR)$(PREFIX)/share/eg 2>/dev/null

## man: rewrite each man page's .TH line (date and version: EgVersion in Sources/Core/CLI/ToolMain.swift)
##      and its SYNOPSIS and OPTIONS from the tool's own --man-title and --man-sections
man: deps
	$(SWIFT) build
	man/update-sections.py $$($(SWIFT) build --show-bin-path)

## bench: the performance suite (see bench/README.md)
bench: build
	bench/run.sh

clean:
	rm -rf .build bench/out
