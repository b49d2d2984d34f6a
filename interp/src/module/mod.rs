//! Walking wasmparser's payloads into a validated, translated, immutable `Module`.

mod file;
#[cfg(test)]
mod tests;

use crate::bytecode::FuncCode;
use crate::error::Error;
use crate::translate::{self, ModuleEnv};
use crate::types::{
    ExternType, FuncType, GlobalType, Limits, MemoryType, Mutability, TableType, ValType,
};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use wasmparser as wp;

/// A decoded, fully validated and translated WebAssembly module.
///
/// Cheap to clone (shared); instantiate it any number of times with a
/// [`Linker`](crate::Linker).
#[derive(Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

impl core::fmt::Debug for Module {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Module")
            .field("name", &self.inner.name)
            .field("functions", &self.inner.funcs.len())
            .finish_non_exhaustive()
    }
}

/// What an import asks for, by module-level index.
#[derive(Clone, Debug)]
pub(crate) enum ImportKind {
    Func(u32),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
}

#[derive(Clone, Debug)]
pub(crate) struct Import {
    pub module: String,
    pub name: String,
    pub kind: ImportKind,
}

/// The kind and index of an export.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum ExportIndex {
    Func(u32),
    Table(u32),
    Memory(u32),
    Global(u32),
}

/// One instruction of a constant expression.
#[derive(Copy, Clone, Debug)]
pub(crate) enum ConstOp {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    RefNull,
    RefFunc(u32),
    GlobalGet(u32),
}

/// A constant expression (global initialisers, segment offsets and items).
#[derive(Clone, Debug)]
pub(crate) struct ConstExpr(pub Box<[ConstOp]>);

#[derive(Clone, Debug)]
pub(crate) enum ElemMode {
    Passive,
    Declared,
    Active { table: u32, offset: ConstExpr },
}

#[derive(Clone, Debug)]
pub(crate) struct ElemSegment {
    pub mode: ElemMode,
    pub items: Box<[ConstExpr]>,
}

#[derive(Clone, Debug)]
pub(crate) enum DataMode {
    Passive,
    Active { offset: ConstExpr },
}

#[derive(Clone, Debug)]
pub(crate) struct DataSegment {
    pub mode: DataMode,
    pub bytes: Box<[u8]>,
}

/// Everything the store needs to instantiate a module.
#[derive(Default)]
pub(crate) struct ModuleInner {
    pub types: Vec<FuncType>,
    pub imports: Vec<Import>,
    /// Type index of every function, imported first.
    pub funcs: Vec<u32>,
    pub num_imported_funcs: u32,
    pub tables: Vec<TableType>,
    pub table_inits: Vec<Option<ConstExpr>>,
    pub num_imported_tables: u32,
    pub memories: Vec<MemoryType>,
    pub num_imported_memories: u32,
    pub globals: Vec<GlobalType>,
    pub global_inits: Vec<ConstExpr>,
    pub num_imported_globals: u32,
    pub exports: Vec<(String, ExportIndex)>,
    pub export_map: HashMap<String, usize>,
    pub start: Option<u32>,
    pub elems: Vec<ElemSegment>,
    pub datas: Vec<DataSegment>,
    /// The defined functions' bodies, in order.
    pub code: Vec<LazyCode>,
    /// Their bytecode, translated on first use: plain code for each function,
    /// then metered code (with fuel checks, `Config::consume_fuel`) for each.
    /// Stores of either kind share the module; each runs its own half.
    pub compiled: Box<[OnceLock<FuncCode>]>,
    /// The function bodies' bytes (the code section without its header),
    /// kept for translating each body on its first call. The rest of the
    /// module (data segments, which are copied, and custom sections such as
    /// names or debug information) is not kept.
    pub bytes: Box<[u8]>,
    /// The module offset of `bytes[0]`.
    pub bytes_at: usize,
    pub name: Option<Arc<str>>,
    pub func_names: HashMap<u32, Arc<str>>,
}

