//! What the command line shows besides the signed records and their views (which
//! `double_random::publish` renders): tables on the terminal and a progress bar.

use double_random::bundle::Progress;
use std::io::IsTerminal;
use std::path::Path;

/// A progress bar on standard error for large files, when standard error is a terminal.
pub struct Bar {
    bar: Option<indicatif::ProgressBar>,
    enabled: bool,
}

/// Files smaller than this load without a bar.
const BAR_THRESHOLD: u64 = 4 << 20;

impl Bar {
    /// A bar that shows only on a terminal.
    pub fn new() -> Self {
        Bar {
            bar: None,
            enabled: std::io::stderr().is_terminal(),
        }
    }
}

impl Progress for Bar {
    fn start(&mut self, file: &Path, total_bytes: Option<u64>) {
        if !self.enabled || total_bytes.is_some_and(|t| t < BAR_THRESHOLD) {
            return;
        }
        let bar = match total_bytes {
            Some(t) => indicatif::ProgressBar::new(t),
            None => indicatif::ProgressBar::new_spinner(),
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(
            file.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        self.bar = Some(bar);
    }

    fn advance(&mut self, bytes: u64) {
        if let Some(b) = &self.bar {
            b.inc(bytes);
        }
    }

    fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

/// The display width of text on a terminal: East Asian wide characters count two columns.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
                || (0x20000..=0x3FFFD).contains(&u);
            if wide { 2 } else { 1 }
        })
        .sum()
}

/// Text padded with spaces to `w` display columns.
pub fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    for _ in width(s)..w {
        out.push(' ');
    }
    out
}

/// Prints rows as aligned columns, indented (the last column is not padded).
pub fn print_table(rows: &[Vec<String>], indent: usize) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c));
        }
    }
    for r in rows {
        let mut line = " ".repeat(indent);
        for (i, c) in r.iter().enumerate() {
            if i + 1 == r.len() {
                line.push_str(c);
            } else {
                line.push_str(&pad(c, widths[i]));
                line.push_str("  ");
            }
        }
        outln!("{}", line.trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("公告"), 4);
        assert_eq!(pad("公告", 6), "公告  ");
    }
}
