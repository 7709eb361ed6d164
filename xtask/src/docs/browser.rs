//! `cargo xtask docs --check`: renders each page in headless Chromium (Debian's `chromium`,
//! installed with apt-get when missing) with every host name unresolvable, so only what the page
//! carries can render, then checks the rendered DOM: every operation's summary and one error code
//! of its catalogue are visible, and nothing (script, style, font, image, frame) is loaded from
//! the network.

use super::fold::CONTRADICTIONS_INTRO;
use super::Page;
use crate::paths::target_dir;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
/// Wall-clock limit for one page; the scripts themselves get a virtual-time budget.
const RENDER_LIMIT: Duration = Duration::from_secs(180);

pub fn check(pages: &[Page]) -> Result<(), String> {
    ensure_chromium()?;
    let mut failures = Vec::new();
    for page in pages {
        let dom = render(&page.file)?;
        let problems = problems(&dom, page);
        let name = page.file.file_name().unwrap_or_default().to_string_lossy();
        if problems.is_empty() {
            println!(
                "ok    {name}: {} operation summaries, {} error codes and {} contradiction notes shown, \
                 nothing loaded from the network",
                page.expected.summaries.len(),
                page.expected.error_codes.len(),
                page.expected.contradictions
            );
        } else {
            println!("FAIL  {name}\n      {}", problems.join("\n      "));
            failures.push(format!("{name}: {}", problems.join("; ")));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("the API reference pages fail the offline Chromium check:\n  {}", failures.join("\n  ")))
    }
}

/// Installs Debian's chromium when it is missing (CI starts from a fresh machine).
fn ensure_chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    println!("installing chromium (apt-get) for the API reference check");
    for args in [&["update", "-qq"][..], &["install", "-y", "-qq", "chromium"][..]] {
        let status = Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map_err(|e| format!("cannot run apt-get to install chromium: {e}"))?;
        if !status.success() {
            return Err(format!("apt-get {} failed ({status}); install Debian's chromium package", args.join(" ")));
        }
    }
    Ok(())
}

/// The page's DOM after its scripts ran, from a fresh profile with no name resolution at all.
fn render(page: &Path) -> Result<String, String> {
    let scratch = target_dir().join("docs").join(format!("chromium-{}", std::process::id()));
    let profile = scratch.join("profile");
    std::fs::create_dir_all(&profile).map_err(|e| format!("cannot create {}: {e}", profile.display()))?;
    let dom_file = scratch.join("dom.html");
    let dom_out = std::fs::File::create(&dom_file).map_err(|e| format!("cannot create {}: {e}", dom_file.display()))?;
    let mut child = Command::new(CHROMIUM)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg("--host-resolver-rules=MAP * ~NOTFOUND")
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--virtual-time-budget=20000", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(dom_out)
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {CHROMIUM}: {e}"))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| format!("chromium: {e}"))? {
            break status;
        }
        if started.elapsed() > RENDER_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("chromium did not finish rendering {} in {RENDER_LIMIT:?}", page.display()));
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let dom = std::fs::read_to_string(&dom_file).map_err(|e| format!("cannot read {}: {e}", dom_file.display()));
    let _ = std::fs::remove_dir_all(&scratch);
    if !status.success() {
        return Err(format!("chromium failed on {} ({status})", page.display()));
    }
    dom
}

/// What the rendered page lacks or loads from the network.
fn problems(dom: &str, page: &Page) -> Vec<String> {
    let markup = without_element_bodies(dom, &["script"]);
    let text = visible_text(&markup);
    let mut problems = Vec::new();
    for (operation, summary) in &page.expected.summaries {
        if !text.contains(&single_line(summary)) {
            problems.push(format!("{operation}: the summary \"{summary}\" is not shown"));
        }
    }
    for (operation, code) in &page.expected.error_codes {
        if !text.contains(code.as_str()) {
            problems.push(format!("{operation}: the error code {code} of its catalogue is not shown"));
        }
    }
    if page.expected.contradictions > 0 && !text.contains(&format!("Contradictions {CONTRADICTIONS_INTRO}")) {
        problems.push("the Contradictions section is not shown".into());
    }
    problems.extend(network_references(&markup));
    problems
}

