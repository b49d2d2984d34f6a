#!/usr/bin/env python3
"""Generates wisp's fused superinstructions consistently in the four places that
must agree: the `Op` variants and `Op::target_mut` (interp/src/bytecode/mod.rs),
the peephole (`fuse_*`, `stack_effect`, `with_local_operand` and `emit` in
interp/src/translate/mod.rs), the op bodies (the fused part of the list in
interp/src/exec/ops.rs, one line each) and the operation helpers
(interp/src/exec/numeric.rs). It then checks that the op list in ops.rs follows
the order of `Op`'s variants (the threaded backend's handler numbers are then
the variants' own tags).

Edit the lists below (`arith`, `cmps`, `loads`, `stores`, `i64ops`, `fops`, ...),
run `python3 scripts/gen-fused-ops.py && cargo fmt --all`, then run the spec
suites on both backends and the benches (see docs/design.md). Running it on an
unchanged tree changes nothing.
"""
import os
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interp", "src"))
import re
def snake(o): return re.sub(r'(?<!^)([A-Z])', r'_\1', o).lower()
arith = ["Add","Sub","Mul","And","Or","Xor","Shl","ShrS","ShrU","Rotl","Rotr"]
cmps = ["Eq","Ne","LtS","LtU","GtS","GtU","LeS","LeU","GeS","GeU"]
binops = arith + cmps
inverse = {"Eq":"Ne","Ne":"Eq","LtS":"GeS","GeS":"LtS","LtU":"GeU","GeU":"LtU","GtS":"LeS","LeS":"GtS","GtU":"LeU","LeU":"GtU"}
body = {"Add":"a.wrapping_add(b)","Sub":"a.wrapping_sub(b)","Mul":"a.wrapping_mul(b)","And":"a & b","Or":"a | b","Xor":"a ^ b","Shl":"a.wrapping_shl(b)",
 "ShrS":"(a as i32).wrapping_shr(b) as u32","ShrU":"a.wrapping_shr(b)","Rotl":"a.rotate_left(b % 32)","Rotr":"a.rotate_right(b % 32)"}
cmp_body = {"Eq":"a == b","Ne":"a != b","LtS":"(a as i32) < (b as i32)","LtU":"a < b","GtS":"(a as i32) > (b as i32)","GtU":"a > b","LeS":"(a as i32) <= (b as i32)","LeU":"a <= b","GeS":"(a as i32) >= (b as i32)","GeU":"a >= b"}
loads = [("I32Load",4,"u32::from_le_bytes(b) as u64"),("I64Load",8,"u64::from_le_bytes(b)"),("F32Load",4,"u32::from_le_bytes(b) as u64"),("F64Load",8,"u64::from_le_bytes(b)"),
 ("I32Load8S",1,"i8::from_le_bytes(b) as i32 as u32 as u64"),("I32Load8U",1,"u8::from_le_bytes(b) as u64"),("I32Load16S",2,"i16::from_le_bytes(b) as i32 as u32 as u64"),("I32Load16U",2,"u16::from_le_bytes(b) as u64"),
 ("I64Load8U",1,"u8::from_le_bytes(b) as u64"),("I64Load32U",4,"u32::from_le_bytes(b) as u64"),("I64Load32S",4,"i32::from_le_bytes(b) as i64 as u64")]
# i64 and float ops with operands from locals/constants
i64ops = {"Add":"a.wrapping_add(b)","Sub":"a.wrapping_sub(b)","Mul":"a.wrapping_mul(b)","And":"a & b","Or":"a | b","Xor":"a ^ b","Shl":"a.wrapping_shl(b as u32)","ShrU":"a.wrapping_shr(b as u32)","ShrS":"(a as i64).wrapping_shr(b as u32) as u64","Rotl":"a.rotate_left((b % 64) as u32)"}
fops = {"Add":"a + b","Sub":"a - b","Mul":"a * b","Div":"a / b"}
stores = [("I32Store",4,"(v as u32).to_le_bytes()"),("I64Store",8,"v.to_le_bytes()"),("F32Store",4,"(v as u32).to_le_bytes()"),("F64Store",8,"v.to_le_bytes()"),
 ("I32Store8",1,"(v as u8).to_le_bytes()"),("I32Store16",2,"(v as u16).to_le_bytes()"),("I64Store8",1,"(v as u8).to_le_bytes()"),("I64Store16",2,"(v as u16).to_le_bytes()"),("I64Store32",4,"(v as u32).to_le_bytes()")]
# Operand order: `local.get x; <ops leaving x alone>; op` becomes `<ops>; op` with
# x as its right operand (`SL`: op commutes, or a comparison that swaps to its
# mirror) or as its left one (`LS`: the other forms).
i32_ls = ["Sub","Shl","ShrS","ShrU","Rotl","Rotr"]
i64_ls = ["Sub","Shl","ShrU","ShrS","Rotl"]
f_ls = ["Sub","Div"]
mirror = {"Eq":"Eq","Ne":"Ne","LtS":"GtS","GtS":"LtS","LtU":"GtU","GtU":"LtU","LeS":"GeS","GeS":"LeS","LeU":"GeU","GeU":"LeU"}

# ---- variants
v=["    // Fused superinstructions (the module docs define the suffixes)."]
for o in binops:
    v += [f"    I32{o}SC(i32),", f"    I32{o}SL(u32),", f"    I32{o}LL {{ a: u32, b: u32 }},", f"    I32{o}LC {{ a: u32, c: i32 }},"]
for o in arith:
    v += [f"    I32{o}LLToL {{ a: u32, b: u32, d: u32 }},", f"    I32{o}LCToL {{ a: u32, c: i32, d: u32 }},", f"    I32{o}SCToL {{ c: i32, d: u32 }},",
          f"    I32{o}LLTee {{ a: u32, b: u32, d: u32 }},", f"    I32{o}LCTee {{ a: u32, c: i32, d: u32 }},"]
for c in cmps:
    v += [f"    BrI32{c} {{ target: u32 }},", f"    BrI32{c}SC {{ target: u32, c: i32 }},", f"    BrI32{c}SL {{ target: u32, b: u32 }},",
          f"    BrI32{c}LL {{ target: u32, a: u32, b: u32 }},", f"    BrI32{c}LC {{ target: u32, a: u32, c: i32 }},"]
