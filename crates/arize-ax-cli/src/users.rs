//! `arize-ax users …`

use std::io::Write;

use arize_ax::Client;

use crate::Failure;
use crate::cli::{Global, Users};
use crate::output;

/// Runs one `users` command.
pub async fn run(
    client: &Client,
    global: &Global,
    command: Users,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let users = client.users();
    let format = global.output;
    match command {
        Users::List {
            email,
            status,
            paging,
        } => {
            let mut request = users.list().statuses(status);
            if let Some(email) = email {
                request = request.email(email);
            }
            if let Some(limit) = paging.limit {
                request = request.limit(limit);
            }
            if let Some(cursor) = paging.cursor {
                request = request.cursor(cursor);
            }
            if paging.all {
                output::stream_all(request.stream(), "users", global, out).await?;
            } else {
                let page = request.send().await?;
                output::many(out, format, &page.users)?;
                output::more_hint(&page.pagination, global);
            }
        }
        Users::Get { user } => {
            let user = users.get(user).await?;
            output::one(out, format, &user)?;
        }
    }
    Ok(())
}
