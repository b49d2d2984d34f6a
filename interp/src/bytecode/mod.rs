//! wisp's bytecode: the one `Op` enum and per-function code.
//!
//! Structured control flow is gone by the time code reaches this form: blocks,
//! loops and ifs are lowered to jumps whose targets are offsets from the op
//! after the branch (two's complement in a `u32`), and every branch carries the
//! stack adjustment it performs (`drop` slots removed below the `keep` slots it
//! carries); `Jump` and `BrTableJump` are the branches that adjust nothing. The
//! executor never decodes LEB128 and never searches for a label.
//!
//! Suffixes on op names say what was specialised: `Nez`/`Eqz` on branches name
//! the condition that takes the branch. Fused superinstructions take operands
//! straight from locals and constants instead of the stack: `SC` = (stack top,
//! constant), `SL` = (stack top, local `b`), `LS` = (local `b`, stack top),
//! `LL` = (local `a`, local `b`), `LC` = (local `a`, constant `c`), `SS` = the
//! two top slots. `ToL` stores the result in local `d` instead of pushing it (a
//! fused `local.set`); `Tee` both stores it in local `d` and pushes it;
//! `TeeSC` first stores the stack top in local `d` (a `local.tee`), then
//! applies the op with the constant to it. `I32Xor<shift>LCL` is
//! `local a <shift> c ^ local b` (xorshift and hash mixing), `..ToL` into `d`.
//! `BrI32<cmp>` jumps, without stack adjustment, when the comparison holds (an
//! `if` uses the inverse comparison); `BrNezL`/`BrEqzL` test a local,
//! `BrNezTee`/`BrEqzTee` a value also stored by `local.tee`, `BrI32And..` the
//! bits of `x & c`. Loads take their address from a local (`L`), local plus
//! constant (`LC`, wrapping as `i32.add` does), two locals (`LL`), the stack top
//! plus a constant (`SC`) or plus a local (`SL`), then add the memarg offset.
//! Stores take address and value from locals (`LL`: `addr`, `value`), or the
//! address from a local and the value from the stack (`L`), or the value from a
//! constant (`C`). `LocalCopy`, `LocalSetC`, `LocalTeeGet`, `LocalGet2`,
//! `LocalSetGet` and `LocalCopyBr` are the local-traffic pairs their names say.
//! `Return1` is `Return` in a function with one result.

#[cfg(test)]
mod tests;

