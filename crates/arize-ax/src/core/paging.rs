//! Cursor pagination shared by every listing: following cursors safely,
//! streaming every item, and finding an exact match behind a substring
//! filter.

use std::collections::HashSet;
use std::future::Future;

use arize_ax_api::Operation;
use arize_ax_api::limits::{PAGE_LIMIT_MAX, PAGE_LIMIT_MIN};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};

use crate::core::checks::check_text;
use crate::core::client::Client;
use crate::core::error::{Ambiguous, DecodeError, Error, Kind, NotFound, Result};

/// The page size used while resolving names and emails: the largest the
/// spec allows.
pub(crate) const RESOLVE_PAGE_SIZE: u32 = PAGE_LIMIT_MAX;
/// How many similar names a not-found error lists.
const MAX_SIMILAR: usize = 10;

/// The cursor of the following page, checking the server keeps its promises:
/// `has_more` comes with a cursor, and no cursor comes back twice (which would
/// loop forever).
pub(crate) fn next_cursor(
    operation: &'static str,
    pagination: &Pagination,
    seen: &mut HashSet<String>,
) -> Result<Option<String>> {
    if !pagination.has_more {
        return Ok(None);
    }
    let protocol = |reason: String| {
        Error::Decode(DecodeError {
            operation,
            expected: "PaginationMetadata",
            reason,
            snippet: String::new(),
            source: None,
        })
    };
    let Some(cursor) = pagination.next_cursor.clone().filter(|c| !c.is_empty()) else {
        return Err(protocol(
            "has_more is true but next_cursor is missing".into(),
        ));
    };
    if !seen.insert(cursor.clone()) {
        return Err(protocol(format!(
            "the server returned cursor {cursor:?} twice; stopping instead of looping"
        )));
    }
    Ok(Some(cursor))
}

/// The most empty pages in a row a listing follows while `has_more` stays
/// true. A server that filters pages after reading them may send a few; a
/// server that sends empty pages with fresh cursors for ever would keep a
/// listing busy for ever. One page (`send`) then comes back empty with its
/// cursor (a page, not an end); a stream, and a look-up by name, end with
/// [`Error::EmptyPages`], naming the cursor to go on from.
pub const MAX_EMPTY_PAGES: usize = 1_000;

/// Where a listing has been: the cursors it followed (one that comes back
/// is a loop) and how many empty pages came in a row
/// ([`MAX_EMPTY_PAGES`] of them end it). Every loop over pages keeps one.
#[derive(Debug, Default)]
pub(crate) struct Trail {
    seen: HashSet<String>,
    empty_in_a_row: usize,
}

impl Trail {
    /// A trail from the caller's `cursor`, which coming back is a repeat
    /// too.
    pub(crate) fn starting_at(cursor: Option<&String>) -> Self {
        Trail {
            seen: cursor.into_iter().cloned().collect(),
            empty_in_a_row: 0,
        }
    }

    /// The cursor of the page after one (`empty` or not): `None` at the
    /// end; an error for a missing or repeated cursor ([`next_cursor`]),
    /// or [`Error::EmptyPages`] for the [`MAX_EMPTY_PAGES`]th empty page
    /// in a row while more follow.
    pub(crate) fn next(
        &mut self,
        operation: &'static str,
        pagination: &Pagination,
        empty: bool,
    ) -> Result<Option<String>> {
        let next = next_cursor(operation, pagination, &mut self.seen)?;
        self.empty_in_a_row = if empty { self.empty_in_a_row + 1 } else { 0 };
        match next {
            Some(cursor) if self.empty_in_a_row >= MAX_EMPTY_PAGES => Err(Error::EmptyPages {
                operation,
                pages: self.empty_in_a_row,
                cursor,
            }),
            next => Ok(next),
        }
    }
}

/// Refuses a page size outside the spec's range before anything is sent.
pub(crate) fn check_limit(limit: Option<u32>) -> Result<()> {
    match limit {
        Some(n) if !(PAGE_LIMIT_MIN..=PAGE_LIMIT_MAX).contains(&n) => Err(Error::invalid(
            "limit",
            format!("must be between {PAGE_LIMIT_MIN} and {PAGE_LIMIT_MAX} (got {n})"),
        )),
        _ => Ok(()),
    }
}