for c in cmps:
    v += [f"    BrI32{c}IncSC {{ a: u16, d: u16, k: i16, c: i32, target: u32 }},",
          f"    BrI32{c}IncSL {{ a: u16, d: u16, k: i16, b: u32, target: u32 }},",
          f"    BrI32{c}AddLLSL {{ a: u16, b: u16, d: u16, n: u16, target: u32 }},"]
v.append("    BrNez { target: u32 },")
v += ["    BrNezL { target: u32, local: u32 },", "    BrEqzL { target: u32, local: u32 },",
      "    BrNezTee { target: u32, local: u32 },", "    BrEqzTee { target: u32, local: u32 },",
      "    BrI32AndLCNez { target: u32, a: u32, c: i32 },", "    BrI32AndLCEqz { target: u32, a: u32, c: i32 },",
      "    BrI32AndSCNez { target: u32, c: i32 },", "    BrI32AndSCEqz { target: u32, c: i32 },"]
for o in arith:
    v += [f"    I32{o}SSToL(u32),", f"    I32{o}SLToL {{ b: u32, d: u32 }},", f"    I32{o}TeeSC {{ d: u32, c: i32 }},"]
# `x ^ (y shift c)` with x and y locals (xorshift, hash mixing), pushed or into
# local `d`; narrow fields so that four fit
xshifts = ["Shl","ShrU","Rotl","Rotr"]
for o in xshifts:
    v += [f"    I32Xor{o}LCL {{ a: u16, c: u16, b: u16 }},", f"    I32Xor{o}LCLToL {{ a: u16, c: u16, b: u16, d: u16 }},"]
for o in i32_ls:
    v.append(f"    I32{o}LS(u32),")
for o in i64_ls:
    v.append(f"    I64{o}LS(u32),")
for t in ("F32","F64"):
    for o in f_ls:
        v.append(f"    {t}{o}LS(u32),")
for o in i64ops:
    v += [f"    I64{o}SC(i32),", f"    I64{o}SL(u32),", f"    I64{o}LL {{ a: u32, b: u32 }},", f"    I64{o}LC {{ a: u32, c: i32 }},"]
for t in ("F32","F64"):
    for o in fops:
        v += [f"    {t}{o}SL(u32),", f"    {t}{o}LL {{ a: u32, b: u32 }},"]
for (l,n,_) in loads:
    v += [f"    {l}L {{ local: u32, offset: u32 }},", f"    {l}LC {{ a: u32, c: i32, offset: u32 }},",
          f"    {l}SC {{ c: i32, offset: u32 }},", f"    {l}SL {{ b: u32, offset: u32 }},",
          f"    {l}LL {{ a: u32, b: u32, offset: u32 }},"]
for (st,n,_) in stores:
    v += [f"    {st}LL {{ addr: u32, value: u32, offset: u32 }},", f"    {st}L {{ addr: u32, offset: u32 }},"]
for o in i64ops:
    v.append(f"    I64{o}SSToL(u32),")
for o in i64ops:
    v.append(f"    I64{o}SLToL {{ b: u32, d: u32 }},")
for t in ("F32","F64"):
    for o in fops:
        v += [f"    {t}{o}SSToL(u32),", f"    {t}{o}SLToL {{ b: u32, d: u32 }},",
              f"    {t}{o}SSTee(u32),", f"    {t}{o}SLTee {{ b: u32, d: u32 }},"]
for o in i32_ls:
    v.append(f"    I32{o}LSToL {{ b: u32, d: u32 }},")
v += ["    LocalCopy { from: u32, to: u32 },","    LocalSetC { local: u32, c: i32 },","    LocalTeeGet { tee: u32, get: u32 },",
      "    LocalGet2 { a: u32, b: u32 },","    LocalSetGet { set: u32, get: u32 },","    LocalCopyBr { from: u32, to: u32, target: u32 },",
      "    I32StoreC { c: i32, offset: u32 },","    I32Store8C { c: i32, offset: u32 },","    I32Store16C { c: i32, offset: u32 },"]
variants='\n'.join(v)+'\n'

# ---- target_mut
t=["            Op::Br { target, .. } | Op::BrIfNez { target, .. } | Op::BrIfEqz { target } | Op::BrNez { target } => Some(target),",
   "            Op::Jump { target } => Some(target),",
   "            Op::BrNezL { target, .. } | Op::BrEqzL { target, .. } | Op::BrNezTee { target, .. } | Op::BrEqzTee { target, .. } => Some(target),",
   "            Op::BrI32AndLCNez { target, .. } | Op::BrI32AndLCEqz { target, .. } | Op::BrI32AndSCNez { target, .. } | Op::BrI32AndSCEqz { target, .. } => Some(target),",
   "            Op::LocalCopyBr { target, .. } => Some(target),"]
for c in cmps:
    t.append(f"            Op::BrI32{c}IncSC {{ target, .. }} | Op::BrI32{c}IncSL {{ target, .. }} | Op::BrI32{c}AddLLSL {{ target, .. }} => Some(target),")
for c in cmps:
    t.append(f"            Op::BrI32{c} {{ target }} | Op::BrI32{c}SC {{ target, .. }} | Op::BrI32{c}SL {{ target, .. }} | Op::BrI32{c}LL {{ target, .. }} | Op::BrI32{c}LC {{ target, .. }} => Some(target),")
# ---- inverted (the opposite conditional branch, same operands and target)
inv=[]
for a_, b_ in (("BrNez { target }", "BrIfEqz { target }"), ("BrIfEqz { target }", "BrNez { target }")):
    inv.append(f"            Op::{a_} => Op::{b_},")
for x, y in (("BrNezL", "BrEqzL"), ("BrNezTee", "BrEqzTee")):
    inv.append(f"            Op::{x} {{ target, local }} => Op::{y} {{ target, local }},")
    inv.append(f"            Op::{y} {{ target, local }} => Op::{x} {{ target, local }},")
