//! `double-random`: the command line for small offices.
//!
//! Announce, draw, publish, amend and verify 双随机 inspection draws from rosters exported from
//! Excel. Messages are in Chinese by default; `--lang en`, or `LANG`/`LC_ALL` starting with
//! `en`, selects English. Run `double-random demo` for a whole ceremony on the sample data,
//! and `double-random <command> --help` for each command with an example.
#![forbid(unsafe_code)]

/// `println!` that never panics: a closed pipe (`| head`) ends the output quietly.
macro_rules! outln {
    () => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock());
    }};
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `eprintln!` that never panics.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

#[macro_use]
mod i18n;
mod args;
mod commands;
mod output;
mod results;
mod verify_json;

use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = i18n::detect(&argv);
    match args::parse(lang) {
        Ok(cli) => {
            let lang = match cli.lang {
                Some(args::LangArg::En) => i18n::Lang::En,
                Some(args::LangArg::Zh) => i18n::Lang::Zh,
                None => lang,
            };
            if let Some(n) = cli.threads {
                double_random::set_threads(n.get());
            }
            commands::run(cli, lang)
        }
        Err(e) => {
            let code = match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => 2,
            };
            let _ = e.print();
            if code == 2 && lang == i18n::Lang::Zh {
                errln!(
                    "用法有误（退出码 2）。运行 double-random --help 或 double-random <命令> --help 查看用法和示例。"
                );
            }
            ExitCode::from(code)
        }
    }
}