/// The filters of one listing (organizations, users, spaces) and how to
/// fetch a page with them; [`Listing`] adds the page size, the cursor, and
/// `send`/`stream`, once for all of them.
pub(crate) trait Query: std::fmt::Debug + Clone + Send + Sync + 'static {
    /// What the listing yields.
    type Item: Send + 'static;
    /// One page of it.
    type Page: Send + 'static;
    /// The facade method's key (warnings, errors).
    const METHOD: &'static str;
    /// The operation of the spec it calls.
    const OPERATION: &'static Operation;

    /// Checks the filters; nothing is sent when they are bad.
    fn validate(&self) -> Result<()>;

    /// Work done once before the first page (resolving a name to an ID).
    fn prepare(self, client: &Client) -> impl Future<Output = Result<Self>> + Send {
        let _ = client;
        async move { Ok(self) }
    }

    /// Fetches one page.
    fn fetch(
        &self,
        client: &Client,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> impl Future<Output = Result<Self::Page>> + Send;

    /// A page's items and where it sits.
    fn split(page: Self::Page) -> (Vec<Self::Item>, Pagination);

    /// A page of these items, sitting there.
    fn join(items: Vec<Self::Item>, pagination: Pagination) -> Self::Page;

    /// Whether to keep an item: a filter applied on this side, after a
    /// page is read, for what the API cannot filter by. Pages count as the
    /// server sent them: a page this filter empties is followed, never
    /// counted as one of the [`MAX_EMPTY_PAGES`] empty pages in a row.
    fn keep(&self, item: &Self::Item) -> bool {
        let _ = item;
        true
    }
}

/// Where a page sits in a cursor-paginated listing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Pagination {
    /// Whether at least one more page exists.
    #[serde(default)]
    pub has_more: bool,
    /// Pass this to `cursor(..)` to get the next page; present only when
    /// `has_more` is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl From<arize_ax_api::types::PaginationMetadata> for Pagination {
    /// `has_more` left out is false, unless a `next_cursor` says otherwise.
    fn from(pagination: arize_ax_api::types::PaginationMetadata) -> Self {
        let arize_ax_api::types::PaginationMetadata {
            has_more,
            next_cursor,
        } = pagination;
        Pagination {
            has_more: has_more.unwrap_or(next_cursor.is_some()),
            next_cursor,
        }
    }
}

/// A listing request: filters, page size and cursor, sent for one page or
/// streamed for all.
#[derive(Debug, Clone)]
pub(crate) struct Listing<Q> {
    pub(crate) client: Client,
    pub(crate) query: Q,
    pub(crate) limit: Option<u32>,
    pub(crate) cursor: Option<String>,
}

impl<Q: Query> Listing<Q> {
    pub(crate) fn new(client: Client, query: Q) -> Self {
        Listing {
            client,
            query,
            limit: None,
            cursor: None,
        }
    }

    fn validate(&self) -> Result<()> {
        self.query.validate()?;
        check_limit(self.limit)?;
        if let Some(cursor) = &self.cursor {
            check_text("cursor", cursor)?;
        }
        Ok(())
    }