inv.append("            Op::BrI32AndLCNez { target, a, c } => Op::BrI32AndLCEqz { target, a, c },")
inv.append("            Op::BrI32AndLCEqz { target, a, c } => Op::BrI32AndLCNez { target, a, c },")
inv.append("            Op::BrI32AndSCNez { target, c } => Op::BrI32AndSCEqz { target, c },")
inv.append("            Op::BrI32AndSCEqz { target, c } => Op::BrI32AndSCNez { target, c },")
for c in cmps:
    i_ = inverse[c]
    for form, fields in (("", "target"), ("SC", "target, c"), ("SL", "target, b"), ("LL", "target, a, b"), ("LC", "target, a, c"),
                         ("IncSC", "a, d, k, c, target"), ("IncSL", "a, d, k, b, target"), ("AddLLSL", "a, b, d, n, target")):
        inv.append(f"            Op::BrI32{c}{form} {{ {fields} }} => Op::BrI32{i_}{form} {{ {fields} }},")
impl_op = ("impl Op {\n    /// The jump target of a branch op, for fix-ups.\n    pub fn target_mut(&mut self) -> Option<&mut u32> {\n        match self {\n" + '\n'.join(t) + "\n            _ => None,\n        }\n    }\n\n"
    "    /// The conditional branch with the same operands and effects taken\n    /// exactly when this one is not, for the conditional branches that\n    /// have one (jump threading rotates loops with it).\n"
    "    pub fn inverted(self) -> Option<Op> {\n        Some(match self {\n" + '\n'.join(inv) + "\n            _ => return None,\n        })\n    }\n}\n\n")

# ---- translator fuse functions
f=[]
f.append("/// Fuses a binary i32 op with the `local.get`/`i32.const` ops before it.")
f.append("fn fuse_binop(op: Op, prev2: Option<Op>, prev: Option<Op>) -> Option<(usize, Op)> {")
f.append("    match (op, prev2, prev) {")
for o in binops:
    f.append(f"        (Op::I32{o}, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => Some((2, Op::I32{o}LL {{ a, b }})),")
    f.append(f"        (Op::I32{o}, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => Some((2, Op::I32{o}LC {{ a, c }})),")
    f.append(f"        (Op::I32{o}, _, Some(Op::I32Const(c))) => Some((1, Op::I32{o}SC(c))),")
    f.append(f"        (Op::I32{o}, _, Some(Op::LocalGet(b))) => Some((1, Op::I32{o}SL(b))),")
for o in i64ops:
    f.append(f"        (Op::I64{o}, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => Some((2, Op::I64{o}LL {{ a, b }})),")
    f.append(f"        (Op::I64{o}, Some(Op::LocalGet(a)), Some(Op::I64Const(c))) if c as i32 as i64 == c => Some((2, Op::I64{o}LC {{ a, c: c as i32 }})),")
    f.append(f"        (Op::I64{o}, _, Some(Op::I64Const(c))) if c as i32 as i64 == c => Some((1, Op::I64{o}SC(c as i32))),")
    f.append(f"        (Op::I64{o}, _, Some(Op::LocalGet(b))) => Some((1, Op::I64{o}SL(b))),")
for t in ("F32","F64"):
    for o in fops:
        f.append(f"        (Op::{t}{o}, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => Some((2, Op::{t}{o}LL {{ a, b }})),")
        f.append(f"        (Op::{t}{o}, _, Some(Op::LocalGet(b))) => Some((1, Op::{t}{o}SL(b))),")
f.append("        _ => None,")
f.append("    }")
f.append("}")
f.append("")
f.append("/// Fuses `local.set d` (`tee`: `local.tee d`) into the fused i32 arithmetic before it.")
f.append("fn fuse_to_local(prev: Op, d: u32, tee: bool) -> Option<Op> {")
f.append("    Some(match (prev, tee) {")
for o in arith:
    f.append(f"        (Op::I32{o}LL {{ a, b }}, false) => Op::I32{o}LLToL {{ a, b, d }},")
    f.append(f"        (Op::I32{o}LC {{ a, c }}, false) => Op::I32{o}LCToL {{ a, c, d }},")
    f.append(f"        (Op::I32{o}SC(c), false) => Op::I32{o}SCToL {{ c, d }},")
    f.append(f"        (Op::I32{o}LL {{ a, b }}, true) => Op::I32{o}LLTee {{ a, b, d }},")
    f.append(f"        (Op::I32{o}LC {{ a, c }}, true) => Op::I32{o}LCTee {{ a, c, d }},")
    f.append(f"        (Op::I32{o}, false) => Op::I32{o}SSToL(d),")
    f.append(f"        (Op::I32{o}SL(b), false) => Op::I32{o}SLToL {{ b, d }},")
    if o in i32_ls:
        f.append(f"        (Op::I32{o}LS(b), false) => Op::I32{o}LSToL {{ b, d }},")
for o in i64ops:
    f.append(f"        (Op::I64{o}, false) => Op::I64{o}SSToL(d),")
    f.append(f"        (Op::I64{o}SL(b), false) => Op::I64{o}SLToL {{ b, d }},")
for t in ("F32","F64"):
    for o in fops:
        f.append(f"        (Op::{t}{o}, false) => Op::{t}{o}SSToL(d),")
        f.append(f"        (Op::{t}{o}SL(b), false) => Op::{t}{o}SLToL {{ b, d }},")
        f.append(f"        (Op::{t}{o}, true) => Op::{t}{o}SSTee(d),")
        f.append(f"        (Op::{t}{o}SL(b), true) => Op::{t}{o}SLTee {{ b, d }},")
f.append("        _ => return None,")
f.append("    })")
f.append("}")
f.append("")
f.append("/// Fuses a store with the `local.get`s of its address and value before it.")
f.append("fn fuse_store(op: Op, prev2: Option<Op>, prev: Option<Op>) -> Option<(usize, Op)> {")
f.append("    let (Some(Op::LocalGet(addr)), Some(Op::LocalGet(value))) = (prev2, prev) else {")
f.append("        return None;")
f.append("    };")
f.append("    Some((2, match op {")
for (st,n,_) in stores:
    f.append(f"        Op::{st}(offset) => Op::{st}LL {{ addr, value, offset }},")