/// One wisp instruction. `Copy`, and at most 16 bytes (pinned by a unit test).
///
/// Local indices count from the frame base (parameters first, then declared
/// locals). Function indices in `Call` count the module's *defined* functions;
/// `CallImport` counts its imported ones. Memory offsets are the static offset of
/// the wasm memarg. Table, element, data and type indices are the module's.
#[allow(missing_docs)] // Each variant is the wasm instruction of the same name.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Trap with `unreachable`.
    Unreachable,
    /// Jump to `target`, removing `drop` slots below the top `keep` slots.
    Br {
        target: u32,
        drop: u32,
        keep: u32,
    },
    /// `Br` without a stack adjustment.
    Jump {
        target: u32,
    },
    /// Pop an i32; if it is not zero, behave like `Br`.
    BrIfNez {
        target: u32,
        drop: u32,
        keep: u32,
    },
    /// Pop an i32; if it is zero, jump to `target` (no stack adjustment). Lowers `if`.
    BrIfEqz {
        target: u32,
    },
    /// Pop an index `i` and branch as entry `min(i, len)` of the `len + 1`
    /// ops that follow (the last is the default). The entries are `Br` or
    /// `Jump` ops, each a jump target of its own: the handler reads its entry
    /// and takes that branch, so the table costs no load beyond the entry.
    BrTable {
        len: u32,
    },
    /// `BrTable` whose entries are all `Jump`s.
    BrTableJump {
        len: u32,
    },
    /// Return from the current function: its results are the top slots.
    Return,
    /// `Return` from a function with exactly one result (the usual case, with
    /// a handler of its own).
    Return1,
    /// Call a function defined in this module (index into its code).
    Call(u32),
    /// Call an imported function (index into the module's function space).
    CallImport(u32),
    /// Pop a table index and call through table `table`, checking type `ty`.
    CallIndirect {
        ty: u32,
        table: u32,
    },
    /// Metered code only, at the start of each segment (the function's
    /// entry, each loop header, each `if` arm; jump threading copies it ahead
    /// of a rotated loop test): pay `amount` fuel for the segment's
    /// instructions. When the store cannot pay, or an interruption is
    /// pending, the run stops here with nothing changed, so resuming runs this
    /// op again.
    Fuel {
        amount: u32,
    },
    /// Metered code only, just before a bulk memory or table op: pay
    /// `n >> shift` fuel for the op's count `n` (the stack top); when the store
    /// cannot pay, the run stops here with the operands in place.
    FuelBulk {
        shift: u32,
    },
    Drop,
    Select,
    LocalGet(u32),
    LocalSet(u32),
    LocalTee(u32),
    GlobalGet(u32),
    GlobalSet(u32),
    TableGet(u32),
    TableSet(u32),
    TableSize(u32),
    TableGrow(u32),
    TableFill(u32),
    TableCopy {
        dst: u32,
        src: u32,
    },
    TableInit {
        table: u32,
        elem: u32,
    },
    ElemDrop(u32),
    I32Load(u32),
    I64Load(u32),
    F32Load(u32),
    F64Load(u32),
    I32Load8S(u32),
    I32Load8U(u32),
    I32Load16S(u32),
    I32Load16U(u32),
    I64Load8S(u32),
    I64Load8U(u32),
    I64Load16S(u32),
    I64Load16U(u32),
    I64Load32S(u32),
    I64Load32U(u32),
    I32Store(u32),
    I64Store(u32),
    F32Store(u32),
    F64Store(u32),
    I32Store8(u32),
    I32Store16(u32),
    I64Store8(u32),
    I64Store16(u32),
    I64Store32(u32),
    MemorySize,
    MemoryGrow,
    MemoryInit(u32),
    DataDrop(u32),
    MemoryCopy,
    MemoryFill,
    I32Const(i32),
    I64Const(i64),
    /// An f32 constant, as its bit pattern (NaN payloads survive).
    F32Const(u32),
    /// An f64 constant, as its bit pattern (NaN payloads survive).
    F64Const(u64),
    RefNull,
    RefIsNull,
    RefFunc(u32),

    I32Eqz,
    I32Eq,
    I32Ne,
    I32LtS,
    I32LtU,
    I32GtS,
    I32GtU,
    I32LeS,
    I32LeU,
    I32GeS,
    I32GeU,
    I64Eqz,
    I64Eq,
    I64Ne,
    I64LtS,
    I64LtU,
    I64GtS,
    I64GtU,
    I64LeS,
    I64LeU,
    I64GeS,
    I64GeU,
    F32Eq,
    F32Ne,
    F32Lt,
    F32Gt,
    F32Le,
    F32Ge,
    F64Eq,
    F64Ne,
    F64Lt,
    F64Gt,
    F64Le,
    F64Ge,
    I32Clz,
    I32Ctz,
    I32Popcnt,
    I32Add,
    I32Sub,
    I32Mul,
    I32DivS,
    I32DivU,
    I32RemS,
    I32RemU,
    I32And,
    I32Or,
    I32Xor,
    I32Shl,
    I32ShrS,
    I32ShrU,
    I32Rotl,
    I32Rotr,
    I64Clz,
    I64Ctz,
    I64Popcnt,
    I64Add,
    I64Sub,
    I64Mul,
    I64DivS,
    I64DivU,
    I64RemS,
    I64RemU,
    I64And,
    I64Or,
    I64Xor,
    I64Shl,
    I64ShrS,
    I64ShrU,
    I64Rotl,
    I64Rotr,
    F32Abs,
    F32Neg,
    F32Ceil,
    F32Floor,
    F32Trunc,
    F32Nearest,
    F32Sqrt,
    F32Add,
    F32Sub,
    F32Mul,
    F32Div,
    F32Min,
    F32Max,
    F32Copysign,
    F64Abs,
    F64Neg,
    F64Ceil,
    F64Floor,
    F64Trunc,
    F64Nearest,
    F64Sqrt,
    F64Add,
    F64Sub,
    F64Mul,
    F64Div,
    F64Min,
    F64Max,
    F64Copysign,
    I32TruncF32S,
    I32TruncF32U,
    I32TruncF64S,
    I32TruncF64U,
    I64ExtendI32S,
    I64ExtendI32U,
    I64TruncF32S,
    I64TruncF32U,
    I64TruncF64S,
    I64TruncF64U,
    F32ConvertI32S,
    F32ConvertI32U,
    F32ConvertI64S,
    F32ConvertI64U,
    F32DemoteF64,
    F64ConvertI32S,
    F64ConvertI32U,
    F64ConvertI64S,
    F64ConvertI64U,
    F64PromoteF32,
    I32Extend8S,
    I32Extend16S,
    I64Extend8S,
    I64Extend16S,
    I64Extend32S,
    I32TruncSatF32S,
    I32TruncSatF32U,
    I32TruncSatF64S,
    I32TruncSatF64U,
    I64TruncSatF32S,
    I64TruncSatF32U,
    I64TruncSatF64S,
    I64TruncSatF64U,

    // Fused superinstructions (the module docs define the suffixes).
    I32AddSC(i32),
    I32AddSL(u32),
    I32AddLL {
        a: u32,
        b: u32,
    },
    I32AddLC {
        a: u32,
        c: i32,
    },
    I32SubSC(i32),
    I32SubSL(u32),
    I32SubLL {
        a: u32,
        b: u32,
    },
    I32SubLC {
        a: u32,
        c: i32,
    },
    I32MulSC(i32),
    I32MulSL(u32),
    I32MulLL {
        a: u32,
        b: u32,
    },
    I32MulLC {
        a: u32,
        c: i32,
    },
    I32AndSC(i32),
    I32AndSL(u32),
    I32AndLL {
        a: u32,
        b: u32,
    },
    I32AndLC {
        a: u32,
        c: i32,
    },
    I32OrSC(i32),
    I32OrSL(u32),
    I32OrLL {
        a: u32,
        b: u32,
    },
    I32OrLC {
        a: u32,
        c: i32,
    },
    I32XorSC(i32),
    I32XorSL(u32),
    I32XorLL {
        a: u32,
        b: u32,
    },
    I32XorLC {
        a: u32,
        c: i32,
    },
    I32ShlSC(i32),
    I32ShlSL(u32),
    I32ShlLL {
        a: u32,
        b: u32,
    },
    I32ShlLC {
        a: u32,
        c: i32,
    },
    I32ShrSSC(i32),
    I32ShrSSL(u32),
    I32ShrSLL {
        a: u32,
        b: u32,
    },
    I32ShrSLC {
        a: u32,
        c: i32,
    },
    I32ShrUSC(i32),
    I32ShrUSL(u32),
    I32ShrULL {
        a: u32,
        b: u32,
    },
    I32ShrULC {
        a: u32,
        c: i32,
    },
    I32RotlSC(i32),
    I32RotlSL(u32),
    I32RotlLL {
        a: u32,
        b: u32,
    },
    I32RotlLC {
        a: u32,
        c: i32,
    },
    I32RotrSC(i32),
    I32RotrSL(u32),
    I32RotrLL {
        a: u32,
        b: u32,
    },
    I32RotrLC {
        a: u32,
        c: i32,
    },
    I32EqSC(i32),
    I32EqSL(u32),
    I32EqLL {
        a: u32,
        b: u32,
    },
    I32EqLC {
        a: u32,
        c: i32,
    },
    I32NeSC(i32),
    I32NeSL(u32),
    I32NeLL {
        a: u32,
        b: u32,
    },
    I32NeLC {
        a: u32,
        c: i32,
    },
    I32LtSSC(i32),
    I32LtSSL(u32),
    I32LtSLL {
        a: u32,
        b: u32,
    },
    I32LtSLC {
        a: u32,
        c: i32,
    },
    I32LtUSC(i32),
    I32LtUSL(u32),
    I32LtULL {
        a: u32,
        b: u32,
    },
    I32LtULC {
        a: u32,
        c: i32,
    },
    I32GtSSC(i32),
    I32GtSSL(u32),
    I32GtSLL {
        a: u32,
        b: u32,
    },
    I32GtSLC {
        a: u32,
        c: i32,
    },
    I32GtUSC(i32),
    I32GtUSL(u32),
    I32GtULL {
        a: u32,
        b: u32,
    },
    I32GtULC {
        a: u32,
        c: i32,
    },
    I32LeSSC(i32),
    I32LeSSL(u32),
    I32LeSLL {
        a: u32,
        b: u32,
    },
    I32LeSLC {
        a: u32,
        c: i32,
    },
    I32LeUSC(i32),
    I32LeUSL(u32),
    I32LeULL {
        a: u32,
        b: u32,
    },
    I32LeULC {
        a: u32,
        c: i32,
    },
    I32GeSSC(i32),
    I32GeSSL(u32),
    I32GeSLL {
        a: u32,
        b: u32,
    },
    I32GeSLC {
        a: u32,
        c: i32,
    },
    I32GeUSC(i32),
    I32GeUSL(u32),
    I32GeULL {
        a: u32,
        b: u32,
    },
    I32GeULC {
        a: u32,
        c: i32,
    },
    I32AddLLToL {
        a: u32,
        b: u32,
        d: u32,
    },
    I32AddLCToL {
        a: u32,
        c: i32,
        d: u32,
    },
    I32AddSCToL {
        c: i32,
        d: u32,
    },
    I32AddLLTee {
        a: u32,
        b: u32,
        d: u32,
    },
    I32AddLCTee {
        a: u32,
        c: i32,
        d: u32,
    },
    I32SubLLToL {
        a: u32,
        b: u32,
        d: u32,
    },
    I32SubLCToL {
        a: u32,
        c: i32,
        d: u32,
    },
    I32SubSCToL {
        c: i32,
        d: u32,
    },
    I32SubLLTee {
        a: u32,
        b: u32,
        d: u32,
    },
    I32SubLCTee {
        a: u32,
        c: i32,
        d: u32,
    },
    I32MulLLToL {
        a: u32,
        b: u32,
        d: u32,
    },
    I32MulLCToL {
        a: u32,
        c: i32,
        d: u32,
    },
    I32MulSCToL {
        c: i32,
        d: u32,
    },
    I32MulLLTee {
        a: u32,
        b: u32,
        d: u32,
    },
    I32MulLCTee {
        a: u32,
        c: i32,
        d: u32,
    },
    I32AndLLToL {
        a: u32,
        b: u32,
        d: u32,
    },
    I32AndLCToL {
        a: u32,
        c: i32,
        d: u32,
    },
    I32AndSCToL {
        c: i32,
        d: u32,
    },
    I32AndLLTee {
        a: u32,
        b: u32,
        d: u32,
    },
    I32AndLCTee {
        a: u32,
        c: i32,
        d: u32,
    },
    I32OrLLToL {
        a: u32,
        b: u32,
        d: u32,
    },
    I32OrLCToL {
        a: u32,
        c: i32,
        d: u32,
    },
    I32OrSCToL {
        c: i32,
        d: u32,
    },
    I32OrLLTee {
        a: u32,
        b: u32,
        d: u32,
    },
    I32OrLCTee {
        a: u32,
        c: i32,
        d: u32,
    },
    I32XorLLToL {
        a: u32,
        b: u32,
        d: u32,
    },
    I32XorLCToL {
        a: u32,
        c: i32,
        d: u32,
    },
    I32XorSCToL {
        c: i32,
        d: u32,
    },
    I32XorLLTee {
        a: u32,
        b: u32,
        d: u32,
    },
    I32XorLCTee {
        a: u32,
        c: i32,
        d: u32,
    },
    I32ShlLLToL {
        a: u32,
        b: u32,
        d: u32,
    },
    I32ShlLCToL {
        a: u32,
        c: i32,
        d: u32,
    },
    I32ShlSCToL {
        c: i32,
        d: u32,
    },
    I32ShlLLTee {
        a: u32,
        b: u32,
        d: u32,
    },
    I32ShlLCTee {
        a: u32,
        c: i32,
        d: u32,
    },
    I32ShrSLLToL {
        a: u32,
        b: u32,
        d: u32,
    },
    I32ShrSLCToL {
        a: u32,
        c: i32,
        d: u32,
    },
    I32ShrSSCToL {
        c: i32,
        d: u32,
    },
    I32ShrSLLTee {
        a: u32,
        b: u32,
        d: u32,
    },
    I32ShrSLCTee {
        a: u32,
        c: i32,
        d: u32,
    },
    I32ShrULLToL {
        a: u32,
        b: u32,
        d: u32,
    },
    I32ShrULCToL {
        a: u32,
        c: i32,
        d: u32,
    },
    I32ShrUSCToL {
        c: i32,
        d: u32,
    },
    I32ShrULLTee {
        a: u32,
        b: u32,
        d: u32,
    },
    I32ShrULCTee {
        a: u32,
        c: i32,
        d: u32,
    },
    I32RotlLLToL {
        a: u32,
        b: u32,
        d: u32,
    },
    I32RotlLCToL {
        a: u32,
        c: i32,
        d: u32,
    },
    I32RotlSCToL {
        c: i32,
        d: u32,
    },
    I32RotlLLTee {
        a: u32,
        b: u32,
        d: u32,
    },
    I32RotlLCTee {
        a: u32,
        c: i32,
        d: u32,
    },
    I32RotrLLToL {
        a: u32,
        b: u32,
        d: u32,
    },
    I32RotrLCToL {
        a: u32,
        c: i32,
        d: u32,
    },
    I32RotrSCToL {
        c: i32,
        d: u32,
    },
    I32RotrLLTee {
        a: u32,
        b: u32,
        d: u32,
    },
    I32RotrLCTee {
        a: u32,
        c: i32,
        d: u32,
    },
    BrI32Eq {
        target: u32,
    },
    BrI32EqSC {
        target: u32,
        c: i32,
    },
    BrI32EqSL {
        target: u32,
        b: u32,
    },
    BrI32EqLL {
        target: u32,
        a: u32,
        b: u32,
    },
    BrI32EqLC {
        target: u32,
        a: u32,
        c: i32,
    },
    BrI32Ne {
        target: u32,
    },
    BrI32NeSC {
        target: u32,
        c: i32,
    },
    BrI32NeSL {
        target: u32,
        b: u32,
    },
    BrI32NeLL {
        target: u32,
        a: u32,
        b: u32,
    },
    BrI32NeLC {
        target: u32,
        a: u32,
        c: i32,
    },
    BrI32LtS {
        target: u32,
    },
    BrI32LtSSC {
        target: u32,
        c: i32,
    },
    BrI32LtSSL {
        target: u32,
        b: u32,
    },
    BrI32LtSLL {
        target: u32,
        a: u32,
        b: u32,
    },
    BrI32LtSLC {
        target: u32,
        a: u32,
        c: i32,
    },
    BrI32LtU {
        target: u32,
    },
    BrI32LtUSC {
        target: u32,
        c: i32,
    },
    BrI32LtUSL {
        target: u32,
        b: u32,
    },
    BrI32LtULL {
        target: u32,
        a: u32,
        b: u32,
    },
    BrI32LtULC {
        target: u32,
        a: u32,
        c: i32,
    },
    BrI32GtS {
        target: u32,
    },
    BrI32GtSSC {
        target: u32,
        c: i32,
    },
    BrI32GtSSL {
        target: u32,
        b: u32,
    },
    BrI32GtSLL {
        target: u32,
        a: u32,
        b: u32,
    },
    BrI32GtSLC {
        target: u32,
        a: u32,
        c: i32,
    },
    BrI32GtU {
        target: u32,
    },
    BrI32GtUSC {
        target: u32,
        c: i32,
    },
    BrI32GtUSL {
        target: u32,
        b: u32,
    },
    BrI32GtULL {
        target: u32,
        a: u32,
        b: u32,
    },
    BrI32GtULC {
        target: u32,
        a: u32,
        c: i32,
    },
    BrI32LeS {
        target: u32,
    },
    BrI32LeSSC {
        target: u32,
        c: i32,
    },
    BrI32LeSSL {
        target: u32,
        b: u32,
    },
    BrI32LeSLL {
        target: u32,
        a: u32,
        b: u32,
    },
    BrI32LeSLC {
        target: u32,
        a: u32,
        c: i32,
    },
    BrI32LeU {
        target: u32,
    },
    BrI32LeUSC {
        target: u32,
        c: i32,
    },
    BrI32LeUSL {
        target: u32,
        b: u32,
    },
    BrI32LeULL {
        target: u32,
        a: u32,
        b: u32,
    },
    BrI32LeULC {
        target: u32,
        a: u32,
        c: i32,
    },
    BrI32GeS {
        target: u32,
    },
    BrI32GeSSC {
        target: u32,
        c: i32,
    },
    BrI32GeSSL {
        target: u32,
        b: u32,
    },
    BrI32GeSLL {
        target: u32,
        a: u32,
        b: u32,
    },
    BrI32GeSLC {
        target: u32,
        a: u32,
        c: i32,
    },
    BrI32GeU {
        target: u32,
    },
    BrI32GeUSC {
        target: u32,
        c: i32,
    },
    BrI32GeUSL {
        target: u32,
        b: u32,
    },
    BrI32GeULL {
        target: u32,
        a: u32,
        b: u32,
    },
    BrI32GeULC {
        target: u32,
        a: u32,
        c: i32,
    },
    BrI32EqIncSC {
        a: u16,
        d: u16,
        k: i16,
        c: i32,
        target: u32,
    },
    BrI32EqIncSL {
        a: u16,
        d: u16,
        k: i16,
        b: u32,
        target: u32,
    },
    BrI32EqAddLLSL {
        a: u16,
        b: u16,
        d: u16,
        n: u16,
        target: u32,
    },
    BrI32NeIncSC {
        a: u16,
        d: u16,
        k: i16,
        c: i32,
        target: u32,
    },
    BrI32NeIncSL {
        a: u16,
        d: u16,
        k: i16,
        b: u32,
        target: u32,
    },
    BrI32NeAddLLSL {
        a: u16,
        b: u16,
        d: u16,
        n: u16,
        target: u32,
    },
    BrI32LtSIncSC {
        a: u16,
        d: u16,
        k: i16,
        c: i32,
        target: u32,
    },
    BrI32LtSIncSL {
        a: u16,
        d: u16,
        k: i16,
        b: u32,
        target: u32,
    },
    BrI32LtSAddLLSL {
        a: u16,
        b: u16,
        d: u16,
        n: u16,
        target: u32,
    },
    BrI32LtUIncSC {
        a: u16,
        d: u16,
        k: i16,
        c: i32,
        target: u32,
    },
    BrI32LtUIncSL {
        a: u16,
        d: u16,
        k: i16,
        b: u32,
        target: u32,
    },
    BrI32LtUAddLLSL {
        a: u16,
        b: u16,
        d: u16,
        n: u16,
        target: u32,
    },
    BrI32GtSIncSC {
        a: u16,
        d: u16,
        k: i16,
        c: i32,
        target: u32,
    },
    BrI32GtSIncSL {
        a: u16,
        d: u16,
        k: i16,
        b: u32,
        target: u32,
    },
    BrI32GtSAddLLSL {
        a: u16,
        b: u16,
        d: u16,
        n: u16,
        target: u32,
    },
    BrI32GtUIncSC {
        a: u16,
        d: u16,
        k: i16,
        c: i32,
        target: u32,
    },
    BrI32GtUIncSL {
        a: u16,
        d: u16,
        k: i16,
        b: u32,
        target: u32,
    },
    BrI32GtUAddLLSL {
        a: u16,
        b: u16,
        d: u16,
        n: u16,
        target: u32,
    },
    BrI32LeSIncSC {
        a: u16,
        d: u16,
        k: i16,
        c: i32,
        target: u32,
    },
    BrI32LeSIncSL {
        a: u16,
        d: u16,
        k: i16,
        b: u32,
        target: u32,
    },
    BrI32LeSAddLLSL {
        a: u16,
        b: u16,
        d: u16,
        n: u16,
        target: u32,
    },
    BrI32LeUIncSC {
        a: u16,
        d: u16,
        k: i16,
        c: i32,
        target: u32,
    },
    BrI32LeUIncSL {
        a: u16,
        d: u16,
        k: i16,
        b: u32,
        target: u32,
    },
    BrI32LeUAddLLSL {
        a: u16,
        b: u16,
        d: u16,
        n: u16,
        target: u32,
    },
    BrI32GeSIncSC {
        a: u16,
        d: u16,
        k: i16,
        c: i32,
        target: u32,
    },
    BrI32GeSIncSL {
        a: u16,
        d: u16,
        k: i16,
        b: u32,
        target: u32,
    },
    BrI32GeSAddLLSL {
        a: u16,
        b: u16,
        d: u16,
        n: u16,
        target: u32,
    },
    BrI32GeUIncSC {
        a: u16,
        d: u16,
        k: i16,
        c: i32,
        target: u32,
    },
    BrI32GeUIncSL {
        a: u16,
        d: u16,
        k: i16,
        b: u32,
        target: u32,
    },
    BrI32GeUAddLLSL {
        a: u16,
        b: u16,
        d: u16,
        n: u16,
        target: u32,
    },
    BrNez {
        target: u32,
    },
    BrNezL {
        target: u32,
        local: u32,
    },
    BrEqzL {
        target: u32,
        local: u32,
    },
    BrNezTee {
        target: u32,
        local: u32,
    },
    BrEqzTee {
        target: u32,
        local: u32,
    },
    BrI32AndLCNez {
        target: u32,
        a: u32,
        c: i32,
    },
    BrI32AndLCEqz {
        target: u32,
        a: u32,
        c: i32,
    },
    BrI32AndSCNez {
        target: u32,
        c: i32,
    },
    BrI32AndSCEqz {
        target: u32,
        c: i32,
    },
    I32AddSSToL(u32),
    I32AddSLToL {
        b: u32,
        d: u32,
    },
    I32AddTeeSC {
        d: u32,
        c: i32,
    },
    I32SubSSToL(u32),
    I32SubSLToL {
        b: u32,
        d: u32,
    },
    I32SubTeeSC {
        d: u32,
        c: i32,
    },
    I32MulSSToL(u32),
    I32MulSLToL {
        b: u32,
        d: u32,
    },
    I32MulTeeSC {
        d: u32,
        c: i32,
    },
    I32AndSSToL(u32),
    I32AndSLToL {
        b: u32,
        d: u32,
    },
    I32AndTeeSC {
        d: u32,
        c: i32,
    },
    I32OrSSToL(u32),
    I32OrSLToL {
        b: u32,
        d: u32,
    },
    I32OrTeeSC {
        d: u32,
        c: i32,
    },
    I32XorSSToL(u32),
    I32XorSLToL {
        b: u32,
        d: u32,
    },
    I32XorTeeSC {
        d: u32,
        c: i32,
    },
    I32ShlSSToL(u32),
    I32ShlSLToL {
        b: u32,
        d: u32,
    },
    I32ShlTeeSC {
        d: u32,
        c: i32,
    },
    I32ShrSSSToL(u32),
    I32ShrSSLToL {
        b: u32,
        d: u32,
    },
    I32ShrSTeeSC {
        d: u32,
        c: i32,
    },
    I32ShrUSSToL(u32),
    I32ShrUSLToL {
        b: u32,
        d: u32,
    },
    I32ShrUTeeSC {
        d: u32,
        c: i32,
    },
    I32RotlSSToL(u32),
    I32RotlSLToL {
        b: u32,
        d: u32,
    },
    I32RotlTeeSC {
        d: u32,
        c: i32,
    },
    I32RotrSSToL(u32),
    I32RotrSLToL {
        b: u32,
        d: u32,
    },
    I32RotrTeeSC {
        d: u32,
        c: i32,
    },
    I32XorShlLCL {
        a: u16,
        c: u16,
        b: u16,
    },
    I32XorShlLCLToL {
        a: u16,
        c: u16,
        b: u16,
        d: u16,
    },
    I32XorShrULCL {
        a: u16,
        c: u16,
        b: u16,
    },
    I32XorShrULCLToL {
        a: u16,
        c: u16,
        b: u16,
        d: u16,
    },
    I32XorRotlLCL {
        a: u16,
        c: u16,
        b: u16,
    },
    I32XorRotlLCLToL {
        a: u16,
        c: u16,
        b: u16,
        d: u16,
    },
    I32XorRotrLCL {
        a: u16,
        c: u16,
        b: u16,
    },
    I32XorRotrLCLToL {
        a: u16,
        c: u16,
        b: u16,
        d: u16,
    },
    I32SubLS(u32),
    I32ShlLS(u32),
    I32ShrSLS(u32),
    I32ShrULS(u32),
    I32RotlLS(u32),
    I32RotrLS(u32),
    I64SubLS(u32),
    I64ShlLS(u32),
    I64ShrULS(u32),
    I64ShrSLS(u32),
    I64RotlLS(u32),
    F32SubLS(u32),
    F32DivLS(u32),
    F64SubLS(u32),
    F64DivLS(u32),
    I64AddSC(i32),
    I64AddSL(u32),
    I64AddLL {
        a: u32,
        b: u32,
    },
    I64AddLC {
        a: u32,
        c: i32,
    },
    I64SubSC(i32),
    I64SubSL(u32),
    I64SubLL {
        a: u32,
        b: u32,
    },
    I64SubLC {
        a: u32,
        c: i32,
    },
    I64MulSC(i32),
    I64MulSL(u32),
    I64MulLL {
        a: u32,
        b: u32,
    },
    I64MulLC {
        a: u32,
        c: i32,
    },
    I64AndSC(i32),
    I64AndSL(u32),
    I64AndLL {
        a: u32,
        b: u32,
    },
    I64AndLC {
        a: u32,
        c: i32,
    },
    I64OrSC(i32),
    I64OrSL(u32),
    I64OrLL {
        a: u32,
        b: u32,
    },
    I64OrLC {
        a: u32,
        c: i32,
    },
    I64XorSC(i32),
    I64XorSL(u32),
    I64XorLL {
        a: u32,
        b: u32,
    },
    I64XorLC {
        a: u32,
        c: i32,
    },
    I64ShlSC(i32),
    I64ShlSL(u32),
    I64ShlLL {
        a: u32,
        b: u32,
    },
    I64ShlLC {
        a: u32,
        c: i32,
    },
    I64ShrUSC(i32),
    I64ShrUSL(u32),
    I64ShrULL {
        a: u32,
        b: u32,
    },
    I64ShrULC {
        a: u32,
        c: i32,
    },
    I64ShrSSC(i32),
    I64ShrSSL(u32),
    I64ShrSLL {
        a: u32,
        b: u32,
    },
    I64ShrSLC {
        a: u32,
        c: i32,
    },
    I64RotlSC(i32),
    I64RotlSL(u32),
    I64RotlLL {
        a: u32,
        b: u32,
    },
    I64RotlLC {
        a: u32,
        c: i32,
    },
    F32AddSL(u32),
    F32AddLL {
        a: u32,
        b: u32,
    },
    F32SubSL(u32),
    F32SubLL {
        a: u32,
        b: u32,
    },
    F32MulSL(u32),
    F32MulLL {
        a: u32,
        b: u32,
    },
    F32DivSL(u32),
    F32DivLL {
        a: u32,
        b: u32,
    },
    F64AddSL(u32),
    F64AddLL {
        a: u32,
        b: u32,
    },
    F64SubSL(u32),
    F64SubLL {
        a: u32,
        b: u32,
    },
    F64MulSL(u32),
    F64MulLL {
        a: u32,
        b: u32,
    },
    F64DivSL(u32),
    F64DivLL {
        a: u32,
        b: u32,
    },
    I32LoadL {
        local: u32,
        offset: u32,
    },
    I32LoadLC {
        a: u32,
        c: i32,
        offset: u32,
    },
    I32LoadSC {
        c: i32,
        offset: u32,
    },
    I32LoadSL {
        b: u32,
        offset: u32,
    },
    I32LoadLL {
        a: u32,
        b: u32,
        offset: u32,
    },
    I64LoadL {
        local: u32,
        offset: u32,
    },
    I64LoadLC {
        a: u32,
        c: i32,
        offset: u32,
    },
    I64LoadSC {
        c: i32,
        offset: u32,
    },
    I64LoadSL {
        b: u32,
        offset: u32,
    },
    I64LoadLL {
        a: u32,
        b: u32,
        offset: u32,
    },
    F32LoadL {
        local: u32,
        offset: u32,
    },
    F32LoadLC {
        a: u32,
        c: i32,
        offset: u32,
    },
    F32LoadSC {
        c: i32,
        offset: u32,
    },
    F32LoadSL {
        b: u32,
        offset: u32,
    },
    F32LoadLL {
        a: u32,
        b: u32,
        offset: u32,
    },
    F64LoadL {
        local: u32,
        offset: u32,
    },
    F64LoadLC {
        a: u32,
        c: i32,
        offset: u32,
    },
    F64LoadSC {
        c: i32,
        offset: u32,
    },
    F64LoadSL {
        b: u32,
        offset: u32,
    },
    F64LoadLL {
        a: u32,
        b: u32,
        offset: u32,
    },
    I32Load8SL {
        local: u32,
        offset: u32,
    },
    I32Load8SLC {
        a: u32,
        c: i32,
        offset: u32,
    },
    I32Load8SSC {
        c: i32,
        offset: u32,
    },
    I32Load8SSL {
        b: u32,
        offset: u32,
    },
    I32Load8SLL {
        a: u32,
        b: u32,
        offset: u32,
    },
    I32Load8UL {
        local: u32,
        offset: u32,
    },
    I32Load8ULC {
        a: u32,
        c: i32,
        offset: u32,
    },
    I32Load8USC {
        c: i32,
        offset: u32,
    },
    I32Load8USL {
        b: u32,
        offset: u32,
    },
    I32Load8ULL {
        a: u32,
        b: u32,
        offset: u32,
    },
    I32Load16SL {
        local: u32,
        offset: u32,
    },
    I32Load16SLC {
        a: u32,
        c: i32,
        offset: u32,
    },
    I32Load16SSC {
        c: i32,
        offset: u32,
    },
    I32Load16SSL {
        b: u32,
        offset: u32,
    },
    I32Load16SLL {
        a: u32,
        b: u32,
        offset: u32,
    },
    I32Load16UL {
        local: u32,
        offset: u32,
    },
    I32Load16ULC {
        a: u32,
        c: i32,
        offset: u32,
    },
    I32Load16USC {
        c: i32,
        offset: u32,
    },
    I32Load16USL {
        b: u32,
        offset: u32,
    },
    I32Load16ULL {
        a: u32,
        b: u32,
        offset: u32,
    },
    I64Load8UL {
        local: u32,
        offset: u32,
    },
    I64Load8ULC {
        a: u32,
        c: i32,
        offset: u32,
    },
    I64Load8USC {
        c: i32,
        offset: u32,
    },
    I64Load8USL {
        b: u32,
        offset: u32,
    },
    I64Load8ULL {
        a: u32,
        b: u32,
        offset: u32,
    },
    I64Load32UL {
        local: u32,
        offset: u32,
    },
    I64Load32ULC {
        a: u32,
        c: i32,
        offset: u32,
    },
    I64Load32USC {
        c: i32,
        offset: u32,
    },
    I64Load32USL {
        b: u32,
        offset: u32,
    },
    I64Load32ULL {
        a: u32,
        b: u32,
        offset: u32,
    },
    I64Load32SL {
        local: u32,
        offset: u32,
    },
    I64Load32SLC {
        a: u32,
        c: i32,
        offset: u32,
    },
    I64Load32SSC {
        c: i32,
        offset: u32,
    },
    I64Load32SSL {
        b: u32,
        offset: u32,
    },
    I64Load32SLL {
        a: u32,
        b: u32,
        offset: u32,
    },
    I32StoreLL {
        addr: u32,
        value: u32,
        offset: u32,
    },
    I32StoreL {
        addr: u32,
        offset: u32,
    },
    I64StoreLL {
        addr: u32,
        value: u32,
        offset: u32,
    },
    I64StoreL {
        addr: u32,
        offset: u32,
    },
    F32StoreLL {
        addr: u32,
        value: u32,
        offset: u32,
    },
    F32StoreL {
        addr: u32,
        offset: u32,
    },
    F64StoreLL {
        addr: u32,
        value: u32,
        offset: u32,
    },
    F64StoreL {
        addr: u32,
        offset: u32,
    },
    I32Store8LL {
        addr: u32,
        value: u32,
        offset: u32,
    },
    I32Store8L {
        addr: u32,
        offset: u32,
    },
    I32Store16LL {
        addr: u32,
        value: u32,
        offset: u32,
    },
    I32Store16L {
        addr: u32,
        offset: u32,
    },
    I64Store8LL {
        addr: u32,
        value: u32,
        offset: u32,
    },
    I64Store8L {
        addr: u32,
        offset: u32,
    },
    I64Store16LL {
        addr: u32,
        value: u32,
        offset: u32,
    },
    I64Store16L {
        addr: u32,
        offset: u32,
    },
    I64Store32LL {
        addr: u32,
        value: u32,
        offset: u32,
    },
    I64Store32L {
        addr: u32,
        offset: u32,
    },
    I64AddSSToL(u32),
    I64SubSSToL(u32),
    I64MulSSToL(u32),
    I64AndSSToL(u32),
    I64OrSSToL(u32),
    I64XorSSToL(u32),
    I64ShlSSToL(u32),
    I64ShrUSSToL(u32),
    I64ShrSSSToL(u32),
    I64RotlSSToL(u32),
    I64AddSLToL {
        b: u32,
        d: u32,
    },
    I64SubSLToL {
        b: u32,
        d: u32,
    },
    I64MulSLToL {
        b: u32,
        d: u32,
    },
    I64AndSLToL {
        b: u32,
        d: u32,
    },
    I64OrSLToL {
        b: u32,
        d: u32,
    },
    I64XorSLToL {
        b: u32,
        d: u32,
    },
    I64ShlSLToL {
        b: u32,
        d: u32,
    },
    I64ShrUSLToL {
        b: u32,
        d: u32,
    },
    I64ShrSSLToL {
        b: u32,
        d: u32,
    },
    I64RotlSLToL {
        b: u32,
        d: u32,
    },
    F32AddSSToL(u32),
    F32AddSLToL {
        b: u32,
        d: u32,
    },
    F32AddSSTee(u32),
    F32AddSLTee {
        b: u32,
        d: u32,
    },
    F32SubSSToL(u32),
    F32SubSLToL {
        b: u32,
        d: u32,
    },
    F32SubSSTee(u32),
    F32SubSLTee {
        b: u32,
        d: u32,
    },
    F32MulSSToL(u32),
    F32MulSLToL {
        b: u32,
        d: u32,
    },
    F32MulSSTee(u32),
    F32MulSLTee {
        b: u32,
        d: u32,
    },
    F32DivSSToL(u32),
    F32DivSLToL {
        b: u32,
        d: u32,
    },
    F32DivSSTee(u32),
    F32DivSLTee {
        b: u32,
        d: u32,
    },
    F64AddSSToL(u32),
    F64AddSLToL {
        b: u32,
        d: u32,
    },
    F64AddSSTee(u32),
    F64AddSLTee {
        b: u32,
        d: u32,
    },
    F64SubSSToL(u32),
    F64SubSLToL {
        b: u32,
        d: u32,
    },
    F64SubSSTee(u32),
    F64SubSLTee {
        b: u32,
        d: u32,
    },
    F64MulSSToL(u32),
    F64MulSLToL {
        b: u32,
        d: u32,
    },
    F64MulSSTee(u32),
    F64MulSLTee {
        b: u32,
        d: u32,
    },
    F64DivSSToL(u32),
    F64DivSLToL {
        b: u32,
        d: u32,
    },
    F64DivSSTee(u32),
    F64DivSLTee {
        b: u32,
        d: u32,
    },
    I32SubLSToL {
        b: u32,
        d: u32,
    },
    I32ShlLSToL {
        b: u32,
        d: u32,
    },
    I32ShrSLSToL {
        b: u32,
        d: u32,
    },
    I32ShrULSToL {
        b: u32,
        d: u32,
    },
    I32RotlLSToL {
        b: u32,
        d: u32,
    },
    I32RotrLSToL {
        b: u32,
        d: u32,
    },
    LocalCopy {
        from: u32,
        to: u32,
    },
    LocalSetC {
        local: u32,
        c: i32,
    },
    LocalTeeGet {
        tee: u32,
        get: u32,
    },
    LocalGet2 {
        a: u32,
        b: u32,
    },
    LocalSetGet {
        set: u32,
        get: u32,
    },
    LocalCopyBr {
        from: u32,
        to: u32,
        target: u32,
    },
    I32StoreC {
        c: i32,
        offset: u32,
    },
    I32Store8C {
        c: i32,
        offset: u32,
    },
    I32Store16C {
        c: i32,
        offset: u32,
    },
}