/// `src="http…"`, stylesheet or font links, `url(http…)` and `@import`: anything the browser would
/// fetch from the network. (Plain `<a href>` links are for the reader to follow, and allowed.)
fn network_references(markup: &str) -> Vec<String> {
    let lower = markup.to_ascii_lowercase();
    let mut found = Vec::new();
    for pattern in ["src=\"http", "src='http", "src=\"//", "url(http", "url(\"http", "url('http", "url(//", "@import"] {
        if let Some(at) = lower.find(pattern) {
            found.push(format!("loads from the network: {}", excerpt(markup, at)));
        }
    }
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("<link") {
        let tag = &rest[at..rest[at..].find('>').map_or(rest.len(), |end| at + end)];
        if tag.contains("href=\"http") || tag.contains("href=\"//") {
            found.push(format!("loads from the network: {tag}"));
        }
        rest = &rest[at + "<link".len()..];
    }
    found
}

fn excerpt(text: &str, at: usize) -> String {
    text.get(at..).unwrap_or_default().chars().take(120).collect()
}

/// `html` with the contents of the named elements removed (their tags stay).
fn without_element_bodies(html: &str, elements: &[&str]) -> String {
    let mut out = String::with_capacity(html.len());
    let lower = html.to_ascii_lowercase();
    let tags: Vec<(String, String)> = elements.iter().map(|e| (format!("<{e}"), format!("</{e}"))).collect();
    let mut at = 0;
    'scan: while at < html.len() {
        for (open, close) in &tags {
            if lower[at..].starts_with(open.as_str()) {
                let Some(tag_end) = lower[at..].find('>').map(|end| at + end + 1) else { break 'scan };
                let body_end = lower[tag_end..].find(close.as_str()).map_or(html.len(), |end| tag_end + end);
                out.push_str(&html[at..tag_end]);
                at = body_end;
                continue 'scan;
            }
        }
        let next = html[at..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&html[at..at + next]);
        at += next;
    }
    out
}

/// The text a reader sees: styles dropped, tags removed, entities decoded, whitespace collapsed.
fn visible_text(markup: &str) -> String {
    let markup = without_element_bodies(markup, &["style"]);
    let mut text = String::with_capacity(markup.len());
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let decoded = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    single_line(&decoded)
}

fn single_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::fold::Expected;
    use std::path::PathBuf;

    fn page(summaries: &[(&str, &str)], codes: &[(&str, &str)]) -> Page {
        let pairs = |list: &[(&str, &str)]| list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        Page {
            file: PathBuf::from("x.html"),
            expected: Expected { summaries: pairs(summaries), error_codes: pairs(codes), contradictions: 0 },
        }
    }

    #[test]
    fn shown_text_passes_and_missing_text_is_named() {
        let dom = "<html><script>var s = \"Hidden op\";</script><h2>Create a  cluster &amp; more</h2>\
                   <style>.a{}</style><td>APIC.7244</td><a href=\"https://example.com\">docs</a></html>";
        let shown = page(&[("CreateCluster", "Create a cluster & more")], &[("CreateCluster", "APIC.7244")]);
        assert!(problems(dom, &shown).is_empty(), "{:?}", problems(dom, &shown));
        let hidden = page(&[("Hidden", "Hidden op")], &[("Hidden", "APIC.9999")]);
        let found = problems(dom, &hidden);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("Hidden op") && found[1].contains("APIC.9999"), "{found:?}");
    }

    #[test]
    fn the_contradictions_section_must_be_shown_when_there_are_notes() {
        let mut with_notes = page(&[], &[]);
        with_notes.expected.contradictions = 2;
        let found = problems("<h1>API</h1>", &with_notes);
        assert_eq!(found, ["the Contradictions section is not shown"]);
        let dom = format!("<h2>Contradictions</h2><p>{CONTRADICTIONS_INTRO}, and more.</p>");
        assert!(problems(&dom, &with_notes).is_empty());
    }

    #[test]
    fn network_loads_are_found_outside_scripts() {
        let dom = "<script>var u = 'src=\"https://x'</script><script src=\"https://cdn.example/r.js\"></script>\
                   <link rel=\"stylesheet\" href=\"https://fonts.example/css\"><style>@font-face{src:url(https://f)}</style>";
        let found = problems(dom, &page(&[], &[]));
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(network_references("<link rel=\"icon\" href=\"data:,\"><a href=\"https://x\">x</a>").is_empty());
    }
}