f.append("        _ => return None,")
f.append("    }))")
f.append("}")
f.append("")
f.append("/// Fuses a load with the address computation before it.")
f.append("fn fuse_load(op: Op, prev: Op) -> Option<Op> {")
f.append("    Some(match (prev, op) {")
for (l,n,_) in loads:
    f.append(f"        (Op::LocalGet(local), Op::{l}(offset)) => Op::{l}L {{ local, offset }},")
    f.append(f"        (Op::I32AddLC {{ a, c }}, Op::{l}(offset)) => Op::{l}LC {{ a, c, offset }},")
    f.append(f"        (Op::I32AddSC(c), Op::{l}(offset)) => Op::{l}SC {{ c, offset }},")
    f.append(f"        (Op::I32AddSL(b), Op::{l}(offset)) => Op::{l}SL {{ b, offset }},")
    f.append(f"        (Op::I32AddLL {{ a, b }}, Op::{l}(offset)) => Op::{l}LL {{ a, b, offset }},")
f.append("        _ => return None,")
f.append("    })")
f.append("}")
f.append("")
f.append("/// A conditional branch taken when the previous op's comparison holds")
f.append("/// (`negate`: when it fails), if the previous op is a comparison.")
f.append("fn fuse_branch(prev: Op, target: u32, negate: bool) -> Option<Op> {")
f.append("    Some(match (prev, negate) {")
for c in cmps:
    for neg in (False, True):
        cc = inverse[c] if neg else c
        nn = 'true' if neg else 'false'
        f.append(f"        (Op::I32{c}, {nn}) => Op::BrI32{cc} {{ target }},")
        f.append(f"        (Op::I32{c}SC(c), {nn}) => Op::BrI32{cc}SC {{ target, c }},")
        f.append(f"        (Op::I32{c}SL(b), {nn}) => Op::BrI32{cc}SL {{ target, b }},")
        f.append(f"        (Op::I32{c}LL {{ a, b }}, {nn}) => Op::BrI32{cc}LL {{ target, a, b }},")
        f.append(f"        (Op::I32{c}LC {{ a, c }}, {nn}) => Op::BrI32{cc}LC {{ target, a, c }},")
f.append("        (Op::I32Eqz, false) => Op::BrIfEqz { target },")
f.append("        (Op::I32Eqz, true) => Op::BrNez { target },")
f.append("        (Op::LocalGet(local), false) => Op::BrNezL { target, local },")
f.append("        (Op::LocalGet(local), true) => Op::BrEqzL { target, local },")
f.append("        (Op::LocalTee(local), false) => Op::BrNezTee { target, local },")
f.append("        (Op::LocalTee(local), true) => Op::BrEqzTee { target, local },")
f.append("        (Op::I32AndLC { a, c }, false) => Op::BrI32AndLCNez { target, a, c },")
f.append("        (Op::I32AndLC { a, c }, true) => Op::BrI32AndLCEqz { target, a, c },")
f.append("        (Op::I32AndSC(c), false) => Op::BrI32AndSCNez { target, c },")
f.append("        (Op::I32AndSC(c), true) => Op::BrI32AndSCEqz { target, c },")
f.append("        _ => return None,")
f.append("    })")
f.append("}")
f.append("")
f.append("/// The binary op `op` taking local `x` as an operand in place of the value")
f.append("/// below the stack top (see `emit`).")
f.append("fn with_local_operand(op: Op, x: u32) -> Option<Op> {")
f.append("    Some(match op {")
for o in binops:
    if o in i32_ls:
        f.append(f"        Op::I32{o} => Op::I32{o}LS(x),")
    elif o in mirror:
        f.append(f"        Op::I32{o} => Op::I32{mirror[o]}SL(x),")
    else:
        f.append(f"        Op::I32{o} => Op::I32{o}SL(x),")
for o in i64ops:
    f.append(f"        Op::I64{o} => Op::I64{o}{'LS' if o in i64_ls else 'SL'}(x),")
for t in ("F32","F64"):
    for o in fops:
        f.append(f"        Op::{t}{o} => Op::{t}{o}{'LS' if o in f_ls else 'SL'}(x),")
f.append("        _ => return None,")
f.append("    })")
f.append("}")
f.append("")
f.append("/// The op doing `a` then `b`, for `fuse_pairs`.")
f.append("fn fuse_pair(a: Op, b: Op) -> Option<Op> {")
f.append("    Some(match (a, b) {")
f.append("        (Op::LocalGet(a), Op::LocalGet(b)) => Op::LocalGet2 { a, b },")
f.append("        (Op::LocalSet(set), Op::LocalGet(get)) => Op::LocalSetGet { set, get },")
f.append("        (Op::LocalCopy { from, to }, Op::Jump { target }) => Op::LocalCopyBr { from, to, target },")
f.append("        (Op::I32Const(c), Op::I32Store(offset)) => Op::I32StoreC { c, offset },")
f.append("        (Op::I32Const(c), Op::I32Store8(offset)) => Op::I32Store8C { c, offset },")
f.append("        (Op::I32Const(c), Op::I32Store16(offset)) => Op::I32Store16C { c, offset },")
for o in arith:
    f.append(f"        (Op::LocalTee(d), Op::I32{o}SC(c)) => Op::I32{o}TeeSC {{ d, c }},")
for o in xshifts:
    f.append(f"        (Op::I32{o}LC {{ a, c }}, Op::I32XorSL(b)) => Op::I32Xor{o}LCL {{ a: u16::try_from(a).ok()?, c: (c & 31) as u16, b: u16::try_from(b).ok()? }},")
    f.append(f"        (Op::I32{o}LC {{ a, c }}, Op::I32XorSLToL {{ b, d }}) => Op::I32Xor{o}LCLToL {{ a: u16::try_from(a).ok()?, c: (c & 31) as u16, b: u16::try_from(b).ok()?, d: u16::try_from(d).ok()? }},")
f.append("        (a, b) => return fuse_step_branch(a, b),")
f.append("    })")
f.append("}")
# stack effects, for moving a `local.get` later (`local_below_top`)
_b=open('bytecode/mod.rs').read()
_b=_b[_b.index('pub enum Op {'):]
_all=re.findall(r'^    ([A-Z][A-Za-z0-9]*)', _b[:_b.index('\n}\n')], re.M)
_plain=_all[_all.index('I32Eqz'):_all.index('I64TruncSatF64U')+1]
_unary=re.compile(r'(Eqz|Clz|Ctz|Popcnt|Abs|Neg|Ceil|Floor|Trunc|Nearest|Sqrt|Extend|Convert|Demote|Promote)')
eff={}
for n in _plain:
    eff[n]=("1, 1, None" if _unary.search(n) else "2, 1, None")
