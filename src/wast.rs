//! `wisp wast`: runs WebAssembly spec-test scripts against wisp's interpreter.
//!
//! Every directive of the script format is handled; each assertion (and each
//! module definition, registration and bare invocation) counts as one check.

use std::collections::HashMap;
use wast::core::{AbstractHeapType, HeapType, NanPattern, WastArgCore, WastRetCore};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet};
use wisp::interp::{
    Config, Error, ErrorKind, ExternRef, Global, Instance, Limits, Linker, Memory, MemoryType,
    Module, Mutability, Store, Table, TableType, TrapKind, Val, ValType,
};

/// The outcome of one script.
#[derive(Debug, Default)]
pub struct Report {
    /// Checks that held.
    pub passed: usize,
    /// Checks that failed, with their location and reason.
    pub failures: Vec<String>,
}

struct Runner<'a> {
    text: &'a str,
    name: &'a str,
    store: Store<()>,
    linker: Linker<()>,
    named: HashMap<String, Instance>,
    definitions: HashMap<String, Module>,
    current: Option<Instance>,
    report: Report,
}

/// Runs the script `text` (named `name` in messages).
pub fn run(name: &str, text: &str) -> Report {
    run_with(name, text, Config::default())
}

/// Runs the script `text` in stores with `config` (and all the fuel there is,
/// when it consumes fuel).
pub fn run_with(name: &str, text: &str, config: Config) -> Report {
    // Older scripts spell a trapping instantiation `assert_uninstantiable`; the
    // current format (and the `wast` crate) calls it `assert_trap` on a module.
    // Same length, so spans and line numbers stay exact.
    let rewritten;
    let text = if text.contains("(assert_uninstantiable") {
        rewritten = text.replace("(assert_uninstantiable", "(assert_trap          ");
        rewritten.as_str()
    } else {
        text
    };
    let mut runner = Runner::new(name, text, config);
    let mut lexer = wast::lexer::Lexer::new(text);
    // The spec's names.wast uses bidirectional-override characters on purpose.
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(mut e) => {
            e.set_text(text);
            runner
                .report
                .failures
                .push(format!("{name}: cannot lex script: {e}"));
            return runner.report;
        }
    };
    let wast = match parser::parse::<Wast>(&buf) {
        Ok(w) => w,
        Err(mut e) => {
            e.set_path(std::path::Path::new(name));
            e.set_text(text);
            runner
                .report
                .failures
                .push(format!("cannot parse script: {e}"));
            return runner.report;
        }
    };
    for directive in wast.directives {
        let span = directive_span(&directive);
        match runner.directive(directive) {
            Ok(()) => runner.report.passed += 1,
            Err(why) => {
                let (line, col) = span.linecol_in(text);
                runner.report.failures.push(format!(
                    "{}:{}:{}: {why}",
                    runner.name,
                    line + 1,
                    col + 1
                ));
            }
        }
    }
    runner.report
}

fn directive_span(d: &WastDirective<'_>) -> wast::token::Span {
    d.span()
}

fn spectest(store: &mut Store<()>, linker: &mut Linker<()>) {
    linker
        .func_wrap("spectest", "print", || {})
        .func_wrap("spectest", "print_i32", |_: i32| {})
        .func_wrap("spectest", "print_i64", |_: i64| {})
        .func_wrap("spectest", "print_f32", |_: f32| {})
        .func_wrap("spectest", "print_f64", |_: f64| {})
        .func_wrap("spectest", "print_i32_f32", |_: i32, _: f32| {})
        .func_wrap("spectest", "print_f64_f64", |_: f64, _: f64| {});
    let g = |store: &mut Store<()>, v: Val| Global::new(store, v, Mutability::Const);
    let gi32 = g(store, Val::I32(666));
    let gi64 = g(store, Val::I64(666));
    let gf32 = g(store, Val::F32(666.6));
    let gf64 = g(store, Val::F64(666.6));
    linker
        .define("spectest", "global_i32", gi32)
        .define("spectest", "global_i64", gi64)
        .define("spectest", "global_f32", gf32)
        .define("spectest", "global_f64", gf64);
    let table_ty = TableType {
        element: ValType::FuncRef,
        limits: Limits {
            min: 10,
            max: Some(20),
        },
    };
    let table = Table::new(&mut *store, table_ty, Val::FuncRef(None))
        .expect("spectest table fits the default limits");
    let memory = Memory::new(
        &mut *store,
        MemoryType {
            limits: Limits {
                min: 1,
                max: Some(2),
            },
        },
    )
    .expect("spectest memory fits the default limits");
    linker
        .define("spectest", "table", table)
        .define("spectest", "memory", memory);
}