    /// One page: the first one from the cursor that holds an item, or the
    /// last one. A server may answer a short or even an empty page while
    /// `has_more` is true (it filters a page after reading it); an empty
    /// page is never handed over as if it were the end, nor as a page to
    /// stop at: the cursors are followed (never the same one twice) until
    /// a page holds something or the listing ends — or, after
    /// [`MAX_EMPTY_PAGES`] empty pages in a row, that last empty page is
    /// handed over with its cursor.
    pub(crate) async fn send(self) -> Result<Q::Page> {
        self.validate()?;
        self.client.warn_prerelease(Q::METHOD, Q::OPERATION);
        let query = self.query.prepare(&self.client).await?;
        let mut trail = Trail::starting_at(self.cursor.as_ref());
        let mut cursor = self.cursor;
        loop {
            let page = query.fetch(&self.client, self.limit, cursor.take()).await?;
            let (mut items, pagination) = Q::split(page);
            let sent_empty = items.is_empty();
            items.retain(|item| query.keep(item));
            if items.is_empty() {
                match trail.next(Q::METHOD, &pagination, sent_empty) {
                    Ok(Some(next)) => {
                        cursor = Some(next);
                        continue;
                    }
                    // The last of too many empty pages: handed over with
                    // its cursor.
                    Ok(None) | Err(Error::EmptyPages { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            return Ok(Q::join(items, pagination));
        }
    }

    /// One page, as its items and where it sits.
    pub(crate) async fn send_split(self) -> Result<(Vec<Q::Item>, Pagination)> {
        self.send().await.map(Q::split)
    }

    /// Every item, lazily (see [`stream_pages`]).
    pub(crate) fn stream(self) -> BoxStream<'static, Result<Q::Item>> {
        if let Err(e) = self.validate() {
            return stream::once(async move { Err(e) }).boxed();
        }
        self.client.warn_prerelease(Q::METHOD, Q::OPERATION);
        let Listing {
            client,
            query,
            limit,
            cursor,
        } = self;
        stream::once(async move {
            let query = query.prepare(&client).await?;
            let keeper = query.clone();
            let pages = stream_pages(Q::METHOD, cursor, move |cursor| {
                let (client, query) = (client.clone(), query.clone());
                async move {
                    let page = query.fetch(&client, limit, cursor).await?;
                    Ok(Q::split(page))
                }
            });
            Ok::<_, Error>(pages.try_filter(move |item| std::future::ready(keeper.keep(item))))
        })
        .try_flatten()
        .boxed()
    }
}

/// A generated list request with the page size and cursor set, when given
/// (every generated list builder has `limit(u64)` and `cursor(..)`).
macro_rules! paged {
    ($request:expr, $limit:expr, $cursor:expr) => {{
        let mut request = $request;
        if let Some(limit) = $limit {
            request = request.limit(u64::from(limit));
        }
        if let Some(cursor) = $cursor {
            request = request.cursor(cursor);
        }
        request
    }};
}
pub(crate) use paged;

/// What every listing request of the crate (`client.organizations().list()`,
/// `client.users().list()`, …) can do, for code that lists any resource
/// the same way (a command-line `--limit`/`--cursor`/`--all`).
///
/// ```no_run
/// use arize_ax::ListRequest;
/// use futures::TryStreamExt;
///
/// async fn count<L: ListRequest>(request: L, all: bool) -> arize_ax::Result<usize> {
///     if all {
///         Ok(request.stream().try_collect::<Vec<_>>().await?.len())
///     } else {
///         let (items, _pagination) = request.limit(100).page().await?;
///         Ok(items.len())
///     }
/// }
/// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
/// let spaces = count(client.spaces().list(), true).await?;
/// # Ok(())
/// # }
/// ```
pub trait ListRequest: Sized + Send + 'static {
    /// What the listing yields.
    type Item: Send + 'static;

    /// Page size, 1 to 100.
    fn limit(self, limit: u32) -> Self;

    /// Continues from a page's `pagination.next_cursor`.
    fn cursor(self, cursor: String) -> Self;

    /// One page: its items and where it sits.
    fn page(self) -> crate::core::future::BoxFuture<(Vec<Self::Item>, Pagination)>;

    /// Every item, lazily, following cursors.
    fn stream(self) -> BoxStream<'static, Result<Self::Item>>;
}

/// The methods every listing builder (a newtype over [`Listing`]) shares:
/// page size, cursor, one page (`send`, or `.await`) and every item
/// (`stream`). `$errors` documents `send`'s errors; `$what` names the items.
macro_rules! listing_builder {
    ($builder:ident, $item:ty, $page:ty, $what:literal, $errors:literal) => {
        impl $builder {
            /// Page size, 1 to 100 (the server's default is 50).
            pub fn limit(mut self, limit: u32) -> Self {
                self.0.limit = Some(limit);
                self
            }

            /// Continues from a page's `pagination.next_cursor`.
            pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
                self.0.cursor = Some(cursor.into());
                self
            }

            /// Fetches one page: the first from the cursor that holds
            /// something (a server that filters pages may send empty ones
            /// while more follow; they are skipped), or the end — or the
            /// last of [`MAX_EMPTY_PAGES`]($crate::MAX_EMPTY_PAGES) empty
            /// pages in a row, empty, with the cursor to go on from.
            ///
            /// # Errors
            ///
            #[doc = $errors]
            pub async fn send(self) -> $crate::core::error::Result<$page> {
                self.0.send().await
            }

            #[doc = concat!(
                "Every matching ", $what, ", lazily: one page is fetched at a time, following \
                 cursors until the server says there are no more (the next page is fetched \
                 while the caller works through one). An error ends the stream, as do \
                 `MAX_EMPTY_PAGES` empty pages in a row (naming the cursor to go on from)."
            )]
            pub fn stream(
                self,
            ) -> futures::stream::BoxStream<'static, $crate::core::error::Result<$item>> {
                self.0.stream()
            }
        }

        $crate::core::future::awaitable!($builder => $page);

        impl $crate::ListRequest for $builder {
            type Item = $item;

            fn limit(self, limit: u32) -> Self {
                <$builder>::limit(self, limit)
            }

            fn cursor(self, cursor: String) -> Self {
                <$builder>::cursor(self, cursor)
            }

            fn page(
                self,
            ) -> $crate::core::future::BoxFuture<(Vec<$item>, $crate::Pagination)> {
                Box::pin(self.0.send_split())
            }

            fn stream(
                self,
            ) -> futures::stream::BoxStream<'static, $crate::core::error::Result<$item>> {
                <$builder>::stream(self)
            }
        }
    };
}
pub(crate) use listing_builder;