for n in ["LocalGet(_)","I32Const(_)","I64Const(_)","F32Const(_)","F64Const(_)","GlobalGet(_)","RefNull","RefFunc(_)","MemorySize"]:
    eff[n]="0, 1, None"
for n in ["Drop","GlobalSet(_)"]:
    eff[n]="1, 0, None"
eff["Select"]="3, 1, None"
eff["RefIsNull"]="1, 1, None"
eff["LocalSet(i)"]="1, 0, Some(i)"
eff["LocalTee(i)"]="1, 1, Some(i)"
for (l,n,_) in loads:
    eff[f"{l}(_)"]="1, 1, None"
    eff[f"{l}L {{ .. }}"]="0, 1, None"; eff[f"{l}LC {{ .. }}"]="0, 1, None"; eff[f"{l}LL {{ .. }}"]="0, 1, None"
    eff[f"{l}SC {{ .. }}"]="1, 1, None"; eff[f"{l}SL {{ .. }}"]="1, 1, None"
for (st,n,_) in stores:
    eff[f"{st}(_)"]="2, 0, None"
    eff[f"{st}LL {{ .. }}"]="0, 0, None"; eff[f"{st}L {{ .. }}"]="1, 0, None"
for st in ["I32StoreC","I32Store8C","I32Store16C"]:
    eff[f"{st} {{ .. }}"]="1, 0, None"
for o in binops:
    eff[f"I32{o}SC(_)"]="1, 1, None"; eff[f"I32{o}SL(_)"]="1, 1, None"
    eff[f"I32{o}LL {{ .. }}"]="0, 1, None"; eff[f"I32{o}LC {{ .. }}"]="0, 1, None"
for o in arith:
    eff[f"I32{o}LLToL {{ d, .. }}"]="0, 0, Some(d)"; eff[f"I32{o}LCToL {{ d, .. }}"]="0, 0, Some(d)"
    eff[f"I32{o}SCToL {{ d, .. }}"]="1, 0, Some(d)"
    eff[f"I32{o}LLTee {{ d, .. }}"]="0, 1, Some(d)"; eff[f"I32{o}LCTee {{ d, .. }}"]="0, 1, Some(d)"
    eff[f"I32{o}SSToL(d)"]="2, 0, Some(d)"; eff[f"I32{o}SLToL {{ d, .. }}"]="1, 0, Some(d)"
    eff[f"I32{o}TeeSC {{ d, .. }}"]="1, 1, Some(d)"
for o in xshifts:
    eff[f"I32Xor{o}LCL {{ .. }}"]="0, 1, None"; eff[f"I32Xor{o}LCLToL {{ d, .. }}"]="0, 0, Some(d as u32)"
for o in i32_ls:
    eff[f"I32{o}LS(_)"]="1, 1, None"; eff[f"I32{o}LSToL {{ d, .. }}"]="1, 0, Some(d)"
for o in i64ls_all if False else i64_ls:
    eff[f"I64{o}LS(_)"]="1, 1, None"
for o in i64ops:
    eff[f"I64{o}SC(_)"]="1, 1, None"; eff[f"I64{o}SL(_)"]="1, 1, None"
    eff[f"I64{o}LL {{ .. }}"]="0, 1, None"; eff[f"I64{o}LC {{ .. }}"]="0, 1, None"
    eff[f"I64{o}SSToL(d)"]="2, 0, Some(d)"
for t in ("F32","F64"):
    for o in fops:
        eff[f"{t}{o}SL(_)"]="1, 1, None"; eff[f"{t}{o}LL {{ .. }}"]="0, 1, None"
    for o in f_ls:
        eff[f"{t}{o}LS(_)"]="1, 1, None"
for o in i64ops:
    eff[f"I64{o}SLToL {{ d, .. }}"]="1, 0, Some(d)"
for t in ("F32","F64"):
    for o in fops:
        eff[f"{t}{o}SSToL(d)"]="2, 0, Some(d)"; eff[f"{t}{o}SLToL {{ d, .. }}"]="1, 0, Some(d)"
        eff[f"{t}{o}SSTee(d)"]="2, 1, Some(d)"; eff[f"{t}{o}SLTee {{ d, .. }}"]="1, 1, Some(d)"
eff["LocalCopy { to, .. }"]="0, 0, Some(to)"
eff["LocalSetC { local, .. }"]="0, 0, Some(local)"
eff["LocalTeeGet { tee, .. }"]="1, 2, Some(tee)"
eff["LocalGet2 { .. }"]="0, 2, None"
eff["LocalSetGet { set, .. }"]="1, 1, Some(set)"
f.append("")
f.append("/// The slots `op` pops and pushes and the local it writes, for ops that")
f.append("/// neither branch nor call (`local_below_top` moves a `local.get` across them).")
f.append("fn stack_effect(op: Op) -> Option<(u32, u32, Option<u32>)> {")
f.append("    Some(match op {")
for k,v in eff.items():
    pat = k if '(' in k or '{' in k else k
    f.append(f"        Op::{pat} => ({v}),")
f.append("        _ => return None,")
f.append("    })")
f.append("}")
f.append("")
f.append("/// `store` with its address from local `addr` and its value from the stack.")
f.append("fn store_with_local_address(op: Op, addr: u32) -> Option<Op> {")
f.append("    Some(match op {")
for (st,n,_) in stores:
    f.append(f"        Op::{st}(offset) => Op::{st}L {{ addr, offset }},")
