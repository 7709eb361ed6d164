//! A loopback HTTP/1.1 server (hyper) that answers every request with one fixed JSON body, on
//! its own runtime thread, so that a bench measures the client and not the server's scheduling.

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;

/// Starts the server; it lives as long as the process. Returns its `http://127.0.0.1:port`.
///
/// # Panics
///
/// When no loopback port can be bound (a bench cannot run without one).
pub fn serve(body: &'static str) -> String {
    let listener = std::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).expect("a loopback port");
    let address = listener.local_addr().expect("the bound address");
    listener.set_nonblocking(true).expect("a non-blocking listener");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(accept(listener, body));
    });
    format!("http://{address}")
}

async fn accept(listener: std::net::TcpListener, body: &'static str) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
    while let Ok((stream, _)) = listener.accept().await {
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let respond = service_fn(move |_request: Request<Incoming>| async move {
                let response = Response::builder()
                    .header("Content-Type", "application/json")
                    .header("X-Request-Id", "f2c9b0e4d1a84b7c")
                    .body(Full::new(Bytes::from_static(body.as_bytes())));
                Ok::<_, Infallible>(response.expect("a valid response"))
            });
            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), respond).await;
        });
    }
}