impl Op {
    /// The jump target of a branch op, for fix-ups.
    pub fn target_mut(&mut self) -> Option<&mut u32> {
        match self {
            Op::Br { target, .. }
            | Op::BrIfNez { target, .. }
            | Op::BrIfEqz { target }
            | Op::BrNez { target } => Some(target),
            Op::Jump { target } => Some(target),
            Op::BrNezL { target, .. }
            | Op::BrEqzL { target, .. }
            | Op::BrNezTee { target, .. }
            | Op::BrEqzTee { target, .. } => Some(target),
            Op::BrI32AndLCNez { target, .. }
            | Op::BrI32AndLCEqz { target, .. }
            | Op::BrI32AndSCNez { target, .. }
            | Op::BrI32AndSCEqz { target, .. } => Some(target),
            Op::LocalCopyBr { target, .. } => Some(target),
            Op::BrI32EqIncSC { target, .. }
            | Op::BrI32EqIncSL { target, .. }
            | Op::BrI32EqAddLLSL { target, .. } => Some(target),
            Op::BrI32NeIncSC { target, .. }
            | Op::BrI32NeIncSL { target, .. }
            | Op::BrI32NeAddLLSL { target, .. } => Some(target),
            Op::BrI32LtSIncSC { target, .. }
            | Op::BrI32LtSIncSL { target, .. }
            | Op::BrI32LtSAddLLSL { target, .. } => Some(target),
            Op::BrI32LtUIncSC { target, .. }
            | Op::BrI32LtUIncSL { target, .. }
            | Op::BrI32LtUAddLLSL { target, .. } => Some(target),
            Op::BrI32GtSIncSC { target, .. }
            | Op::BrI32GtSIncSL { target, .. }
            | Op::BrI32GtSAddLLSL { target, .. } => Some(target),
            Op::BrI32GtUIncSC { target, .. }
            | Op::BrI32GtUIncSL { target, .. }
            | Op::BrI32GtUAddLLSL { target, .. } => Some(target),
            Op::BrI32LeSIncSC { target, .. }
            | Op::BrI32LeSIncSL { target, .. }
            | Op::BrI32LeSAddLLSL { target, .. } => Some(target),
            Op::BrI32LeUIncSC { target, .. }
            | Op::BrI32LeUIncSL { target, .. }
            | Op::BrI32LeUAddLLSL { target, .. } => Some(target),
            Op::BrI32GeSIncSC { target, .. }
            | Op::BrI32GeSIncSL { target, .. }
            | Op::BrI32GeSAddLLSL { target, .. } => Some(target),
            Op::BrI32GeUIncSC { target, .. }
            | Op::BrI32GeUIncSL { target, .. }
            | Op::BrI32GeUAddLLSL { target, .. } => Some(target),
            Op::BrI32Eq { target }
            | Op::BrI32EqSC { target, .. }
            | Op::BrI32EqSL { target, .. }
            | Op::BrI32EqLL { target, .. }
            | Op::BrI32EqLC { target, .. } => Some(target),
            Op::BrI32Ne { target }
            | Op::BrI32NeSC { target, .. }
            | Op::BrI32NeSL { target, .. }
            | Op::BrI32NeLL { target, .. }
            | Op::BrI32NeLC { target, .. } => Some(target),
            Op::BrI32LtS { target }
            | Op::BrI32LtSSC { target, .. }
            | Op::BrI32LtSSL { target, .. }
            | Op::BrI32LtSLL { target, .. }
            | Op::BrI32LtSLC { target, .. } => Some(target),
            Op::BrI32LtU { target }
            | Op::BrI32LtUSC { target, .. }
            | Op::BrI32LtUSL { target, .. }
            | Op::BrI32LtULL { target, .. }
            | Op::BrI32LtULC { target, .. } => Some(target),
            Op::BrI32GtS { target }
            | Op::BrI32GtSSC { target, .. }
            | Op::BrI32GtSSL { target, .. }
            | Op::BrI32GtSLL { target, .. }
            | Op::BrI32GtSLC { target, .. } => Some(target),
            Op::BrI32GtU { target }
            | Op::BrI32GtUSC { target, .. }
            | Op::BrI32GtUSL { target, .. }
            | Op::BrI32GtULL { target, .. }
            | Op::BrI32GtULC { target, .. } => Some(target),
            Op::BrI32LeS { target }
            | Op::BrI32LeSSC { target, .. }
            | Op::BrI32LeSSL { target, .. }
            | Op::BrI32LeSLL { target, .. }
            | Op::BrI32LeSLC { target, .. } => Some(target),
            Op::BrI32LeU { target }
            | Op::BrI32LeUSC { target, .. }
            | Op::BrI32LeUSL { target, .. }
            | Op::BrI32LeULL { target, .. }
            | Op::BrI32LeULC { target, .. } => Some(target),
            Op::BrI32GeS { target }
            | Op::BrI32GeSSC { target, .. }
            | Op::BrI32GeSSL { target, .. }
            | Op::BrI32GeSLL { target, .. }
            | Op::BrI32GeSLC { target, .. } => Some(target),
            Op::BrI32GeU { target }
            | Op::BrI32GeUSC { target, .. }
            | Op::BrI32GeUSL { target, .. }
            | Op::BrI32GeULL { target, .. }
            | Op::BrI32GeULC { target, .. } => Some(target),
            _ => None,
        }
    }

