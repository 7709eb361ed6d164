//! Paginators: an operation's pages, or their items, as a [`Stream`](futures_core::Stream).
//!
//! Generated clients have a `<method>_pages` and a `<method>_items` method for every operation
//! whose spec carries `x-pagination`. Both start from the caller's request (its page size, such
//! as `limit`, is kept for every page) and walk on by offset, page number or marker until the
//! service's total is reached, a page comes back empty, or no next marker is given. An error is
//! yielded as the stream's last item: nothing is requested after it.
//!
//! Consume them with `futures`' `StreamExt` (`while let Some(page) = pages.next().await`) or
//! `TryStreamExt` (`items.try_collect::<Vec<_>>().await`).

use crate::error::Error;
use crate::response::Response;
use futures_util::stream::{self, BoxStream, StreamExt};
use std::future::Future;

/// The pages of a paginated operation: each page's response, in order; an error ends it.
pub type PageStream<'a, T> = BoxStream<'a, Result<Response<T>, Error>>;

/// The items of a paginated operation's pages, in order; an error ends it.
pub type ItemStream<'a, T> = BoxStream<'a, Result<T, Error>>;

/// Where a page starts: what the paginator puts into the next request.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// The index of the page's first item (`offset`).
    Offset(u64),
    /// The page's number (`page`).
    Page(u64),
    /// The marker the previous page ended with (`marker`).
    Marker(String),
}

impl Position {
    /// The offset or page number as the request parameter's integer type.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] when the number does not fit that type (or this is a marker).
    pub fn number<N: TryFrom<u64>>(&self, operation: &'static str) -> Result<N, Error> {
        let value = match self {
            Position::Offset(n) | Position::Page(n) => *n,
            Position::Marker(_) => {
                let message = "a marker where a page number or offset was expected".to_owned();
                return Err(Error::Encode { operation, message });
            }
        };
        N::try_from(value).map_err(|_| Error::Encode {
            operation,
            message: format!("the next page's position {value} does not fit the parameter's integer type"),
        })
    }

    /// The marker text (a number's decimal text for the other styles).
    pub fn marker(&self) -> String {
        match self {
            Position::Offset(n) | Position::Page(n) => n.to_string(),
            Position::Marker(marker) => marker.clone(),
        }
    }
}

/// What a page says about the walk: how many items it holds, the service's total, its next marker.
#[doc(hidden)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// The number of items on this page.
    pub items: usize,
    /// The total number of items, when the service gives one (offset and page styles).
    pub total: Option<u64>,
    /// Where the next page starts (marker style); `None` or empty on the last page.
    pub next_marker: Option<String>,
}

/// How a generated paginator walks one operation.
#[doc(hidden)]
pub struct Walk<Req, T> {
    /// The operation (`ListEnvironmentsV2`), for errors.
    pub operation: &'static str,
    /// Where the caller's request starts.
    pub start: Position,
    /// Puts a page's position into a request.
    pub place: fn(&mut Req, &Position) -> Result<(), Error>,
    /// Reads a page.
    pub read: fn(&T) -> PageInfo,
}

/// The walk's state between two pages.
enum Next<Req> {
    Request {
        request: Req,
        position: Position,
        seen: u64,
    },
    /// The page before was yielded; this error (the next request could not be built) comes next.
    Fail(Error),
    Done,
}

/// The pages of an operation, starting with `first`: `call` sends one request.
#[doc(hidden)]
pub fn pages<'a, Req, T, Call, Fut>(first: Req, walk: Walk<Req, T>, call: Call) -> PageStream<'a, T>
where
    Req: Clone + Send + 'a,
    T: Send + 'a,
    Call: FnMut(Req) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Response<T>, Error>> + Send + 'a,
{
    let state = Next::Request { request: first, position: walk.start.clone(), seen: 0 };
    stream::unfold((state, walk, call), |(state, walk, mut call)| async move {
        let (request, position, seen) = match state {
            Next::Request { request, position, seen } => (request, position, seen),
            Next::Fail(error) => return Some((Err(error), (Next::Done, walk, call))),
            Next::Done => return None,
        };
        let page = match call(request.clone()).await {
            Ok(page) => page,
            Err(error) => return Some((Err(error), (Next::Done, walk, call))),
        };
        let info = (walk.read)(&page);
        let next = match advance(&position, seen, &info) {
            None => Next::Done,
            Some((position, seen)) => {
                let mut request = request;
                match (walk.place)(&mut request, &position) {
                    Ok(()) => Next::Request { request, position, seen },
                    Err(error) => Next::Fail(error),
                }
            }
        };
        Some((Ok(page), (next, walk, call)))
    })
    .boxed()
}

