//! Generated operation plans over paths built from a small token alphabet, run beside a sentinel
//! directory: nothing escapes, every failure is an allowed one, and the manual walk and the
//! openat2 fast path agree on every step.
//!
//! Each case builds two identical temporary trees and runs the same plan in both, one with
//! [`Resolver::manual`] and one with [`Resolver::new`]; every step's observation (what was
//! reached, relative to its root, or which error) must be equal. Without openat2 only the
//! manual tree runs, and the test says so.
//!
//! The default case count is 64; `PROPTEST_CASES` raises it.

use std::collections::BTreeMap;
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use rustix::fs::{FileType, Mode, OFlags, Timespec, Timestamps};
use rustix::io::Errno;
use wisp_sandbox::{Error, ErrorKind, Follow, Resolver};

use crate::{Zoo, stat_id};

/// One path component of a generated path.
#[derive(Clone, Copy, Debug)]
enum Tok {
    Dot,
    DotDot,
    A,
    B,
    /// A 255-byte name: the longest a component may be.
    Long,
    /// A 256-byte name: one byte too long.
    TooLong,
    /// The sentinel's name, so `../sentinel` is generated.
    Sentinel,
    /// The name of the file inside the sentinel.
    Secret,
}

impl Tok {
    fn text(self) -> String {
        match self {
            Tok::Dot => ".".into(),
            Tok::DotDot => "..".into(),
            Tok::A => "a".into(),
            Tok::B => "b".into(),
            Tok::Long => "l".repeat(255),
            Tok::TooLong => "t".repeat(256),
            Tok::Sentinel => "sentinel".into(),
            Tok::Secret => "secret".into(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Tail {
    None,
    Slash,
    SlashDot,
}

/// A generated path: tokens joined by one or two slashes, maybe absolute, maybe with a tail.
#[derive(Clone, Debug)]
struct GenPath {
    absolute: bool,
    toks: Vec<(Tok, bool)>,
    tail: Tail,
}

impl GenPath {
    fn render(&self) -> String {
        let mut out = String::new();
        if self.absolute {
            out.push('/');
        }
        for (i, (tok, double)) in self.toks.iter().enumerate() {
            if i > 0 {
                out.push_str(if *double { "//" } else { "/" });
            }
            out.push_str(&tok.text());
        }
        match self.tail {
            Tail::None => {}
            Tail::Slash => out.push('/'),
            Tail::SlashDot => out.push_str("/."),
        }
        out
    }
}

/// The target of a generated symbolic link.
#[derive(Clone, Debug)]
enum Target {
    Rel(GenPath),
    /// The sentinel's absolute host path.
    AbsSentinel,
    /// The absolute host path of the file inside the sentinel.
    AbsSecret,
    /// The root's own absolute host path (still refused: absolute).
    AbsRoot,
    DotDotSentinel,
    DotDotSecret,
}

impl Target {
    fn render(&self, tree: &Tree) -> String {
        let top = tree.zoo.top.display();
        match self {
            Target::Rel(p) => p.render(),
            Target::AbsSentinel => format!("{top}/sentinel"),
            Target::AbsSecret => format!("{top}/sentinel/secret"),
            Target::AbsRoot => format!("{top}/root"),
            Target::DotDotSentinel => "../sentinel".into(),
            Target::DotDotSecret => "../sentinel/secret".into(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum OpenKind {
    Read,
    Directory,
    Path,
    Write,
}

/// One step of a plan.
#[derive(Clone, Debug)]
enum Op {
    Mkdir(GenPath),
    Create(GenPath, bool),
    CreateExcl(GenPath),
    Symlink(Target, GenPath),
    Open(GenPath, bool, OpenKind),
    Stat(GenPath, bool),
    Parent(GenPath, bool),
    Unlink(GenPath),
    Rmdir(GenPath),
    Rename(GenPath, GenPath),
    Link(GenPath, bool, GenPath),
    ReadLink(GenPath),
    SetTimes(GenPath, bool),
}

fn tok() -> impl Strategy<Value = Tok> {
    prop_oneof![
        2 => Just(Tok::Dot),
        3 => Just(Tok::DotDot),
        8 => Just(Tok::A),
        8 => Just(Tok::B),
        1 => Just(Tok::Long),
        1 => Just(Tok::TooLong),
        2 => Just(Tok::Sentinel),
        1 => Just(Tok::Secret),
    ]
}

/// A name token (no `.`, `..` or over-long name), for building the tree.
fn name_tok() -> impl Strategy<Value = Tok> {
    prop_oneof![
        6 => Just(Tok::A),
        6 => Just(Tok::B),
        1 => Just(Tok::Long),
        1 => Just(Tok::Sentinel),
        1 => Just(Tok::Secret),
    ]
}

fn gen_path() -> impl Strategy<Value = GenPath> {
    let tail =
        prop_oneof![8 => Just(Tail::None), 2 => Just(Tail::Slash), 1 => Just(Tail::SlashDot)];
    (
        proptest::bool::weighted(0.05),
        prop::collection::vec((tok(), any::<bool>()), 1..5),
        tail,
    )
        .prop_map(|(absolute, toks, tail)| GenPath {
            absolute,
            toks,
            tail,
        })
}

/// A plain relative path of names, where the tree-building steps create things.
fn name_path() -> impl Strategy<Value = GenPath> {
    prop::collection::vec((name_tok(), Just(false)), 1..4).prop_map(|toks| GenPath {
        absolute: false,
        toks,
        tail: Tail::None,
    })
}

/// The first steps of a plan: build a tree of directories, files and links.
fn seed_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => name_path().prop_map(Op::Mkdir),
        2 => name_path().prop_map(|p| Op::Create(p, false)),
        3 => (target(), name_path()).prop_map(|(t, p)| Op::Symlink(t, p)),
    ]
}

/// A plan: tree-building steps, then arbitrary operations.
fn plan() -> impl Strategy<Value = Vec<Op>> {
    (
        prop::collection::vec(seed_op(), 2..12),
        prop::collection::vec(op(), 1..16),
    )
        .prop_map(|(mut seed, ops)| {
            seed.extend(ops);
            seed
        })
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        6 => gen_path().prop_map(Target::Rel),
        1 => Just(Target::AbsSentinel),
        1 => Just(Target::AbsSecret),
        1 => Just(Target::AbsRoot),
        1 => Just(Target::DotDotSentinel),
        1 => Just(Target::DotDotSecret),
    ]
}

fn open_kind() -> impl Strategy<Value = OpenKind> {
    prop_oneof![
        Just(OpenKind::Read),
        Just(OpenKind::Directory),
        Just(OpenKind::Path),
        Just(OpenKind::Write),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let b = any::<bool>;
    prop_oneof![
        3 => gen_path().prop_map(Op::Mkdir),
        3 => (gen_path(), b()).prop_map(|(p, f)| Op::Create(p, f)),
        1 => gen_path().prop_map(Op::CreateExcl),
        4 => (target(), gen_path()).prop_map(|(t, p)| Op::Symlink(t, p)),
        4 => (gen_path(), b(), open_kind()).prop_map(|(p, f, k)| Op::Open(p, f, k)),
        3 => (gen_path(), b()).prop_map(|(p, f)| Op::Stat(p, f)),
        2 => (gen_path(), b()).prop_map(|(p, f)| Op::Parent(p, f)),
        1 => gen_path().prop_map(Op::Unlink),
        1 => gen_path().prop_map(Op::Rmdir),
        1 => (gen_path(), gen_path()).prop_map(|(a, c)| Op::Rename(a, c)),
        1 => (gen_path(), b(), gen_path()).prop_map(|(a, f, c)| Op::Link(a, f, c)),
        1 => gen_path().prop_map(Op::ReadLink),
        1 => (gen_path(), b()).prop_map(|(p, f)| Op::SetTimes(p, f)),
    ]
}

/// What one step observed, with host paths made relative to the tree, so two trees compare.
#[derive(Debug, PartialEq, Eq)]
enum Obs {
    /// Reached an object: its path relative to the root and its type.
    Reached(String, FileType),
    /// A parent directory (relative path), the final name and the trailing-slash flag.
    Parent(String, String, bool),
    /// A link's contents, with the tree's own temporary path replaced by `<top>`.
    LinkText(String),
    /// The operation succeeded and returns nothing.
    Done,
    /// The operation failed.
    Failed(ErrorKind),
}

/// One temporary tree and the resolver that runs in it.
struct Tree {
    zoo: Zoo,
    resolver: Resolver,
    /// The root's canonical host path (what /proc/self/fd shows).
    canonical_root: PathBuf,
}

impl Tree {
    /// A tree with a fixed base (`a/`, `a/a/`, `a/b`, `b/`, `b/b -> ../a`) for the plan to
    /// build on.
    fn new(resolver: Resolver) -> Self {
        let zoo = Zoo::empty();
        zoo.mkdir("a");
        zoo.mkdir("a/a");
        zoo.write("a/b", "a/b");
        zoo.mkdir("b");
        zoo.symlink("../a", "b/b");
        let canonical_root = zoo.root_path.canonicalize().expect("canonical root");
        Tree {
            zoo,
            resolver,
            canonical_root,
        }
    }

    fn fd(&self) -> BorrowedFd<'_> {
        self.zoo.fd()
    }

    /// Relative path of a host path, or a property failure if it is not under the root.
    fn relative(&self, host: &Path) -> Result<String, TestCaseError> {
        match host.strip_prefix(&self.canonical_root) {
            Ok(rel) if rel.as_os_str().is_empty() => Ok(".".into()),
            Ok(rel) => Ok(rel.to_string_lossy().into_owned()),
            Err(_) => Err(TestCaseError::fail(format!(
                "{:?} reached {host:?}, outside the root {:?}",
                self.resolver, self.canonical_root
            ))),
        }
    }

    /// Where a descriptor points, relative to the root; fails the case if outside.
    fn reached_fd(&self, fd: &OwnedFd) -> Result<Obs, TestCaseError> {
        let host = std::fs::read_link(format!("/proc/self/fd/{}", fd.as_raw_fd()))
            .map_err(|e| TestCaseError::fail(format!("readlink /proc/self/fd: {e}")))?;
        let stat = rustix::fs::fstat(fd).map_err(|e| TestCaseError::fail(format!("fstat: {e}")))?;
        Ok(Obs::Reached(
            self.relative(&host)?,
            FileType::from_raw_mode(stat.st_mode),
        ))
    }

    /// Where a (device, inode) pair is in the root; fails the case if nowhere.
    fn reached_id(&self, id: (u64, u64), file_type: FileType) -> Result<Obs, TestCaseError> {
        match self.ids().get(&id) {
            Some(rel) => Ok(Obs::Reached(rel.clone(), file_type)),
            None => Err(TestCaseError::fail(format!(
                "{:?} reached {id:?}, which is not under the root",
                self.resolver
            ))),
        }
    }

    /// Every object under the root (links not followed): relative path, id and type.
    fn walk(&self) -> Vec<(String, (u64, u64), FileType)> {
        let mut all = Vec::new();
        let mut queue = vec![(self.zoo.root_path.clone(), ".".to_owned())];
        while let Some((host, rel)) = queue.pop() {
            let Ok(meta) = std::fs::symlink_metadata(&host) else {
                continue;
            };
            all.push((
                rel.clone(),
                (meta.dev(), meta.ino()),
                FileType::from_raw_mode(meta.mode()),
            ));
            if meta.is_dir() {
                let Ok(entries) = std::fs::read_dir(&host) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    let child = if rel == "." {
                        name.clone()
                    } else {
                        format!("{rel}/{name}")
                    };
                    queue.push((host.join(&name), child));
                }
            }
        }
        all
    }

    /// Every object under the root by id; the smallest path wins for hard links, so both trees
    /// name an object alike.
    fn ids(&self) -> BTreeMap<(u64, u64), String> {
        let mut ids = BTreeMap::new();
        for (rel, id, _) in self.walk() {
            let slot = ids.entry(id).or_insert_with(|| rel.clone());
            if rel < *slot {
                *slot = rel;
            }
        }
        ids
    }

    fn run(&self, op: &Op) -> Result<Obs, TestCaseError> {
        let r = self.resolver;
        let fd = self.fd();
        let follow = Follow::from;
        let outcome = |result: Result<(), Error>| match result {
            Ok(()) => Obs::Done,
            Err(e) => Obs::Failed(e.kind()),
        };
        let obs = match op {
            Op::Mkdir(p) => outcome(r.create_dir(fd, p.render(), Mode::from_raw_mode(0o755))),
            Op::Create(p, f) => {
                let flags = OFlags::CREATE | OFlags::WRONLY;
                match r.open(
                    fd,
                    p.render(),
                    flags,
                    Mode::from_raw_mode(0o644),
                    follow(*f),
                ) {
                    Ok(opened) => self.reached_fd(&opened)?,
                    Err(e) => Obs::Failed(e.kind()),
                }
            }
            Op::CreateExcl(p) => {
                let flags = OFlags::CREATE | OFlags::EXCL | OFlags::RDWR;
                match r.open(
                    fd,
                    p.render(),
                    flags,
                    Mode::from_raw_mode(0o644),
                    Follow::Yes,
                ) {
                    Ok(opened) => self.reached_fd(&opened)?,
                    Err(e) => Obs::Failed(e.kind()),
                }
            }
            Op::Symlink(t, p) => outcome(r.symlink(t.render(self), fd, p.render())),
            Op::Open(p, f, kind) => {
                let flags = match kind {
                    OpenKind::Read => OFlags::RDONLY,
                    OpenKind::Directory => OFlags::RDONLY | OFlags::DIRECTORY,
                    OpenKind::Path => OFlags::PATH,
                    OpenKind::Write => OFlags::WRONLY | OFlags::TRUNC,
                };
                match r.open(fd, p.render(), flags, Mode::empty(), follow(*f)) {
                    Ok(opened) => self.reached_fd(&opened)?,
                    Err(e) => Obs::Failed(e.kind()),
                }
            }
            Op::Stat(p, f) => match r.stat(fd, p.render(), follow(*f)) {
                Ok(stat) => {
                    self.reached_id(stat_id(&stat), FileType::from_raw_mode(stat.st_mode))?
                }
                Err(e) => Obs::Failed(e.kind()),
            },
            Op::Parent(p, f) => match r.resolve_parent(fd, p.render(), follow(*f)) {
                Ok(parent) => {
                    let stat = rustix::fs::fstat(parent.dir())
                        .map_err(|e| TestCaseError::fail(format!("fstat parent: {e}")))?;
                    let Obs::Reached(dir, _) =
                        self.reached_id(stat_id(&stat), FileType::Directory)?
                    else {
                        unreachable!("reached_id returns Reached")
                    };
                    let name = parent.name().to_string_lossy().into_owned();
                    // A ".." or a slash here would let the *at call leave the directory.
                    prop_assert!(
                        name != ".." && !name.contains('/') && !name.is_empty(),
                        "bad final name {name:?}"
                    );
                    Obs::Parent(dir, name, parent.must_be_dir())
                }
                Err(e) => Obs::Failed(e.kind()),
            },
            Op::Unlink(p) => outcome(r.unlink_file(fd, p.render())),
            Op::Rmdir(p) => outcome(r.remove_dir(fd, p.render())),
            Op::Rename(a, b) => outcome(r.rename(fd, a.render(), fd, b.render())),
            Op::Link(a, f, b) => outcome(r.hard_link(fd, a.render(), follow(*f), fd, b.render())),
            Op::ReadLink(p) => match r.read_link(fd, p.render()) {
                Ok(text) => {
                    let text = String::from_utf8_lossy(&text).into_owned();
                    Obs::LinkText(text.replace(&self.zoo.top.display().to_string(), "<top>"))
                }
                Err(e) => Obs::Failed(e.kind()),
            },
            Op::SetTimes(p, f) => {
                let t = Timespec {
                    tv_sec: 86_400,
                    tv_nsec: 0,
                };
                let times = Timestamps {
                    last_access: t,
                    last_modification: t,
                };
                outcome(r.set_times(fd, p.render(), follow(*f), &times))
            }
        };
        if let Obs::Failed(kind) = obs {
            prop_assert!(
                allowed(kind),
                "{op:?} failed with a kind that is not allowed: {kind:?}"
            );
        }
        Ok(obs)
    }
}

/// The failures a plan may see.
fn allowed(kind: ErrorKind) -> bool {
    match kind {
        ErrorKind::NotCapable
        | ErrorKind::Loop
        | ErrorKind::NameTooLong
        | ErrorKind::Inval
        | ErrorKind::NotDir
        | ErrorKind::NoEnt => true,
        ErrorKind::Host(errno) => [
            Errno::EXIST,
            Errno::ISDIR,
            Errno::NOTEMPTY,
            Errno::BUSY,
            Errno::PERM,
        ]
        .contains(&errno),
        _ => false,
    }
}

/// `PROPTEST_CASES` if set, else a count small enough for CI.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

fn check_plan(plan: &[Op]) -> Result<(), TestCaseError> {
    let manual = Tree::new(Resolver::manual());
    let fast = Resolver::new()
        .uses_fast_path()
        .then(|| Tree::new(Resolver::new()));
    for (step, op) in plan.iter().enumerate() {
        let seen = manual.run(op)?;
        if let Some(fast) = &fast {
            let fast_seen = fast.run(op)?;
            prop_assert_eq!(
                &seen,
                &fast_seen,
                "step {} ({:?}): manual walk and openat2 disagree",
                step,
                op
            );
        }
    }
    for tree in std::iter::once(&manual).chain(fast.as_ref()) {
        prop_assert!(
            tree.zoo.outside_is_untouched(),
            "{:?} touched the outside",
            tree.resolver
        );
    }
    if let Some(fast) = &fast {
        prop_assert_eq!(tree_listing(&manual), tree_listing(fast), "trees diverged");
    }
    Ok(())
}

/// Relative paths and types of everything under a root, sorted.
fn tree_listing(tree: &Tree) -> Vec<(String, FileType)> {
    let mut all: Vec<_> = tree
        .walk()
        .into_iter()
        .map(|(rel, _, file_type)| (rel, file_type))
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_plans_never_escape_and_both_resolvers_agree(plan in plan()) {
        check_plan(&plan)?;
    }
}

#[test]
fn agreement_property_reports_when_it_cannot_run() {
    if !Resolver::new().uses_fast_path() {
        eprintln!(
            "openat2 is not available on this kernel: the manual-vs-openat2 agreement property was not checked"
        );
    }
}
