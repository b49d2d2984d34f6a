//! The memory ops that leave the hot path (`memory.size`, `memory.grow`,
//! `memory.init`, `data.drop`) and the view of the running instance's memory
//! that loads and stores use.

use super::flow::{Break, Flow};
use super::raw::MemView;
use super::{Cx, in_bounds};
use crate::error::TrapKind;
use crate::store::memory::MemoryEntity;

impl<'a> Cx<'a> {
    /// A view of the running instance's memory 0.
    /// Keeps `mem_len` equal to the view's length.
    #[inline(always)]
    pub(super) fn mem_view(&mut self) -> MemView {
        let view = match self.mem_id {
            Some(m) => MemView::new(self.memories[m as usize].data_mut()),
            None => MemView::empty(),
        };
        self.mem_len = view.len();
        self.mem_ptr = view.ptr();
        view
    }

    /// The running instance's memory 0. Validation admits memory ops only in
    /// modules with a memory; without one they act on an empty memory.
    fn memory(&mut self) -> Option<&mut MemoryEntity> {
        Some(&mut self.memories[self.mem_id? as usize])
    }

    #[inline(never)]
    pub(super) fn memory_size(&mut self) -> u64 {
        self.memory().map_or(0, |m| m.pages() as u64)
    }

    /// `memory.grow`: the old size, or -1 when refused (by the maximum or
    /// the store's limiter); a trap when the limiter fails.
    #[inline(never)]
    pub(super) fn memory_grow(&mut self, n: u32) -> Result<u64, Break> {
        let Some(m) = self.mem_id else {
            return Ok(u32::MAX as u64);
        };
        match crate::store::limits::grow_memory(&mut self.memories[m as usize], self.limiter, n) {
            Ok(old) => Ok(old.unwrap_or(u32::MAX) as u64),
            Err(e) => Err(self.fail(TrapKind::Host(Box::new(e)))),
        }
    }

    #[inline(never)]
    pub(super) fn memory_init(&mut self, seg: u32, d: u64, s: u64, n: u64) -> Flow {
        let datas = &*self.datas;
        let bytes = datas[self.inst.datas[seg as usize] as usize].bytes();
        let mem: &mut [u8] = match self.mem_id {
            Some(m) => self.memories[m as usize].data_mut(),
            None => &mut [],
        };
        if !in_bounds(s, n, bytes.len()) || !in_bounds(d, n, mem.len()) {
            return Err(self.fail(TrapKind::MemoryOutOfBounds));
        }
        let (s, d, n) = (s as usize, d as usize, n as usize);
        mem[d..d + n].copy_from_slice(&bytes[s..s + n]);
        Ok(())
    }

    #[inline(never)]
    pub(super) fn data_drop(&mut self, seg: u32) {
        self.datas[self.inst.datas[seg as usize] as usize].dropped = true;
    }
}
