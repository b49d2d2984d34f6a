#!/usr/bin/env bash
# Whole-process benchmark: the `wisp` release binary against the `wasmi` CLI
# (wasmi_cli 2.0.0) over the C workloads in fixtures/bench/, each run N times,
# interleaved. Prints per workload the median wall time of each runtime, the
# ratio wisp/wasmi (lower is better), the peak RSS of each, and the geometric
# mean of the ratios (also apart for the C workloads, the corpus programs tuned on
# and those held out: fixtures/bench/corpus/held-out); then the stripped sizes of
# both binaries.
#
# Usage: scripts/bench-cli.sh [-n RUNS] [--same-flags] [WORKLOAD...]
#   (default: 5 runs, all workloads, wasmi as published)
#   WORKLOAD is a stem of fixtures/bench/*.c, run with its default iteration
#   count (about 1 s on wasmi); WORKLOAD=COUNT overrides the count. Or it is
#   corpus/NAME, a real program of fixtures/bench/corpus/ (no arguments), or
#   `c` (every C workload) or `corpus` (every corpus program). Default: both sets.
#
# Builds wisp with `cargo build --release`; installs the wasmi CLI with
# `cargo install wasmi_cli --version 2.0.0 --locked` into
# ${CARGO_TARGET_DIR:-target}/wasmi-cli, only if it is missing (or was built with
# other flags, which the file rustflags beside its bin/ records). That is wasmi as
# a user installs it. With --same-flags it is built instead with the rustflags
# wisp's build uses (.cargo/config.toml: every function 64-byte aligned), into
# ${CARGO_TARGET_DIR:-target}/wasmi-cli-same-flags: the like-for-like comparison
# that `cargo bench` makes (wasmi is linked into the bench with those flags).
# The flag alone makes wasmi about 8 % faster on the corpus (benches/README.md,
# "Which wasmi"). Peak RSS comes
# from GNU time (`/usr/bin/time -f %M`; the `time` package is installed with
# apt-get if missing), wall time from a small python3 driver around it.
# Both runtimes must print the same checksum line; a run that fails or differs
# is reported and its workload left out of the geometric mean.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs=5
same_flags=0
while [ "$#" -gt 0 ]; do
  case "$1" in
    -n) runs="${2:?-n needs a number}"; shift 2 ;;
    --same-flags) same_flags=1; shift ;;
    *) break ;;
  esac
done
target="${CARGO_TARGET_DIR:-$root/target}"
if [ "$same_flags" = 1 ]; then
  wasmi_root="$target/wasmi-cli-same-flags"
  # the rustflags of .cargo/config.toml's [build] table, as one string
  wasmi_flags="$(python3 -c '
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"^rustflags\s*=\s*\[(.*?)\]", text, re.M | re.S)
print(" ".join(x for x in re.findall(r"\"([^\"]*)\"", m.group(1))) if m else "")
' "$root/.cargo/config.toml")"
else
  wasmi_root="$target/wasmi-cli"
  wasmi_flags=""
fi
wasmi="$wasmi_root/bin/wasmi"
wisp="$target/release/wisp"

command -v python3 >/dev/null || { echo "bench-cli.sh: python3 is required" >&2; exit 1; }
if [ ! -x /usr/bin/time ]; then
  echo "== installing GNU time (apt-get install time)" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time
fi

echo "== building wisp (cargo build --release)" >&2
cargo build --release --quiet --bin wisp

# the flags the installed build was made with: a change to them rebuilds it
stamp="$wasmi_root/rustflags"
if ! { [ -x "$wasmi" ] && "$wasmi" --version 2>/dev/null | grep -q ' 2\.0\.0' \
       && [ "$(cat "$stamp" 2>/dev/null || echo)" = "$wasmi_flags" ]; }; then
  echo "== installing wasmi_cli 2.0.0 into $wasmi_root (RUSTFLAGS='$wasmi_flags')" >&2
  # its own temporary build dir: never mix it into the workspace's target dir;
  # RUSTFLAGS set (empty: wasmi as published) so that no outer value leaks in
  env -u CARGO_TARGET_DIR RUSTFLAGS="$wasmi_flags" cargo install wasmi_cli --version 2.0.0 --locked --root "$wasmi_root" --quiet --force
  printf '%s\n' "$wasmi_flags" >"$stamp"
fi

c_set=(fib hashtab matmul nbody memops bulkmem sort sieve sha256 vm mixed)
corpus_set=()
for d in "$root"/fixtures/bench/corpus/*/; do
  d="${d%/}"; n="${d##*/}"
  [ -f "$d/$n.wasm" ] && corpus_set+=("corpus/$n")
done
[ "$#" -eq 0 ] && set -- c corpus
work=()
for w in "$@"; do
  case "$w" in
    c) work+=("${c_set[@]}") ;;
    corpus) work+=("${corpus_set[@]}") ;;
    *) work+=("$w") ;;
  esac
done
set -- "${work[@]}"

echo "== wisp:  $("$wisp" --version 2>/dev/null || echo "$wisp")" >&2
echo "== wasmi: $("$wasmi" --version) ($([ "$same_flags" = 1 ] && echo "built with wisp's rustflags: $wasmi_flags" || echo "as published"))" >&2
echo "== $runs runs each, interleaved; wall = median, RSS = max" >&2

