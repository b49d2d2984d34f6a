//! Preopen permissions end to end: real guests run through the `Wasi` API against a
//! read-only preopen (`WasiBuilder::preopen_read_only`) and a read-write one, in both ABIs.

use std::path::Path;
use wisp::{DirPerms, FilePerms, Linker, Module, SharedBuffer, Stdio, Store, Wasi, WasiVersion};
use wisp_fdtable::{FdRights, Rights};

/// A guest that tries one thing per step against its preopen (fd 3) and stores each errno
/// at 200 + 4 × step; `_start` then returns normally.
///
/// | step | call |
/// |---|---|
/// | 0 | `path_create_directory("newdir")` |
/// | 1 | `path_open("data.txt")` with FD_READ, FD_SEEK; the fd goes to 300 |
/// | 2 | `fd_read` of that fd into 500 (16 bytes); the count goes to 304 |
/// | 3 | `fd_write` of the same bytes to that fd |
/// | 4 | `path_open("data.txt")` with FD_WRITE |
/// | 5 | `path_open("new.txt")` with CREAT and FD_READ, FD_WRITE |
/// | 6 | `path_open("data.txt")` with TRUNC and FD_READ |
/// | 7 | `path_unlink_file("data.txt")` |
/// | 8 | `fd_fdstat_get(3)` into 600 |
/// | 9 | `fd_fdstat_get` of the fd from step 1 into 640 |
fn guest(module: &str) -> Module {
    let wat = format!(
        r#"(module
  (import "{module}" "path_create_directory" (func $mkdir (param i32 i32 i32) (result i32)))
  (import "{module}" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "{module}" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "{module}" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "{module}" "path_unlink_file" (func $unlink (param i32 i32 i32) (result i32)))
  (import "{module}" "fd_fdstat_get" (func $fdstat (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "newdir")
  (data (i32.const 16) "data.txt")
  (data (i32.const 32) "new.txt")
  ;; One iovec: 16 bytes at 500.
  (data (i32.const 400) "\f4\01\00\00\10\00\00\00")
  (func $open_data (param $oflags i32) (param $base i64) (result i32)
    (call $open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 8)
      (local.get $oflags) (local.get $base) (i64.const 0) (i32.const 0) (i32.const 312)))
  (func (export "_start") (local $fd i32)
    (i32.store (i32.const 200) (call $mkdir (i32.const 3) (i32.const 0) (i32.const 6)))
    (i32.store (i32.const 204)
      (call $open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 8)
        (i32.const 0) (i64.const 0x6) (i64.const 0) (i32.const 0) (i32.const 300)))
    (local.set $fd (i32.load (i32.const 300)))
    (i32.store (i32.const 208) (call $read (local.get $fd) (i32.const 400) (i32.const 1) (i32.const 304)))
    (i32.store (i32.const 212) (call $write (local.get $fd) (i32.const 400) (i32.const 1) (i32.const 308)))
    (i32.store (i32.const 216) (call $open_data (i32.const 0) (i64.const 0x40)))
    (i32.store (i32.const 220)
      (call $open (i32.const 3) (i32.const 0) (i32.const 32) (i32.const 7)
        (i32.const 1) (i64.const 0x42) (i64.const 0) (i32.const 0) (i32.const 312)))
    (i32.store (i32.const 224) (call $open_data (i32.const 8) (i64.const 0x2)))
    (i32.store (i32.const 228) (call $unlink (i32.const 3) (i32.const 16) (i32.const 8)))
    (i32.store (i32.const 232) (call $fdstat (i32.const 3) (i32.const 600)))
    (i32.store (i32.const 236) (call $fdstat (local.get $fd) (i32.const 640)))))"#
    );
    Module::new(&wat::parse_str(wat).expect("guest WAT parses")).expect("guest is valid")
}

/// What the guest left in memory: the ten errnos, the bytes read, and the two fdstats'
/// (base, inheriting) rights.
struct Report {
    errnos: Vec<u32>,
    read: Vec<u8>,
    preopen_rights: (u64, u64),
    file_rights: (u64, u64),
}

