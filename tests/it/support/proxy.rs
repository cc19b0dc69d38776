//! A TCP proxy between the kiosk and the hub that plays the network: passes
//! bytes (and counts them, both ways), refuses connections (nothing listens),
//! or resets a connection in the middle of a request. It sits below TLS, so
//! the client and the hub really talk TLS to each other through it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Forward everything.
    Pass,
    /// The port is closed: connections are refused, open ones are cut.
    Refuse,
    /// Forward this many bytes of each connection towards the hub, then reset it.
    ResetAfter(u64),
}

#[derive(Debug, Default)]
pub struct Counters {
    /// Bytes kiosk → hub.
    pub up: AtomicU64,
    /// Bytes hub → kiosk.
    pub down: AtomicU64,
    pub resets: AtomicU64,
    pub connections: AtomicU64,
}

pub struct FaultProxy {
    pub addr: SocketAddr,
    mode: watch::Sender<Mode>,
    pub counters: Arc<Counters>,
    task: JoinHandle<()>,
}

impl FaultProxy {
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (mode, mode_rx) = watch::channel(Mode::Pass);
        let counters = Arc::new(Counters::default());
        let task = tokio::spawn(run(listener, addr, target, mode_rx, counters.clone()));
        Self {
            addr,
            mode,
            counters,
            task,
        }
    }

    pub fn set_mode(&self, mode: Mode) {
        self.mode.send_replace(mode);
    }

    /// Waits until the proxy listens again after `Refuse` (a connect succeeds).
    pub async fn wait_listening(&self) {
        for _ in 0..200 {
            if let Ok(s) = TcpStream::connect(self.addr).await {
                drop(s);
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("proxy did not come back on {}", self.addr);
    }

    pub fn bytes(&self) -> (u64, u64) {
        (
            self.counters.up.load(Ordering::SeqCst),
            self.counters.down.load(Ordering::SeqCst),
        )
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn run(
    first: TcpListener,
    addr: SocketAddr,
    target: SocketAddr,
    mut mode_rx: watch::Receiver<Mode>,
    counters: Arc<Counters>,
) {
    let mut listener = Some(first);
    loop {
        while *mode_rx.borrow_and_update() == Mode::Refuse {
            if mode_rx.changed().await.is_err() {
                return;
            }
        }
        let current = match listener.take() {
            Some(l) => l,
            None => bind_again(addr).await,
        };
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                accepted = current.accept() => {
                    let Ok((client, _)) = accepted else { continue };
                    counters.connections.fetch_add(1, Ordering::SeqCst);
                    let mode = *mode_rx.borrow();
                    connections.spawn(pipe(client, target, mode, counters.clone()));
                }
                changed = mode_rx.changed() => {
                    if changed.is_err() { return; }
                    if *mode_rx.borrow() == Mode::Refuse {
                        connections.abort_all();
                        break;
                    }
                }
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        drop(current);
    }
}

async fn bind_again(addr: SocketAddr) -> TcpListener {
    for _ in 0..400 {
        if let Ok(l) = TcpListener::bind(addr).await {
            return l;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("cannot bind the proxy again on {addr}");
}

async fn pipe(mut client: TcpStream, target: SocketAddr, mode: Mode, counters: Arc<Counters>) {
    let Ok(mut server) = TcpStream::connect(target).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let mut up = vec![0u8; 32 * 1024];
    let mut down = vec![0u8; 32 * 1024];
    let mut forwarded_up = 0u64;
    loop {
        tokio::select! {
            r = client.read(&mut up) => {
                let n = match r { Ok(0) | Err(_) => break, Ok(n) => n };
                if let Mode::ResetAfter(limit) = mode
                    && forwarded_up + n as u64 > limit
                {
                    let keep = usize::try_from(limit - forwarded_up).unwrap_or(0);
                    let _ = server.write_all(&up[..keep]).await;
                    let _ = client.set_zero_linger();
                    counters.resets.fetch_add(1, Ordering::SeqCst);
                    return; // drop with zero linger: RST to the kiosk
                }
                if server.write_all(&up[..n]).await.is_err() { break; }
                forwarded_up += n as u64;
                counters.up.fetch_add(n as u64, Ordering::SeqCst);
            }
            r = server.read(&mut down) => {
                let n = match r { Ok(0) | Err(_) => break, Ok(n) => n };
                if client.write_all(&down[..n]).await.is_err() { break; }
                counters.down.fetch_add(n as u64, Ordering::SeqCst);
            }
        }
    }
}
