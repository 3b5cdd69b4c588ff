//! A server whose TLS certificate the client does not trust: the error is
//! final (one connection, however many attempts the policy allows) and says
//! which settings fix it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use arize_ax::{Client, Error, PrereleaseGate, RetryPolicy};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;

const CERT: &[u8] = include_bytes!("data/untrusted-cert.pem");
const KEY: &[u8] = include_bytes!("data/untrusted-key.pem");

/// Accepts TLS connections with a self-signed certificate and counts them.
async fn untrusted_server() -> (String, Arc<AtomicUsize>) {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(CERT).unwrap()],
            PrivateKeyDer::from_pem_slice(KEY).unwrap(),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            // The client aborts the handshake; nothing more to do.
            tokio::spawn(async move { drop(acceptor.accept(stream).await) });
        }
    });
    (url, connections)
}

#[tokio::test]
async fn an_untrusted_certificate_is_final_and_names_the_settings_that_fix_it() {
    let (url, connections) = untrusted_server().await;
    let client = Client::builder()
        .api_key("ak-tls-test")
        .base_url(url)
        .prerelease_gate(Arc::new(PrereleaseGate::capturing()))
        .retry(RetryPolicy::default().max_attempts(5))
        .build()
        .unwrap();
    let err = client.organizations().list().send().await.unwrap_err();
    let Error::Transport(transport) = &err else {
        panic!("expected a transport error, got {err:?}")
    };
    assert!(transport.is_certificate, "{transport:?}");
    assert!(
        !transport.is_connect,
        "a certificate error is not a network problem"
    );
    assert_eq!(transport.attempts, 1, "{err}");
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "tried once, not retried"
    );
    let message = err.to_string();
    for hint in ["ARIZE_SSL_CA_CERT", "ARIZE_REQUEST_VERIFY"] {
        assert!(message.contains(hint), "{message}");
    }
    assert!(
        !message.contains("check the host, port and network"),
        "{message}"
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn trusting_the_certificate_gets_past_it() {
    let (url, connections) = untrusted_server().await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, CERT).unwrap();
    let client = Client::builder()
        .api_key("ak-tls-test")
        .base_url(url)
        .ca_cert(&ca)
        .prerelease_gate(Arc::new(PrereleaseGate::capturing()))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    // The handshake succeeds; the server then closes without answering.
    let err = client.organizations().list().send().await.unwrap_err();
    let Error::Transport(transport) = &err else {
        panic!("expected a transport error, got {err:?}")
    };
    assert!(!transport.is_certificate, "{err}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}