/// Every item of a listing, from `first` on, following cursors until the
/// server says there are no more; an error ends the stream, as do
/// [`MAX_EMPTY_PAGES`] empty pages in a row (an error naming the cursor to
/// go on from).
///
/// While the caller works through one page, the next one is already being
/// fetched (on the runtime, so it progresses even while the caller awaits
/// something else): at most one page ahead, so at most two pages are held.
/// Dropping the stream cancels the fetch in progress.
pub(crate) fn stream_pages<T, F, Fut>(
    operation: &'static str,
    first: Option<String>,
    fetch: F,
) -> BoxStream<'static, Result<T>>
where
    T: Send + 'static,
    F: Fn(Option<String>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(Vec<T>, Pagination)>> + Send + 'static,
{
    struct Pager<F, T> {
        fetch: F,
        first: Option<Option<String>>,
        ahead: Option<Prefetch<T>>,
        trail: Trail,
    }
    let pager = Pager {
        trail: Trail::starting_at(first.as_ref()),
        fetch,
        first: Some(first),
        ahead: None,
    };
    stream::try_unfold(pager, move |mut pager| async move {
        let page = match (pager.first.take(), pager.ahead.take()) {
            (Some(cursor), _) => Prefetch::start((pager.fetch)(cursor)),
            (None, Some(ahead)) => ahead,
            (None, None) => return Ok::<_, Error>(None),
        };
        let (items, pagination) = page.finish(operation).await?;
        if let Some(cursor) = pager.trail.next(operation, &pagination, items.is_empty())? {
            pager.ahead = Some(Prefetch::start((pager.fetch)(Some(cursor))));
        }
        Ok(Some((items, pager)))
    })
    .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}

/// A page being fetched on the runtime; aborted when dropped. Without a
/// Tokio runtime there is nothing to fetch on (the HTTP stack needs one
/// too): the stream then ends with an error saying so, not a panic.
struct Prefetch<T>(Option<tokio::task::JoinHandle<Result<Page<T>>>>);

/// One page's items and where it sits.
type Page<T> = (Vec<T>, Pagination);

impl<T: Send + 'static> Prefetch<T> {
    fn start(fetch: impl Future<Output = Result<Page<T>>> + Send + 'static) -> Self {
        Prefetch(
            tokio::runtime::Handle::try_current()
                .ok()
                .map(|runtime| runtime.spawn(fetch)),
        )
    }

    async fn finish(mut self, operation: &'static str) -> Result<Page<T>> {
        let Some(task) = self.0.as_mut() else {
            return Err(Error::Config(format!(
                "{operation}: a stream was polled outside a Tokio runtime; run it inside one \
                 (for example under #[tokio::main])"
            )));
        };
        match task.await {
            Ok(page) => page,
            // A panic in the fetch is the caller's panic, not a bad answer.
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => Err(Error::Decode(DecodeError {
                operation,
                expected: "a page",
                reason: "fetching the page was cancelled".into(),
                snippet: String::new(),
                source: Some(Box::new(e)),
            })),
        }
    }
}