f.append("        _ => return None,")
f.append("    })")
f.append("}")
f.append("")
f.append("/// A loop's step and test in one op: `tee` (an `i32.add` into a local, also")
f.append("/// pushed, or only stored) and the compare-and-branch `br` that pops it (or")
f.append("/// reads the local), when the indices and the step fit the fused form's")
f.append("/// narrower fields.")
f.append("fn fuse_step_branch(tee: Op, br: Op) -> Option<Op> {")
f.append("    let small = |i: u32| u16::try_from(i).ok();")
f.append("    Some(match (tee, br) {")
for c in cmps:
    f.append(f"        (Op::I32AddLCTee {{ a, c: k, d }}, Op::BrI32{c}SC {{ target, c }}) => Op::BrI32{c}IncSC {{ a: small(a)?, d: small(d)?, k: i16::try_from(k).ok()?, c, target }},")
    f.append(f"        (Op::I32AddLCTee {{ a, c: k, d }}, Op::BrI32{c}SL {{ target, b }}) => Op::BrI32{c}IncSL {{ a: small(a)?, d: small(d)?, k: i16::try_from(k).ok()?, b, target }},")
    f.append(f"        (Op::I32AddLLTee {{ a, b, d }}, Op::BrI32{c}SL {{ target, b: n }}) => Op::BrI32{c}AddLLSL {{ a: small(a)?, b: small(b)?, d: small(d)?, n: small(n)?, target }},")
    # the same with the sum stored (`ToL`) and the branch reading it back from its local
    f.append(f"        (Op::I32AddLCToL {{ a, c: k, d }}, Op::BrI32{c}LC {{ target, a: x, c }}) if x == d => Op::BrI32{c}IncSC {{ a: small(a)?, d: small(d)?, k: i16::try_from(k).ok()?, c, target }},")
    f.append(f"        (Op::I32AddLCToL {{ a, c: k, d }}, Op::BrI32{c}LL {{ target, a: x, b }}) if x == d => Op::BrI32{c}IncSL {{ a: small(a)?, d: small(d)?, k: i16::try_from(k).ok()?, b, target }},")
    f.append(f"        (Op::I32AddLLToL {{ a, b, d }}, Op::BrI32{c}LL {{ target, a: x, b: n }}) if x == d => Op::BrI32{c}AddLLSL {{ a: small(a)?, b: small(b)?, d: small(d)?, n: small(n)?, target }},")
f.append("        _ => return None,")
f.append("    })")
f.append("}")
fuse='\n'.join(f)+'\n'

# ---- i32_bits
h=["/// i32 operations on raw bits, shared by the fused superinstructions.","pub(crate) mod i32_bits {"]
for o in binops:
    if o in body:
        h.append(f"    #[inline(always)]\n    pub fn {snake(o)}(a: u32, b: u32) -> u32 {{\n        {body[o]}\n    }}")
    else:
        h.append(f"    #[inline(always)]\n    pub fn {snake(o)}(a: u32, b: u32) -> bool {{\n        {cmp_body[o]}\n    }}")
h.append("}")
bits='\n'.join(h)+'\n'

# ---- op bodies (interp/src/exec/ops.rs; the macros are defined there)
E="            "
e=[]
for o in binops:
    f=snake(o)
    e.append(f"{E}I32{o}SC(c) => |r, _| i32_sc!(r, {f}, c),")
    e.append(f"{E}I32{o}SL(b) => |r, _| i32_sl!(r, {f}, b),")
    e.append(f"{E}I32{o}LL {{ a, b }} => |r, _| i32_ll!(r, {f}, a, b),")
    e.append(f"{E}I32{o}LC {{ a, c }} => |r, _| i32_lc!(r, {f}, a, c),")
for o in arith:
    f=snake(o)
    e.append(f"{E}I32{o}LLToL {{ a, b, d }} => |r, _| i32_ll_to!(r, {f}, a, b, d),")
    e.append(f"{E}I32{o}LCToL {{ a, c, d }} => |r, _| i32_lc_to!(r, {f}, a, c, d),")
    e.append(f"{E}I32{o}SCToL {{ c, d }} => |r, _| i32_sc_to!(r, {f}, c, d),")
    e.append(f"{E}I32{o}LLTee {{ a, b, d }} => |r, _| i32_ll_tee!(r, {f}, a, b, d),")
    e.append(f"{E}I32{o}LCTee {{ a, c, d }} => |r, _| i32_lc_tee!(r, {f}, a, c, d),")
for c in cmps:
    f=snake(c)
    e.append(f"{E}BrI32{c} {{ target }} => |r, _| br_ss!(r, {f}, target),")
    e.append(f"{E}BrI32{c}SC {{ target, c }} => |r, _| br_sc!(r, {f}, c, target),")
    e.append(f"{E}BrI32{c}SL {{ target, b }} => |r, _| br_sl!(r, {f}, b, target),")
    e.append(f"{E}BrI32{c}LL {{ target, a, b }} => |r, _| br_ll!(r, {f}, a, b, target),")
    e.append(f"{E}BrI32{c}LC {{ target, a, c }} => |r, _| br_lc!(r, {f}, a, c, target),")
for c in cmps:
    fn_=snake(c)
    e.append(f"{E}BrI32{c}IncSC {{ a, d, k, c, target }} => |r, _| br_step!(r, {fn_}, a, k as i32 as u32, d, c as u32, target),")
    e.append(f"{E}BrI32{c}IncSL {{ a, d, k, b, target }} => |r, _| br_step!(r, {fn_}, a, k as i32 as u32, d, r.lp.get(b) as u32, target),")
    e.append(f"{E}BrI32{c}AddLLSL {{ a, b, d, n, target }} => |r, _| br_step!(r, {fn_}, a, r.lp.get(b as u32) as u32, d, r.lp.get(n as u32) as u32, target),")
