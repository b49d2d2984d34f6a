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

Then the slot-forwarding counts (`fwd` lines, `interp/src/stack/forwarding.rs`):
per program, the reads of a local or of an operand slot that the op just
before (d1) or the one before that (d2) stored, as a share of the ops executed
(each such read waits on that store where a register would not), and the ops
that make the most d1 reads.

Usage: scripts/op-stats.py [--top N] DUMP...
"""
import argparse
import collections
import os
import sys


def load(path):
    ops, pairs, fwd = collections.Counter(), collections.Counter(), {}
    with open(path) as f:
        for line in f:
            kind, *rest = line.rstrip("\n").split("\t")
            if kind == "op":
                ops[rest[0]] += int(rest[1])
            elif kind == "pair":
                pairs[(rest[0], rest[1])] += int(rest[2])
            elif kind == "fwd":
                fwd[rest[0]] = [int(x) for x in rest[1:]]
    return ops, pairs, fwd


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
        for ops, pairs, _ in progs.values():
            table = select(ops, pairs)
            total = sum(table.values()) or 1
            for k, v in table.items():
                share[k] += v / total / n
            for k, _ in table.most_common(50):
                spread[k] += 1
        return sorted(share.items(), key=lambda kv: -kv[1]), spread

    print(f"{n} program(s):")
    for name, (ops, _, _) in sorted(progs.items()):
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

    if any(fwd for _, _, fwd in progs.values()):
        print("\nslot reads of what the op before (d1) or the one before that (d2) stored,")
        print("as a share of ops executed:  local d1, d2 | operand d1, d2 | top d1 readers")
        for name, (ops, _, fwd) in sorted(progs.items()):
            total = sum(ops.values()) or 1
            col = [sum(r[k] for r in fwd.values()) / total * 100 for k in range(4)]
            top = sorted(fwd.items(), key=lambda kv: -(kv[1][0] + kv[1][2]))[:3]
            tops = ", ".join(f"{op} {(r[0] + r[2]) / total * 100:.1f}" for op, r in top)
            print(f"  {name:<12} {col[0]:5.1f} {col[1]:5.1f} | {col[2]:5.1f} {col[3]:5.1f} | {tops}")


if __name__ == "__main__":
    sys.exit(main())