impl<T> Drop for Prefetch<T> {
    fn drop(&mut self) {
        if let Some(task) = &self.0 {
            task.abort();
        }
    }
}

/// Pages through a filtered listing and keeps the items `is_exact` accepts,
/// stopping after the first page that holds one: one item is the answer,
/// several are ambiguous, none after the last page is not found (with up to
/// ten of the near matches the server returned). `place` says where an
/// item lives when that tells exact matches apart (a space's organization).
pub(crate) async fn find_exact<T, Fut>(
    operation: &'static str,
    kind: Kind,
    query: &str,
    fetch: impl Fn(Option<String>) -> Fut,
    is_exact: impl Fn(&T) -> bool,
    id_and_label: impl Fn(&T) -> (String, String),
    place: impl Fn(&T) -> Option<String>,
) -> Result<T>
where
    Fut: Future<Output = Result<(Vec<T>, Pagination)>>,
{
    let mut cursor: Option<String> = None;
    let mut trail = Trail::default();
    let mut similar: Vec<String> = Vec::new();
    loop {
        let (items, pagination) = fetch(cursor.take()).await?;
        let next = trail.next(operation, &pagination, items.is_empty())?;
        let mut exact: Vec<T> = Vec::new();
        for item in items {
            if is_exact(&item) {
                exact.push(item);
            } else if similar.len() < MAX_SIMILAR {
                similar.push(id_and_label(&item).1);
            }
        }
        match exact.len() {
            0 => {}
            1 => return Ok(exact.remove(0)),
            _ => {
                return Err(Error::Ambiguous(Ambiguous {
                    kind,
                    query: query.to_owned(),
                    ids: exact.iter().map(|item| id_and_label(item).0).collect(),
                    places: exact.iter().filter_map(&place).collect(),
                }));
            }
        }
        match next {
            Some(next) => cursor = Some(next),
            None => {
                return Err(Error::NotFound(NotFound {
                    kind,
                    query: query.to_owned(),
                    similar,
                }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_guards() {
        let mut seen = HashSet::new();
        let more = |c: Option<&str>| Pagination {
            has_more: true,
            next_cursor: c.map(str::to_owned),
        };
        assert_eq!(
            next_cursor("t", &more(Some("a")), &mut seen)
                .unwrap()
                .as_deref(),
            Some("a")
        );
        assert!(
            next_cursor("t", &more(Some("a")), &mut seen).is_err(),
            "repeated cursor"
        );
        assert!(
            next_cursor("t", &more(None), &mut seen).is_err(),
            "missing cursor"
        );
        let done = Pagination::default();
        assert_eq!(next_cursor("t", &done, &mut seen).unwrap(), None);
    }

    #[test]
    fn a_stream_outside_a_runtime_is_an_error_not_a_panic() {
        let mut pages = stream_pages("t.list", None, |_| async {
            Ok::<_, Error>((vec![1], Pagination::default()))
        });
        // Nothing here waits, so it completes on first poll without any runtime.
        let first = futures::FutureExt::now_or_never(pages.next())
            .expect("ready at once")
            .expect("an item");
        match first {
            Err(Error::Config(reason)) => assert!(reason.contains("Tokio runtime"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    #[should_panic(expected = "the fetch panicked")]
    async fn a_panicking_fetch_panics_the_caller() {
        let mut pages = stream_pages("t.list", None, |_| async {
            if true {
                panic!("the fetch panicked");
            }
            Ok::<(Vec<u8>, Pagination), Error>((vec![], Pagination::default()))
        });
        let _ = pages.next().await;
    }

    #[test]
    fn limit_bounds() {
        for (limit, ok) in [(0, false), (1, true), (100, true), (101, false)] {
            assert_eq!(check_limit(Some(limit)).is_ok(), ok, "{limit}");
        }
    }
}
