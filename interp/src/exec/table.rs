//! The table ops: `table.get`, `table.set`, `table.size`, `table.grow`,
//! `table.fill`, `table.copy`, `table.init` and `elem.drop`.

use super::flow::{Break, Flow};
use super::{Cx, in_bounds};
use crate::error::TrapKind;

impl<'a> Cx<'a> {
    /// The running instance's table `t`.
    #[inline(always)]
    fn table(&mut self, t: u32) -> &mut crate::store::TableEntity {
        &mut self.tables[self.inst.tables[t as usize] as usize]
    }

    #[inline(never)]
    pub(super) fn table_get(&mut self, t: u32, i: u32) -> Result<u64, Break> {
        match self.table(t).elems.get(i as usize) {
            Some(&e) => Ok(e),
            None => Err(self.fail(TrapKind::TableOutOfBounds)),
        }
    }

    #[inline(never)]
    pub(super) fn table_set(&mut self, t: u32, i: u32, e: u64) -> Flow {
        match self.table(t).elems.get_mut(i as usize) {
            Some(slot) => {
                *slot = e;
                Ok(())
            }
            None => Err(self.fail(TrapKind::TableOutOfBounds)),
        }
    }

    #[inline(never)]
    pub(super) fn table_size(&mut self, t: u32) -> u64 {
        self.table(t).elems.len() as u64
    }

    /// `table.grow`: the old size, or -1 when refused; a trap when the
    /// store's limiter fails.
    #[inline(never)]
    pub(super) fn table_grow(&mut self, t: u32, n: u32, init: u64) -> Result<u64, Break> {
        let t = self.inst.tables[t as usize] as usize;
        match crate::store::limits::grow_table(&mut self.tables[t], self.limiter, n, init) {
            Ok(old) => Ok(old.unwrap_or(u32::MAX) as u64),
            Err(e) => Err(self.fail(TrapKind::Host(Box::new(e)))),
        }
    }

    #[inline(never)]
    pub(super) fn table_fill(&mut self, t: u32, i: u64, e: u64, n: u64) -> Flow {
        let t = self.table(t);
        if !in_bounds(i, n, t.elems.len()) {
            return Err(self.fail(TrapKind::TableOutOfBounds));
        }
        t.elems[i as usize..(i + n) as usize].fill(e);
        Ok(())
    }

    #[inline(never)]
    pub(super) fn table_copy(&mut self, dst: u32, src: u32, d: u64, s: u64, n: u64) -> Flow {
        let (dt, st) = (
            self.inst.tables[dst as usize] as usize,
            self.inst.tables[src as usize] as usize,
        );
        let tables = &mut *self.tables;
        if !in_bounds(s, n, tables[st].elems.len()) || !in_bounds(d, n, tables[dt].elems.len()) {
            return Err(self.fail(TrapKind::TableOutOfBounds));
        }
        let (s, d, n) = (s as usize, d as usize, n as usize);
        if dt == st {
            tables[dt].elems.copy_within(s..s + n, d);
        } else {
            let (lo, hi) = tables.split_at_mut(dt.max(st));
            let (a, b) = (&mut lo[dt.min(st)], &mut hi[0]);
            let (dtab, stab) = if dt < st { (a, b) } else { (b, a) };
            dtab.elems[d..d + n].copy_from_slice(&stab.elems[s..s + n]);
        }
        Ok(())
    }

    #[inline(never)]
    pub(super) fn table_init(&mut self, table: u32, elem: u32, d: u64, s: u64, n: u64) -> Flow {
        let seg = &self.elems[self.inst.elems[elem as usize] as usize];
        let t = &mut self.tables[self.inst.tables[table as usize] as usize];
        if !in_bounds(s, n, seg.len()) || !in_bounds(d, n, t.elems.len()) {
            return Err(self.fail(TrapKind::TableOutOfBounds));
        }
        let (s, d, n) = (s as usize, d as usize, n as usize);
        t.elems[d..d + n].copy_from_slice(&seg[s..s + n]);
        Ok(())
    }

    #[inline(never)]
    pub(super) fn elem_drop(&mut self, e: u32) {
        self.elems[self.inst.elems[e as usize] as usize] = Vec::new();
    }
}
