//! Reading response bodies within bounds: a whole body up to a limit (read chunk by chunk, one
//! copy into one buffer, refused as soon as it passes the limit), or a stream of bounded chunks
//! that is never collected (for large binary downloads).

use crate::error::Error;
use crate::response::Response;
use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// The default [`max_response_bytes`](crate::ConfigBuilder::max_response_bytes): 32 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// The largest chunk a [`BodyStream`] yields: larger network reads are split (without copying).
pub const STREAM_CHUNK_LIMIT: usize = 64 * 1024;

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The connection failed while reading.
    Transport(reqwest::Error),
    /// The body (or its announced `Content-Length`) passed the limit.
    TooLarge,
}

impl From<reqwest::Error> for ReadError {
    fn from(error: reqwest::Error) -> Self {
        Self::Transport(error)
    }
}

/// The whole body, or [`ReadError::TooLarge`] as soon as it passes `limit` bytes: a
/// `Content-Length` over the limit is refused before reading, an endless or lying body after at
/// most `limit` bytes. A body of one chunk is returned as it came; chunks of a longer one are
/// copied once, into one buffer.
pub(crate) async fn read_bounded(response: &mut reqwest::Response, limit: usize) -> Result<Bytes, ReadError> {
    let announced = response.content_length().map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    if announced.is_some_and(|n| n > limit) {
        return Err(ReadError::TooLarge);
    }
    // A body that comes in one chunk (most small JSON answers) is returned as it came.
    let Some(first) = response.chunk().await? else { return Ok(Bytes::new()) };
    if first.len() > limit {
        return Err(ReadError::TooLarge);
    }
    let Some(second) = response.chunk().await? else { return Ok(first) };
    let mut body = BytesMut::with_capacity(announced.unwrap_or(first.len() + second.len()));
    body.extend_from_slice(&first);
    let mut chunk = second;
    loop {
        if chunk.len() > limit.saturating_sub(body.len()) {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
        match response.chunk().await? {
            Some(next) => chunk = next,
            None => break,
        }
    }
    Ok(body.freeze())
}

/// The first `limit` bytes of a body; the rest is left unread.
pub(crate) async fn read_at_most(response: &mut reqwest::Response, limit: usize) -> Result<Bytes, reqwest::Error> {
    let mut body = BytesMut::new();
    while body.len() < limit {
        let Some(chunk) = response.chunk().await? else { break };
        let room = limit - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(body.freeze())
}

/// A 2xx response whose body is read as the caller pulls it, chunk by chunk: what `*_stream`
/// methods return, for downloads too large to hold in memory. It is the same [`Response`] every
/// other operation returns (`status()`, `headers()`, `request_id()`), with a [`BodyStream`] as
/// its body: [`Response::into_inner`] takes the stream, and the stream's methods are reached
/// through `Deref`.
pub type StreamingResponse = Response<BodyStream>;

type ChunkStream = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// A response body as a [`Stream`] of chunks of at most [`STREAM_CHUNK_LIMIT`] bytes each.
///
/// Nothing is collected: memory stays bounded whatever the body's size. Each chunk must arrive
/// within the configured attempt [`timeout`](crate::ConfigBuilder::timeout), else the stream
/// yields [`Error::Timeout`]; a broken connection yields [`Error::Transport`]. After an error the
/// stream ends. Use it with `futures`' `StreamExt`, or with [`BodyStream::next_chunk`].
pub struct BodyStream {
    inner: ChunkStream,
}

impl fmt::Debug for BodyStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyStream").finish_non_exhaustive()
    }
}

/// What the stream holds between chunks.
struct StreamState {
    response: reqwest::Response,
    operation: &'static str,
    idle_timeout: Duration,
    /// The rest of a network read larger than [`STREAM_CHUNK_LIMIT`].
    pending: Bytes,
    finished: bool,
}

impl BodyStream {
    pub(crate) fn new(response: reqwest::Response, operation: &'static str, idle_timeout: Duration) -> Self {
        let state = StreamState { response, operation, idle_timeout, pending: Bytes::new(), finished: false };
        let inner = futures_util::stream::unfold(state, |mut state| async move {
            let item = state.next().await?;
            Some((item, state))
        });
        Self { inner: Box::pin(inner) }
    }

    /// The next chunk; `None` at the end of the body.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, Error>> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }
}

impl StreamState {
    async fn next(&mut self) -> Option<Result<Bytes, Error>> {
        // An empty read is not a chunk: read on.
        while self.pending.is_empty() {
            if self.finished {
                return None;
            }
            match tokio::time::timeout(self.idle_timeout, self.response.chunk()).await {
                Ok(Ok(Some(chunk))) => self.pending = chunk,
                Ok(Ok(None)) => {
                    self.finished = true;
                    return None;
                }
                Ok(Err(e)) => return self.fail(crate::client::transport_error(self.operation, e)),
                Err(_) => return self.fail(Error::Timeout { operation: self.operation, after: self.idle_timeout }),
            }
        }
        let take = self.pending.len().min(STREAM_CHUNK_LIMIT);
        Some(Ok(self.pending.split_to(take)))
    }

    fn fail(&mut self, error: Error) -> Option<Result<Bytes, Error>> {
        self.finished = true;
        Some(Err(error))
    }
}

impl Stream for BodyStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}