    /// The conditional branch with the same operands and effects taken
    /// exactly when this one is not, for the conditional branches that
    /// have one (jump threading rotates loops with it).
    pub fn inverted(self) -> Option<Op> {
        Some(match self {
            Op::BrNez { target } => Op::BrIfEqz { target },
            Op::BrIfEqz { target } => Op::BrNez { target },
            Op::BrNezL { target, local } => Op::BrEqzL { target, local },
            Op::BrEqzL { target, local } => Op::BrNezL { target, local },
            Op::BrNezTee { target, local } => Op::BrEqzTee { target, local },
            Op::BrEqzTee { target, local } => Op::BrNezTee { target, local },
            Op::BrI32AndLCNez { target, a, c } => Op::BrI32AndLCEqz { target, a, c },
            Op::BrI32AndLCEqz { target, a, c } => Op::BrI32AndLCNez { target, a, c },
            Op::BrI32AndSCNez { target, c } => Op::BrI32AndSCEqz { target, c },
            Op::BrI32AndSCEqz { target, c } => Op::BrI32AndSCNez { target, c },
            Op::BrI32Eq { target } => Op::BrI32Ne { target },
            Op::BrI32EqSC { target, c } => Op::BrI32NeSC { target, c },
            Op::BrI32EqSL { target, b } => Op::BrI32NeSL { target, b },
            Op::BrI32EqLL { target, a, b } => Op::BrI32NeLL { target, a, b },
            Op::BrI32EqLC { target, a, c } => Op::BrI32NeLC { target, a, c },
            Op::BrI32EqIncSC { a, d, k, c, target } => Op::BrI32NeIncSC { a, d, k, c, target },
            Op::BrI32EqIncSL { a, d, k, b, target } => Op::BrI32NeIncSL { a, d, k, b, target },
            Op::BrI32EqAddLLSL { a, b, d, n, target } => Op::BrI32NeAddLLSL { a, b, d, n, target },
            Op::BrI32Ne { target } => Op::BrI32Eq { target },
            Op::BrI32NeSC { target, c } => Op::BrI32EqSC { target, c },
            Op::BrI32NeSL { target, b } => Op::BrI32EqSL { target, b },
            Op::BrI32NeLL { target, a, b } => Op::BrI32EqLL { target, a, b },
            Op::BrI32NeLC { target, a, c } => Op::BrI32EqLC { target, a, c },
            Op::BrI32NeIncSC { a, d, k, c, target } => Op::BrI32EqIncSC { a, d, k, c, target },
            Op::BrI32NeIncSL { a, d, k, b, target } => Op::BrI32EqIncSL { a, d, k, b, target },
            Op::BrI32NeAddLLSL { a, b, d, n, target } => Op::BrI32EqAddLLSL { a, b, d, n, target },
            Op::BrI32LtS { target } => Op::BrI32GeS { target },
            Op::BrI32LtSSC { target, c } => Op::BrI32GeSSC { target, c },
            Op::BrI32LtSSL { target, b } => Op::BrI32GeSSL { target, b },
            Op::BrI32LtSLL { target, a, b } => Op::BrI32GeSLL { target, a, b },
            Op::BrI32LtSLC { target, a, c } => Op::BrI32GeSLC { target, a, c },
            Op::BrI32LtSIncSC { a, d, k, c, target } => Op::BrI32GeSIncSC { a, d, k, c, target },
            Op::BrI32LtSIncSL { a, d, k, b, target } => Op::BrI32GeSIncSL { a, d, k, b, target },
            Op::BrI32LtSAddLLSL { a, b, d, n, target } => {
                Op::BrI32GeSAddLLSL { a, b, d, n, target }
            }
            Op::BrI32LtU { target } => Op::BrI32GeU { target },
            Op::BrI32LtUSC { target, c } => Op::BrI32GeUSC { target, c },
            Op::BrI32LtUSL { target, b } => Op::BrI32GeUSL { target, b },
            Op::BrI32LtULL { target, a, b } => Op::BrI32GeULL { target, a, b },
            Op::BrI32LtULC { target, a, c } => Op::BrI32GeULC { target, a, c },
            Op::BrI32LtUIncSC { a, d, k, c, target } => Op::BrI32GeUIncSC { a, d, k, c, target },
            Op::BrI32LtUIncSL { a, d, k, b, target } => Op::BrI32GeUIncSL { a, d, k, b, target },
            Op::BrI32LtUAddLLSL { a, b, d, n, target } => {
                Op::BrI32GeUAddLLSL { a, b, d, n, target }
            }
            Op::BrI32GtS { target } => Op::BrI32LeS { target },
            Op::BrI32GtSSC { target, c } => Op::BrI32LeSSC { target, c },
            Op::BrI32GtSSL { target, b } => Op::BrI32LeSSL { target, b },
            Op::BrI32GtSLL { target, a, b } => Op::BrI32LeSLL { target, a, b },
            Op::BrI32GtSLC { target, a, c } => Op::BrI32LeSLC { target, a, c },
            Op::BrI32GtSIncSC { a, d, k, c, target } => Op::BrI32LeSIncSC { a, d, k, c, target },
            Op::BrI32GtSIncSL { a, d, k, b, target } => Op::BrI32LeSIncSL { a, d, k, b, target },
            Op::BrI32GtSAddLLSL { a, b, d, n, target } => {
                Op::BrI32LeSAddLLSL { a, b, d, n, target }
            }
            Op::BrI32GtU { target } => Op::BrI32LeU { target },
            Op::BrI32GtUSC { target, c } => Op::BrI32LeUSC { target, c },
            Op::BrI32GtUSL { target, b } => Op::BrI32LeUSL { target, b },
            Op::BrI32GtULL { target, a, b } => Op::BrI32LeULL { target, a, b },
            Op::BrI32GtULC { target, a, c } => Op::BrI32LeULC { target, a, c },
            Op::BrI32GtUIncSC { a, d, k, c, target } => Op::BrI32LeUIncSC { a, d, k, c, target },
            Op::BrI32GtUIncSL { a, d, k, b, target } => Op::BrI32LeUIncSL { a, d, k, b, target },
            Op::BrI32GtUAddLLSL { a, b, d, n, target } => {
                Op::BrI32LeUAddLLSL { a, b, d, n, target }
            }
            Op::BrI32LeS { target } => Op::BrI32GtS { target },
            Op::BrI32LeSSC { target, c } => Op::BrI32GtSSC { target, c },
            Op::BrI32LeSSL { target, b } => Op::BrI32GtSSL { target, b },
            Op::BrI32LeSLL { target, a, b } => Op::BrI32GtSLL { target, a, b },
            Op::BrI32LeSLC { target, a, c } => Op::BrI32GtSLC { target, a, c },
            Op::BrI32LeSIncSC { a, d, k, c, target } => Op::BrI32GtSIncSC { a, d, k, c, target },
            Op::BrI32LeSIncSL { a, d, k, b, target } => Op::BrI32GtSIncSL { a, d, k, b, target },
            Op::BrI32LeSAddLLSL { a, b, d, n, target } => {
                Op::BrI32GtSAddLLSL { a, b, d, n, target }
            }
            Op::BrI32LeU { target } => Op::BrI32GtU { target },
            Op::BrI32LeUSC { target, c } => Op::BrI32GtUSC { target, c },
            Op::BrI32LeUSL { target, b } => Op::BrI32GtUSL { target, b },
            Op::BrI32LeULL { target, a, b } => Op::BrI32GtULL { target, a, b },
            Op::BrI32LeULC { target, a, c } => Op::BrI32GtULC { target, a, c },
            Op::BrI32LeUIncSC { a, d, k, c, target } => Op::BrI32GtUIncSC { a, d, k, c, target },
            Op::BrI32LeUIncSL { a, d, k, b, target } => Op::BrI32GtUIncSL { a, d, k, b, target },
            Op::BrI32LeUAddLLSL { a, b, d, n, target } => {
                Op::BrI32GtUAddLLSL { a, b, d, n, target }
            }
            Op::BrI32GeS { target } => Op::BrI32LtS { target },
            Op::BrI32GeSSC { target, c } => Op::BrI32LtSSC { target, c },
            Op::BrI32GeSSL { target, b } => Op::BrI32LtSSL { target, b },
            Op::BrI32GeSLL { target, a, b } => Op::BrI32LtSLL { target, a, b },
            Op::BrI32GeSLC { target, a, c } => Op::BrI32LtSLC { target, a, c },
            Op::BrI32GeSIncSC { a, d, k, c, target } => Op::BrI32LtSIncSC { a, d, k, c, target },
            Op::BrI32GeSIncSL { a, d, k, b, target } => Op::BrI32LtSIncSL { a, d, k, b, target },
            Op::BrI32GeSAddLLSL { a, b, d, n, target } => {
                Op::BrI32LtSAddLLSL { a, b, d, n, target }
            }
            Op::BrI32GeU { target } => Op::BrI32LtU { target },
            Op::BrI32GeUSC { target, c } => Op::BrI32LtUSC { target, c },
            Op::BrI32GeUSL { target, b } => Op::BrI32LtUSL { target, b },
            Op::BrI32GeULL { target, a, b } => Op::BrI32LtULL { target, a, b },
            Op::BrI32GeULC { target, a, c } => Op::BrI32LtULC { target, a, c },
            Op::BrI32GeUIncSC { a, d, k, c, target } => Op::BrI32LtUIncSC { a, d, k, c, target },
            Op::BrI32GeUIncSL { a, d, k, b, target } => Op::BrI32LtUIncSL { a, d, k, b, target },
            Op::BrI32GeUAddLLSL { a, b, d, n, target } => {
                Op::BrI32LtUAddLLSL { a, b, d, n, target }
            }
            _ => return None,
        })
    }
}

/// A translated function body.
#[derive(Debug, Default)]
pub struct FuncCode {
    /// The instructions; the last one is always `Return`.
    pub ops: Box<[Op]>,
    /// Parameter count.
    pub params: u32,
    /// Declared locals (beyond the parameters).
    pub locals: u32,
    /// Result count.
    pub results: u32,
    /// The highest operand-stack height the body reaches (above its locals).
    pub max_height: u32,
}

impl FuncCode {
    /// Slots a frame of this function needs: parameters and locals, one slot
    /// the executor's cached stack top may be written to while the operand
    /// stack is empty, and the operands.
    pub fn frame_slots(&self) -> usize {
        self.params as usize + self.locals as usize + 1 + self.max_height as usize
    }
}
