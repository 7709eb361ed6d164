//! The project guide's size limits on hand-written code, checked by `cargo test -p xtask` (and so
//! by `cargo xtask test`): no `.rs` file in `codegen/src`, `runtime/src` or `xtask/src` over
//! [`MAX_FILE_LINES`] lines, and no function there over [`MAX_FN_LINES`], unless a comment
//! mentioning the "size limit" says why (near the top of the file, or just above the function).
//!
//! Functions are found by scanning the text with comments and literals blanked out, not by
//! parsing: a `fn` item's lines run from its signature to its closing brace.

use std::path::Path;

/// The folders of hand-written Rust the limits apply to.
const CHECKED: [&str; 3] = ["codegen/src", "runtime/src", "xtask/src"];
const MAX_FILE_LINES: usize = 600;
const MAX_FN_LINES: usize = 80;
/// What a comment must mention to excuse a file or function from its limit.
const EXCUSE: &str = "size limit";

/// A file or function over its limit: where, what, and how many lines.
#[derive(Debug, PartialEq)]
struct Oversize {
    line: usize,
    what: String,
    lines: usize,
}

/// The files and functions of `source` over their limits.
fn oversized(source: &str) -> Vec<Oversize> {
    let original: Vec<&str> = source.lines().collect();
    let code = blank_comments_and_literals(source);
    let code: Vec<&str> = code.lines().collect();
    let mut found = Vec::new();
    let head_excused = original.iter().take(30).any(|l| is_excuse(l));
    if original.len() > MAX_FILE_LINES && !head_excused {
        found.push(Oversize { line: 1, what: "file".into(), lines: original.len() });
    }
    for (start, line) in code.iter().enumerate() {
        let Some(name) = fn_name(line) else { continue };
        let Some(end) = body_end(&code, start) else { continue };
        let lines = end - start + 1;
        let above = original[..start].iter().rev().take_while(|l| is_comment_or_attribute(l));
        let excused = above.chain(original.get(start + 1)).any(|l| is_excuse(l));
        if lines > MAX_FN_LINES && !excused {
            found.push(Oversize { line: start + 1, what: format!("fn {name}"), lines });
        }
    }
    found
}

fn is_excuse(line: &str) -> bool {
    line.trim_start().starts_with("//") && line.to_ascii_lowercase().contains(EXCUSE)
}

fn is_comment_or_attribute(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("//") || line.starts_with("#[")
}

/// The name of the function a line declares (`pub(crate) async fn name(`), if it declares one.
fn fn_name(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    let qualifiers = ["const", "async", "unsafe", "extern", "\"C\"", "default"];
    let mut word = words.next()?;
    while word.starts_with("pub") || qualifiers.contains(&word) {
        word = words.next()?;
    }
    let rest = words.next()?;
    let name: &str = rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next()?;
    (word == "fn" && !name.is_empty()).then_some(name)
}

