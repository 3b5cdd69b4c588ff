//! `arize-ax spaces …`

use std::io::Write;

use arize_ax::Client;

use crate::Failure;
use crate::cli::{Global, Spaces};
use crate::output;

/// Runs one `spaces` command.
pub async fn run(
    client: &Client,
    global: &Global,
    command: Spaces,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    match command {
        Spaces::List { org, name, paging } => {
            let mut request = client.spaces().list();
            if let Some(org) = org {
                request = request.organization(org);
            }
            if let Some(name) = name {
                request = request.name(name);
            }
            if let Some(limit) = paging.limit {
                request = request.limit(limit);
            }
            if let Some(cursor) = paging.cursor {
                request = request.cursor(cursor);
            }
            if paging.all {
                output::stream_all(request.stream(), "spaces", global, out).await?;
            } else {
                let page = request.send().await?;
                output::many(out, global.format(), &page.spaces)?;
                output::more_hint(&page.pagination, global);
            }
        }
    }
    Ok(())
}
