#!/usr/bin/env python3
"""Generates wisp's fused superinstructions consistently in the four places that
must agree: the `Op` variants and `Op::target_mut` (interp/src/bytecode/mod.rs),
the peephole (`fuse_*` functions and `emit` in interp/src/translate/mod.rs), the
executor's handlers (interp/src/exec/mod.rs, one macro invocation each) and the
operation helpers (interp/src/exec/numeric.rs).

Edit the lists below (`arith`, `cmps`, `loads`, `i64ops`, `fops`), run
`python3 scripts/gen-fused-ops.py && cargo fmt --all`, then run the spec suites
and the benches: a bigger dispatch `match` can cost more than a fusion saves
(see docs/design.md). Running it on an unchanged tree changes nothing.
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
v.append("    BrNez { target: u32 },")
for o in i64ops:
    v += [f"    I64{o}SC(i32),", f"    I64{o}SL(u32),", f"    I64{o}LL {{ a: u32, b: u32 }},", f"    I64{o}LC {{ a: u32, c: i32 }},"]
for t in ("F32","F64"):
    for o in fops:
        v += [f"    {t}{o}SL(u32),", f"    {t}{o}LL {{ a: u32, b: u32 }},"]
for (l,n,_) in loads:
    v += [f"    {l}L {{ local: u32, offset: u32 }},", f"    {l}LC {{ a: u32, c: i32, offset: u32 }},"]
v += ["    I32StoreLL { addr: u32, value: u32, offset: u32 },","    I64StoreLL { addr: u32, value: u32, offset: u32 },",
      "    LocalCopy { from: u32, to: u32 },","    LocalSetC { local: u32, c: i32 },","    LocalTeeGet { tee: u32, get: u32 },"]
variants='\n'.join(v)+'\n'

# ---- target_mut
t=["            Op::Br { target, .. } | Op::BrIfNez { target, .. } | Op::BrIfEqz { target } | Op::BrNez { target } => Some(target),"]
for c in cmps:
    t.append(f"            Op::BrI32{c} {{ target }} | Op::BrI32{c}SC {{ target, .. }} | Op::BrI32{c}SL {{ target, .. }} | Op::BrI32{c}LL {{ target, .. }} | Op::BrI32{c}LC {{ target, .. }} => Some(target),")
impl_op = "impl Op {\n    /// The jump target of a branch op, for fix-ups.\n    pub fn target_mut(&mut self) -> Option<&mut u32> {\n        match self {\n" + '\n'.join(t) + "\n            _ => None,\n        }\n    }\n}\n\n"

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
f.append("        _ => return None,")
f.append("    })")
f.append("}")
f.append("")
f.append("/// Fuses a load with the address computation before it.")
f.append("fn fuse_load(op: Op, prev: Op) -> Option<Op> {")
f.append("    Some(match (prev, op) {")
for (l,n,_) in loads:
    f.append(f"        (Op::LocalGet(local), Op::{l}(offset)) => Op::{l}L {{ local, offset }},")
    f.append(f"        (Op::I32AddLC {{ a, c }}, Op::{l}(offset)) => Op::{l}LC {{ a, c, offset }},")
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

# ---- exec arms (one line each; the macros are defined in `run`)
e=[]
for o in binops:
    f=snake(o)
    e.append(f"                Op::I32{o}SC(c) => i32_sc!({f}, c),")
    e.append(f"                Op::I32{o}SL(b) => i32_sl!({f}, b),")
    e.append(f"                Op::I32{o}LL {{ a, b }} => i32_ll!({f}, a, b),")
    e.append(f"                Op::I32{o}LC {{ a, c }} => i32_lc!({f}, a, c),")
for o in arith:
    f=snake(o)
    e.append(f"                Op::I32{o}LLToL {{ a, b, d }} => i32_ll_to!({f}, a, b, d),")
    e.append(f"                Op::I32{o}LCToL {{ a, c, d }} => i32_lc_to!({f}, a, c, d),")
    e.append(f"                Op::I32{o}SCToL {{ c, d }} => i32_sc_to!({f}, c, d),")
    e.append(f"                Op::I32{o}LLTee {{ a, b, d }} => i32_ll_tee!({f}, a, b, d),")
    e.append(f"                Op::I32{o}LCTee {{ a, c, d }} => i32_lc_tee!({f}, a, c, d),")
for c in cmps:
    f=snake(c)
    e.append(f"                Op::BrI32{c} {{ target }} => br_ss!({f}, target),")
    e.append(f"                Op::BrI32{c}SC {{ target, c }} => br_sc!({f}, c, target),")
    e.append(f"                Op::BrI32{c}SL {{ target, b }} => br_sl!({f}, b, target),")
    e.append(f"                Op::BrI32{c}LL {{ target, a, b }} => br_ll!({f}, a, b, target),")
    e.append(f"                Op::BrI32{c}LC {{ target, a, c }} => br_lc!({f}, a, c, target),")
for o in i64ops:
    f=snake(o)
    e.append(f"                Op::I64{o}SC(c) => i64_sc!({f}, c),")
    e.append(f"                Op::I64{o}SL(b) => i64_sl!({f}, b),")
    e.append(f"                Op::I64{o}LL {{ a, b }} => i64_ll!({f}, a, b),")
    e.append(f"                Op::I64{o}LC {{ a, c }} => i64_lc!({f}, a, c),")
for t in ("F32","F64"):
    for o in fops:
        f=snake(o)
        m=t.lower()
        e.append(f"                Op::{t}{o}SL(b) => {m}_sl!({f}, b),")
        e.append(f"                Op::{t}{o}LL {{ a, b }} => {m}_ll!({f}, a, b),")
e.append("                Op::BrNez { target } => {\n                    if sp.pop() as u32 != 0 {\n                        ip = target as usize;\n                    }\n                }")
for (l,n,conv) in loads:
    cv = "u64::from_le_bytes" if conv == "u64::from_le_bytes(b)" else f"|b| {conv}"
    e.append(f"                Op::{l}L {{ local, offset }} => load_l!({n}, {cv}, local, offset),")
    e.append(f"                Op::{l}LC {{ a, c, offset }} => load_lc!({n}, {cv}, a, c, offset),")
e.append("                Op::I32StoreLL { addr, value, offset } => {\n                    tri!(mem.store::<4>(locals.get(addr), offset, (locals.get(value) as u32).to_le_bytes()))\n                }")
e.append("                Op::I64StoreLL { addr, value, offset } => {\n                    tri!(mem.store::<8>(locals.get(addr), offset, locals.get(value).to_le_bytes()))\n                }")
e.append("                Op::LocalCopy { from, to } => locals.set(to, locals.get(from)),")
e.append("                Op::LocalSetC { local, c } => locals.set(local, c as u32 as u64),")
e.append("                Op::LocalTeeGet { tee, get } => {\n                    locals.set(tee, sp.top());\n                    sp.push(locals.get(get));\n                }")
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
k=b.index("/// One entry of a function's branch table")
b=b[:i]+"\n"+variants+"}\n\n"+impl_op+b[k:]
if "`LocalTeeGet` is" not in b:
    b=b.replace("//! `i32.const; local.set`.","//! `i32.const; local.set`. `SL` = (stack top, local `b`); `Tee` both stores\n//! the result in local `d` and pushes it; `LoadLC` loads from local `a` plus\n//! constant `c` (wrapping, as `i32.add` does) plus the memarg offset;\n//! `LocalTeeGet` is `local.tee; local.get`.")
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
        let fused = match (prev2, prev, op) {
            (Some(Op::LocalGet(addr)), Some(Op::LocalGet(value)), Op::I32Store(offset)) => {
                Some((2, Op::I32StoreLL { addr, value, offset }))
            }
            (Some(Op::LocalGet(addr)), Some(Op::LocalGet(value)), Op::I64Store(offset)) => {
                Some((2, Op::I64StoreLL { addr, value, offset }))
            }
            _ => None,
        };
        let fused = fused.or_else(|| fuse_binop(op, prev2, prev)).or_else(|| {
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
                self.s.ops.push(op);
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
# exec
s=open('exec/mod.rs').read()
i=s.index("                Op::I32AddSC(c)")
end_marker="            }\n        }\n    }\n}\n"
j=s.rindex(end_marker)
s=s[:i]+arms+s[j:]
open('exec/mod.rs','w').write(s)


s=open('exec/mod.rs').read()
if "macro_rules! i32_sc" not in s:
    macros = """        // One-line bodies for the fused superinstructions (`bytecode` documents the forms).
        macro_rules! i32_sc { ($f:ident, $c:expr) => { sp.set_top(i32_bits::$f(sp.top() as u32, $c as u32) as u64) }; }
        macro_rules! i32_sl { ($f:ident, $b:expr) => { sp.set_top(i32_bits::$f(sp.top() as u32, locals.get($b) as u32) as u64) }; }
        macro_rules! i32_ll { ($f:ident, $a:expr, $b:expr) => { sp.push(i32_bits::$f(locals.get($a) as u32, locals.get($b) as u32) as u64) }; }
        macro_rules! i32_lc { ($f:ident, $a:expr, $c:expr) => { sp.push(i32_bits::$f(locals.get($a) as u32, $c as u32) as u64) }; }
        macro_rules! i32_ll_to { ($f:ident, $a:expr, $b:expr, $d:expr) => { locals.set($d, i32_bits::$f(locals.get($a) as u32, locals.get($b) as u32) as u64) }; }
        macro_rules! i32_lc_to { ($f:ident, $a:expr, $c:expr, $d:expr) => { locals.set($d, i32_bits::$f(locals.get($a) as u32, $c as u32) as u64) }; }
        macro_rules! i32_sc_to { ($f:ident, $c:expr, $d:expr) => {{ let a = sp.pop() as u32; locals.set($d, i32_bits::$f(a, $c as u32) as u64); }}; }
        macro_rules! i32_ll_tee { ($f:ident, $a:expr, $b:expr, $d:expr) => {{ let v = i32_bits::$f(locals.get($a) as u32, locals.get($b) as u32) as u64; locals.set($d, v); sp.push(v); }}; }
        macro_rules! i32_lc_tee { ($f:ident, $a:expr, $c:expr, $d:expr) => {{ let v = i32_bits::$f(locals.get($a) as u32, $c as u32) as u64; locals.set($d, v); sp.push(v); }}; }
        macro_rules! br_ss { ($f:ident, $t:expr) => {{ let b = sp.pop() as u32; let a = sp.pop() as u32; if i32_bits::$f(a, b) { ip = $t as usize; } }}; }
        macro_rules! br_sc { ($f:ident, $c:expr, $t:expr) => {{ if i32_bits::$f(sp.pop() as u32, $c as u32) { ip = $t as usize; } }}; }
        macro_rules! br_sl { ($f:ident, $b:expr, $t:expr) => {{ if i32_bits::$f(sp.pop() as u32, locals.get($b) as u32) { ip = $t as usize; } }}; }
        macro_rules! br_ll { ($f:ident, $a:expr, $b:expr, $t:expr) => {{ if i32_bits::$f(locals.get($a) as u32, locals.get($b) as u32) { ip = $t as usize; } }}; }
        macro_rules! br_lc { ($f:ident, $a:expr, $c:expr, $t:expr) => {{ if i32_bits::$f(locals.get($a) as u32, $c as u32) { ip = $t as usize; } }}; }
        macro_rules! i64_sc { ($f:ident, $c:expr) => { sp.set_top(i64_bits::$f(sp.top(), $c as i64 as u64)) }; }
        macro_rules! i64_sl { ($f:ident, $b:expr) => { sp.set_top(i64_bits::$f(sp.top(), locals.get($b))) }; }
        macro_rules! i64_ll { ($f:ident, $a:expr, $b:expr) => { sp.push(i64_bits::$f(locals.get($a), locals.get($b))) }; }
        macro_rules! i64_lc { ($f:ident, $a:expr, $c:expr) => { sp.push(i64_bits::$f(locals.get($a), $c as i64 as u64)) }; }
        macro_rules! f32_sl { ($f:ident, $b:expr) => { sp.set_top(f32_ops::$f(f32!(sp.top()), f32!(locals.get($b))).to_bits() as u64) }; }
        macro_rules! f32_ll { ($f:ident, $a:expr, $b:expr) => { sp.push(f32_ops::$f(f32!(locals.get($a)), f32!(locals.get($b))).to_bits() as u64) }; }
        macro_rules! f64_sl { ($f:ident, $b:expr) => { sp.set_top(f64_ops::$f(f64!(sp.top()), f64!(locals.get($b))).to_bits()) }; }
        macro_rules! f64_ll { ($f:ident, $a:expr, $b:expr) => { sp.push(f64_ops::$f(f64!(locals.get($a)), f64!(locals.get($b))).to_bits()) }; }
        macro_rules! load_l { ($n:literal, $conv:expr, $l:expr, $off:expr) => {{ let b: [u8; $n] = tri!(mem.load::<$n>(locals.get($l), $off)); sp.push(($conv)(b)); }}; }
        macro_rules! load_lc { ($n:literal, $conv:expr, $a:expr, $c:expr, $off:expr) => {{ let addr = (locals.get($a) as u32).wrapping_add($c as u32) as u64; let b: [u8; $n] = tri!(mem.load::<$n>(addr, $off)); sp.push(($conv)(b)); }}; }
"""
    anchor = "        macro_rules! branch {"
    s = s.replace(anchor, macros + anchor, 1)
    s = s.replace("use numeric::i32_bits;", "use numeric::{f32_ops, f64_ops, i32_bits, i64_bits};", 1)
    open('exec/mod.rs','w').write(s)