/// A defined function's body: validated when the module was decoded,
/// translated into wisp bytecode the first time it is called (into
/// `ModuleInner::compiled`).
pub(crate) struct LazyCode {
    /// Byte range of the body in the module (`ModuleInner::bytes_at` is the
    /// offset of the kept bytes).
    body: Range<usize>,
    resources: wp::ValidatorResources,
    index: u32,
    ty: u32,
}

impl ModuleInner {
    pub(crate) fn func_type(&self, func_index: u32) -> &FuncType {
        &self.types[self.funcs[func_index as usize] as usize]
    }

    /// The bytecode of the defined functions, plain or `metered`, by code
    /// index; each translated on first use (`code_in`).
    #[inline(always)]
    pub(crate) fn codes(&self, metered: bool) -> &[OnceLock<FuncCode>] {
        let (plain, fueled) = self.compiled.split_at(self.code.len());
        if metered { fueled } else { plain }
    }

    /// The plain bytecode of defined function `code`, translating it on first use.
    #[cfg(test)]
    pub(crate) fn code(&self, code: u32) -> &FuncCode {
        self.code_in(code, false)
    }

    /// The bytecode of defined function `code`, plain or `metered`,
    /// translating it on first use.
    #[inline]
    pub(crate) fn code_in(&self, code: u32, metered: bool) -> &FuncCode {
        match self.codes(metered)[code as usize].get() {
            Some(c) => c,
            None => self.translate_into(code, metered),
        }
    }

    /// Translates defined function `code` (plain or `metered`) unless a
    /// thread did already; its bytecode.
    #[cold]
    #[inline(never)]
    pub(crate) fn translate_into(&self, code: u32, metered: bool) -> &FuncCode {
        self.codes(metered)[code as usize]
            .get_or_init(|| self.translate_body(&self.code[code as usize], metered))
    }

    /// Whether defined function `code` has plain bytecode yet.
    #[cfg(test)]
    pub(crate) fn is_translated(&self, code: u32) -> bool {
        self.codes(false)[code as usize].get().is_some()
    }

    /// Translates a body that decoding already validated. Validation runs again
    /// alongside translation (the translator reads the validator's stacks).
    #[cold]
    fn translate_body(&self, lazy: &LazyCode, metered: bool) -> FuncCode {
        let index = lazy.index - self.num_imported_funcs;
        let to_validate = wp::FuncToValidate {
            resources: lazy.resources.clone(),
            index: lazy.index,
            ty: lazy.ty,
            features: features(),
        };
        let mut fv = to_validate.into_validator(Default::default());
        let at = self.bytes_at;
        let bytes = &self.bytes[lazy.body.start - at..lazy.body.end - at];
        let mut reader = wp::BinaryReader::new(bytes, lazy.body.start as u64);
        reader.set_features(features());
        let body = wp::FunctionBody::new(reader);
        let env = ModuleEnv {
            types: &self.types,
            funcs: &self.funcs,
            num_imported_funcs: self.num_imported_funcs,
            num_imported_globals: self.num_imported_globals,
            metered,
        };
        match translate::translate(&env, &mut fv, &body, &mut translate::Scratch::default()) {
            Ok(code) => FuncCode { index, ..code },
            // Unreachable: the body was validated when the module was decoded. Should it
            // happen anyway, the function traps instead of the host panicking.
            Err(_) => FuncCode {
                cells: translate::cells(&[
                    crate::bytecode::Op::Unreachable,
                    crate::bytecode::Op::Return,
                ]),
                index,
                // the spill slot
                room: 1,
                ..FuncCode::default()
            },
        }
    }
}

/// The wasm features wisp implements: WebAssembly 2.0 without SIMD.
pub(crate) fn features() -> wp::WasmFeatures {
    let mut f = wp::WasmFeatures::WASM2;
    f.remove(wp::WasmFeatures::SIMD);
    f
}

impl Module {
    /// Decodes, fully validates and translates a module from its binary form.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) for malformed or invalid
    /// bytes, naming what is wrong and where;
    /// [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) for valid
    /// modules using features wisp lacks.
    ///
    /// Function bodies of a large code section (128 KiB and more) are
    /// validated on several threads, up to the machine's available
    /// parallelism (at most 8); [`Module::new_single_threaded`] never starts a
    /// thread. Both accept and reject the same modules with the same errors.
    pub fn new(bytes: &[u8]) -> Result<Module, Error> {
        Module::decode(bytes, validation_threads())
    }