e.append(f"{E}BrNez {{ target }} => |r, _| br_if!(r, r.sp.pop() as u32 != 0, target),")
e.append(f"{E}BrNezL {{ target, local }} => |r, _| br_if!(r, r.lp.get(local) as u32 != 0, target),")
e.append(f"{E}BrEqzL {{ target, local }} => |r, _| br_if!(r, r.lp.get(local) as u32 == 0, target),")
e.append(f"{E}BrNezTee {{ target, local }} => |r, _| br_tee!(r, local, |v| v != 0, target),")
e.append(f"{E}BrEqzTee {{ target, local }} => |r, _| br_tee!(r, local, |v| v == 0, target),")
e.append(f"{E}BrI32AndLCNez {{ target, a, c }} => |r, _| br_if!(r, r.lp.get(a) as u32 & c as u32 != 0, target),")
e.append(f"{E}BrI32AndLCEqz {{ target, a, c }} => |r, _| br_if!(r, r.lp.get(a) as u32 & c as u32 == 0, target),")
e.append(f"{E}BrI32AndSCNez {{ target, c }} => |r, _| br_if!(r, r.sp.pop() as u32 & c as u32 != 0, target),")
e.append(f"{E}BrI32AndSCEqz {{ target, c }} => |r, _| br_if!(r, r.sp.pop() as u32 & c as u32 == 0, target),")
for o in arith:
    f=snake(o)
    e.append(f"{E}I32{o}SSToL(d) => |r, _| i32_ss_to!(r, {f}, d),")
    e.append(f"{E}I32{o}SLToL {{ b, d }} => |r, _| i32_sl_to!(r, {f}, b, d),")
    e.append(f"{E}I32{o}TeeSC {{ d, c }} => |r, _| {{")
    e.append(f"{E}    r.lp.set(d, r.sp.top());")
    e.append(f"{E}    i32_sc!(r, {f}, c)")
    e.append(f"{E}}},")
for o in xshifts:
    f=snake(o)
    e.append(f"{E}I32Xor{o}LCL {{ a, c, b }} => |r, _| {{")
    e.append(f"{E}    let y = i32_bits::{f}(r.lp.get(a as u32) as u32, c as u32);")
    e.append(f"{E}    r.sp.push((y ^ r.lp.get(b as u32) as u32) as u64)")
    e.append(f"{E}}},")
    e.append(f"{E}I32Xor{o}LCLToL {{ a, c, b, d }} => |r, _| {{")
    e.append(f"{E}    let y = i32_bits::{f}(r.lp.get(a as u32) as u32, c as u32);")
    e.append(f"{E}    r.lp.set(d as u32, (y ^ r.lp.get(b as u32) as u32) as u64)")
    e.append(f"{E}}},")
for o in i32_ls:
    e.append(f"{E}I32{o}LS(b) => |r, _| i32_ls!(r, {snake(o)}, b),")
for o in i64_ls:
    e.append(f"{E}I64{o}LS(b) => |r, _| i64_ls!(r, {snake(o)}, b),")
for t in ("F32","F64"):
    for o in f_ls:
        e.append(f"{E}{t}{o}LS(b) => |r, _| {t.lower()}_ls!(r, {snake(o)}, b),")
for o in i64ops:
    f=snake(o)
    e.append(f"{E}I64{o}SC(c) => |r, _| i64_sc!(r, {f}, c),")
    e.append(f"{E}I64{o}SL(b) => |r, _| i64_sl!(r, {f}, b),")
    e.append(f"{E}I64{o}LL {{ a, b }} => |r, _| i64_ll!(r, {f}, a, b),")
    e.append(f"{E}I64{o}LC {{ a, c }} => |r, _| i64_lc!(r, {f}, a, c),")
for t in ("F32","F64"):
    for o in fops:
        f=snake(o)
        m=t.lower()
        e.append(f"{E}{t}{o}SL(b) => |r, _| {m}_sl!(r, {f}, b),")
        e.append(f"{E}{t}{o}LL {{ a, b }} => |r, _| {m}_ll!(r, {f}, a, b),")
for (l,n,conv) in loads:
    cv = "u64::from_le_bytes" if conv == "u64::from_le_bytes(b)" else f"|b| {conv}"
    e.append(f"{E}{l}L {{ local, offset }} => |r, _| load_l!(r, {n}, {cv}, local, offset),")
    e.append(f"{E}{l}LC {{ a, c, offset }} => |r, _| load_lc!(r, {n}, {cv}, a, c, offset),")
    e.append(f"{E}{l}SC {{ c, offset }} => |r, _| load_sc!(r, {n}, {cv}, c, offset),")
    e.append(f"{E}{l}SL {{ b, offset }} => |r, _| load_sl!(r, {n}, {cv}, b, offset),")
    e.append(f"{E}{l}LL {{ a, b, offset }} => |r, _| load_ll!(r, {n}, {cv}, a, b, offset),")
for (st,n,conv) in stores:
    e.append(f"{E}{st}LL {{ addr, value, offset }} => |r, _| store_ll!(r, {n}, |v: u64| {conv}, addr, value, offset),")
    e.append(f"{E}{st}L {{ addr, offset }} => |r, _| store_l!(r, {n}, |v: u64| {conv}, addr, offset),")
for o in i64ops:
    e.append(f"{E}I64{o}SSToL(d) => |r, _| i64_ss_to!(r, {snake(o)}, d),")
for o in i64ops:
    e.append(f"{E}I64{o}SLToL {{ b, d }} => |r, _| i64_sl_to!(r, {snake(o)}, b, d),")
for t in ("F32","F64"):
    for o in fops:
        e.append(f"{E}{t}{o}SSToL(d) => |r, _| {t.lower()}_ss_to!(r, {snake(o)}, d),")
        e.append(f"{E}{t}{o}SLToL {{ b, d }} => |r, _| {t.lower()}_sl_to!(r, {snake(o)}, b, d),")
        e.append(f"{E}{t}{o}SSTee(d) => |r, _| {t.lower()}_ss_tee!(r, {snake(o)}, d),")
        e.append(f"{E}{t}{o}SLTee {{ b, d }} => |r, _| {t.lower()}_sl_tee!(r, {snake(o)}, b, d),")
for o in i32_ls:
    e.append(f"{E}I32{o}LSToL {{ b, d }} => |r, _| i32_ls_to!(r, {snake(o)}, b, d),")
