//! Rendering records as a table, JSON, JSON lines or CSV.
//!
//! Everything written here goes to stdout and is data only; messages go to
//! stderr elsewhere.

use std::io::Write;

use arize_ax::{CreatedUser, Organization, OrganizationMembership, Space, User};

use crate::terminal;

/// The output formats of `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns, for people.
    Table,
    /// One JSON document (an array for lists), with the API's field names.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// A header row, then one row per record.
    Csv,
}

impl Format {
    /// The name `-o` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }
}

/// Something that prints as a row.
pub trait Record: serde::Serialize {
    /// Column names for table and CSV output.
    const COLUMNS: &'static [&'static str];
    /// The cells, in column order.
    fn cells(&self) -> Vec<String>;
}

/// A time as a table cell (RFC 3339, UTC); empty when the server left it
/// out.
pub(crate) fn time_cell(time: Option<chrono::DateTime<chrono::Utc>>) -> String {
    time.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        .unwrap_or_default()
}

impl Record for Organization {
    const COLUMNS: &'static [&'static str] = &["id", "name", "description", "created_at"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.description.clone(),
            time_cell(self.created_at),
        ]
    }
}

impl Record for OrganizationMembership {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "user_id",
        "organization_id",
        "role_type",
        "role_name",
        "role_id",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.user_id.clone(),
            self.organization_id.clone(),
            self.role.type_name(),
            self.role.name().unwrap_or_default(),
            self.role.id().unwrap_or_default(),
        ]
    }
}

impl Record for User {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "email",
        "status",
        "role",
        "is_developer",
        "created_at",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.email.clone(),
            self.status
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            self.role.label(),
            self.is_developer.to_string(),
            time_cell(self.created_at),
        ]
    }
}

impl Record for Space {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "description",
        "is_private",
        "created_at",
        "organization_id",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.description.clone(),
            self.is_private.to_string(),
            time_cell(self.created_at),
            self.organization_id.clone().unwrap_or_default(),
        ]
    }
}

/// A created user as `users create` prints it: the API's
/// `CreateUserResponse` fields (the user, `invite_mode`, and
/// `temporary_password` when there is one).
#[derive(serde::Serialize)]
pub struct NewUser<'a> {
    #[serde(flatten)]
    user: &'a User,
    #[serde(skip_serializing_if = "Option::is_none")]
    invite_mode: Option<&'a arize_ax::InviteMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    temporary_password: Option<&'a str>,
}

impl<'a> NewUser<'a> {
    /// The record of `created`, with its temporary password in the clear.
    pub fn new(created: &'a CreatedUser) -> Self {
        NewUser {
            user: &created.user,
            invite_mode: created.invite_mode.as_ref(),
            temporary_password: created
                .temporary_password
                .as_ref()
                .map(|p| p.expose_secret()),
        }
    }
}

impl Record for NewUser<'_> {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "email",
        "status",
        "role",
        "is_developer",
        "created_at",
        "invite_mode",
        "temporary_password",
    ];

    fn cells(&self) -> Vec<String> {
        let mut cells = self.user.cells();
        cells.push(
            self.invite_mode
                .map(ToString::to_string)
                .unwrap_or_default(),
        );
        cells.push(self.temporary_password.unwrap_or_default().to_owned());
        cells
    }
}

/// Writes `value` as JSON (indented when `pretty`), every control and
/// format character escaped ([`terminal::json_escaped`]); no line break.
pub fn write_json<T: serde::Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
    pretty: bool,
) -> anyhow::Result<()> {
    let text = match pretty {
        true => serde_json::to_string_pretty(value)?,
        false => serde_json::to_string(value)?,
    };
    out.write_all(terminal::json_escaped(text).as_bytes())?;
    Ok(())
}

/// Writes one record.
pub fn one<R: Record>(out: &mut dyn Write, format: Format, record: &R) -> anyhow::Result<()> {
    match format {
        Format::Json => {
            write_json(out, record, true)?;
            writeln!(out)?;
        }
        _ => many(out, format, std::slice::from_ref(record))?,
    }
    Ok(())
}

/// Whether stdout is a terminal (asked once per output).
fn stdout_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal()
}

/// A CSV row as written: exact values, unless stdout is a terminal, where
/// control characters from a server (or from whoever wrote the text it
/// returns, as an audit log's request bodies) must not reach it.
fn csv_row(cells: Vec<String>, to_terminal: bool) -> Vec<String> {
    if !to_terminal {
        return cells;
    }
    cells
        .into_iter()
        .map(|cell| terminal::csv_cell(&cell).into_owned())
        .collect()
}

