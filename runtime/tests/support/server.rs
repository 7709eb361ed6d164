//! A loopback HTTP/1.1 server for body-size and timing tests: it answers every request on every
//! connection with a fixed head and a body that may never end, and counts the body bytes sent.

// Each test crate that includes this file uses part of it.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What follows the head.
#[derive(Clone)]
pub enum Reply {
    /// A fixed body after `head` (which gives its own `Content-Length`, or announces more).
    Fixed { head: String, body: Vec<u8> },
    /// A `200` whose chunked body never ends: `chunk`-byte chunks until the client goes away.
    Endless { chunk: usize },
    /// A `200` announcing `length` bytes, written (zeros) as far as the client reads them.
    Sized { length: u64 },
}

/// A running server: its endpoint, and how many body bytes it has written.
pub struct Server {
    pub endpoint: String,
    pub body_bytes_sent: Arc<AtomicU64>,
}

impl Server {
    pub async fn start(reply: Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let body_bytes_sent = Arc::new(AtomicU64::new(0));
        let sent = body_bytes_sent.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(answer(socket, reply.clone(), sent.clone()));
            }
        });
        Self { endpoint, body_bytes_sent }
    }

    pub fn sent(&self) -> u64 {
        self.body_bytes_sent.load(Ordering::Relaxed)
    }
}

async fn answer(mut socket: TcpStream, reply: Reply, sent: Arc<AtomicU64>) {
    loop {
        if !read_request_head(&mut socket).await {
            return;
        }
        let written = match &reply {
            Reply::Fixed { head, body } => write_fixed(&mut socket, head, body, &sent).await,
            Reply::Endless { chunk } => write_endless(&mut socket, *chunk, &sent).await,
            Reply::Sized { length } => write_sized(&mut socket, *length, &sent).await,
        };
        if written.is_err() {
            return;
        }
    }
}

/// Reads up to the end of a request head (the tests send no request bodies); false at EOF.
async fn read_request_head(socket: &mut TcpStream) -> bool {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match socket.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return false,
        }
    }
    true
}

async fn write_fixed(socket: &mut TcpStream, head: &str, body: &[u8], sent: &AtomicU64) -> std::io::Result<()> {
    socket.write_all(head.as_bytes()).await?;
    socket.write_all(body).await?;
    sent.fetch_add(body.len() as u64, Ordering::Relaxed);
    socket.flush().await
}

async fn write_endless(socket: &mut TcpStream, chunk: usize, sent: &AtomicU64) -> std::io::Result<()> {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nX-Request-Id: endless-1\r\n\
                Transfer-Encoding: chunked\r\n\r\n";
    socket.write_all(head.as_bytes()).await?;
    let frame = [format!("{chunk:x}\r\n").into_bytes(), vec![b'x'; chunk], b"\r\n".to_vec()].concat();
    loop {
        socket.write_all(&frame).await?;
        sent.fetch_add(chunk as u64, Ordering::Relaxed);
    }
}

async fn write_sized(socket: &mut TcpStream, length: u64, sent: &AtomicU64) -> std::io::Result<()> {
    let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n");
    socket.write_all(head.as_bytes()).await?;
    let zeros = vec![0u8; 64 * 1024];
    let mut left = length;
    while left > 0 {
        let n = usize::try_from(left).unwrap_or(usize::MAX).min(zeros.len());
        socket.write_all(&zeros[..n]).await?;
        sent.fetch_add(n as u64, Ordering::Relaxed);
        left -= n as u64;
    }
    socket.flush().await
}
