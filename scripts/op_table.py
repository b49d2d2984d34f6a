"""The base ops of wisp's bytecode: one row per `Op` variant that a wasm
operator translates to (the fused superinstructions are built from families in
`gen-ops.py`). `gen-ops.py` reads this table; nothing else does.

Each row gives:
- the variant's name and its fields, in Rust syntax: `'(u32)'` for one unnamed
  field, `'{ a: u32, b: u32 }'` for named ones, nothing for none;
- `effect`: the slots the op pops and pushes, `(pops, pushes)`, when it is a
  plain stack op with no effect on control, calls or the store's tables and
  memories' sizes (the peephole may then move a `local.get` across it), or
  `None`;
- `writes`: the field naming the local the op writes (`0`: the unnamed field);
- `inverse`: for a conditional branch, the branch taken exactly when it is not;
- `doc`: the variant's doc comment, where its name does not say it all.

A field named `target` is a jump target: `Op::target_mut` exposes it for the
translator's fix-ups.

Adding a plain op: a row here, its body in `interp/src/exec/ops.rs` (in the
same position among the base ops), its `visit_*` method in
`interp/src/translate/visit.rs`; then `python3 scripts/gen-ops.py`. Forgetting
any of the three is a build error.
"""


def op(name, fields="", effect=None, writes=None, inverse=None, doc=None):
    return dict(name=name, fields=fields, effect=effect, writes=writes, inverse=inverse, doc=doc)


