//! `arize-ax spec …`: keep the checked-in spec in step with upstream, and
//! say how upstream has drifted.

use std::io::Write;

use anyhow::Context as _;

use crate::failure::{Failure, exit};
use crate::output::{self, Format};
use clap::Subcommand;
use std::path::PathBuf;

/// Formats of `spec drift`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DriftFormat {
    /// One line per change, then a summary.
    Text,
    /// An array of `{kind, location, change}`.
    Json,
}

/// `arize-ax spec …`
#[derive(Debug, Subcommand)]
pub enum Spec {
    /// Compare an upstream spec with ours and classify what would break this
    /// SDK.
    ///
    /// Exit 0 when nothing is breaking (additive changes are still listed),
    /// 1 on breaking drift (or on any drift with --strict), 2 when a document
    /// cannot be read.
    Drift {
        /// The upstream document: a path or an http(s) URL (YAML or JSON,
        /// OpenAPI 3.0 or 3.1). Default: the copy vendored in this
        /// repository (run from its root).
        #[arg(long, default_value = arize_ax_spec::VENDORED_UPSTREAM)]
        upstream: String,
        /// Our document (default: the spec built into this binary).
        #[arg(long)]
        ours: Option<PathBuf>,
        /// Output format (`-o json` means the same as `--format json`).
        #[arg(long, value_enum)]
        format: Option<DriftFormat>,
        /// Fail on additive changes too.
        #[arg(long)]
        strict: bool,
    },
    /// Convert an upstream document (3.0/3.1, YAML/JSON) into openapi/.
    Sync {
        /// The upstream document (YAML or JSON, OpenAPI 3.0 or 3.1). Default:
        /// the copy vendored in this repository (run from its root).
        #[arg(long, default_value = arize_ax_spec::VENDORED_UPSTREAM)]
        upstream: PathBuf,
        /// Where to write.
        #[arg(long, default_value = arize_ax_spec::CHECKED_IN_SPEC)]
        out: PathBuf,
        /// Write nothing; exit 1 if the file would change.
        #[arg(long)]
        check: bool,
    },
}

/// How long `spec drift` waits for an upstream URL unless `--timeout` says.
const FETCH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Runs one `spec` command. `output` is the global `-o`, `timeout` the
/// global `--timeout` (for an upstream URL).
pub async fn run(
    command: Spec,
    output: Option<Format>,
    timeout: Option<std::time::Duration>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    match command {
        Spec::Drift {
            upstream,
            ours,
            format,
            strict,
        } => {
            let format = match (format, output) {
                (format, None) => format.unwrap_or(DriftFormat::Text),
                (None | Some(DriftFormat::Json), Some(Format::Json)) => DriftFormat::Json,
                (None | Some(DriftFormat::Text), Some(Format::Table)) => DriftFormat::Text,
                (Some(_), Some(Format::Json | Format::Table)) => {
                    return Err(Failure::usage(
                        "-o and --format of `spec drift` disagree; give one of them",
                    ));
                }
                (_, Some(other)) => {
                    return Err(Failure::usage(format!(
                        "`spec drift` prints text or JSON, not {}; use -o json or -o table",
                        other.name()
                    )));
                }
            };
            let timeout = timeout.unwrap_or(FETCH_TIMEOUT);
            drift(&upstream, ours.as_deref(), format, strict, timeout, out).await
        }
        Spec::Sync {
            upstream,
            out: path,
            check,
        } => {
            if let Some(format) = output {
                return Err(Failure::usage(format!(
                    "`spec sync` writes a file and prints a line of text; -o {} means nothing here",
                    format.name()
                )));
            }
            sync(&upstream, &path, check, out)
        }
    }
}

/// Reads a spec from a path or an http(s) URL.
async fn read_spec(
    source: &str,
    timeout: std::time::Duration,
) -> Result<serde_json::Value, Failure> {
    let unreadable = |e: anyhow::Error| Failure {
        code: exit::USAGE,
        error: e,
    };
    if source.starts_with("http://") || source.starts_with("https://") {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| unreadable(e.into()))?;
        let response = client
            .get(source)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| unreadable(anyhow::anyhow!("cannot fetch {source}: {e}")))?;
        let text = response
            .text()
            .await
            .map_err(|e| unreadable(anyhow::anyhow!("cannot read {source}: {e}")))?;
        arize_ax_spec::parse(&text, source).map_err(|e| unreadable(e.into()))
    } else {
        arize_ax_spec::load_file(std::path::Path::new(source)).map_err(|e| unreadable(e.into()))
    }
}

async fn drift(
    upstream: &str,
    ours: Option<&std::path::Path>,
    format: DriftFormat,
    strict: bool,
    timeout: std::time::Duration,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let theirs = read_spec(upstream, timeout).await?;
    let ours = match ours {
        Some(path) => read_spec(&path.to_string_lossy(), timeout).await?,
        None => serde_json::from_str(arize_ax::raw::SPEC).context("the built-in spec")?,
    };
    let report = arize_ax_spec::drift::compare(&ours, &theirs).map_err(|e| Failure {
        code: exit::USAGE,
        error: e.into(),
    })?;
    match format {
        DriftFormat::Text => out.write_all(report.to_text().as_bytes())?,
        DriftFormat::Json => {
            output::write_json(out, &report, true)?;
            writeln!(out)?;
        }
    }
    match report.exit_code(strict) {
        0 => Ok(()),
        _ => {
            let breaking = report.has_breaking();
            Err(Failure {
                code: exit::FAILURE,
                error: anyhow::anyhow!(if breaking {
                    "upstream has drifted in a way that breaks this SDK; see above"
                } else {
                    "upstream has additive changes (--strict); run `arize-ax spec sync` to pick them up"
                }),
            })
        }
    }
}

fn sync(
    upstream: &std::path::Path,
    path: &std::path::Path,
    check: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let options = arize_ax_spec::ConvertOptions::default();
    let spec_failure = |e: arize_ax_spec::SpecError| Failure {
        code: exit::USAGE,
        error: anyhow::anyhow!(e),
    };
    if check {
        if !arize_ax_spec::is_in_sync(upstream, path, &options).map_err(spec_failure)? {
            return Err(Failure {
                code: exit::FAILURE,
                error: anyhow::anyhow!(
                    "{} differs from the conversion of {}; run `arize-ax spec sync --upstream {}`",
                    path.display(),
                    upstream.display(),
                    upstream.display()
                ),
            });
        }
        writeln!(out, "{} is up to date", path.display())?;
        return Ok(());
    }
    let changed = arize_ax_spec::sync_file(upstream, path, &options).map_err(spec_failure)?;
    writeln!(
        out,
        "{} {}",
        path.display(),
        if changed {
            "updated"
        } else {
            "already up to date"
        }
    )?;
    Ok(())
}
