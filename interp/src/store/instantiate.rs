//! Instantiation: import checks, allocation, segment initialisation. The start
//! function is found here and run by the caller (`Linker::instantiate`), as
//! running code is the executor's, which sits above the store.

use super::{
    Config, DataEntity, FuncEntity, FuncKind, GlobalEntity, Instance, InstanceEntity, Store,
    TableEntity,
};
use crate::error::{Error, Trap, TrapKind};
use crate::module::{ConstExpr, ConstOp, DataMode, ElemMode, ImportKind, Module};
use crate::store::Extern;
use crate::types::TableType;

pub(crate) fn new_table(config: &Config, ty: TableType, init: u64) -> Result<TableEntity, Error> {
    let max = ty
        .limits
        .max
        .unwrap_or(u32::MAX)
        .min(config.max_table_elements);
    if ty.limits.min > max {
        return Err(Error::limit(format!(
            "table of {} elements exceeds the limit of {max}",
            ty.limits.min
        )));
    }
    let mut elems = Vec::new();
    elems
        .try_reserve_exact(ty.limits.min as usize)
        .map_err(|_| {
            Error::limit(format!(
                "cannot allocate a table of {} elements",
                ty.limits.min
            ))
        })?;
    elems.resize(ty.limits.min as usize, init);
    Ok(TableEntity { ty, elems, max })
}

/// Evaluates a constant expression with the instance's globals and functions so far.
fn eval(store: &super::StoreInner, globals: &[u32], funcs: &[u32], e: &ConstExpr) -> u64 {
    let mut value = 0;
    for op in e.0.iter() {
        value = match *op {
            ConstOp::I32(v) => v as u32 as u64,
            ConstOp::I64(v) => v as u64,
            ConstOp::F32(v) => v as u64,
            ConstOp::F64(v) => v,
            ConstOp::RefNull => 0,
            ConstOp::RefFunc(f) => funcs.get(f as usize).map_or(0, |&h| h as u64 + 1),
            ConstOp::GlobalGet(g) => globals
                .get(g as usize)
                .map_or(0, |&h| store.globals[h as usize].value),
        };
    }
    value
}

