#!/usr/bin/env bash
# run-shards.sh: run one eg pipeline as N exact shards, on this host or on several over ssh.
#
#   run-shards.sh [-n SHARDS] [-H HOST,HOST...] [-o OUT] [-l LABELS] SOURCE [EG-RATE OPTION...]
#
# Every shard runs `eg-sample SOURCE | eg-rate OPTIONS --shard I/N | eg-tokenize | eg-ship`, with
# the same --seed, so the N shards together write exactly the events of the unsharded run.
#   -n SHARDS   number of shards (default: the number of cores here)
#   -H HOSTS    run the shards on these ssh hosts (GNU parallel's --sshlogin; each host needs eg
#               installed and SOURCE at the same path, or a generator name from the library)
#   -o OUT      write the events here, shard after shard (default: stdout). Ignored when EG_SHIP
#               sends them somewhere else.
#   -l LABELS   shard 0 writes the anomaly labels to LABELS (every shard computes the same ones)
# Environment:
#   EG_SEED     the seed every stage of every shard uses (default 7)
#   EG_SHIP     eg-ship's options (default: --output stdout), e.g.
#               EG_SHIP='--output httpevent --set httpeventServers=...'
# With GNU parallel installed the shards run under it (-H needs it); without it they run as
# background jobs on this host.
set -euo pipefail

help() { sed -n '3,19p' "$0" | sed 's/^# \{0,1\}//'; }
usage() { help >&2; exit 2; }
shards=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
hosts="" out="" labels=""
while getopts "n:H:o:l:h" opt; do
  case $opt in
    n) shards=$OPTARG ;;
    H) hosts=$OPTARG ;;
    o) out=$OPTARG ;;
    l) labels=$OPTARG ;;
    h) help; exit 0 ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
case $shards in ''|*[!0-9]*) echo "run-shards.sh: -n $shards: expected a number of shards from 1 to 4096" >&2; exit 2 ;; esac
if [ "$shards" -lt 1 ] || [ "$shards" -gt 4096 ]; then
  echo "run-shards.sh: -n $shards: expected a number of shards from 1 to 4096" >&2; exit 2
fi
source_=$1; shift
seed=${EG_SEED:-7}
ship=${EG_SHIP:---output stdout}

# One shard's pipeline as a shell command line; $1 is the shard number.
pipeline() {
  local i=$1 lab="" opts=""
  shift
  [ $# -gt 0 ] && opts=$(printf '%q ' "$@")
  [ -n "$labels" ] && [ "$i" -eq 0 ] && lab="--labels $(printf %q "$labels")"
  printf 'set -o pipefail; eg-sample %q | eg-rate --seed %q %s --shard %d/%d %s | eg-tokenize --seed %q | eg-ship %s' \
    "$source_" "$seed" "$opts" "$i" "$shards" "$lab" "$seed" "$ship"
}

exec 3>&1
[ -n "$out" ] && exec 3>"$out"

if command -v parallel >/dev/null 2>&1 && parallel --version 2>/dev/null | grep -q GNU; then
  cmds=()
  for ((i = 0; i < shards; i++)); do cmds+=("$(pipeline "$i" "$@")"); done
  # Here: all shards at once. Over ssh: as many per host as its --sshlogin entry says (8/host) or
  # it has cores, so that every host gets a share.
  login=(-j "$shards")
  [ -n "$hosts" ] && login=(--sshlogin "$hosts")
  # --keep-order: shard 0's events, then shard 1's...; --halt: one failed shard fails the run.
  printf '%s\n' "${cmds[@]}" | parallel --will-cite --keep-order --halt now,fail=1 "${login[@]}" >&3
  exit $?
fi

if [ -n "$hosts" ]; then
  echo "run-shards.sh: -H needs GNU parallel (apt-get install parallel)" >&2; exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pids=()
for ((i = 0; i < shards; i++)); do
  bash -c "$(pipeline "$i" "$@")" >"$tmp/$i" &
  pids+=($!)
done
status=0
for ((i = 0; i < shards; i++)); do
  if ! wait "${pids[$i]}"; then echo "run-shards.sh: shard $i/$shards failed" >&2; status=1; fi
done
for ((i = 0; i < shards; i++)); do cat "$tmp/$i" >&3; done
exit $status
