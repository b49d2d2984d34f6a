use super::*;

#[test]
fn an_op_and_a_cell_are_16_bytes() {
    // Threaded cells keep an op's bytes after its `#[repr(u32)]` tag, so
    // every variant's fields must fit in 12 bytes (`scripts/gen-ops.py` lays
    // them out and checks it).
    assert_eq!(core::mem::size_of::<Op>(), 16);
    assert!(core::mem::align_of::<Op>() <= 8);
    assert_eq!(core::mem::size_of::<Cell>(), 16);
    let align = if cfg!(wisp_threaded) {
        16
    } else {
        core::mem::align_of::<Op>()
    };
    assert_eq!(core::mem::align_of::<Cell>(), align);
}

#[test]
fn frame_slots_adds_params_locals_a_spill_slot_and_operands() {
    let code = FuncCode {
        params: 2,
        locals: 3,
        room: 3 + 1 + 4,
        ..FuncCode::default()
    };
    assert_eq!(code.frame_slots(), 10);
    assert_eq!(code.max_height(), 4);
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
