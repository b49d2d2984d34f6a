//! Integration tests of wisp-sandbox (one binary): named escape cases and generated operation plans.

mod escapes;
mod prop;

use std::fs::File;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use tempfile::TempDir;
use wisp_sandbox::Resolver;

/// The two resolvers every named case runs with: the reference walk and the default (openat2
/// where the kernel has it).
pub fn resolvers() -> [Resolver; 2] {
    static NOTE: std::sync::Once = std::sync::Once::new();
    if !Resolver::new().uses_fast_path() {
        NOTE.call_once(|| {
            eprintln!("note: the kernel has no openat2; both resolvers use the manual walk");
        });
    }
    [Resolver::manual(), Resolver::new()]
}

/// A temporary directory holding the sandbox root `root/` and, beside it, a sentinel directory
/// `sentinel/` the sandbox must never touch.
pub struct Zoo {
    _tmp: TempDir,
    /// The temporary directory holding `root` and `sentinel`.
    pub top: PathBuf,
    /// The sandbox root's host path.
    pub root_path: PathBuf,
    /// The sandbox root, opened as the starting directory.
    pub root: File,
    /// The sentinel's host path.
    pub sentinel: PathBuf,
    before: Vec<String>,
}

impl Zoo {
    /// An empty root and a populated sentinel.
    pub fn empty() -> Self {
        let tmp = tempfile::tempdir().expect("create temp dir");
        let top = tmp.path().to_path_buf();
        let root_path = top.join("root");
        let sentinel = top.join("sentinel");
        std::fs::create_dir(&root_path).expect("create root");
        std::fs::create_dir(&sentinel).expect("create sentinel");
        std::fs::write(sentinel.join("secret"), b"secret").expect("write secret");
        std::fs::create_dir(sentinel.join("dir")).expect("create sentinel/dir");
        std::fs::write(sentinel.join("dir/deep"), b"deep").expect("write deep");
        let root = File::open(&root_path).expect("open root");
        let before = snapshot_outside(&top);
        Zoo {
            _tmp: tmp,
            top,
            root_path,
            root,
            sentinel,
            before,
        }
    }

    /// The symlink zoo of wasi-reference §4.5 inside the root: `file`, `sub/`, `sub/inner`,
    /// `abs -> /etc`, `out -> ../sentinel`, `in -> sub`, `self -> self`, `dang -> missing`.
    pub fn reference() -> Self {
        let zoo = Zoo::empty();
        zoo.write("file", "data");
        zoo.mkdir("sub");
        zoo.write("sub/inner", "inner");
        zoo.symlink("/etc", "abs");
        zoo.symlink("../sentinel", "out");
        zoo.symlink("sub", "in");
        zoo.symlink("self", "self");
        zoo.symlink("missing", "dang");
        zoo
    }

    /// The root as a starting directory.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.root.as_fd()
    }

    /// Host path of `rel` inside the root.
    pub fn at(&self, rel: &str) -> PathBuf {
        self.root_path.join(rel)
    }

    /// Writes a file inside the root (test set-up, not through the sandbox).
    pub fn write(&self, rel: &str, contents: &str) {
        std::fs::write(self.at(rel), contents).expect("write fixture file");
    }

    /// Creates a directory inside the root (test set-up).
    pub fn mkdir(&self, rel: &str) {
        std::fs::create_dir(self.at(rel)).expect("create fixture dir");
    }

    /// Creates a symbolic link `rel -> target` inside the root (test set-up).
    pub fn symlink(&self, target: &str, rel: &str) {
        std::os::unix::fs::symlink(target, self.at(rel)).expect("create fixture link");
    }

    /// Device and inode of `rel` inside the root, without following a final link.
    pub fn id(&self, rel: &str) -> (u64, u64) {
        let meta = std::fs::symlink_metadata(self.at(rel)).expect("lstat fixture");
        (meta.dev(), meta.ino())
    }

    /// Panics if anything outside the root changed since the zoo was built.
    pub fn assert_outside_untouched(&self) {
        assert_eq!(
            snapshot_outside(&self.top),
            self.before,
            "something outside the root changed"
        );
    }

    /// Whether everything outside the root is as it was when the zoo was built.
    pub fn outside_is_untouched(&self) -> bool {
        snapshot_outside(&self.top) == self.before
    }
}

/// Device and inode from a rustix stat.
#[allow(
    clippy::useless_conversion,
    reason = "field types differ between targets"
)]
pub fn stat_id(stat: &rustix::fs::Stat) -> (u64, u64) {
    (u64::from(stat.st_dev), u64::from(stat.st_ino))
}

/// One line per object outside `top/root`: its path, type, size, link count, times and
/// contents. A read through a descriptor is caught separately (descriptors are checked to point
/// inside the root); this catches writes, renames, links and directory changes.
pub fn snapshot_outside(top: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(top)
        .expect("list temp dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    lines.push(format!("top: {names:?}"));
    for name in names.iter().filter(|n| n.as_str() != "root") {
        describe(&top.join(name), name, &mut lines);
    }
    lines
}

fn describe(path: &Path, rel: &str, lines: &mut Vec<String>) {
    let meta = std::fs::symlink_metadata(path).expect("lstat outside object");
    let mut line = format!(
        "{rel}: mode={:o} size={} nlink={} mtime={}.{} ctime={}.{}",
        meta.mode(),
        meta.size(),
        meta.nlink(),
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime(),
        meta.ctime_nsec()
    );
    if meta.file_type().is_file() {
        let contents = std::fs::read(path).expect("read outside file");
        line.push_str(&format!(
            " contents={:?}",
            String::from_utf8_lossy(&contents)
        ));
    } else if meta.file_type().is_symlink() {
        let target = std::fs::read_link(path).expect("read outside link");
        line.push_str(&format!(" target={target:?}"));
    }
    lines.push(line);
    if meta.file_type().is_dir() {
        let mut names: Vec<_> = std::fs::read_dir(path)
            .expect("list outside dir")
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        for name in names {
            describe(&path.join(&name), &format!("{rel}/{name}"), lines);
        }
    }
}
