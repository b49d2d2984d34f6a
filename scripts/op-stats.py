#!/usr/bin/env python3
"""Rank wisp's executed ops and op pairs over several programs.

Input: dump files written by a wisp built with `--features op-stats`
(`WISP_OP_STATS=<file> wisp run prog.wasm`), one per program; the file's stem
names the program. Every program gets the same weight: its counts are divided
by its own total, so one long-running program does not decide for the corpus.

Prints the top ops and the top op pairs (the second op executed right after
the first, with no other op between; `-` is the start of a run) by mean share
over the programs, each with the number of programs where it is in that
program's top 50 ("spread": a pattern hot in one program only is a poor
fusion candidate), and per program its total op count.

Usage: scripts/op-stats.py [--top N] [--exclude-branches] DUMP...
"""
import argparse
import collections
import os
import sys


def load(path):
    ops, pairs = collections.Counter(), collections.Counter()
    with open(path) as f:
        for line in f:
            kind, *rest = line.rstrip("\n").split("\t")
            if kind == "op":
                ops[rest[0]] += int(rest[1])
            elif kind == "pair":
                pairs[(rest[0], rest[1])] += int(rest[2])
    return ops, pairs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("dumps", nargs="+")
    a = ap.parse_args()

    progs = {}
    for p in a.dumps:
        progs[os.path.splitext(os.path.basename(p))[0]] = load(p)
    n = len(progs)

    def rank(select):
        share = collections.defaultdict(float)
        spread = collections.Counter()
        for ops, pairs in progs.values():
            table = select(ops, pairs)
            total = sum(table.values()) or 1
            for k, v in table.items():
                share[k] += v / total / n
            for k, _ in table.most_common(50):
                spread[k] += 1
        return sorted(share.items(), key=lambda kv: -kv[1]), spread

    print(f"{n} program(s):")
    for name, (ops, _) in sorted(progs.items()):
        print(f"  {name:<12} {sum(ops.values()):>14,} ops executed")

    ranked, spread = rank(lambda ops, pairs: ops)
    print(f"\ntop {a.top} ops (mean share over programs, programs with it in their top 50):")
    cum = 0.0
    for op, s in ranked[: a.top]:
        cum += s
        print(f"  {s*100:6.2f}%  cum {cum*100:6.2f}%  {spread[op]:>2}/{n}  {op}")

    ranked, spread = rank(lambda ops, pairs: pairs)
    print(f"\ntop {a.top} op pairs (first, then second):")
    for (x, y), s in ranked[: a.top]:
        print(f"  {s*100:6.2f}%  {spread[(x, y)]:>2}/{n}  {x} -> {y}")


if __name__ == "__main__":
    sys.exit(main())
