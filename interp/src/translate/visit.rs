//! The operator visitor: what each wasm operator becomes.
//!
//! This is wasmparser's `VisitOperator` trait, whose methods have no defaults:
//! every operator wasmparser defines is named here, either implemented or
//! refused with the proposal it belongs to (`refused!`, for the proposals
//! `module::features` leaves off, so the validator has already rejected
//! them). A new wasmparser operator in an enabled proposal, a new proposal,
//! or a proposal moved from refused to enabled is a build error here until
//! it is handled.

use super::Translator;
use super::fuel::{MEMORY_SHIFT, TABLE_SHIFT};
use crate::bytecode::Op;
use crate::error::Error;
use wasmparser as wp;

type Output = Result<(), Error>;

/// Operators without immediates that become the op of the same name.
macro_rules! same {
    ($($visit:ident => $op:ident,)*) => {
        $(
            fn $visit(&mut self) -> Output {
                self.emit(Op::$op);
                Ok(())
            }
        )*
    };
}

/// Loads and stores: the op carries the memarg's static offset.
macro_rules! access {
    ($($visit:ident => $op:ident,)*) => {
        $(
            fn $visit(&mut self, memarg: wp::MemArg) -> Output {
                self.access(Op::$op, memarg)
            }
        )*
    };
}

/// Fed wasmparser's operator list (`for_each_visit_operator!`): a refusing
/// method for each operator of a proposal wisp does not enable, nothing for
/// the enabled ones (implemented by hand below). A proposal wasmparser adds
/// matches no rule: the build stops here until someone decides.
macro_rules! refused {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        $( refused!(one @$proposal $visit $($($arg: $argty),*)?); )*
    };
    (one @mvp $($rest:tt)*) => {};
    (one @sign_extension $($rest:tt)*) => {};
    (one @saturating_float_to_int $($rest:tt)*) => {};
    (one @bulk_memory $($rest:tt)*) => {};
    (one @reference_types $($rest:tt)*) => {};
    (one @exceptions $($rest:tt)*) => { refused!(refuse "exceptions" $($rest)*); };
    (one @legacy_exceptions $($rest:tt)*) => { refused!(refuse "legacy exceptions" $($rest)*); };
    (one @tail_call $($rest:tt)*) => { refused!(refuse "tail calls" $($rest)*); };
    (one @function_references $($rest:tt)*) => { refused!(refuse "typed function references" $($rest)*); };
    (one @gc $($rest:tt)*) => { refused!(refuse "garbage collection" $($rest)*); };
    (one @custom_descriptors $($rest:tt)*) => { refused!(refuse "custom descriptors" $($rest)*); };
    (one @threads $($rest:tt)*) => { refused!(refuse "threads" $($rest)*); };
    (one @acquire_release_atomics $($rest:tt)*) => { refused!(refuse "acquire-release atomics" $($rest)*); };
    (one @shared_everything_threads $($rest:tt)*) => { refused!(refuse "shared-everything threads" $($rest)*); };
    (one @memory_control $($rest:tt)*) => { refused!(refuse "memory control" $($rest)*); };
    (one @stack_switching $($rest:tt)*) => { refused!(refuse "stack switching" $($rest)*); };
    (one @wide_arithmetic $($rest:tt)*) => { refused!(refuse "wide arithmetic" $($rest)*); };
    (refuse $proposal:literal $visit:ident $($arg:ident: $argty:ty),*) => {
        fn $visit(&mut self $(, $arg: $argty)*) -> Output {
            $( let _ = $arg; )*
            self.refuse(stringify!($visit), $proposal)
        }
    };
}

impl Translator<'_, '_> {
    fn access(&mut self, op: fn(u32) -> Op, memarg: wp::MemArg) -> Output {
        // Validation guarantees 32-bit offsets for 32-bit memories.
        let offset = u32::try_from(memarg.offset).map_err(|_| {
            Error::unsupported(format!("a 64-bit memory offset at {:#x}", self.offset))
        })?;
        self.emit(op(offset));
        Ok(())
    }