    /// As [`Module::new`], doing all the work on the calling thread: for
    /// embedders that must not start threads, or that load many modules in
    /// parallel themselves.
    ///
    /// # Errors
    /// As [`Module::new`].
    pub fn new_single_threaded(bytes: &[u8]) -> Result<Module, Error> {
        Module::decode(bytes, 1)
    }

    fn decode(bytes: &[u8], threads: usize) -> Result<Module, Error> {
        let inner = decode(bytes, threads)?;
        Ok(Module {
            inner: Arc::new(inner),
        })
    }

    /// Checks that bytes are a valid module without translating it.
    ///
    /// # Errors
    /// As [`Module::new`].
    pub fn validate(bytes: &[u8]) -> Result<(), Error> {
        let mut v = wp::Validator::new_with_features(features());
        v.validate_all(bytes)?;
        Ok(())
    }

    /// The module's name from its name section.
    pub fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    /// The imports: `(module, name, type)` in declaration order.
    pub fn imports(&self) -> impl Iterator<Item = (&str, &str, ExternType)> + '_ {
        self.inner.imports.iter().map(|imp| {
            let ty = match &imp.kind {
                ImportKind::Func(t) => ExternType::Func(self.inner.types[*t as usize].clone()),
                ImportKind::Table(t) => ExternType::Table(*t),
                ImportKind::Memory(t) => ExternType::Memory(*t),
                ImportKind::Global(t) => ExternType::Global(*t),
            };
            (imp.module.as_str(), imp.name.as_str(), ty)
        })
    }

    /// The exports: `(name, type)` in declaration order.
    pub fn exports(&self) -> impl Iterator<Item = (&str, ExternType)> + '_ {
        self.inner.exports.iter().map(|(name, idx)| {
            let ty = match *idx {
                ExportIndex::Func(i) => ExternType::Func(self.inner.func_type(i).clone()),
                ExportIndex::Table(i) => ExternType::Table(self.inner.tables[i as usize]),
                ExportIndex::Memory(i) => ExternType::Memory(self.inner.memories[i as usize]),
                ExportIndex::Global(i) => ExternType::Global(self.inner.globals[i as usize]),
            };
            (name.as_str(), ty)
        })
    }
}

pub(crate) fn val_type(t: wp::ValType) -> Result<ValType, Error> {
    Ok(match t {
        wp::ValType::I32 => ValType::I32,
        wp::ValType::I64 => ValType::I64,
        wp::ValType::F32 => ValType::F32,
        wp::ValType::F64 => ValType::F64,
        wp::ValType::Ref(r) => ref_type(r)?,
        wp::ValType::V128 => return Err(Error::unsupported("v128 values (SIMD)")),
    })
}

fn ref_type(r: wp::RefType) -> Result<ValType, Error> {
    if r == wp::RefType::FUNCREF {
        Ok(ValType::FuncRef)
    } else if r == wp::RefType::EXTERNREF {
        Ok(ValType::ExternRef)
    } else {
        Err(Error::unsupported(format!("reference type {r}")))
    }
}

fn limits32(initial: u64, maximum: Option<u64>) -> Result<Limits, Error> {
    let min = u32::try_from(initial).map_err(|_| Error::unsupported("64-bit limits"))?;
    let max = match maximum {
        Some(m) => Some(u32::try_from(m).map_err(|_| Error::unsupported("64-bit limits"))?),
        None => None,
    };
    Ok(Limits { min, max })
}

fn table_type(t: wp::TableType) -> Result<TableType, Error> {
    if t.table64 || t.shared {
        return Err(Error::unsupported("table64 or shared tables"));
    }
    Ok(TableType {
        element: ref_type(t.element_type)?,
        limits: limits32(t.initial, t.maximum)?,
    })
}

fn memory_type(t: wp::MemoryType) -> Result<MemoryType, Error> {
    if t.memory64 || t.shared || t.page_size_log2.is_some() {
        return Err(Error::unsupported(
            "memory64, shared or custom-page-size memories",
        ));
    }
    Ok(MemoryType {
        limits: limits32(t.initial, t.maximum)?,
    })
}

