#!/usr/bin/env python3
"""Choose the op pairs that get a pair handler (`scripts/pairs.txt`).

Input: op-stats dumps of the tuned programs (`WISP_OP_STATS=<file> wisp run
prog.wasm` with a wisp built with `--features op-stats`; never the held-out
corpus programs, `fixtures/bench/corpus/held-out`). A pair is a candidate
when its first op may go on to the op after it (`gen-ops.py`'s
`may_fall_through`: not a jump, call or return, nor `memory.grow`). Each program's pair counts are divided by
its own op count; the pairs are ranked by their mean share over the corpus
programs and, apart, over the others (the C micro-benchmarks), and the top
`--corpus` of the first ranking and `--micro` of the second are kept.

Usage: scripts/choose-pairs.py [--corpus N] [--micro N] DUMP... > scripts/pairs.txt
"""
import argparse
import collections
import importlib.util
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))


def script(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(here, file))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen_ops = script("gen_ops", "gen-ops.py")
op_stats = script("op_stats", "op-stats.py")


def shares(path):
    ops, pairs, _ = op_stats.load(path)
    total = sum(ops.values())
    return {k: v / total for k, v in pairs.items()}


def ranked(programs, plain):
    mean = collections.Counter()
    for p in programs.values():
        for k, v in p.items():
            if k[0] in plain:
                mean[k] += v / len(programs)
    return mean.most_common()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=int, default=4000)
    ap.add_argument("--micro", type=int, default=400)
    ap.add_argument("dumps", nargs="+")
    a = ap.parse_args()
    corpus_dir = os.path.join(here, "..", "fixtures", "bench", "corpus")
    corpus = {d for d in os.listdir(corpus_dir) if os.path.isdir(os.path.join(corpus_dir, d))}
    held = {l.strip() for l in open(os.path.join(corpus_dir, "held-out")) if l.strip() and not l.startswith("#")}
    ops, _ = gen_ops.all_ops()
    plain = {o.name for o in ops if gen_ops.may_fall_through(o)}
    progs = {os.path.basename(d): shares(d) for d in a.dumps}
    bad = held & set(progs)
    if bad:
        sys.exit(f"choose-pairs: {', '.join(sorted(bad))} held out: never tune on them")
    big = {n: p for n, p in progs.items() if n in corpus}
    small = {n: p for n, p in progs.items() if n not in corpus}
    chosen = {}
    for group, n in ((big, a.corpus), (small, a.micro)):
        for k, v in ranked(group, plain)[:n]:
            chosen.setdefault(k, v)
    print("# Op pairs that get a handler of their own under the threaded backend")
    print("# (`exec/threaded.rs`, `pair_handlers`): `A B` runs B right after A with")
    print("# one dispatch when A goes on to B. Written by scripts/choose-pairs.py")
    print(f"# (--corpus {a.corpus} --micro {a.micro}) from the op-stats of: {' '.join(sorted(progs))}.")
    print("# The comment is the pair's mean share of its group's dispatches.")
    for (x, y), v in chosen.items():
        print(f"{x} {y}  # {100 * v:.3f}%")


if __name__ == "__main__":
    main()
