use super::*;

#[test]
fn op_is_at_most_16_bytes() {
    assert!(
        core::mem::size_of::<Op>() <= 16,
        "Op is {} bytes",
        core::mem::size_of::<Op>()
    );
}

#[test]
fn a_cell_is_the_op_after_its_handler_address() {
    let (size, align, op_at) = if cfg!(wisp_threaded) {
        (32, 32, 8)
    } else {
        (16, core::mem::align_of::<Op>(), 0)
    };
    assert_eq!(core::mem::size_of::<Cell>(), size);
    assert_eq!(core::mem::align_of::<Cell>(), align);
    assert_eq!(core::mem::offset_of!(Cell, op), op_at);
}

#[test]
fn frame_slots_adds_params_locals_a_spill_slot_and_operands() {
    let code = FuncCode {
        params: 2,
        locals: 3,
        max_height: 4,
        ..FuncCode::default()
    };
    assert_eq!(code.frame_slots(), 10);
}

#[test]
fn wide_immediates_are_read_back_by_index() {
    let v128 = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100_u128;
    let code = FuncCode {
        wide: vec![u128::MAX, v128].into(),
        ..FuncCode::default()
    };
    assert_eq!(code.wide(1), v128);
    assert_eq!(code.wide(0), u128::MAX);
}