BASE = [
    # Control: branches carry their jump target in `target` (relative to the next op once translated); conditional ones may name their `inverse`.
    op('Unreachable', effect=None, doc='Trap with `unreachable`.'),
    op('Br', '{ target: u32, drop: u32, keep: u32 }', effect=None,
       doc='Jump to `target`, removing `drop` slots below the top `keep` slots.'),
    op('Jump', '{ target: u32 }', effect=None, doc='`Br` without a stack adjustment.'),
    op('BrIfNez', '{ target: u32, drop: u32, keep: u32 }', effect=None,
       doc='Pop an i32; if it is not zero, behave like `Br`.'),
    op('BrIfEqz', '{ target: u32 }', effect=None, inverse='BrNez',
       doc='Pop an i32; if it is zero, jump to `target` (no stack adjustment). Lowers `if`.'),
    op('BrTable', '{ len: u32 }', effect=None,
       doc=('Pop an index `i` and branch as entry `min(i, len)` of the `len + 1` ops that follow '
           '(the last is the default). The entries are `Br` or `Jump` ops, each a jump target of '
           'its own: the handler reads its entry and takes that branch, so the table costs no '
           'load beyond the entry.')),
    op('BrTableJump', '{ len: u32 }', effect=None, doc='`BrTable` whose entries are all `Jump`s.'),
    op('BrTableJumpAt', '{ target: u32, len: u32 }', effect=None,
       doc=('`BrTableJump` through the entries of another `BrTableJump`, which start at `target`: '
           'jump threading\'s copy of a large table\'s dispatch (`translate::passes`).')),
    op('Return', effect=None,
       doc='Return from the current function: its results are the top slots.'),
    op('Return0', effect=None,
       doc=('`Return` from a function without results: nothing moves (a handler without the '
           'copy of the general case).')),
    op('Return1', effect=None,
       doc=('`Return` from a function with exactly one result (the usual case, with a handler of '
           'its own).')),
    op('Return1L', '(u32)', effect=None,
       doc=('`local.get` then `Return1`: return local `0` as the one result (a C function\'s '
           '`return x;`, hot in 3 of 6 tuned corpus programs).')),
    op('Call', '(u32)', effect=None,
       doc='Call a function defined in this module (index into its code).'),
    op('CallL', '{ c: u32, local: u32 }', effect=None,
       doc=('`local.get` then `Call(c)`: the call\'s last argument from a local (hot before calls in '
           'the tuned corpus programs, as is `CallC`).')),
    op('CallC', '{ c: u32, v: i32 }', effect=None, doc='`i32.const v` then `Call(c)`.'),
    op('CallImport', '(u32)', effect=None,
       doc="Call an imported function (index into the module's function space)."),
    op('CallIndirect', '{ ty: u32, table: u32 }', effect=None,
       doc='Pop a table index and call through table `table`, checking type `ty`.'),
    op('Fuel', '{ amount: u32 }', effect=None,
       doc=("Metered code only, at the start of each segment (the function's entry, each loop "
           'header, each `if` arm; jump threading copies it ahead of a rotated loop test): pay '
           "`amount` fuel for the segment's instructions. When the store cannot pay, or an "
           'interruption is pending, the run stops here with nothing changed, so resuming runs '
           'this op again.')),
    op('FuelBulk', '{ shift: u32 }', effect=None,
       doc=('Metered code only, just before a bulk memory or table op: pay `n >> shift` fuel for '
           "the op's count `n` (the stack top); when the store cannot pay, the run stops here "
           'with the operands in place.')),

    # Parametric and variable ops.
    op('Drop', effect=(1, 0)),
    op('Select', effect=(3, 1)),
    op('LocalGet', '(u32)', effect=(0, 1)),
    op('LocalSet', '(u32)', effect=(1, 0), writes=0),
    op('LocalTee', '(u32)', effect=(1, 1), writes=0),
    op('GlobalGet', '(u32)', effect=(0, 1)),
    op('GlobalSet', '(u32)', effect=(1, 0)),
    op('GlobalGetOwn', '(u32)', effect=(0, 1),
       doc=('`GlobalGet` of a global the module defines, named by its index among the defined '
           'ones: those sit together in the store from `Cx::gbase` on, so the op skips the '
           "instance's global map (imported globals keep `GlobalGet`).")),
    op('GlobalSetOwn', '(u32)', effect=(1, 0), doc='`GlobalSet` of a defined global (`GlobalGetOwn`).'),
    op('GlobalSubTee', '{ g: u32, c: i32, local: u32 }', effect=(0, 0), writes='local',
       doc=('`global.get g; i32.const c; i32.sub; local.tee local; global.set g` with `g` a defined '
           "global: a compiled function's prologue taking `c` bytes of its shadow stack (clang's "
           "and rustc's `__stack_pointer`).")),
    op('GlobalSetAddLC', '{ g: u32, a: u32, c: i32 }', effect=(0, 0),
       doc=('`local.get a; i32.const c; i32.add; global.set g` with `g` a defined global: the '
           'epilogue giving the shadow stack back (`GlobalSubTee`).')),

    # Tables and element segments.
    op('TableGet', '(u32)', effect=None),
    op('TableSet', '(u32)', effect=None),
    op('TableSize', '(u32)', effect=None),
    op('TableGrow', '(u32)', effect=None),
    op('TableFill', '(u32)', effect=None),
    op('TableCopy', '{ dst: u32, src: u32 }', effect=None),
    op('TableInit', '{ table: u32, elem: u32 }', effect=None),
    op('ElemDrop', '(u32)', effect=None),

    # Loads and stores: the field is the memarg's static offset.
    op('I32Load', '(u32)', effect=(1, 1)),
    op('I64Load', '(u32)', effect=(1, 1)),
    op('F32Load', '(u32)', effect=(1, 1)),
    op('F64Load', '(u32)', effect=(1, 1)),
    op('I32Load8S', '(u32)', effect=(1, 1)),
    op('I32Load8U', '(u32)', effect=(1, 1)),
    op('I32Load16S', '(u32)', effect=(1, 1)),
    op('I32Load16U', '(u32)', effect=(1, 1)),
    op('I64Load8S', '(u32)', effect=(1, 1)),
    op('I64Load8U', '(u32)', effect=(1, 1)),
    op('I64Load16S', '(u32)', effect=(1, 1)),
    op('I64Load16U', '(u32)', effect=(1, 1)),
    op('I64Load32S', '(u32)', effect=(1, 1)),
    op('I64Load32U', '(u32)', effect=(1, 1)),
    op('I32Store', '(u32)', effect=(2, 0)),
    op('I64Store', '(u32)', effect=(2, 0)),
    op('F32Store', '(u32)', effect=(2, 0)),
    op('F64Store', '(u32)', effect=(2, 0)),
    op('I32Store8', '(u32)', effect=(2, 0)),
    op('I32Store16', '(u32)', effect=(2, 0)),
    op('I64Store8', '(u32)', effect=(2, 0)),
    op('I64Store16', '(u32)', effect=(2, 0)),
    op('I64Store32', '(u32)', effect=(2, 0)),

    # Memory 0 and data segments.
    op('MemorySize', effect=(0, 1)),
    op('MemoryGrow', effect=None),
    op('MemoryInit', '(u32)', effect=None),
    op('DataDrop', '(u32)', effect=None),
    op('MemoryCopy', effect=None),
    op('MemoryFill', effect=None),

    # Constants and references.
    op('I32Const', '(i32)', effect=(0, 1)),
    op('I64Const', '(i64)', effect=(0, 1)),
    op('F32Const', '(u32)', effect=(0, 1),
       doc='An f32 constant, as its bit pattern (NaN payloads survive).'),
    op('F64Const', '(u64)', effect=(0, 1),
       doc='An f64 constant, as its bit pattern (NaN payloads survive).'),
    op('RefNull', effect=(0, 1)),
    op('RefIsNull', effect=(1, 1)),
    op('RefFunc', '(u32)', effect=(0, 1)),

    # Numeric ops (the wasm instruction of the same name).
    op('I32Eqz', effect=(1, 1)),
    op('I32Eq', effect=(2, 1)),
    op('I32Ne', effect=(2, 1)),
    op('I32LtS', effect=(2, 1)),
    op('I32LtU', effect=(2, 1)),
    op('I32GtS', effect=(2, 1)),
    op('I32GtU', effect=(2, 1)),
    op('I32LeS', effect=(2, 1)),
    op('I32LeU', effect=(2, 1)),
    op('I32GeS', effect=(2, 1)),
    op('I32GeU', effect=(2, 1)),
    op('I64Eqz', effect=(1, 1)),
    op('I64Eq', effect=(2, 1)),
    op('I64Ne', effect=(2, 1)),
    op('I64LtS', effect=(2, 1)),
    op('I64LtU', effect=(2, 1)),
    op('I64GtS', effect=(2, 1)),
    op('I64GtU', effect=(2, 1)),
    op('I64LeS', effect=(2, 1)),
    op('I64LeU', effect=(2, 1)),
    op('I64GeS', effect=(2, 1)),
    op('I64GeU', effect=(2, 1)),
    op('F32Eq', effect=(2, 1)),
    op('F32Ne', effect=(2, 1)),
    op('F32Lt', effect=(2, 1)),
    op('F32Gt', effect=(2, 1)),
    op('F32Le', effect=(2, 1)),
    op('F32Ge', effect=(2, 1)),
    op('F64Eq', effect=(2, 1)),
    op('F64Ne', effect=(2, 1)),
    op('F64Lt', effect=(2, 1)),
    op('F64Gt', effect=(2, 1)),
    op('F64Le', effect=(2, 1)),
    op('F64Ge', effect=(2, 1)),
    op('I32Clz', effect=(1, 1)),
    op('I32Ctz', effect=(1, 1)),
    op('I32Popcnt', effect=(1, 1)),
    op('I32Add', effect=(2, 1)),
    op('I32Sub', effect=(2, 1)),
    op('I32Mul', effect=(2, 1)),
    op('I32DivS', effect=(2, 1)),
    op('I32DivU', effect=(2, 1)),
    op('I32RemS', effect=(2, 1)),
    op('I32RemU', effect=(2, 1)),
    op('I32And', effect=(2, 1)),
    op('I32Or', effect=(2, 1)),
    op('I32Xor', effect=(2, 1)),
    op('I32Shl', effect=(2, 1)),
    op('I32ShrS', effect=(2, 1)),
    op('I32ShrU', effect=(2, 1)),
    op('I32Rotl', effect=(2, 1)),
    op('I32Rotr', effect=(2, 1)),
    op('I64Clz', effect=(1, 1)),
    op('I64Ctz', effect=(1, 1)),
    op('I64Popcnt', effect=(1, 1)),
    op('I64Add', effect=(2, 1)),
    op('I64Sub', effect=(2, 1)),
    op('I64Mul', effect=(2, 1)),
    op('I64DivS', effect=(2, 1)),
    op('I64DivU', effect=(2, 1)),
    op('I64RemS', effect=(2, 1)),
    op('I64RemU', effect=(2, 1)),
    op('I64And', effect=(2, 1)),
    op('I64Or', effect=(2, 1)),
    op('I64Xor', effect=(2, 1)),
    op('I64Shl', effect=(2, 1)),
    op('I64ShrS', effect=(2, 1)),
    op('I64ShrU', effect=(2, 1)),
    op('I64Rotl', effect=(2, 1)),
    op('I64Rotr', effect=(2, 1)),
    op('F32Abs', effect=(1, 1)),
    op('F32Neg', effect=(1, 1)),
    op('F32Ceil', effect=(1, 1)),
    op('F32Floor', effect=(1, 1)),
    op('F32Trunc', effect=(1, 1)),
    op('F32Nearest', effect=(1, 1)),
    op('F32Sqrt', effect=(1, 1)),
    op('F32Add', effect=(2, 1)),
    op('F32Sub', effect=(2, 1)),
    op('F32Mul', effect=(2, 1)),
    op('F32Div', effect=(2, 1)),
    op('F32Min', effect=(2, 1)),
    op('F32Max', effect=(2, 1)),
    op('F32Copysign', effect=(2, 1)),
    op('F64Abs', effect=(1, 1)),
    op('F64Neg', effect=(1, 1)),
    op('F64Ceil', effect=(1, 1)),
    op('F64Floor', effect=(1, 1)),
    op('F64Trunc', effect=(1, 1)),
    op('F64Nearest', effect=(1, 1)),
    op('F64Sqrt', effect=(1, 1)),
    op('F64Add', effect=(2, 1)),
    op('F64Sub', effect=(2, 1)),
    op('F64Mul', effect=(2, 1)),
    op('F64Div', effect=(2, 1)),
    op('F64Min', effect=(2, 1)),
    op('F64Max', effect=(2, 1)),
    op('F64Copysign', effect=(2, 1)),
    op('I32TruncF32S', effect=(1, 1)),
    op('I32TruncF32U', effect=(1, 1)),
    op('I32TruncF64S', effect=(1, 1)),
    op('I32TruncF64U', effect=(1, 1)),
    op('I64ExtendI32S', effect=(1, 1)),
    op('I64ExtendI32U', effect=(1, 1)),
    op('I64TruncF32S', effect=(1, 1)),
    op('I64TruncF32U', effect=(1, 1)),
    op('I64TruncF64S', effect=(1, 1)),
    op('I64TruncF64U', effect=(1, 1)),
    op('F32ConvertI32S', effect=(1, 1)),
    op('F32ConvertI32U', effect=(1, 1)),
    op('F32ConvertI64S', effect=(1, 1)),
    op('F32ConvertI64U', effect=(1, 1)),
    op('F32DemoteF64', effect=(1, 1)),
    op('F64ConvertI32S', effect=(1, 1)),
    op('F64ConvertI32U', effect=(1, 1)),
    op('F64ConvertI64S', effect=(1, 1)),
    op('F64ConvertI64U', effect=(1, 1)),
    op('F64PromoteF32', effect=(1, 1)),
    op('I32Extend8S', effect=(1, 1)),
    op('I32Extend16S', effect=(1, 1)),
    op('I64Extend8S', effect=(1, 1)),
    op('I64Extend16S', effect=(1, 1)),
    op('I64Extend32S', effect=(1, 1)),
    op('I32TruncSatF32S', effect=(1, 1)),
    op('I32TruncSatF32U', effect=(1, 1)),
    op('I32TruncSatF64S', effect=(1, 1)),
    op('I32TruncSatF64U', effect=(1, 1)),
    op('I64TruncSatF32S', effect=(1, 1)),
    op('I64TruncSatF32U', effect=(1, 1)),
    op('I64TruncSatF64S', effect=(1, 1)),
    op('I64TruncSatF64U', effect=(1, 1)),
]
