//! Text from a spec, made safe to show: the one path by which a spec's words reach the output.
//!
//! A spec is untrusted input, and rustdoc reads doc comments as Markdown: a fenced or indented
//! code block there is a doctest that `cargo test` compiles and runs, raw HTML reaches the
//! rendered page, and a line break inside a `#[doc]` string starts a new Markdown line. So every
//! place a spec's text lands (doc comments, module docs, deprecation notes, README lines) takes
//! it through one of these functions, and none of it is ever parsed as Rust:
//!
//! - [`prose_lines`]: descriptions and other paragraphs, line by line;
//! - [`inline`]: a name or title inside a line the generator writes;
//! - [`code`]: a literal value (a wire name, a path, a media type, a file name) as a code span.
//!
//! What is neutralised: line breaks (CR, LF, CRLF: Markdown's line endings) and other control
//! characters, code fences (backticks are escaped, and tildes in runs of three), indented code blocks (leading
//! whitespace, and runs of four or more spaces where a list item would start one, are collapsed),
//! raw HTML and autolinks (`<` and `>` escaped), and links (`[`, `]` escaped). Bare `http(s)` URLs
//! are kept as links.

/// Characters escaped with a backslash in prose: what starts code, HTML, links or escapes.
/// (Tildes too, in runs of three or more: those could open a fence.)
const ESCAPED: [char; 6] = ['[', ']', '<', '>', '`', '\\'];

/// A spec's paragraph(s) as Markdown lines, each safe on its own `#[doc]` line. Blank lines (the
/// paragraph breaks) are kept as empty strings.
pub fn prose_lines(text: &str) -> Vec<String> {
    lines(text).map(|line| prose_line(line.trim_end())).collect()
}

/// A spec's text inside one line the generator writes (a title in a list, a message): line
/// breaks become spaces, and it is escaped as prose.
pub fn inline(text: &str) -> String {
    prose_line(one_line(text).trim())
}

/// A spec's literal value as a Markdown code span on one line: rendered verbatim (HTML in a code
/// span is text), never a fence, whatever backticks it holds.
pub fn code(text: &str) -> String {
    let flat = one_line(text);
    let longest_run = flat.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest_run + 1);
    // A span's content that starts or ends with a backtick needs a space between it and the ticks.
    let pad = if flat.starts_with('`') || flat.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{flat}{pad}{ticks}")
}

/// Splits on every Markdown line ending: LF, CRLF and a lone CR.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).flat_map(|l| l.split('\r'))
}

/// The text on one line: line breaks and other control characters become spaces.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// One line of prose, escaped.
fn prose_line(line: &str) -> String {
    // Tabs and other control characters become spaces (rustdoc and clippy dislike tabs). Four
    // leading spaces could start an indented code block, and a run of four after a list marker
    // (`-     code`) too: such runs go (fewer indent a list's continuation lines, and are kept);
    // Markdown renders a run of spaces as one anyway.
    let line = one_line(&line.replace('\t', "    "));
    let trimmed = line.trim_start();
    let line = collapse_space_runs(if line.len() - trimmed.len() >= 4 { trimmed } else { &line });
    let mut out = String::with_capacity(line.len() + 8);
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if let Some(url) = bare_url(word) {
            out.push('<');
            out.push_str(url);
            out.push('>');
            out.push_str(&word[url.len()..]);
            continue;
        }
        let fence_like = word.contains("~~~");
        for c in word.chars() {
            if ESCAPED.contains(&c) || (c == '~' && fence_like) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// A URL word kept as a link (without trailing punctuation): `http(s)` text with nothing that
/// could end the `<...>` autolink or open code.
fn bare_url(word: &str) -> Option<&str> {
    let is_url = (word.starts_with("http://") || word.starts_with("https://")) && !word.contains(['<', '>', '`']);
    is_url.then(|| word.trim_end_matches(['.', ',', ';', ')', '\u{3002}', '\u{ff0c}']))
}

/// Runs of four or more spaces become one.
fn collapse_space_runs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut run = 0;
    for c in line.chars() {
        if c == ' ' {
            run += 1;
            continue;
        }
        out.push_str(if run >= 4 { " " } else { &"   "[..run] });
        run = 0;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a Markdown line could open or close a code block, or start raw HTML.
    fn risky(line: &str) -> bool {
        let body = line.trim_start_matches([' ', '-', '*', '+', '>', '0', '1', '.', ')']);
        let unescaped_lt = line.char_indices().any(|(i, c)| c == '<' && !line[..i].ends_with('\\'));
        body.starts_with("```")
            || body.starts_with("~~~")
            || line.starts_with("    ")
            || line.contains("    ")
            || line.contains(['\n', '\r'])
            || unescaped_lt
    }

    #[test]
    fn prose_keeps_words_and_urls_but_not_markup() {
        assert_eq!(prose_lines("a [b] <c> d_e"), ["a \\[b\\] \\<c\\> d_e"]);
        assert_eq!(prose_lines("see https://x.y."), ["see <https://x.y>."]);
        assert_eq!(prose_lines("one\r\ntwo\rthree\n\nfour"), ["one", "two", "three", "", "four"]);
    }

    #[test]
    fn fences_indented_code_and_html_are_neutralised() {
        let hostile = "x\n```rust\nstd::process::exit(1);\n```\n~~~~\nfn f() {}\n~~~~\n\n    indented();\n-     listed();\n\tTabbed\n<script>alert(1)</script>\r~~~\r\u{0}x";
        for line in prose_lines(hostile) {
            assert!(!risky(&line), "{line:?}");
        }
        assert!(!risky(&inline(hostile)));
        assert_eq!(inline("Title\n#![cfg(any())]"), "Title #!\\[cfg(any())\\]");
    }

    #[test]
    fn code_spans_hold_any_text_on_one_line() {
        assert_eq!(code("application/json"), "`application/json`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("```\nrun()\n```"), "```` ``` run() ``` ````");
        assert!(!code("x\r\ny").contains(['\r', '\n']));
    }
}