/// The position after a page at `position`, and the items seen so far; `None` when the walk
/// ends: an empty page, the total reached, no next marker (or the same marker again, which
/// would request the same page forever), or a position past `u64::MAX`.
fn advance(position: &Position, seen: u64, info: &PageInfo) -> Option<(Position, u64)> {
    if info.items == 0 {
        return None;
    }
    let count = u64::try_from(info.items).ok()?;
    let seen = seen.checked_add(count)?;
    let within_total = |reached: u64| info.total.is_none_or(|total| reached < total);
    match position {
        Position::Offset(offset) => {
            let next = offset.checked_add(count)?;
            within_total(next).then_some((Position::Offset(next), seen))
        }
        // Pages before the caller's first are not counted, so a walk that starts in the middle
        // ends at the empty page after the last.
        Position::Page(page) => within_total(seen).then_some((Position::Page(page.checked_add(1)?), seen)),
        Position::Marker(current) => match &info.next_marker {
            Some(next) if !next.is_empty() && next != current => Some((Position::Marker(next.clone()), seen)),
            _ => None,
        },
    }
}

/// The items of `pages`, each page's taken out by `take`.
#[doc(hidden)]
pub fn items<'a, T, I>(pages: PageStream<'a, T>, take: fn(T) -> Vec<I>) -> ItemStream<'a, I>
where
    T: Send + 'a,
    I: Send + 'a,
{
    pages
        .flat_map(move |page| {
            let batch: Vec<Result<I, Error>> = match page {
                Ok(page) => take(page.into_inner()).into_iter().map(Ok).collect(),
                Err(error) => vec![Err(error)],
            };
            stream::iter(batch)
        })
        .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(items: usize, total: Option<u64>, next_marker: Option<&str>) -> PageInfo {
        PageInfo { items, total, next_marker: next_marker.map(str::to_owned) }
    }

    #[test]
    fn offsets_advance_by_the_items_received_until_the_total() {
        let at = Position::Offset(0);
        assert_eq!(advance(&at, 0, &info(2, Some(5), None)), Some((Position::Offset(2), 2)));
        assert_eq!(advance(&Position::Offset(4), 4, &info(1, Some(5), None)), None, "total reached");
        assert_eq!(advance(&Position::Offset(4), 4, &info(2, None, None)), Some((Position::Offset(6), 6)));
        assert_eq!(advance(&at, 0, &info(0, Some(5), None)), None, "an empty page ends it");
        assert_eq!(advance(&Position::Offset(u64::MAX), 0, &info(1, None, None)), None, "no overflow");
    }

    #[test]
    fn pages_count_up_until_the_items_seen_reach_the_total() {
        assert_eq!(advance(&Position::Page(1), 0, &info(10, Some(25), None)), Some((Position::Page(2), 10)));
        assert_eq!(advance(&Position::Page(3), 20, &info(5, Some(25), None)), None);
        assert_eq!(advance(&Position::Page(u64::MAX), 0, &info(5, None, None)), None);
    }

    #[test]
    fn markers_end_when_missing_empty_or_repeated() {
        let at = Position::Marker(String::new());
        assert_eq!(advance(&at, 0, &info(3, None, Some("m1"))), Some((Position::Marker("m1".into()), 3)));
        assert_eq!(advance(&at, 0, &info(3, None, None)), None);
        assert_eq!(advance(&at, 0, &info(3, None, Some(""))), None);
        assert_eq!(advance(&Position::Marker("m1".into()), 3, &info(3, None, Some("m1"))), None);
    }

    #[test]
    fn positions_convert_to_the_parameter_type_or_fail() {
        assert_eq!(Position::Offset(7).number::<i32>("Op").unwrap(), 7);
        let error = Position::Page(u64::MAX).number::<i32>("Op").unwrap_err();
        assert!(matches!(error, Error::Encode { operation: "Op", .. }), "{error}");
        assert!(Position::Marker("m".into()).number::<i64>("Op").is_err());
        assert_eq!(Position::Marker("m".into()).marker(), "m");
    }
}
