//! `cargo xtask docs`: one self-contained HTML API reference per spec, `target/docs/<spec>.html`,
//! that works with no network: Redoc's standalone bundle (from npm, pinned in `tools/`) and the spec
//! are inlined into the page. The `x-` extensions Redoc does not read (error catalogues,
//! contradiction notes) are folded into descriptions first (`fold`). With `--check`, headless
//! Chromium renders every page offline and the rendered text is checked (`browser`).

mod browser;
mod fold;

use crate::paths::{root, spec_files, target_dir};
use crate::tools;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct DocsArgs {
    /// Also render every page in headless Chromium, offline, and check that each operation's
    /// summary and error codes are shown (installs Debian's chromium when missing)
    #[arg(long)]
    pub check: bool,
}

/// Redoc's sidebar footer loads its logo from a CDN; offline pages show an empty image instead.
const REDOC_LOGO_URL: &str = "https://cdn.redoc.ly/redoc/logo-mini.svg";
const EMPTY_IMAGE: &str = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==";

/// Redoc's options: spec text is rendered as untrusted (sanitised) Markdown.
const REDOC_OPTIONS: &str =
    r#"{"untrustedSpec": true, "hideDownloadButton": true, "expandResponses": "200,201,202,204"}"#;

/// One written page and what it must show.
pub struct Page {
    pub file: PathBuf,
    pub expected: fold::Expected,
}

pub fn run(args: &DocsArgs) -> Result<(), String> {
    let tools = tools::ensure()?;
    let bundle = std::fs::read_to_string(&tools.redoc_bundle)
        .map_err(|e| format!("cannot read Redoc's bundle {}: {e}", tools.redoc_bundle.display()))?
        .replace(REDOC_LOGO_URL, EMPTY_IMAGE);
    let out = target_dir().join("docs");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut pages = Vec::new();
    for spec in spec_files(&root().join("spec"))? {
        let page = write_page(&spec, &bundle, &out)?;
        println!("wrote {}", page.file.display());
        pages.push(page);
    }
    if args.check {
        browser::check(&pages)?;
    }
    Ok(())
}

fn write_page(spec: &Path, bundle: &str, out: &Path) -> Result<Page, String> {
    let loaded = crate::lint::read_spec(spec)?;
    let mut doc = loaded.raw;
    let expected = fold::fold(&mut doc);
    let title = doc.pointer("/info/title").and_then(|t| t.as_str()).unwrap_or(&loaded.stem).to_string();
    let file = out.join(format!("{}.html", loaded.stem));
    std::fs::write(&file, html(&title, &doc, bundle)).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(Page { file, expected })
}

/// The page: Redoc's bundle and the spec inline, nothing fetched.
fn html(title: &str, doc: &serde_json::Value, bundle: &str) -> String {
    // `<` only occurs inside JSON strings, where `\u003c` means the same; no `</script>` can end
    // the script early.
    let spec_json = doc.to_string().replace('<', "\\u003c");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} - API reference</title>\n<style>body {{ margin: 0; padding: 0; }}</style>\n</head>\n<body>\n\
         <div id=\"redoc\"></div>\n<script>\n{bundle}\n</script>\n\
         <script>\nRedoc.init({spec_json}, {REDOC_OPTIONS}, document.getElementById(\"redoc\"));\n</script>\n\
         </body>\n</html>\n",
        escape_html(title)
    )
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_cannot_end_the_script_and_the_title_is_escaped() {
        let doc = serde_json::json!({"info": {"description": "</script><script>alert(1)</script>"}});
        let page = html("A <b> & co", &doc, "/* bundle */");
        assert!(page.contains("<title>A &lt;b&gt; &amp; co - API reference</title>"), "{page}");
        assert_eq!(page.matches("</script>").count(), 2, "{page}");
        let inline = page.split("Redoc.init(").nth(1).unwrap().split(", {").next().unwrap();
        let back: serde_json::Value = serde_json::from_str(inline).unwrap();
        assert_eq!(back, doc);
    }
}