fn trap_matches(err: &Error, expected: &str) -> Result<(), String> {
    match err.as_trap() {
        Some(t) => {
            let ours = t.kind().to_string();
            if ours.contains(expected) || expected.starts_with(&ours) {
                Ok(())
            } else {
                Err(format!("expected trap `{expected}`, got `{ours}`"))
            }
        }
        None => Err(format!("expected trap `{expected}`, got error `{err}`")),
    }
}

impl<'a> Runner<'a> {
    fn new(name: &'a str, text: &'a str, config: Config) -> Self {
        let mut store = Store::with_config(config, ());
        if config.consume_fuel {
            let _ = store.set_fuel(u64::MAX);
        }
        let mut linker = Linker::new();
        spectest(&mut store, &mut linker);
        Self {
            text,
            name,
            store,
            linker,
            named: HashMap::new(),
            definitions: HashMap::new(),
            current: None,
            report: Report::default(),
        }
    }

    fn instance(&self, id: Option<wast::token::Id<'_>>) -> Result<Instance, String> {
        match id {
            Some(id) => self
                .named
                .get(id.name())
                .copied()
                .ok_or_else(|| format!("no module named ${}", id.name())),
            None => self.current.ok_or_else(|| "no current module".to_string()),
        }
    }

    fn compile(&self, wat: &mut QuoteWat<'_>) -> Result<Module, String> {
        let bytes = wat.encode().map_err(|e| self.wast_error(e))?;
        Module::new(&bytes).map_err(|e| e.to_string())
    }

    fn wast_error(&self, mut e: wast::Error) -> String {
        e.set_text(self.text);
        e.to_string()
    }

    fn instantiate(&mut self, module: &Module) -> Result<Instance, Error> {
        self.linker.instantiate(&mut self.store, module)
    }

