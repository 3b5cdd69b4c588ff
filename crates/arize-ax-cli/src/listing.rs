//! The listing commands' shared piece: one page (`--limit`, `--cursor`,
//! with a hint on stderr when there are more) or every item (`--all`,
//! streamed as it arrives), for any listing of the SDK.

use std::io::Write;

use arize_ax::ListRequest;
use futures::TryStreamExt;
use futures::stream::BoxStream;

use crate::args::{Global, Paging};
use crate::failure::{Failure, shell_quote};
use crate::output::{self, Format, Record, Streaming};
use crate::progress;
use crate::terminal;

/// Lists with `paging`: one page, or every `noun` with `--all`.
pub(crate) async fn run<L>(
    request: L,
    paging: Paging,
    noun: &str,
    global: &Global,
    out: &mut dyn Write,
) -> Result<(), Failure>
where
    L: ListRequest,
    L::Item: Record,
{
    let mut request = request;
    if let Some(limit) = paging.limit {
        request = request.limit(limit);
    }
    if let Some(cursor) = paging.cursor {
        request = request.cursor(cursor);
    }
    if paging.all {
        stream_all(request.stream(), noun, global, out).await
    } else {
        let (items, pagination) = request.page().await?;
        output::many(out, global.format(), &items)?;
        more_hint(&pagination, global);
        Ok(())
    }
}

/// Writes every record of a listing as it arrives (`--all`), with a spinner
/// counting `noun` on a terminal.
pub(crate) async fn stream_all<R: Record>(
    mut stream: BoxStream<'static, arize_ax::Result<R>>,
    noun: &str,
    global: &Global,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let progress = progress::spinner(global, noun);
    let mut writer = Streaming::new(out, global.format());
    let result = async {
        while let Some(record) = stream.try_next().await? {
            writer.push(&record)?;
            if let Some(bar) = &progress {
                bar.inc(1);
            }
        }
        Ok::<_, Failure>(())
    }
    .await;
    progress::finish(progress);
    match result {
        Ok(()) => {
            writer.finish::<R>()?;
            Ok(())
        }
        Err(failure) => {
            // A table holds its rows until the end: those that arrived
            // before the failure are still shown. JSON stays unclosed (a
            // document cut short must not read as whole); CSV and JSON
            // lines were written as they came.
            if global.format() == Format::Table && writer.count() > 0 {
                let _ = writer.finish::<R>();
            }
            Err(failure)
        }
    }
}

/// Tells on stderr how to continue a listing that has more pages.
fn more_hint(pagination: &arize_ax::Pagination, global: &Global) {
    if let Some(cursor) = pagination.next_cursor.as_ref().filter(|_| !global.quiet) {
        eprintln!(
            "more results: continue with --cursor {} (or use --all)",
            terminal::printable(&shell_quote(cursor))
        );
    }
}