impl<T> Store<T> {
    /// Instantiates `module` with `imports` given in the module's import order;
    /// gives the instance and its start function, which the caller must run.
    pub(crate) fn instantiate_with(
        &mut self,
        module: &Module,
        imports: &[Extern],
    ) -> Result<(Instance, Option<crate::value::Func>), Error> {
        let m = &module.inner;
        if imports.len() != m.imports.len() {
            return Err(Error::ty(format!(
                "module has {} imports, {} given",
                m.imports.len(),
                imports.len()
            )));
        }
        self.inner.admit_instance()?;
        self.inner
            .admit_memories(m.memories.len() - m.num_imported_memories as usize)?;
        self.inner
            .admit_tables(m.tables.len() - m.num_imported_tables as usize)?;
        let inst_idx = self.inner.instances.len() as u32;
        let mut funcs = Vec::with_capacity(m.funcs.len());
        let mut tables = Vec::with_capacity(m.tables.len());
        let mut memories = Vec::with_capacity(m.memories.len());
        let mut globals = Vec::with_capacity(m.globals.len());
        let types: Vec<u32> = m.types.iter().map(|t| self.inner.types.intern(t)).collect();

        for (imp, ext) in m.imports.iter().zip(imports) {
            let fail = |why: String| Error::link(&imp.module, &imp.name, why);
            if ext.store_id() != self.inner.id {
                return Err(Error::foreign(format!(
                    "import `{}::{}` is a {ext:?} of {}, used to instantiate in {}",
                    imp.module,
                    imp.name,
                    ext.store_id(),
                    self.inner.id
                )));
            }
            match (&imp.kind, *ext) {
                (ImportKind::Func(t), Extern::Func(f)) => {
                    let e = self.func_entity(f)?;
                    if e.ty != types[*t as usize] {
                        return Err(fail(format!(
                            "expected {}, found {}",
                            m.types[*t as usize],
                            self.inner.types.get(e.ty)
                        )));
                    }
                    funcs.push(f.index);
                }
                (ImportKind::Table(want), Extern::Table(t)) => {
                    let have = self.inner.tables[t.try_idx(&self.inner)?].ty;
                    if have.element != want.element || !have.limits.fits(&want.limits) {
                        return Err(fail(format!("expected {want}, found {have}")));
                    }
                    tables.push(t.index);
                }
                (ImportKind::Memory(want), Extern::Memory(mem)) => {
                    let have = self.inner.memories[mem.try_idx(&self.inner)?].ty;
                    if !have.limits.fits(&want.limits) {
                        return Err(fail(format!("expected {want}, found {have}")));
                    }
                    memories.push(mem.index);
                }
                (ImportKind::Global(want), Extern::Global(g)) => {
                    let have = self.inner.globals[g.try_idx(&self.inner)?].ty;
                    if have != *want {
                        return Err(fail(format!("expected {want}, found {have}")));
                    }
                    globals.push(g.index);
                }
                (kind, ext) => {
                    let want = match kind {
                        ImportKind::Func(_) => "a function",
                        ImportKind::Table(_) => "a table",
                        ImportKind::Memory(_) => "a memory",
                        ImportKind::Global(_) => "a global",
                    };
                    return Err(fail(format!("expected {want}, found {ext:?}")));
                }
            }
        }

        for (code, &ty) in m.funcs[m.num_imported_funcs as usize..].iter().enumerate() {
            self.inner.funcs.push(FuncEntity {
                ty: types[ty as usize],
                kind: FuncKind::Wasm {
                    instance: inst_idx,
                    code: code as u32,
                },
            });
            funcs.push(self.inner.funcs.len() as u32 - 1);
        }
        for &ty in &m.memories[m.num_imported_memories as usize..] {
            let mem = self.inner.new_memory(ty)?;
            self.inner.memories.push(mem);
            memories.push(self.inner.memories.len() as u32 - 1);
        }
        let global_base = self.inner.globals.len() as u32;
        for (i, &ty) in m.globals[m.num_imported_globals as usize..]
            .iter()
            .enumerate()
        {
            let value = eval(&self.inner, &globals, &funcs, &m.global_inits[i]);
            self.inner.globals.push(GlobalEntity { ty, value });
            globals.push(self.inner.globals.len() as u32 - 1);
        }
        for (i, &ty) in m
            .tables
            .iter()
            .enumerate()
            .skip(m.num_imported_tables as usize)
        {
            let init = m.table_inits[i]
                .as_ref()
                .map_or(0, |e| eval(&self.inner, &globals, &funcs, e));
            let t = self.inner.new_table(ty, init)?;
            self.inner.tables.push(t);
            tables.push(self.inner.tables.len() as u32 - 1);
        }
        let mut elems = Vec::with_capacity(m.elems.len());
        for seg in &m.elems {
            let items: Vec<u64> = seg
                .items
                .iter()
                .map(|e| eval(&self.inner, &globals, &funcs, e))
                .collect();
            self.inner.elems.push(items);
            elems.push(self.inner.elems.len() as u32 - 1);
        }
        let mut datas = Vec::with_capacity(m.datas.len());
        for i in 0..m.datas.len() {
            self.inner.datas.push(DataEntity {
                module: m.clone(),
                index: i as u32,
                dropped: false,
            });
            datas.push(self.inner.datas.len() as u32 - 1);
        }

        // Segment offsets are evaluated now that every global exists.
        let offsets: Vec<Option<u64>> = m
            .elems
            .iter()
            .map(|s| match &s.mode {
                ElemMode::Active { offset, .. } => {
                    Some(eval(&self.inner, &globals, &funcs, offset))
                }
                _ => None,
            })
            .collect();
        let data_offsets: Vec<Option<u64>> = m
            .datas
            .iter()
            .map(|s| match &s.mode {
                DataMode::Active { offset } => Some(eval(&self.inner, &globals, &funcs, offset)),
                DataMode::Passive => None,
            })
            .collect();

        self.inner.instances.push(InstanceEntity {
            module: m.clone(),
            funcs,
            tables,
            memories,
            globals,
            global_base,
            types,
            elems,
            datas,
        });
        let instance = Instance::from_parts(self.inner.id, inst_idx);
        let inst = &self.inner.instances[inst_idx as usize];

        // Active element segments, in order: table.init then elem.drop.
        for (i, seg) in m.elems.iter().enumerate() {
            let seg_idx = inst.elems[i] as usize;
            match (&seg.mode, offsets[i]) {
                (ElemMode::Active { table, .. }, Some(offset)) => {
                    let table = &mut self.inner.tables[inst.tables[*table as usize] as usize];
                    let items = &self.inner.elems[seg_idx];
                    let start = offset as u32 as usize;
                    let dst = table
                        .elems
                        .get_mut(start..)
                        .and_then(|d| d.get_mut(..items.len()))
                        .ok_or_else(|| Trap::new(TrapKind::TableOutOfBounds))?;
                    dst.copy_from_slice(items);
                    self.inner.elems[seg_idx].clear();
                }
                (ElemMode::Declared, _) => self.inner.elems[seg_idx].clear(),
                _ => {}
            }
        }
        // Active data segments, in order: memory.init then data.drop.
        for (i, seg) in m.datas.iter().enumerate() {
            if let Some(offset) = data_offsets[i] {
                let mem = &mut self.inner.memories[inst.memories[0] as usize];
                let start = offset as u32 as usize;
                let dst = mem
                    .data_mut()
                    .get_mut(start..)
                    .and_then(|d| d.get_mut(..seg.bytes.len()))
                    .ok_or_else(|| Trap::new(TrapKind::MemoryOutOfBounds))?;
                dst.copy_from_slice(&seg.bytes);
                self.inner.datas[inst.datas[i] as usize].dropped = true;
            }
        }

        let start = m.start.map(|start| {
            crate::value::Func::from_parts(
                self.inner.id,
                self.inner.instances[inst_idx as usize].funcs[start as usize],
            )
        });
        Ok((instance, start))
    }
}