    /// An operator of a proposal wisp does not enable. The validator refuses
    /// them first; this is the translator's own word if it ever did not.
    fn refuse(&self, visit: &str, proposal: &str) -> Output {
        let name = visit.strip_prefix("visit_").unwrap_or(visit);
        Err(Error::unsupported(format!(
            "operator {name} at offset {:#x} (the {proposal} proposal, which wisp does not enable)",
            self.offset
        )))
    }

    /// Emits `op` after charging a bulk op's size in metered code.
    fn bulk(&mut self, shift: u32, op: Op) -> Output {
        self.charge_bulk(shift);
        self.emit(op);
        Ok(())
    }
}

impl<'a> wp::VisitOperator<'a> for Translator<'_, '_> {
    type Output = Output;

    wp::for_each_visit_operator!(refused);

    // Control.
    fn visit_unreachable(&mut self) -> Output {
        self.unreachable();
        Ok(())
    }
    fn visit_nop(&mut self) -> Output {
        Ok(())
    }
    fn visit_block(&mut self, _: wp::BlockType) -> Output {
        self.block();
        Ok(())
    }
    fn visit_loop(&mut self, _: wp::BlockType) -> Output {
        self.loop_();
        Ok(())
    }
    fn visit_if(&mut self, _: wp::BlockType) -> Output {
        self.if_();
        Ok(())
    }
    fn visit_else(&mut self) -> Output {
        self.else_();
        Ok(())
    }
    fn visit_end(&mut self) -> Output {
        self.end()
    }
    fn visit_br(&mut self, _: u32) -> Output {
        self.br()
    }
    fn visit_br_if(&mut self, _: u32) -> Output {
        self.br_if()
    }
    fn visit_br_table(&mut self, _: wp::BrTable<'a>) -> Output {
        self.br_table()
    }
    fn visit_return(&mut self) -> Output {
        self.return_();
        Ok(())
    }
    fn visit_call(&mut self, function_index: u32) -> Output {
        let imported = self.env.num_imported_funcs;
        self.emit(if function_index < imported {
            Op::CallImport(function_index)
        } else {
            Op::Call(function_index - imported)
        });
        Ok(())
    }
    fn visit_call_indirect(&mut self, type_index: u32, table_index: u32) -> Output {
        self.emit(Op::CallIndirect {
            ty: type_index,
            table: table_index,
        });
        Ok(())
    }

    // Parametric and variable operators.
    fn visit_typed_select(&mut self, _: wp::ValType) -> Output {
        self.emit(Op::Select);
        Ok(())
    }
    fn visit_typed_select_multi(&mut self, tys: Vec<wp::ValType>) -> Output {
        // Valid only with one type, which wasmparser reads as `TypedSelect`.
        Err(Error::unsupported(format!(
            "select with {} result types at offset {:#x}",
            tys.len(),
            self.offset
        )))
    }
    fn visit_local_get(&mut self, local_index: u32) -> Output {
        self.emit(Op::LocalGet(local_index));
        Ok(())
    }
    fn visit_local_set(&mut self, local_index: u32) -> Output {
        self.emit(Op::LocalSet(local_index));
        Ok(())
    }
    fn visit_local_tee(&mut self, local_index: u32) -> Output {
        self.emit(Op::LocalTee(local_index));
        Ok(())
    }
    fn visit_global_get(&mut self, global_index: u32) -> Output {
        self.emit(
            match global_index.checked_sub(self.env.num_imported_globals) {
                Some(own) => Op::GlobalGetOwn(own),
                None => Op::GlobalGet(global_index),
            },
        );
        Ok(())
    }
    fn visit_global_set(&mut self, global_index: u32) -> Output {
        self.emit(
            match global_index.checked_sub(self.env.num_imported_globals) {
                Some(own) => Op::GlobalSetOwn(own),
                None => Op::GlobalSet(global_index),
            },
        );
        Ok(())
    }

