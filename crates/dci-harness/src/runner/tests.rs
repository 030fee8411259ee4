//! Unit tests of the runner's pure parts: finding the end of the first document, and the
//! bounded capture of a pipe. The process handling is tested in `tests/it/runner.rs` against
//! fake handler scripts.

use super::{Capture, first_root_end, last_line, tag_end};

#[track_caller]
fn root_end(text: &str, expected: Option<&str>) {
    let got = first_root_end(text).map(|end| &text[..end]);
    assert_eq!(got, expected, "{text:?}");
}

#[test]
#[rustfmt::skip]
fn end_of_the_first_root_element() {
    root_end("<doc/>", Some("<doc/>"));
    root_end("<doc/><doc/>", Some("<doc/>"));
    root_end("<doc></doc>\n<doc></doc>", Some("<doc></doc>"));
    root_end("<doc><port><identity>1</identity></port></doc>done", Some("<doc><port><identity>1</identity></port></doc>"));
    root_end("<?xml version=\"1.0\"?>\n<doc><a/></doc><doc/>", Some("<?xml version=\"1.0\"?>\n<doc><a/></doc>"));
    root_end("<!-- </doc> --><doc><b a='x>y'/></doc>x", Some("<!-- </doc> --><doc><b a='x>y'/></doc>"));
    root_end("<doc><![CDATA[</doc>]]></doc><x/>", Some("<doc><![CDATA[</doc>]]></doc>"));
    root_end("<doc><doc></doc></doc>", Some("<doc><doc></doc></doc>"));
    root_end("<doc><port>", None);
    root_end("no xml at all", None);
    root_end("</doc>", None);
    root_end("<doc a=\"unterminated>", None);
}

#[test]
fn tag_end_skips_quoted_values() {
    assert_eq!(tag_end("<a b=\">\" c='>'>rest"), Some(14));
    assert_eq!(tag_end("<a"), None);
}

#[test]
fn stdout_keeps_its_head_and_notes_overflow() {
    let mut c = Capture::head(4);
    c.push(b"ab");
    c.push(b"cd");
    assert!(!c.overflowed);
    c.push(b"ef");
    assert!(c.overflowed);
    assert_eq!(c.text(), "abcd");
}

#[test]
fn stderr_keeps_its_tail() {
    let mut c = Capture::tail(4);
    for chunk in [&b"12"[..], b"34", b"56", b"78", b"9"] {
        c.push(chunk);
    }
    assert_eq!(c.text(), "…6789");
    let mut short = Capture::tail(4);
    short.push(b"abc");
    assert_eq!(short.text(), "abc");
}

#[test]
fn utf8_errors_are_located() {
    let mut c = Capture::head(100);
    c.push(b"<doc>\xff</doc>");
    assert_eq!(c.utf8_error(), Some(5));
    assert_eq!(Capture::head(1).utf8_error(), None);
}

#[test]
fn the_last_line_of_stderr() {
    assert_eq!(last_line("one\ntwo\n\n  \n"), "two");
    assert_eq!(last_line(""), "");
    assert_eq!(last_line(&"x".repeat(300)).chars().count(), 201);
}