e.append(f"{E}LocalCopy {{ from, to }} => |r, _| r.lp.set(to, r.lp.get(from)),")
e.append(f"{E}LocalSetC {{ local, c }} => |r, _| r.lp.set(local, c as u32 as u64),")
e.append(f"{E}LocalTeeGet {{ tee, get }} => |r, _| {{")
e.append(f"{E}    r.lp.set(tee, r.sp.top());")
e.append(f"{E}    r.sp.push(r.lp.get(get));")
e.append(f"{E}}},")
e.append(f"{E}LocalGet2 {{ a, b }} => |r, _| {{")
e.append(f"{E}    r.sp.push(r.lp.get(a));")
e.append(f"{E}    r.sp.push(r.lp.get(b));")
e.append(f"{E}}},")
e.append(f"{E}LocalSetGet {{ set, get }} => |r, _| {{")
e.append(f"{E}    let v = r.sp.pop();")
e.append(f"{E}    r.lp.set(set, v);")
e.append(f"{E}    r.sp.push(r.lp.get(get));")
e.append(f"{E}}},")
e.append(f"{E}LocalCopyBr {{ from, to, target }} => |r, _| {{")
e.append(f"{E}    r.lp.set(to, r.lp.get(from));")
e.append(f"{E}    r.jump(target);")
e.append(f"{E}}},")
e.append(f"{E}I32StoreC {{ c, offset }} => |r, _| store_c!(r, 4, (c as u32).to_le_bytes(), offset),")
e.append(f"{E}I32Store8C {{ c, offset }} => |r, _| store_c!(r, 1, (c as u8).to_le_bytes(), offset),")
e.append(f"{E}I32Store16C {{ c, offset }} => |r, _| store_c!(r, 2, (c as u16).to_le_bytes(), offset),")
arms='\n'.join(e)+'\n'

# i64 and float helpers next to i32_bits
i64b = {"Add":"a.wrapping_add(b)","Sub":"a.wrapping_sub(b)","Mul":"a.wrapping_mul(b)","And":"a & b","Or":"a | b","Xor":"a ^ b","Shl":"a.wrapping_shl(b as u32)","ShrU":"a.wrapping_shr(b as u32)","ShrS":"(a as i64).wrapping_shr(b as u32) as u64","Rotl":"a.rotate_left((b % 64) as u32)"}
h.append("")
h.append("/// i64 operations on raw bits, shared by the fused superinstructions.")
h.append("pub(crate) mod i64_bits {")
for o in i64ops:
    h.append(f"    #[inline(always)]\n    pub fn {snake(o)}(a: u64, b: u64) -> u64 {{\n        {i64b[o]}\n    }}")
h.append("}")
for t in ("f32","f64"):
    h.append("")
    h.append(f"/// {t} arithmetic, shared by the fused superinstructions.")
    h.append(f"pub(crate) mod {t}_ops {{")
    for o in fops:
        h.append(f"    #[inline(always)]\n    pub fn {snake(o)}(a: {t}, b: {t}) -> {t} {{\n        {fops[o]}\n    }}")
    h.append("}")
bits='\n'.join(h)+'\n'

# ---- apply: bytecode
b=open('bytecode/mod.rs').read()
i=b.index("    I64TruncSatF64U,\n")+len("    I64TruncSatF64U,\n")
j=b.index("}\n\nimpl Op {")
k=b.index("/// A translated function body.")
b=b[:i]+"\n"+variants+"}\n\n"+impl_op+b[k:]
open('bytecode/mod.rs','w').write(b)
# translator
t=open('translate/mod.rs').read()
i=t.index("/// Fuses a binary i32 op") if "/// Fuses a binary i32 op" in t else t.index("fn fuse_binop(")
t=t[:i]+fuse
# emit body
i=t.index("    fn emit(&mut self, op: Op) {")
j=t.index("    /// Marks the current position as a jump target")
t=t[:i]+'''    fn emit(&mut self, op: Op) {
        if !self.reachable {
            return;
        }
        let n = self.s.ops.len();
        let prev = (n > self.fence).then(|| self.s.ops[n - 1]);
        let prev2 = (n > self.fence + 1).then(|| self.s.ops[n - 2]);
        let fused = fuse_store(op, prev2, prev).or_else(|| fuse_binop(op, prev2, prev));
        if fused.is_none()
            && let Some((k, x)) = self.local_below_top()
            && let Some(op) =
                with_local_operand(op, x).or_else(|| store_with_local_address(op, x))
        {
            // `local.get x; <ops leaving x alone>; op`: op reads x itself.
            self.s.ops.remove(k);
            self.s.ops.push(op);
            return;
        }
        let fused = fused.or_else(|| {
            let prev = prev?;
            let single = match (prev, op) {
                (Op::LocalGet(from), Op::LocalSet(to)) => Op::LocalCopy { from, to },
                (Op::I32Const(c), Op::LocalSet(local)) => Op::LocalSetC { local, c },
                (Op::LocalTee(tee), Op::LocalGet(get)) => Op::LocalTeeGet { tee, get },
                (p, Op::LocalSet(d)) => fuse_to_local(p, d, false)?,
                (p, Op::LocalTee(d)) => fuse_to_local(p, d, true)?,
                (p, op) => fuse_load(op, p)?,
            };
            Some((1, single))
        });
        match fused {
            Some((consumed, op)) => {
                self.s.ops.truncate(n - consumed);
                // `local.get x; local.set x` changes nothing
                if !matches!(op, Op::LocalCopy { from, to } if from == to) {
                    self.s.ops.push(op);
                }
            }
            None => self.s.ops.push(op),
        }
    }

'''+t[j:]
open('translate/mod.rs','w').write(t)
# numeric
nm=open('exec/numeric.rs').read()
i=nm.index("/// i32 operations on raw bits")
j=nm.index("#[cfg(test)]\nmod tests {")
nm=nm[:i]+bits+"\n"+nm[j:]
open('exec/numeric.rs','w').write(nm)
# op bodies
s=open('exec/ops.rs').read()
i=s.index("            I32AddSC(c) =>")
j=s.rindex("        }\n    };\n}\n")
s=s[:i]+arms+s[j:]
open('exec/ops.rs','w').write(s)

# The op list must follow the variants' order (the threaded backend's handler
# numbers are then the variants' own tags).
b=open('bytecode/mod.rs').read()
b=b[b.index('pub enum Op {'):]
names=re.findall(r'^    ([A-Z][A-Za-z0-9]*)', b[:b.index('\n}\n')], re.M)
o=open('exec/ops.rs').read()
o=o[o.index('macro_rules! with_ops'):]
entries=re.findall(r'^            ([A-Z][A-Za-z0-9]*)[ ({]', o, re.M)
assert names == entries, [(a, b) for a, b in zip(names, entries) if a != b][:3]