/// Writes several records (a JSON array for `json`).
pub fn many<R: Record>(out: &mut dyn Write, format: Format, records: &[R]) -> anyhow::Result<()> {
    match format {
        Format::Json => {
            write_json(out, records, true)?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for record in records {
                write_json(out, record, false)?;
                writeln!(out)?;
            }
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(&mut *out);
            writer.write_record(R::COLUMNS)?;
            let to_terminal = stdout_is_terminal();
            for record in records {
                writer.write_record(csv_row(record.cells(), to_terminal))?;
            }
            writer.flush()?;
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = records.iter().map(|r| r.cells()).collect();
            table(out, R::COLUMNS, &rows)?;
        }
    }
    Ok(())
}

/// Writes records one by one as they arrive (for `--all`); `json` still
/// produces one array.
pub struct Streaming<'a> {
    out: &'a mut dyn Write,
    format: Format,
    count: usize,
    buffered: Vec<Vec<String>>,
    csv_header_written: bool,
    to_terminal: bool,
}

impl<'a> Streaming<'a> {
    /// Starts the output.
    pub fn new(out: &'a mut dyn Write, format: Format) -> Self {
        Streaming {
            out,
            format,
            count: 0,
            buffered: Vec::new(),
            csv_header_written: false,
            to_terminal: format == Format::Csv && stdout_is_terminal(),
        }
    }

    /// Adds a record.
    pub fn push<R: Record>(&mut self, record: &R) -> anyhow::Result<()> {
        match self.format {
            Format::Json => {
                self.out
                    .write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
                let text = terminal::json_escaped(serde_json::to_string_pretty(record)?);
                for (i, line) in text.lines().enumerate() {
                    if i > 0 {
                        writeln!(self.out)?;
                    }
                    write!(self.out, "  {line}")?;
                }
            }
            Format::Jsonl => {
                write_json(self.out, record, false)?;
                writeln!(self.out)?;
            }
            Format::Csv => {
                let mut writer = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(&mut *self.out);
                if !self.csv_header_written {
                    writer.write_record(R::COLUMNS)?;
                    self.csv_header_written = true;
                }
                writer.write_record(csv_row(record.cells(), self.to_terminal))?;
                writer.flush()?;
            }
            // Column widths need every row first.
            Format::Table => self.buffered.push(record.cells()),
        }
        self.count += 1;
        Ok(())
    }

    /// How many records were pushed.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Ends the output (closes a JSON array, prints a table).
    pub fn finish<R: Record>(self) -> anyhow::Result<usize> {
        match self.format {
            Format::Json => {
                if self.count == 0 {
                    writeln!(self.out, "[]")?;
                } else {
                    writeln!(self.out, "\n]")?;
                }
            }
            Format::Csv if !self.csv_header_written => {
                let mut writer = csv::Writer::from_writer(&mut *self.out);
                writer.write_record(R::COLUMNS)?;
                writer.flush()?;
            }
            Format::Table => table(self.out, R::COLUMNS, &self.buffered)?,
            _ => {}
        }
        Ok(self.count)
    }
}

/// Longest description shown in a table cell.
const TABLE_CELL_MAX: usize = 48;

fn table(out: &mut dyn Write, columns: &[&str], rows: &[Vec<String>]) -> anyhow::Result<()> {
    let shorten = |cell: &str| -> String {
        let shown = terminal::cell(cell);
        if shown.chars().count() > TABLE_CELL_MAX {
            let cut: String = shown.chars().take(TABLE_CELL_MAX - 1).collect();
            format!("{cut}…")
        } else {
            shown
        }
    };
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| shorten(c)).collect())
        .collect();
    let mut widths: Vec<usize> = columns.iter().map(|c| c.len()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(terminal::width(cell));
        }
    }
    let line = |cells: Vec<String>| -> String {
        let last = cells.len().saturating_sub(1);
        cells
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                if i == last {
                    c
                } else {
                    let pad = widths[i].saturating_sub(terminal::width(&c));
                    format!("{c}{}", " ".repeat(pad))
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    let header: Vec<String> = columns.iter().map(|c| c.to_uppercase()).collect();
    writeln!(out, "{}", line(header).trim_end())?;
    for row in rows {
        writeln!(out, "{}", line(row).trim_end())?;
    }
    Ok(())
}