    // Tables and element segments.
    fn visit_table_get(&mut self, table: u32) -> Output {
        self.emit(Op::TableGet(table));
        Ok(())
    }
    fn visit_table_set(&mut self, table: u32) -> Output {
        self.emit(Op::TableSet(table));
        Ok(())
    }
    fn visit_table_size(&mut self, table: u32) -> Output {
        self.emit(Op::TableSize(table));
        Ok(())
    }
    fn visit_table_grow(&mut self, table: u32) -> Output {
        self.emit(Op::TableGrow(table));
        Ok(())
    }
    fn visit_table_fill(&mut self, table: u32) -> Output {
        self.bulk(TABLE_SHIFT, Op::TableFill(table))
    }
    fn visit_table_copy(&mut self, dst_table: u32, src_table: u32) -> Output {
        let op = Op::TableCopy {
            dst: dst_table,
            src: src_table,
        };
        self.bulk(TABLE_SHIFT, op)
    }
    fn visit_table_init(&mut self, elem_index: u32, table: u32) -> Output {
        let op = Op::TableInit {
            table,
            elem: elem_index,
        };
        self.bulk(TABLE_SHIFT, op)
    }
    fn visit_elem_drop(&mut self, elem_index: u32) -> Output {
        self.emit(Op::ElemDrop(elem_index));
        Ok(())
    }

    // Memory and data segments (memory 0 only: multi-memory is off).
    access! {
        visit_i32_load => I32Load,
        visit_i64_load => I64Load,
        visit_f32_load => F32Load,
        visit_f64_load => F64Load,
        visit_i32_load8_s => I32Load8S,
        visit_i32_load8_u => I32Load8U,
        visit_i32_load16_s => I32Load16S,
        visit_i32_load16_u => I32Load16U,
        visit_i64_load8_s => I64Load8S,
        visit_i64_load8_u => I64Load8U,
        visit_i64_load16_s => I64Load16S,
        visit_i64_load16_u => I64Load16U,
        visit_i64_load32_s => I64Load32S,
        visit_i64_load32_u => I64Load32U,
        visit_i32_store => I32Store,
        visit_i64_store => I64Store,
        visit_f32_store => F32Store,
        visit_f64_store => F64Store,
        visit_i32_store8 => I32Store8,
        visit_i32_store16 => I32Store16,
        visit_i64_store8 => I64Store8,
        visit_i64_store16 => I64Store16,
        visit_i64_store32 => I64Store32,
    }
    fn visit_memory_size(&mut self, _: u32) -> Output {
        self.emit(Op::MemorySize);
        Ok(())
    }
    fn visit_memory_grow(&mut self, _: u32) -> Output {
        self.emit(Op::MemoryGrow);
        Ok(())
    }
    fn visit_memory_init(&mut self, data_index: u32, _: u32) -> Output {
        self.bulk(MEMORY_SHIFT, Op::MemoryInit(data_index))
    }
    fn visit_data_drop(&mut self, data_index: u32) -> Output {
        self.emit(Op::DataDrop(data_index));
        Ok(())
    }
    fn visit_memory_copy(&mut self, _: u32, _: u32) -> Output {
        self.bulk(MEMORY_SHIFT, Op::MemoryCopy)
    }
    fn visit_memory_fill(&mut self, _: u32) -> Output {
        self.bulk(MEMORY_SHIFT, Op::MemoryFill)
    }

    // Constants and references.
    fn visit_i32_const(&mut self, value: i32) -> Output {
        self.emit(Op::I32Const(value));
        Ok(())
    }
    fn visit_i64_const(&mut self, value: i64) -> Output {
        self.emit(Op::I64Const(value));
        Ok(())
    }
    fn visit_f32_const(&mut self, value: wp::Ieee32) -> Output {
        self.emit(Op::F32Const(value.bits()));
        Ok(())
    }
    fn visit_f64_const(&mut self, value: wp::Ieee64) -> Output {
        self.emit(Op::F64Const(value.bits()));
        Ok(())
    }
    fn visit_ref_null(&mut self, _: wp::HeapType) -> Output {
        self.emit(Op::RefNull);
        Ok(())
    }
    fn visit_ref_func(&mut self, function_index: u32) -> Output {
        self.emit(Op::RefFunc(function_index));
        Ok(())
    }