python3 - "$wisp" "$wasmi" "$runs" "$root/fixtures/bench" "$@" <<'PY'
import math, os, statistics, subprocess, sys, time

wisp, wasmi, runs, bench_dir, *work = sys.argv[1:]
runs = int(runs)

RSS_FILE = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"bench-cli-rss.{os.getpid()}")

def run_child(cmd):
    """Wall seconds, peak RSS (KiB), exit code, stdout, stderr of one run of cmd.
    GNU time measures the RSS: getrusage of our own child would count this
    python process's memory, which the child shares until it execs."""
    full = ["/usr/bin/time", "-f", "%M", "-o", RSS_FILE, *cmd]
    t0 = time.perf_counter()
    p = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    with open(RSS_FILE) as f:
        rss = int(f.read().split()[-1])
    return (wall, rss, p.returncode,
            p.stdout.decode(errors="replace").strip(),
            p.stderr.decode(errors="replace").strip())

ratios, unverified, matched = [], [], []
print(f"{'workload':<14} {'wisp (s)':>9} {'wasmi (s)':>9} {'wisp/wasmi':>10} {'wisp RSS':>10} {'wasmi RSS':>10}  check")
for item in work:
    name, _, count = item.partition("=")
    if name.startswith("corpus/"):
        stem = name.split("/", 1)[1]
        wasm = os.path.join(bench_dir, "corpus", stem, stem + ".wasm")
    else:
        wasm = os.path.join(bench_dir, name + ".wasm")
    if not os.path.exists(wasm):
        print(f"{name:<14} no such workload: {wasm}")
        continue
    args = [count] if count else []
    cmds = {"wisp": [wisp, "run", wasm, *args], "wasmi": [wasmi, wasm, *args]}
    times = {"wisp": [], "wasmi": []}
    rss = {"wisp": 0, "wasmi": 0}
    outs = {"wisp": set(), "wasmi": set()}
    fails = {"wisp": None, "wasmi": None}
    for _ in range(runs):
        for rt in ("wisp", "wasmi"):
            wall, maxrss, code, out, err = run_child(cmds[rt])
            times[rt].append(wall)
            rss[rt] = max(rss[rt], maxrss)
            outs[rt].add(out)
            if code != 0 and fails[rt] is None:
                fails[rt] = f"{rt} exit {code}: {err.splitlines()[-1] if err else ''}"
    med = {rt: statistics.median(times[rt]) for rt in times}
    if fails["wisp"] or fails["wasmi"]:
        check = "FAIL " + "; ".join(f for f in fails.values() if f)
    elif len(outs["wisp"]) != 1 or outs["wisp"] != outs["wasmi"]:
        check = f"DIFFER wisp={sorted(outs['wisp'])} wasmi={sorted(outs['wasmi'])}"
    else:
        check = "ok"
    ratio = med["wisp"] / med["wasmi"]
    if check == "ok":
        ratios.append(ratio)
        matched.append((name, ratio))
    if not (fails["wisp"] or fails["wasmi"]):
        unverified.append(ratio)
    print(f"{name:<14} {med['wisp']:>9.3f} {med['wasmi']:>9.3f} {ratio:>9.2f}x "
          f"{rss['wisp']/1024:>7.1f} MiB {rss['wasmi']/1024:>6.1f} MiB  {check}", flush=True)
held_out = set()
try:
    with open(os.path.join(bench_dir, "corpus", "held-out")) as f:
        held_out = {"corpus/" + l.strip() for l in f if l.strip() and not l.startswith("#")}
except FileNotFoundError:
    pass

def gmean(xs):
    return math.exp(sum(map(math.log, xs)) / len(xs))

if ratios:
    print(f"geometric mean wisp/wasmi over {len(ratios)} workload(s) that matched: {gmean(ratios):.2f}x")
    for label, keep in (
        ("C workloads", lambda n: not n.startswith("corpus/")),
        ("corpus, tuned on", lambda n: n.startswith("corpus/") and n not in held_out),
        ("corpus, held out", lambda n: n in held_out),
    ):
        part = [r for n, r in matched if keep(n)]
        if part and len(part) < len(ratios):
            print(f"  {label:<17} {len(part):>2}: {gmean(part):.2f}x")
else:
    print("geometric mean: no workload ran correctly on both")
if len(unverified) > len(ratios):
    print(f"geometric mean wisp/wasmi over {len(unverified)} workload(s) that exited 0 "
          f"(output NOT verified): {gmean(unverified):.2f}x")
try:
    os.unlink(RSS_FILE)
except FileNotFoundError:
    pass
PY

strip_size() {
  local tmp
  tmp="$(mktemp)"
  if strip -o "$tmp" "$1" 2>/dev/null; then
    wc -c <"$tmp"
  else
    echo "$(wc -c <"$1") (strip failed: unstripped)"
  fi
  rm -f "$tmp"
}
echo "stripped size: wisp $(strip_size "$wisp") bytes, wasmi CLI $(strip_size "$wasmi") bytes"