/// The line of the brace closing the body that starts on or after line `start`; `None` for a
/// declaration without a body (`fn f();` in a trait).
fn body_end(code: &[&str], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (index, line) in code.iter().enumerate().skip(start) {
        for c in line.chars() {
            match c {
                ';' if depth == 0 => return None,
                '{' => depth += 1,
                '}' if depth == 1 => return Some(index),
                '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

/// `source` with the insides of comments, strings (raw ones too) and character literals
/// replaced by spaces, line breaks kept: braces and `fn` in them are not code.
fn blank_comments_and_literals(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let at = |k: usize| chars.get(i + k).copied().unwrap_or('\0');
        let is_ident = |k: usize| chars.get(k).is_some_and(|&c| c.is_alphanumeric() || c == '_');
        // `r"..."`, `r#"..."#` and `br"..."` are raw strings; `for"`-like runs are not.
        let after_ident = i > 0 && is_ident(i - 1) && !(chars[i - 1] == 'b' && (i < 2 || !is_ident(i - 2)));
        let end = if at(0) == '/' && at(1) == '/' {
            chars[i..].iter().position(|&c| c == '\n').map_or(chars.len(), |n| i + n)
        } else if at(0) == '/' && at(1) == '*' {
            block_comment_end(&chars, i)
        } else if at(0) == '"' {
            string_end(&chars, i + 1, 0)
        } else if at(0) == 'r' && !after_ident && (at(1) == '"' || at(1) == '#') {
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            match chars.get(i + 1 + hashes) {
                Some('"') => string_end(&chars, i + 2 + hashes, hashes),
                _ => i + 1,
            }
        } else if at(0) == '\'' && at(1) == '\\' {
            // Past the escape's first character, so `'\''` ends at its last quote.
            chars.get(i + 3..).and_then(|rest| rest.iter().position(|&c| c == '\'')).map_or(chars.len(), |n| i + 4 + n)
        } else if at(0) == '\'' && at(2) == '\'' {
            i + 3
        } else {
            i + 1
        };
        if end == i + 1 {
            out.push(chars[i]);
        } else {
            out.extend(chars[i..end.min(chars.len())].iter().map(|&c| blank(c)));
        }
        i = end.max(i + 1);
    }
    out
}

/// Just past the end of the (possibly nested) block comment opening at `start`.
fn block_comment_end(chars: &[char], start: usize) -> usize {
    let (mut depth, mut i) = (0usize, start);
    while i + 1 < chars.len() {
        match (chars[i], chars[i + 1]) {
            ('/', '*') => (depth, i) = (depth + 1, i + 2),
            ('*', '/') if depth == 1 => return i + 2,
            ('*', '/') => (depth, i) = (depth - 1, i + 2),
            _ => i += 1,
        }
    }
    chars.len()
}

/// Just past the closing quote of a string whose text starts at `from`: `"` followed by `hashes`
/// `#`s for a raw string, an unescaped `"` otherwise.
fn string_end(chars: &[char], from: usize, hashes: usize) -> usize {
    let raw = hashes > 0 || chars.get(from.wrapping_sub(2)) == Some(&'r');
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            '\\' if !raw => i += 2,
            '"' if chars[i + 1..].iter().take(hashes).filter(|&&c| c == '#').count() == hashes => {
                return i + 1 + hashes;
            }
            _ => i += 1,
        }
    }
    chars.len()
}

fn rust_files(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn hand_written_files_and_functions_stay_within_the_size_limits() {
    let root = crate::paths::root();
    let mut files = Vec::new();
    for dir in CHECKED {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "found only {} files: is the workspace root right?", files.len());
    let mut report = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).expect("readable source");
        for o in oversized(&source) {
            let path = file.strip_prefix(&root).unwrap_or(file).display();
            report.push(format!("{path}:{}: {} is {} lines", o.line, o.what, o.lines));
        }
    }
    assert!(
        report.is_empty(),
        "over the limits ({MAX_FILE_LINES} lines a file, {MAX_FN_LINES} a function; split it, or say why in a \
         comment mentioning the \"{EXCUSE}\"):\n{}",
        report.join("\n")
    );
}

#[test]
fn functions_are_measured_from_signature_to_closing_brace() {
    let body = |n: usize| "    let x = 1;\n".repeat(n);
    let source = format!(
        "pub(crate) async fn long(\n    a: u8,\n) -> u8 {{\n{}}}\n\nfn short() {{\n{}}}\n",
        body(MAX_FN_LINES - 3),
        body(MAX_FN_LINES - 2)
    );
    assert_eq!(oversized(&source), vec![Oversize { line: 1, what: "fn long".into(), lines: MAX_FN_LINES + 1 }]);
}

#[test]
fn braces_and_fn_in_comments_and_literals_are_not_code() {
    let source = "fn f() {\n    let a = \"}\\\" fn g() {\";\n    let b = r#\"}\"}\"#;\n    let c = '}';\n    \
                  // }\n    /* } /* } */ } */\n    let d: &'static str = \"\";\n}\nfn h() {}\n";
    let code = blank_comments_and_literals(source);
    assert_eq!(code.lines().count(), source.lines().count());
    assert_eq!(code.matches('}').count(), 2, "{code}");
    assert_eq!(code.matches("fn ").count(), 2, "{code}");
    assert!(code.contains("&'static str"), "a lifetime is not a character literal: {code}");
}

#[test]
fn a_comment_about_the_size_limit_excuses_a_function_or_a_file() {
    let long = format!("fn long() {{\n{}}}\n", "    step();\n".repeat(MAX_FN_LINES));
    assert_eq!(oversized(&long).len(), 1);
    let excused = format!("/// Does it all.\n// Over the size limit: one table, one arm per case.\n#[inline]\n{long}");
    assert!(oversized(&excused).is_empty());
    let file = "const A: u8 = 1;\n".repeat(MAX_FILE_LINES + 1);
    assert_eq!(oversized(&file).len(), 1);
    assert!(oversized(&format!("//! Generated tables; over the size limit on purpose.\n{file}")).is_empty());
}
