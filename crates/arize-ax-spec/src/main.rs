//! `arize-ax-spec sync`: refresh the checked-in OpenAPI 3.0.3 spec from an
//! upstream Arize document.

use std::path::PathBuf;
use std::process::ExitCode;

use arize_ax_spec::{CHECKED_IN_SPEC, ConvertOptions, is_in_sync, sync_file};

const USAGE: &str = "\
usage: arize-ax-spec sync --upstream PATH [--out PATH] [--check]

Converts an upstream Arize OpenAPI document (3.0 or 3.1, YAML or JSON) into
the OpenAPI 3.0.3 file the generated client is built from.

  --upstream PATH  the upstream document
  --out PATH       where to write (default: openapi/arize-v2-organizations.openapi.json)
  --check          write nothing; exit 1 if the file would change";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err("missing command".into());
    };
    if command == "--help" || command == "-h" {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    }
    if command != "sync" {
        return Err(format!("unknown command `{command}`"));
    }
    let mut upstream = None;
    let mut out = PathBuf::from(CHECKED_IN_SPEC);
    let mut check = false;
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--upstream" => {
                upstream = Some(PathBuf::from(it.next().ok_or("--upstream needs a path")?))
            }
            "--out" => out = PathBuf::from(it.next().ok_or("--out needs a path")?),
            "--check" => check = true,
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    let upstream = upstream.ok_or("--upstream is required")?;
    let options = ConvertOptions::default();
    if check {
        if is_in_sync(&upstream, &out, &options).map_err(|e| e.to_string())? {
            println!("{} is up to date", out.display());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "{} differs from what {} converts to; run `arize-ax-spec sync --upstream {}`",
            out.display(),
            upstream.display(),
            upstream.display()
        );
        return Ok(ExitCode::from(1));
    }
    let changed = sync_file(&upstream, &out, &options).map_err(|e| e.to_string())?;
    println!(
        "{} {}",
        out.display(),
        if changed {
            "updated"
        } else {
            "already up to date"
        }
    );
    Ok(ExitCode::SUCCESS)
}