fn global_type(t: wp::GlobalType) -> Result<GlobalType, Error> {
    Ok(GlobalType {
        content: val_type(t.content_type)?,
        mutability: if t.mutable {
            Mutability::Var
        } else {
            Mutability::Const
        },
    })
}

fn const_expr(e: &wp::ConstExpr<'_>) -> Result<ConstExpr, Error> {
    let mut ops = Vec::with_capacity(2);
    let mut reader = e.get_operators_reader();
    while !reader.eof() {
        let op = reader.read()?;
        ops.push(match op {
            wp::Operator::I32Const { value } => ConstOp::I32(value),
            wp::Operator::I64Const { value } => ConstOp::I64(value),
            wp::Operator::F32Const { value } => ConstOp::F32(value.bits()),
            wp::Operator::F64Const { value } => ConstOp::F64(value.bits()),
            wp::Operator::RefNull { .. } => ConstOp::RefNull,
            wp::Operator::RefFunc { function_index } => ConstOp::RefFunc(function_index),
            wp::Operator::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
            wp::Operator::End => continue,
            other => {
                return Err(Error::unsupported(format!(
                    "constant expression operator {other:?}"
                )));
            }
        });
    }
    Ok(ConstExpr(ops.into_boxed_slice()))
}

/// Code sections at least this large are validated by several threads (when
/// the machine has more than one core and the caller allows it): below it, the
/// cost of starting a thread is no longer small next to the validation.
const PARALLEL_MIN_CODE_BYTES: u32 = 128 << 10;

/// Most threads one module's validation uses, the calling one included.
const MAX_VALIDATION_THREADS: usize = 8;

/// How many threads `Module::new` may use to validate function bodies.
fn validation_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_VALIDATION_THREADS)
}

fn decode(bytes: &[u8], threads: usize) -> Result<ModuleInner, Error> {
    let mut m = ModuleInner::default();
    let mut pending = PendingBodies::default();
    let parsed = parse(&mut m, bytes, threads, &mut pending);
    // Bodies waiting for validation come before whatever stopped the parse.
    pending.validate(threads)?;
    parsed?;
    // The bodies lie one after another in the code section.
    let kept = match (m.code.first(), m.code.last()) {
        (Some(first), Some(last)) => first.body.start..last.body.end,
        _ => 0..0,
    };
    m.bytes = bytes[kept.clone()].into();
    m.bytes_at = kept.start;
    m.compiled = (0..2 * m.code.len()).map(|_| OnceLock::new()).collect();
    Ok(m)
}

/// Walks the payloads into `m`, validating everything. Function bodies of a
/// large code section are left in `pending` and validated together, on
/// several threads, before the next payload is looked at; so errors still
/// come in module order.
fn parse<'a>(
    m: &mut ModuleInner,
    bytes: &'a [u8],
    threads: usize,
    pending: &mut PendingBodies<'a>,
) -> Result<(), Error> {
    let mut validator = wp::Validator::new_with_features(features());
    let mut parser = wp::Parser::new(0);
    parser.set_features(features());
    let mut allocs = wp::FuncValidatorAllocations::default();
    let mut defer = false;
    for payload in parser.parse_all(bytes) {
        let payload = payload?;
        match &payload {
            wp::Payload::CodeSectionStart { size, .. } => {
                defer = threads > 1 && *size >= PARALLEL_MIN_CODE_BYTES;
            }
            wp::Payload::CodeSectionEntry(_) => {}
            _ => pending.validate(threads)?,
        }
        match validator.payload(&payload)? {
            wp::ValidPayload::Func(to_validate, body) => {
                let r = body.range();
                m.code.push(LazyCode {
                    body: r.start as usize..r.end as usize,
                    resources: to_validate.resources.clone(),
                    index: to_validate.index,
                    ty: to_validate.ty,
                });
                // Every body is validated now (as the spec requires); it is
                // translated on its first call.
                if defer {
                    pending.bodies.push((to_validate, body));
                } else {
                    let mut fv = to_validate.into_validator(core::mem::take(&mut allocs));
                    fv.validate(&body)?;
                    allocs = fv.into_allocations();
                }
                continue;
            }
            wp::ValidPayload::End(_) => break,
            _ => {}
        }
        read_section(m, payload)?;
    }
    Ok(())
}

