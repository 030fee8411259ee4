//! The two XML primitives every document of the protocol uses: a writer (on `xmlwriter`) and
//! child-element readers (on `roxmltree`).
//!
//! `xmlwriter` 0.1 escapes only `<` in text and only the quote character in attributes, and it
//! indents text nodes. [`Writer`] completes the escaping (`&`, `<`, `>` and characters XML 1.0
//! cannot carry at all), keeps every text node inline (`<identity>1</identity>`, as DCImanager's
//! own examples), and is the only way this crate writes XML: no document is ever built by string
//! concatenation.

use crate::error::{FieldError, FieldErrorKind};

/// Builds one document. Elements holding text are written inline; containers are indented.
pub(crate) struct Writer {
    inner: xmlwriter::XmlWriter,
}

impl Writer {
    pub(crate) fn new() -> Writer {
        let opt = xmlwriter::Options {
            use_single_quote: false,
            indent: xmlwriter::Indent::Spaces(1),
            attributes_indent: xmlwriter::Indent::None,
        };
        Writer {
            inner: xmlwriter::XmlWriter::new(opt),
        }
    }

    pub(crate) fn open(&mut self, name: &str) {
        self.inner.start_element(name);
    }

    pub(crate) fn attr(&mut self, name: &str, value: &str) {
        self.inner.write_attribute(name, &escape(value, false));
    }

    pub(crate) fn close(&mut self) {
        self.inner.end_element();
    }

    /// `<name/>`.
    pub(crate) fn empty(&mut self, name: &str) {
        self.inner.start_element(name);
        self.inner.end_element();
    }

    /// `<name>text</name>`, with no whitespace added around the text.
    pub(crate) fn text(&mut self, name: &str, text: &str) {
        self.inner.start_element(name);
        if text.is_empty() {
            // An explicitly empty element (`<vlan_name></vlan_name>` reads the same as
            // `<vlan_name/>`), which is what an empty value means on the wire.
            self.inner.end_element();
            return;
        }
        self.inner.set_preserve_whitespaces(true);
        self.inner.write_text(&escape(text, true));
        self.inner.end_element();
        self.inner.set_preserve_whitespaces(false);
    }

    /// `<name>value</name>` for anything that displays.
    pub(crate) fn value(&mut self, name: &str, value: impl std::fmt::Display) {
        self.text(name, &value.to_string());
    }

    pub(crate) fn finish(self) -> String {
        self.inner.end_document()
    }
}

/// Escapes what `xmlwriter` leaves alone. Characters that XML 1.0 cannot represent at all (most
/// C0 controls, U+FFFE, U+FFFF) become U+FFFD: a device's port description may hold anything,
/// and the document must stay well-formed whatever it holds.
fn escape(s: &str, text: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' if text => out.push_str("&gt;"),
            '\t' | '\n' => out.push(c),
            // A raw CR would reach the reader as LF (XML 1.0 section 2.11 end-of-line handling):
            // a secret with a CR in it must arrive byte for byte.
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Limits that keep a hostile document from costing more than a real one: DCImanager's
/// requests have a few dozen nodes, a 384-port switch answer a few thousand.
pub(crate) const NODES_LIMIT: u32 = 1_000_000;

/// Parses a whole document and checks that its root is `<doc>`. DTDs (and so entity
/// declarations) are refused by roxmltree's defaults, which we keep.
/// `field` names the document in errors: `request` for what DCImanager sends, `document` for
/// what a handler answers.
pub(crate) fn parse_doc<'a>(
    text: &'a str,
    field: &'static str,
) -> Result<roxmltree::Document<'a>, FieldError> {
    let opt = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: NODES_LIMIT,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opt).map_err(|e| {
        FieldError::new(
            field,
            FieldErrorKind::NotXml {
                reason: e.to_string(),
            },
        )
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "doc" || root.tag_name().namespace().is_some() {
        return Err(FieldError::new(
            field,
            FieldErrorKind::WrongRoot {
                got: match root.tag_name().namespace() {
                    Some(ns) => format!(
                        "{{{}}}{}",
                        crate::values::shown(ns),
                        crate::values::shown(root.tag_name().name())
                    ),
                    None => crate::values::shown(root.tag_name().name()),
                },
            },
        ));
    }
    Ok(doc)
}

/// The element children of `node`.
pub(crate) fn elements<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    node.children().filter(roxmltree::Node::is_element)
}

/// The one child element called `name`, if any; a second one is an error.
pub(crate) fn only_child<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &str,
    field: &'static str,
) -> Result<Option<roxmltree::Node<'a, 'i>>, FieldError> {
    let mut found = elements(node).filter(|n| n.tag_name().name() == name);
    let first = found.next();
    if found.next().is_some() {
        return Err(FieldError::new(field, FieldErrorKind::Repeated));
    }
    Ok(first)
}

/// The text of an element that must hold only text (trimmed; empty when it has none).
pub(crate) fn text_of<'a>(
    node: roxmltree::Node<'a, '_>,
    field: &'static str,
) -> Result<String, FieldError> {
    if elements(node).next().is_some() {
        return Err(FieldError::new(field, FieldErrorKind::NotText));
    }
    let mut s = String::new();
    for t in node.children().filter(roxmltree::Node::is_text) {
        s.push_str(t.text().unwrap_or_default());
    }
    Ok(s.trim().to_owned())
}

/// The text of the one child `name`, if present.
pub(crate) fn child_text(
    node: roxmltree::Node<'_, '_>,
    name: &str,
    field: &'static str,
) -> Result<Option<String>, FieldError> {
    only_child(node, name, field)?
        .map(|n| text_of(n, field))
        .transpose()
}

/// Parses the text of the one child `name` with `FromStr`, naming `field` on failure.
pub(crate) fn child_value<T>(
    node: roxmltree::Node<'_, '_>,
    name: &str,
    field: &'static str,
) -> Result<Option<T>, FieldError>
where
    T: std::str::FromStr<Err = crate::values::ValueError>,
{
    // An empty element reads as an absent one: a form field left blank.
    match child_text(node, name, field)? {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|e| FieldError::new(field, FieldErrorKind::Invalid(e))),
    }
}
