//! Text for people on a terminal: text that came from a server (names,
//! descriptions, problem details, cursors) or from input is printed with its
//! control characters escaped, so it cannot move the cursor, clear the
//! screen or retitle the window; columns line up by display width. CSV
//! written to a terminal has its control and format characters escaped
//! too; CSV to a file or a pipe keeps exact values. JSON and JSON lines
//! keep exact values and still show no such character: besides the C0
//! controls serde escapes, DEL, the C1 controls and the format characters
//! are written as `\uXXXX` escapes, which every JSON reader decodes to the
//! same string.

use std::borrow::Cow;
use std::fmt::Write as _;

use tracing_subscriber::fmt::FormatFields as _;
use unicode_width::UnicodeWidthStr;

/// `text` with every control character but the line break escaped: C0
/// (ESC, BEL, CR, TAB, …) and DEL as `\x1b`, C1 as `\u{9b}`; and every
/// format character (Unicode category Cf: the bidirectional controls of the
/// "Trojan Source" trick, zero-width characters, the BOM) as `\u{202e}`, so
/// a name cannot be made to read as another.
pub fn printable(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n')
}

/// A CSV cell bound for a terminal: line breaks (which CSV quotes) and
/// tabs kept, every other control and format character escaped (a
/// carriage return too: it would overwrite the line on screen). CSV
/// written to a file or a pipe keeps exact values.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    escape(text, |c| matches!(c, '\n' | '\t'))
}

/// One table cell: on one line (line breaks and tabs become spaces), every
/// other control character escaped.
pub fn cell(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if matches!(c, '\n' | '\t') { ' ' } else { c })
        .collect();
    escape(&one_line, |_| false).into_owned()
}

/// Columns `text` takes on a terminal (CJK and emoji take two).
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// The code points of Unicode's general category Cf (format characters),
/// as of Unicode 15.1: (first, last) inclusive.
const FORMAT_CHARACTERS: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// Whether `c` is a control (Cc) or format (Cf) character.
fn is_invisible(c: char) -> bool {
    let code = c as u32;
    c.is_control()
        || FORMAT_CHARACTERS
            .iter()
            .any(|(first, last)| (*first..=*last).contains(&code))
}

/// JSON text with every control and format character that its encoder
/// left as it is (DEL, C1, Cf; C0 is escaped already) written as a `\u`
/// escape (a surrogate pair above U+FFFF). Such characters can stand only
/// inside strings, so the JSON means exactly what it meant.
pub fn json_escaped(json: String) -> String {
    // C0 outside strings is the layout (line breaks); inside, serde
    // escaped it.
    let to_escape = |c: char| c >= ' ' && is_invisible(c);
    if !json.chars().any(to_escape) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    let mut units = [0u16; 2];
    for c in json.chars() {
        if to_escape(c) {
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn escape(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_invisible(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c as u32 {
            _ if !is_invisible(c) || keep(c) => out.push(c),
            code @ (0..=0x1f | 0x7f) => {
                let _ = write!(out, "\\x{code:02x}");
            }
            code => {
                let _ = write!(out, "\\u{{{code:x}}}");
            }
        }
    }
    Cow::Owned(out)
}

/// Formats the SDK's `tracing` events for a person: `warning: …` and
/// `note: …` for warnings and notes, the level and target before anything
/// more detailed; text escaped as [`printable`].
pub struct ForPeople;

impl<S, N> tracing_subscriber::fmt::FormatEvent<S, N> for ForPeople
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    N: for<'a> tracing_subscriber::fmt::FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &tracing_subscriber::fmt::FmtContext<'_, S, N>,
        mut writer: tracing_subscriber::fmt::format::Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> std::fmt::Result {
        let meta = event.metadata();
        let level = *meta.level();
        if level <= tracing::Level::WARN {
            write!(writer, "warning: ")?;
        } else if level == tracing::Level::INFO {
            write!(writer, "note: ")?;
        } else {
            write!(
                writer,
                "{} {}: ",
                level.as_str().to_lowercase(),
                meta.target()
            )?;
            if let Some(scope) = ctx.event_scope() {
                for span in scope.from_root() {
                    write!(writer, "{}", span.name())?;
                    let extensions = span.extensions();
                    if let Some(fields) =
                        extensions.get::<tracing_subscriber::fmt::FormattedFields<N>>()
                        && !fields.is_empty()
                    {
                        write!(writer, "{{{}}}", printable(fields))?;
                    }
                    write!(writer, ": ")?;
                }
            }
        }
        let mut fields = String::new();
        ctx.format_fields(
            tracing_subscriber::fmt::format::Writer::new(&mut fields),
            event,
        )?;
        writeln!(writer, "{}", printable(&fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_cell_for_a_terminal_keeps_line_breaks_and_escapes_the_rest() {
        assert_eq!(csv_cell("a,\"b\"\nc\td"), "a,\"b\"\nc\td");
        assert_eq!(csv_cell("x\rADMIN"), "x\\x0dADMIN");
        assert_eq!(csv_cell("\u{1b}]0;owned\u{7}x"), "\\x1b]0;owned\\x07x");
        assert_eq!(csv_cell("\u{202e}evil"), "\\u{202e}evil");
    }

    #[test]
    fn json_shows_no_invisible_character_and_means_the_same() {
        let value = serde_json::json!({
            "name": "del\u{7f} csi\u{9b}31m dorp\u{202e} tag\u{e0041} café 🚀",
            "esc": "\u{1b}[2J",
        });
        let text = json_escaped(serde_json::to_string_pretty(&value).unwrap());
        assert!(
            !text.chars().any(|c| is_invisible(c) && c != '\n'),
            "{text}"
        );
        assert!(
            text.contains(r"del\u007f csi\u009b31m dorp\u202e tag\udb40\udc41 café 🚀"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        // Nothing to escape: the text as it was.
        assert_eq!(json_escaped("{\"a\":\"b\"}".into()), "{\"a\":\"b\"}");
    }

    #[test]
    fn control_characters_are_escaped() {
        let cases = [
            (
                "evil\u{1b}[2J\u{1b}]0;owned\u{7}",
                "evil\\x1b[2J\\x1b]0;owned\\x07",
            ),
            ("a\rb", "a\\x0db"),
            ("del\u{7f}", "del\\x7f"),
            ("csi\u{9b}31m", "csi\\u{9b}31m"),
            // Trojan Source: a right-to-left override makes "prod" read as
            // another name; zero-width and BOM characters hide.
            ("dorp\u{202e}", "dorp\\u{202e}"),
            ("\u{2066}a\u{2069}", "\\u{2066}a\\u{2069}"),
            ("ze\u{200b}ro\u{feff}", "ze\\u{200b}ro\\u{feff}"),
            ("tag\u{e0041}", "tag\\u{e0041}"),
            ("plain café 検索 🚀", "plain café 検索 🚀"),
        ];
        for (input, shown) in cases {
            assert_eq!(printable(input), shown, "{input:?}");
            assert_eq!(cell(input), shown, "{input:?}");
        }
        assert_eq!(printable("two\nlines"), "two\nlines");
        assert_eq!(cell("two\nlines\tand a tab"), "two lines and a tab");
        assert!(matches!(printable("clean"), Cow::Borrowed(_)));
    }

    #[test]
    fn widths_count_terminal_columns() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("検索"), 4);
        assert_eq!(width("🚀"), 2);
        assert_eq!(width("café"), 4);
    }
}