/// Function bodies parsed but not yet validated.
#[derive(Default)]
struct PendingBodies<'a> {
    bodies: Vec<(
        wp::FuncToValidate<wp::ValidatorResources>,
        wp::FunctionBody<'a>,
    )>,
}

impl PendingBodies<'_> {
    /// Bodies one thread takes at a time.
    const CHUNK: usize = 16;

    /// Validates and forgets every pending body, spreading them over up to
    /// `threads` threads. The error reported is that of the first invalid body
    /// in module order, the one a serial validation would report.
    fn validate(&mut self, threads: usize) -> Result<(), Error> {
        let bodies = core::mem::take(&mut self.bodies);
        if bodies.is_empty() {
            return Ok(());
        }
        let next = AtomicUsize::new(0);
        // index of the first invalid body found so far, and its error
        let failed = Mutex::new(None::<(usize, Error)>);
        let failed_at = AtomicUsize::new(usize::MAX);
        let work = || {
            let mut allocs = wp::FuncValidatorAllocations::default();
            loop {
                let start = next.fetch_add(Self::CHUNK, Ordering::Relaxed);
                // nothing here can come before a failure already found
                if start >= bodies.len() || start > failed_at.load(Ordering::Relaxed) {
                    return;
                }
                for (i, (f, body)) in bodies.iter().enumerate().skip(start).take(Self::CHUNK) {
                    let to_validate = wp::FuncToValidate {
                        resources: f.resources.clone(),
                        index: f.index,
                        ty: f.ty,
                        features: f.features,
                    };
                    let mut fv = to_validate.into_validator(allocs);
                    let result = fv.validate(body);
                    allocs = fv.into_allocations();
                    if let Err(e) = result {
                        let mut failed = failed.lock().unwrap_or_else(|p| p.into_inner());
                        if failed.as_ref().is_none_or(|(at, _)| i < *at) {
                            *failed = Some((i, e.into()));
                            failed_at.store(i, Ordering::Relaxed);
                        }
                        break;
                    }
                }
            }
        };
        let helpers = threads
            .min(bodies.len().div_ceil(Self::CHUNK))
            .saturating_sub(1);
        std::thread::scope(|s| {
            for _ in 0..helpers {
                // A thread that cannot be started leaves its share to the others.
                if std::thread::Builder::new()
                    .name("wisp-validate".into())
                    .spawn_scoped(s, work)
                    .is_err()
                {
                    break;
                }
            }
            work();
        });
        match failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }
}

