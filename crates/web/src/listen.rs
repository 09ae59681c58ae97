//! Accepting connections, with the limits that keep slow or greedy clients from starving
//! everyone else.
//!
//! `axum::serve` sets no timer, so hyper's header timeout never fires: a client that opens a
//! connection and sends nothing, half its headers or half its body holds a file descriptor
//! for ever, and a few hundred of them stop every search. Here each connection has:
//! - a **header timeout**: a request's head must arrive whole within it, and a kept-alive
//!   connection waiting for its next request is closed after it;
//! - a **request timeout**: from the head to the handler's answer, the body included (a
//!   body trickled a byte at a time gets 408);
//! - a **write timeout**: a client that stops reading its answer is dropped.
//!
//! The number of connections is capped below the process's open-files limit, and each
//! address (a trusted proxy aside) may hold only a share of them, so one client cannot take
//! every slot. When every slot is taken, new connections wait in the kernel's queue.

use std::collections::HashMap;
use std::io;
use std::net::IpAddr;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::time::Sleep;
use tower::ServiceExt;

/// How long a stopping server waits for answers still being sent.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How many connections, for how long. The defaults suit a public site on one machine.
#[derive(Clone, Debug)]
pub struct ConnectionLimits {
    /// Open connections at once, in all.
    pub max_connections: usize,
    /// Open connections at once from one address (trusted proxies are not limited).
    pub per_address: usize,
    /// For a request's head to arrive, and for a kept-alive connection to bring its next.
    pub header_timeout: Duration,
    /// From a request's head to the handler's answer, reading the body included.
    pub request_timeout: Duration,
    /// For a client to take the next part of its answer.
    pub write_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: default_max_connections(),
            per_address: 64,
            header_timeout: Duration::from_secs(10),
            // A 5 MB evidence upload on a slow mobile connection (about 1 Mbit/s) takes 40 s.
            request_timeout: Duration::from_secs(90),
            write_timeout: Duration::from_secs(30),
        }
    }
}

/// Below the open-files limit, leaving room for the database, the index and the crawler.
fn default_max_connections() -> usize {
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile)
        .current
        .unwrap_or(u64::MAX);
    usize::try_from(limit.saturating_sub(128) / 2)
        .unwrap_or(usize::MAX)
        .clamp(16, 4096)
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open answers finish.
pub(crate) async fn run(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    trusted_proxies: Vec<IpAddr>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let per_address = Arc::new(Mutex::new(HashMap::<String, usize>::new()));
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was taken:
                    // wait a moment rather than spin, and keep serving.
                    tracing::warn!("could not accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let ip = peer.ip().to_canonical();
        let share = if trusted_proxies.contains(&ip) {
            usize::MAX
        } else {
            limits.per_address
        };
        // Counted as sign-ins are: an IPv6 client by its /64, which it could roam.
        let Some(held) =
            AddressShare::take(&per_address, signpost_accounts::address_key(ip), share)
        else {
            tracing::debug!("refused a connection from {peer}: too many open from there");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let limits = limits.clone();
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let _held = held;
            let request_timeout = limits.request_timeout;
            let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                let app = app.clone();
                async move {
                    match tokio::time::timeout(request_timeout, app.oneshot(req)).await {
                        Ok(answer) => answer,
                        Err(_) => Ok(too_slow()),
                    }
                }
            });
            let io = TokioIo::new(WriteDeadline::new(stream, limits.write_timeout));
            let mut conn = pin!(
                http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(limits.header_timeout)
                    .serve_connection(io, service)
            );
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stopping.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    // Take no more connections, and ask open ones to finish what they are answering.
    drop(listener);
    let _ = stop.send(true);
    // Every connection holds a slot: when all are back, every answer has been given. A
    // client slow to take its answer is not waited for past the grace period.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, slots.acquire_many(all)).await;
    Ok(())
}

fn too_slow() -> Response {
    let mut r = (
        StatusCode::REQUEST_TIMEOUT,
        "The request took too long to arrive. Please try again.",
    )
        .into_response();
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

/// One address's count of open connections, given back when the connection ends.
struct AddressShare {
    counts: Arc<Mutex<HashMap<String, usize>>>,
    key: String,
}

impl AddressShare {
    fn take(counts: &Arc<Mutex<HashMap<String, usize>>>, key: String, max: usize) -> Option<Self> {
        let mut map = counts.lock().unwrap_or_else(|p| p.into_inner());
        let n = map.entry(key.clone()).or_default();
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(AddressShare {
            counts: counts.clone(),
            key,
        })
    }
}

impl Drop for AddressShare {
    fn drop(&mut self) {
        let mut map = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.key);
            }
        }
    }
}

/// A connection whose writes fail once the client has taken nothing for `timeout`.
struct WriteDeadline {
    inner: TcpStream,
    timeout: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl WriteDeadline {
    fn new(inner: TcpStream, timeout: Duration) -> Self {
        WriteDeadline {
            inner,
            timeout,
            stalled: None,
        }
    }

    /// After a write that could not go ahead: pending until the timeout, then an error.
    fn wait<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let timeout = self.timeout;
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn went<T>(&mut self, done: Poll<io::Result<T>>, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        match done {
            Poll::Pending => self.wait(cx),
            ready => {
                self.stalled = None;
                ready
            }
        }
    }
}

impl AsyncRead for WriteDeadline {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteDeadline {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let done = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.went(done, cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let done = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.went(done, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let done = Pin::new(&mut this.inner).poll_flush(cx);
        this.went(done, cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let done = Pin::new(&mut this.inner).poll_shutdown(cx);
        this.went(done, cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_share_and_gives_it_back() {
        let counts = Arc::new(Mutex::new(HashMap::new()));
        let ip = || "192.0.2.1".to_owned();
        let a = AddressShare::take(&counts, ip(), 2).unwrap();
        let _b = AddressShare::take(&counts, ip(), 2).unwrap();
        assert!(AddressShare::take(&counts, ip(), 2).is_none());
        assert!(AddressShare::take(&counts, "192.0.2.2".to_owned(), 2).is_some());
        drop(a);
        assert!(AddressShare::take(&counts, ip(), 2).is_some());
    }

    #[test]
    fn the_default_cap_leaves_room_under_the_open_files_limit() {
        let cap = default_max_connections();
        assert!((16..=4096).contains(&cap), "{cap}");
    }
}