    // Slots are untyped bit patterns: reinterpreting changes nothing. And
    // every reader of an i32 (or f32) slot takes its low 32 bits only, so an
    // i32 may keep whatever its upper half held: wrapping is free too.
    fn visit_i32_wrap_i64(&mut self) -> Output {
        Ok(())
    }
    fn visit_i32_reinterpret_f32(&mut self) -> Output {
        Ok(())
    }
    fn visit_i64_reinterpret_f64(&mut self) -> Output {
        Ok(())
    }
    fn visit_f32_reinterpret_i32(&mut self) -> Output {
        Ok(())
    }
    fn visit_f64_reinterpret_i64(&mut self) -> Output {
        Ok(())
    }

    // Everything else: the op of the same name.
    same! {
        visit_drop => Drop,
        visit_select => Select,
        visit_i32_eqz => I32Eqz,
        visit_i32_eq => I32Eq,
        visit_i32_ne => I32Ne,
        visit_i32_lt_s => I32LtS,
        visit_i32_lt_u => I32LtU,
        visit_i32_gt_s => I32GtS,
        visit_i32_gt_u => I32GtU,
        visit_i32_le_s => I32LeS,
        visit_i32_le_u => I32LeU,
        visit_i32_ge_s => I32GeS,
        visit_i32_ge_u => I32GeU,
        visit_i64_eqz => I64Eqz,
        visit_i64_eq => I64Eq,
        visit_i64_ne => I64Ne,
        visit_i64_lt_s => I64LtS,
        visit_i64_lt_u => I64LtU,
        visit_i64_gt_s => I64GtS,
        visit_i64_gt_u => I64GtU,
        visit_i64_le_s => I64LeS,
        visit_i64_le_u => I64LeU,
        visit_i64_ge_s => I64GeS,
        visit_i64_ge_u => I64GeU,
        visit_f32_eq => F32Eq,
        visit_f32_ne => F32Ne,
        visit_f32_lt => F32Lt,
        visit_f32_gt => F32Gt,
        visit_f32_le => F32Le,
        visit_f32_ge => F32Ge,
        visit_f64_eq => F64Eq,
        visit_f64_ne => F64Ne,
        visit_f64_lt => F64Lt,
        visit_f64_gt => F64Gt,
        visit_f64_le => F64Le,
        visit_f64_ge => F64Ge,
        visit_i32_clz => I32Clz,
        visit_i32_ctz => I32Ctz,
        visit_i32_popcnt => I32Popcnt,
        visit_i32_add => I32Add,
        visit_i32_sub => I32Sub,
        visit_i32_mul => I32Mul,
        visit_i32_div_s => I32DivS,
        visit_i32_div_u => I32DivU,
        visit_i32_rem_s => I32RemS,
        visit_i32_rem_u => I32RemU,
        visit_i32_and => I32And,
        visit_i32_or => I32Or,
        visit_i32_xor => I32Xor,
        visit_i32_shl => I32Shl,
        visit_i32_shr_s => I32ShrS,
        visit_i32_shr_u => I32ShrU,
        visit_i32_rotl => I32Rotl,
        visit_i32_rotr => I32Rotr,
        visit_i64_clz => I64Clz,
        visit_i64_ctz => I64Ctz,
        visit_i64_popcnt => I64Popcnt,
        visit_i64_add => I64Add,
        visit_i64_sub => I64Sub,
        visit_i64_mul => I64Mul,
        visit_i64_div_s => I64DivS,
        visit_i64_div_u => I64DivU,
        visit_i64_rem_s => I64RemS,
        visit_i64_rem_u => I64RemU,
        visit_i64_and => I64And,
        visit_i64_or => I64Or,
        visit_i64_xor => I64Xor,
        visit_i64_shl => I64Shl,
        visit_i64_shr_s => I64ShrS,
        visit_i64_shr_u => I64ShrU,
        visit_i64_rotl => I64Rotl,
        visit_i64_rotr => I64Rotr,
        visit_f32_abs => F32Abs,
        visit_f32_neg => F32Neg,
        visit_f32_ceil => F32Ceil,
        visit_f32_floor => F32Floor,
        visit_f32_trunc => F32Trunc,
        visit_f32_nearest => F32Nearest,
        visit_f32_sqrt => F32Sqrt,
        visit_f32_add => F32Add,
        visit_f32_sub => F32Sub,
        visit_f32_mul => F32Mul,
        visit_f32_div => F32Div,
        visit_f32_min => F32Min,
        visit_f32_max => F32Max,
        visit_f32_copysign => F32Copysign,
        visit_f64_abs => F64Abs,
        visit_f64_neg => F64Neg,
        visit_f64_ceil => F64Ceil,
        visit_f64_floor => F64Floor,
        visit_f64_trunc => F64Trunc,
        visit_f64_nearest => F64Nearest,
        visit_f64_sqrt => F64Sqrt,
        visit_f64_add => F64Add,
        visit_f64_sub => F64Sub,
        visit_f64_mul => F64Mul,
        visit_f64_div => F64Div,
        visit_f64_min => F64Min,
        visit_f64_max => F64Max,
        visit_f64_copysign => F64Copysign,
        visit_i32_trunc_f32_s => I32TruncF32S,
        visit_i32_trunc_f32_u => I32TruncF32U,
        visit_i32_trunc_f64_s => I32TruncF64S,
        visit_i32_trunc_f64_u => I32TruncF64U,
        visit_i64_extend_i32_s => I64ExtendI32S,
        visit_i64_extend_i32_u => I64ExtendI32U,
        visit_i64_trunc_f32_s => I64TruncF32S,
        visit_i64_trunc_f32_u => I64TruncF32U,
        visit_i64_trunc_f64_s => I64TruncF64S,
        visit_i64_trunc_f64_u => I64TruncF64U,
        visit_f32_convert_i32_s => F32ConvertI32S,
        visit_f32_convert_i32_u => F32ConvertI32U,
        visit_f32_convert_i64_s => F32ConvertI64S,
        visit_f32_convert_i64_u => F32ConvertI64U,
        visit_f32_demote_f64 => F32DemoteF64,
        visit_f64_convert_i32_s => F64ConvertI32S,
        visit_f64_convert_i32_u => F64ConvertI32U,
        visit_f64_convert_i64_s => F64ConvertI64S,
        visit_f64_convert_i64_u => F64ConvertI64U,
        visit_f64_promote_f32 => F64PromoteF32,
        visit_i32_extend8_s => I32Extend8S,
        visit_i32_extend16_s => I32Extend16S,
        visit_i64_extend8_s => I64Extend8S,
        visit_i64_extend16_s => I64Extend16S,
        visit_i64_extend32_s => I64Extend32S,
        visit_i32_trunc_sat_f32_s => I32TruncSatF32S,
        visit_i32_trunc_sat_f32_u => I32TruncSatF32U,
        visit_i32_trunc_sat_f64_s => I32TruncSatF64S,
        visit_i32_trunc_sat_f64_u => I32TruncSatF64U,
        visit_i64_trunc_sat_f32_s => I64TruncSatF32S,
        visit_i64_trunc_sat_f32_u => I64TruncSatF32U,
        visit_i64_trunc_sat_f64_s => I64TruncSatF64S,
        visit_i64_trunc_sat_f64_u => I64TruncSatF64U,
        visit_ref_is_null => RefIsNull,
    }
}