    fn directive(&mut self, d: WastDirective<'_>) -> Result<(), String> {
        match d {
            WastDirective::Module(mut wat) => {
                let name = wat.name().map(|n| n.name().to_string());
                let module = self.compile(&mut wat)?;
                let inst = self
                    .instantiate(&module)
                    .map_err(|e| format!("instantiation failed: {e}"))?;
                if let Some(name) = name {
                    self.named.insert(name, inst);
                }
                self.current = Some(inst);
                Ok(())
            }
            WastDirective::ModuleDefinition(mut wat) => {
                let name = wat.name().map(|n| n.name().to_string());
                let module = self.compile(&mut wat)?;
                if let Some(name) = name {
                    self.definitions.insert(name, module);
                }
                Ok(())
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                let def = module.ok_or("module instance without a definition")?;
                let m = self
                    .definitions
                    .get(def.name())
                    .cloned()
                    .ok_or_else(|| format!("no definition ${}", def.name()))?;
                let inst = self
                    .instantiate(&m)
                    .map_err(|e| format!("instantiation failed: {e}"))?;
                if let Some(id) = instance {
                    self.named.insert(id.name().to_string(), inst);
                }
                self.current = Some(inst);
                Ok(())
            }
            WastDirective::Register { name, module, .. } => {
                let inst = self.instance(module)?;
                self.linker.instance(&self.store, name, inst);
                Ok(())
            }
            WastDirective::Invoke(call) => self
                .invoke(&call)
                .map(drop)
                .map_err(|e| format!("invoke failed: {e}")),
            WastDirective::AssertReturn { exec, results, .. } => {
                let got = self
                    .execute(exec)
                    .map_err(|e| format!("expected results, got error: {e}"))?;
                if got.len() != results.len() {
                    return Err(format!("expected {} results, got {got:?}", results.len()));
                }
                for (i, (v, want)) in got.iter().zip(&results).enumerate() {
                    if !self.matches(v, want) {
                        return Err(format!("result {i}: expected {want:?}, got {v:?}"));
                    }
                }
                Ok(())
            }
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec) {
                Ok(vals) => Err(format!("expected trap `{message}`, got {vals:?}")),
                Err(e) => trap_matches(&e, message),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call) {
                Ok(vals) => Err(format!("expected exhaustion `{message}`, got {vals:?}")),
                Err(e) => match e.as_trap().map(|t| t.kind()) {
                    Some(TrapKind::StackOverflow) => Ok(()),
                    _ => Err(format!("expected exhaustion `{message}`, got `{e}`")),
                },
            },
            WastDirective::AssertMalformed {
                module: mut wat,
                message,
                ..
            }
            | WastDirective::AssertInvalid {
                module: mut wat,
                message,
                ..
            } => match wat.encode() {
                // Text that does not even encode is malformed by definition.
                Err(_) => Ok(()),
                Ok(bytes) => match Module::new(&bytes) {
                    Ok(_) => Err(format!(
                        "expected a module error `{message}`, but it compiled"
                    )),
                    Err(_) => Ok(()),
                },
            },
            WastDirective::AssertUnlinkable {
                mut module,
                message,
                ..
            } => {
                let bytes = module.encode().map_err(|e| self.wast_error(e))?;
                let m = Module::new(&bytes).map_err(|e| format!("module should compile: {e}"))?;
                match self.instantiate(&m) {
                    Ok(_) => Err(format!(
                        "expected link failure `{message}`, but it instantiated"
                    )),
                    Err(e) => match e.kind() {
                        ErrorKind::Link { .. } => Ok(()),
                        _ => Err(format!("expected link failure `{message}`, got `{e}`")),
                    },
                }
            }
            other => Err(format!("unsupported directive {:?}", other.span())),
        }
    }

    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Vec<Val>, Error> {
        match exec {
            WastExecute::Invoke(call) => self.invoke(&call),
            WastExecute::Wat(mut wat) => {
                let bytes = match wat.encode() {
                    Ok(b) => b,
                    Err(e) => return Err(Error::from(std::io::Error::other(self.wast_error(e)))),
                };
                let m = Module::new(&bytes)?;
                self.instantiate(&m).map(|_| Vec::new())
            }
            WastExecute::Get { module, global, .. } => {
                let inst = self
                    .instance(module)
                    .map_err(|e| Error::from(std::io::Error::other(e)))?;
                let g = inst.get_global(&self.store, global).ok_or_else(|| {
                    Error::from(std::io::Error::other(format!("no global `{global}`")))
                })?;
                Ok(vec![g.get(&self.store)])
            }
        }
    }

    fn invoke(&mut self, call: &WastInvoke<'_>) -> Result<Vec<Val>, Error> {
        let other = |s: String| Error::from(std::io::Error::other(s));
        let inst = self.instance(call.module).map_err(other)?;
        let func = inst
            .get_func(&self.store, call.name)
            .ok_or_else(|| other(format!("no function `{}`", call.name)))?;
        let mut args = Vec::with_capacity(call.args.len());
        for a in &call.args {
            args.push(self.arg(a).map_err(other)?);
        }
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        func.call(&mut self.store, &args, &mut results)?;
        Ok(results)
    }

    fn arg(&mut self, a: &WastArg<'_>) -> Result<Val, String> {
        let WastArg::Core(a) = a else {
            return Err("component-model argument".into());
        };
        Ok(match a {
            WastArgCore::I32(v) => Val::I32(*v),
            WastArgCore::I64(v) => Val::I64(*v),
            WastArgCore::F32(v) => Val::F32(f32::from_bits(v.bits)),
            WastArgCore::F64(v) => Val::F64(f64::from_bits(v.bits)),
            WastArgCore::RefNull(HeapType::Abstract {
                ty: AbstractHeapType::Func,
                ..
            }) => Val::FuncRef(None),
            WastArgCore::RefNull(HeapType::Abstract {
                ty: AbstractHeapType::Extern,
                ..
            }) => Val::ExternRef(None),
            WastArgCore::RefExtern(n) => Val::ExternRef(Some(ExternRef::new(&mut self.store, *n))),
            other => return Err(format!("unsupported argument {other:?}")),
        })
    }

    fn matches(&self, v: &Val, want: &WastRet<'_>) -> bool {
        let WastRet::Core(want) = want else {
            return false;
        };
        match (want, v) {
            (WastRetCore::I32(w), Val::I32(g)) => w == g,
            (WastRetCore::I64(w), Val::I64(g)) => w == g,
            (WastRetCore::F32(p), Val::F32(g)) => {
                let bits = g.to_bits();
                match p {
                    NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
                    NanPattern::ArithmeticNan => g.is_nan() && bits & 0x0040_0000 != 0,
                    NanPattern::Value(w) => w.bits == bits,
                }
            }
            (WastRetCore::F64(p), Val::F64(g)) => {
                let bits = g.to_bits();
                match p {
                    NanPattern::CanonicalNan => {
                        bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000
                    }
                    NanPattern::ArithmeticNan => g.is_nan() && bits & 0x0008_0000_0000_0000 != 0,
                    NanPattern::Value(w) => w.bits == bits,
                }
            }
            (WastRetCore::RefNull(ty), Val::FuncRef(None)) => {
                matches!(
                    ty,
                    None | Some(HeapType::Abstract {
                        ty: AbstractHeapType::Func,
                        ..
                    })
                )
            }
            (WastRetCore::RefNull(ty), Val::ExternRef(None)) => {
                matches!(
                    ty,
                    None | Some(HeapType::Abstract {
                        ty: AbstractHeapType::Extern,
                        ..
                    })
                )
            }
            (WastRetCore::RefExtern(None), Val::ExternRef(Some(_))) => true,
            (WastRetCore::RefExtern(Some(n)), Val::ExternRef(Some(r))) => {
                r.data(&self.store).downcast_ref::<u32>() == Some(n)
            }
            (WastRetCore::RefFunc(_), Val::FuncRef(Some(_))) => true,
            _ => false,
        }
    }
}
