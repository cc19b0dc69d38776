//! Who is asking. The connection's peer, unless that peer is the one proxy
//! the hub was told to trust (`--trusted-proxy`): then the address the proxy
//! appended last to `X-Forwarded-For`. Forwarded headers from anyone else are
//! removed before a handler sees them, so no client can choose its address,
//! host or scheme by writing a header.

use std::net::{IpAddr, SocketAddr};
use std::task::{Context, Poll};

use axum::http::{HeaderMap, Request};

/// The client's address, in every request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

const FORWARDED: [&str; 4] = [
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "forwarded",
];

/// The client of a request that came from `peer`.
pub fn client_of(peer: IpAddr, trusted_proxy: Option<IpAddr>, headers: &HeaderMap) -> IpAddr {
    if Some(peer) != trusted_proxy {
        return peer;
    }
    // The proxy appends the address it saw: the last one is the only one
    // it vouches for (earlier ones came from the client).
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .next_back()
        .unwrap_or(peer)
}

/// The router, with each request's client address put in its extensions
/// (and forwarded headers dropped unless the peer is the trusted proxy).
#[derive(Debug, Clone)]
pub struct WithClient<S> {
    pub inner: S,
    pub peer: SocketAddr,
    pub trusted_proxy: Option<IpAddr>,
}

impl<S, B> tower_service::Service<Request<B>> for WithClient<S>
where
    S: tower_service::Service<Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        let peer = self.peer.ip();
        let client = client_of(peer, self.trusted_proxy, request.headers());
        if Some(peer) != self.trusted_proxy {
            for name in FORWARDED {
                request.headers_mut().remove(name);
            }
        }
        request.extensions_mut().insert(ClientAddr(client));
        self.inner.call(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn only_the_trusted_proxy_names_the_client() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let stranger: IpAddr = "203.0.113.9".parse().unwrap();
        let h = forwarded(&["1.2.3.4, 198.51.100.7"]);
        // From the proxy: the address it appended (not the client's claim).
        assert_eq!(
            client_of(proxy, Some(proxy), &h).to_string(),
            "198.51.100.7"
        );
        // From anyone else the header means nothing.
        assert_eq!(client_of(stranger, Some(proxy), &h), stranger);
        assert_eq!(client_of(stranger, None, &h), stranger);
        // A proxy that sent no usable address: the proxy itself.
        assert_eq!(client_of(proxy, Some(proxy), &forwarded(&["junk"])), proxy);
    }
}