fn read_section(m: &mut ModuleInner, payload: wp::Payload<'_>) -> Result<(), Error> {
    use wp::Payload as P;
    match payload {
        P::TypeSection(r) => {
            for ty in r.into_iter_err_on_gc_types() {
                let ty = ty?;
                let params = ty
                    .params()
                    .iter()
                    .map(|t| val_type(*t))
                    .collect::<Result<Vec<_>, _>>()?;
                let results = ty
                    .results()
                    .iter()
                    .map(|t| val_type(*t))
                    .collect::<Result<Vec<_>, _>>()?;
                m.types.push(FuncType::new(params, results));
            }
        }
        P::ImportSection(r) => {
            for imp in r.into_imports() {
                let imp = imp?;
                let kind = match imp.ty {
                    wp::TypeRef::Func(t) => {
                        m.funcs.push(t);
                        m.num_imported_funcs += 1;
                        ImportKind::Func(t)
                    }
                    wp::TypeRef::Table(t) => {
                        let t = table_type(t)?;
                        m.tables.push(t);
                        m.table_inits.push(None);
                        m.num_imported_tables += 1;
                        ImportKind::Table(t)
                    }
                    wp::TypeRef::Memory(t) => {
                        let t = memory_type(t)?;
                        m.memories.push(t);
                        m.num_imported_memories += 1;
                        ImportKind::Memory(t)
                    }
                    wp::TypeRef::Global(t) => {
                        let t = global_type(t)?;
                        m.globals.push(t);
                        m.num_imported_globals += 1;
                        ImportKind::Global(t)
                    }
                    other => return Err(Error::unsupported(format!("import of {other:?}"))),
                };
                m.imports.push(Import {
                    module: imp.module.to_string(),
                    name: imp.name.to_string(),
                    kind,
                });
            }
        }
        P::FunctionSection(r) => {
            for t in r {
                m.funcs.push(t?);
            }
        }
        P::TableSection(r) => {
            for t in r {
                let t = t?;
                m.tables.push(table_type(t.ty)?);
                m.table_inits.push(match t.init {
                    wp::TableInit::RefNull => None,
                    wp::TableInit::Expr(e) => Some(const_expr(&e)?),
                });
            }
        }
        P::MemorySection(r) => {
            for t in r {
                m.memories.push(memory_type(t?)?);
            }
        }
        P::GlobalSection(r) => {
            for g in r {
                let g = g?;
                m.globals.push(global_type(g.ty)?);
                m.global_inits.push(const_expr(&g.init_expr)?);
            }
        }
        P::ExportSection(r) => {
            for e in r {
                let e = e?;
                let idx = match e.kind {
                    wp::ExternalKind::Func => ExportIndex::Func(e.index),
                    wp::ExternalKind::Table => ExportIndex::Table(e.index),
                    wp::ExternalKind::Memory => ExportIndex::Memory(e.index),
                    wp::ExternalKind::Global => ExportIndex::Global(e.index),
                    other => return Err(Error::unsupported(format!("export of {other:?}"))),
                };
                m.export_map.insert(e.name.to_string(), m.exports.len());
                m.exports.push((e.name.to_string(), idx));
            }
        }
        P::StartSection { func, .. } => m.start = Some(func),
        P::ElementSection(r) => {
            for e in r {
                let e = e?;
                let mode = match e.kind {
                    wp::ElementKind::Passive => ElemMode::Passive,
                    wp::ElementKind::Declared => ElemMode::Declared,
                    wp::ElementKind::Active {
                        table_index,
                        offset_expr,
                    } => ElemMode::Active {
                        table: table_index.unwrap_or(0),
                        offset: const_expr(&offset_expr)?,
                    },
                };
                let items = match e.items {
                    wp::ElementItems::Functions(r) => r
                        .into_iter()
                        .map(|f| Ok(ConstExpr(Box::new([ConstOp::RefFunc(f?)]))))
                        .collect::<Result<Vec<_>, Error>>()?,
                    wp::ElementItems::Expressions(_, r) => r
                        .into_iter()
                        .map(|e| const_expr(&e?))
                        .collect::<Result<Vec<_>, Error>>()?,
                };
                m.elems.push(ElemSegment {
                    mode,
                    items: items.into_boxed_slice(),
                });
            }
        }
        P::DataSection(r) => {
            for d in r {
                let d = d?;
                let mode = match d.kind {
                    wp::DataKind::Passive => DataMode::Passive,
                    wp::DataKind::Active { offset_expr, .. } => DataMode::Active {
                        offset: const_expr(&offset_expr)?,
                    },
                };
                m.datas.push(DataSegment {
                    mode,
                    bytes: d.data.into(),
                });
            }
        }
        P::CustomSection(c) => {
            if let wp::KnownCustom::Name(names) = c.as_known() {
                // A broken name section must not make the module invalid: keep what parsed.
                let _ = read_names(m, names);
            }
        }
        _ => {}
    }
    Ok(())
}

fn read_names(m: &mut ModuleInner, names: wp::NameSectionReader<'_>) -> Result<(), Error> {
    for name in names {
        match name? {
            wp::Name::Module { name, .. } => m.name = Some(name.into()),
            wp::Name::Function(map) => {
                for naming in map {
                    let naming = naming?;
                    m.func_names.insert(naming.index, naming.name.into());
                }
            }
            _ => {}
        }
    }
    Ok(())
}
