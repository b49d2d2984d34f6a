//! §4.9 L5-L7: `path_unlink_file`, `path_remove_directory` and `path_create_directory`.

use super::*;

#[test]
fn l5_unlink_rules() {
    each(|fx| {
        assert_eq!(fx.unlink("sub"), Err(Errno::Isdir));
        assert_eq!(fx.unlink("sub/"), Err(Errno::Isdir));
        assert_eq!(fx.unlink("file/"), Err(Errno::Notdir));
        assert_eq!(fx.unlink("nothing"), Err(Errno::Noent));
        assert_eq!(fx.unlink("."), Err(Errno::Isdir));
        // A link is removed, its target stays.
        assert_eq!(fx.unlink("in"), Ok(()));
        assert!(!fx.exists("in") && fx.exists("sub/inner"));
        assert_eq!(fx.unlink("abs"), Ok(()));
        assert_eq!(fx.unlink("dang"), Ok(()));
        assert_eq!(fx.unlink("file"), Ok(()));
        assert!(!fx.exists("file"));
    });
}

#[test]
fn l6_remove_directory_rules() {
    each(|fx| {
        fs::create_dir(fx.at("empty")).expect("mkdir");
        assert_eq!(fx.rmdir("sub"), Err(Errno::Notempty));
        assert_eq!(fx.rmdir("file"), Err(Errno::Notdir));
        assert_eq!(fx.rmdir("in"), Err(Errno::Notdir));
        assert_eq!(fx.rmdir("nothing"), Err(Errno::Noent));
        assert_eq!(fx.rmdir("."), Err(Errno::Inval));
        assert_eq!(fx.rmdir("sub/.."), Err(Errno::Inval));
        assert_eq!(fx.rmdir(".."), Err(Errno::Notcapable));
        assert_eq!(fx.rmdir("empty/"), Ok(()));
        assert!(!fx.exists("empty") && fx.exists("sub"));
    });
}

#[test]
fn l7_create_directory_rules() {
    each(|fx| {
        for name in ["file", "sub", "dang", "in", ".", "sub/.."] {
            assert_eq!(fx.mkdir(name), Err(Errno::Exist), "{name}");
        }
        assert!(!fx.exists("missing"));
        assert_eq!(fx.mkdir("new"), Ok(()));
        let mode = fs::metadata(fx.at("new"))
            .expect("stat")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, umasked(&fx.root, 0o777, true));
        assert_eq!(fx.mkdir("new2/"), Ok(()));
        assert_eq!(fx.mkdir("in/nested"), Ok(()));
        assert!(fx.at("sub/nested").is_dir());
        assert_eq!(fx.mkdir("nothing/nested"), Err(Errno::Noent));
        assert_eq!(fx.mkdir("file/nested"), Err(Errno::Notdir));
    });
}