fn u32_at(mem: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(mem[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(mem: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(mem[at..at + 8].try_into().expect("8 bytes"))
}

/// Runs [`guest`] with `dir` preopened as `/data` with the given permissions.
fn run(version: WasiVersion, dir: &Path, perms: (DirPerms, FilePerms)) -> Report {
    let module = guest(version.module_name());
    let mut wasi = Wasi::builder(version)
        .preopen_with("/data", dir, perms.0, perms.1)
        .stdin(Stdio::Null)
        .stdout(Stdio::Null)
        .stderr(Stdio::Null)
        .build()
        .expect("options are valid");
    let mut linker = Linker::new();
    wasi.import_object().add_to_linker(&mut linker);
    let mut store = Store::new(());
    let instance = linker
        .instantiate(&mut store, &module)
        .expect("guest instantiates");
    assert_eq!(wasi.start(&mut store, instance).expect("guest runs"), 0);
    let mem = instance
        .get_memory(&store, "memory")
        .expect("guest exports memory")
        .data(&store);
    let nread = u32_at(mem, 304) as usize;
    Report {
        errnos: (0..10).map(|i| u32_at(mem, 200 + 4 * i)).collect(),
        read: mem[500..500 + nread.min(16)].to_vec(),
        preopen_rights: (u64_at(mem, 608), u64_at(mem, 616)),
        file_rights: (u64_at(mem, 648), u64_at(mem, 656)),
    }
}

/// The names in `dir` and the contents of `data.txt`.
fn host_tree(dir: &Path) -> (Vec<String>, String) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let data = std::fs::read_to_string(dir.join("data.txt")).unwrap_or_default();
    (names, data)
}

#[test]
fn a_guest_can_read_but_not_change_a_read_only_preopen() {
    for version in [WasiVersion::Preview1, WasiVersion::Unstable] {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("data.txt"), "hello").expect("write data");
        let r = run(version, dir.path(), (DirPerms::READ, FilePerms::READ));
        // mkdir, write, open for writing, CREAT, TRUNC, unlink: NOTCAPABLE (76);
        // open for reading, read, both fdstats: success.
        assert_eq!(
            r.errnos,
            [76, 0, 0, 76, 76, 76, 76, 76, 0, 0],
            "{version:?}"
        );
        assert_eq!(r.read, b"hello", "{version:?}");
        assert_eq!(r.preopen_rights, (0x0824_E098, 0x0824_E0AE), "{version:?}");
        // FD_READ | FD_SEEK, as asked.
        assert_eq!(r.file_rights, (0x6, 0), "{version:?}");
        assert_eq!(
            host_tree(dir.path()),
            (vec!["data.txt".to_owned()], "hello".to_owned()),
            "{version:?}"
        );
    }
}

#[test]
fn the_same_guest_changes_a_read_write_preopen() {
    // The control: with every permission the same calls succeed (the fd from step 1 is
    // still read-only, so its write is refused by its own rights).
    for version in [WasiVersion::Preview1, WasiVersion::Unstable] {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("data.txt"), "hello").expect("write data");
        let r = run(version, dir.path(), (DirPerms::all(), FilePerms::all()));
        assert_eq!(r.errnos, [0, 0, 0, 76, 0, 0, 0, 0, 0, 0], "{version:?}");
        assert_eq!(r.read, b"hello");
        assert_eq!(r.preopen_rights, (0x0FBF_FE98, 0x0FFF_FFFF), "{version:?}");
        let (names, _) = host_tree(dir.path());
        assert_eq!(names, ["new.txt", "newdir"], "{version:?}");
    }
}

#[test]
fn libc_fs_under_a_read_only_preopen_fails_at_its_first_write() {
    // wasi-libc's fopen("/sandbox/hello.txt", "w") is path_open with CREAT | TRUNC, refused
    // with NOTCAPABLE, which libc reports as errno 76 (ENOTCAPABLE); the fixture's first
    // CHECK fails and it exits 1, having changed nothing.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let module = Module::from_file(root.join("fixtures/wasm/libc_fs.wasm")).expect("loads");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = SharedBuffer::new();
    let mut wasi = Wasi::builder(WasiVersion::Preview1)
        .arg("fixtures/wasm/libc_fs.wasm")
        .preopen_read_only("/sandbox", dir.path())
        .stdin(Stdio::Null)
        .stdout(Stdio::Capture(out.clone()))
        .stderr(Stdio::Null)
        .build()
        .expect("options are valid");
    let mut linker = Linker::new();
    wasi.import_object().add_to_linker(&mut linker);
    let mut store = Store::new(());
    let instance = linker
        .instantiate(&mut store, &module)
        .expect("fixture instantiates");
    assert_eq!(wasi.start(&mut store, instance).expect("runs"), 1);
    let stdout = out.to_string_lossy();
    assert!(
        stdout.starts_with("FAIL libc_fs.c:")
            && stdout.trim_end().ends_with("f != NULL (errno=76)"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0);
}

#[test]
fn more_permissions_than_preopens_is_an_invalid_value() {
    let mut o = wisp::WasiOptions::new(WasiVersion::Preview1);
    o.preopen_perms = vec![(DirPerms::READ, FilePerms::READ)];
    let e = Wasi::new(o).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_ARG_VALUE");
    assert!(e.to_string().contains("options.preopen_perms"), "{e}");
    // Fewer is fine: a preopen without an entry is read-write, as in Node.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut o = wisp::WasiOptions::new(WasiVersion::Preview1);
    o.preopens = vec![
        ("/ro".into(), dir.path().into()),
        ("/rw".into(), dir.path().into()),
    ];
    o.preopen_perms = vec![(DirPerms::READ, FilePerms::READ)];
    let wasi = Wasi::new(o).expect("valid");
    let cx = wasi.ctx();
    let rights = |fd| cx.table().get(fd, Rights::empty()).expect("open").rights();
    assert_eq!(
        rights(3),
        FdRights::preopen(DirPerms::READ, FilePerms::READ)
    );
    assert_eq!(rights(4), FdRights::DIRECTORY);
}
