//! A fake OpenID Connect provider on `127.0.0.1:0`: discovery document and
//! JWKS over plain HTTP, with checked-in RSA test keys (generating 2048-bit
//! keys in a debug build takes seconds) and a counter of JWKS fetches.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// PEM of the issuer's main signing key (PKCS#8).
pub const ISSUER_KEY_PEM: &str = include_str!("keys/issuer.pem");
/// PEM of the main key's public half; used to forge HS256 tokens.
pub const ISSUER_PUBLIC_PEM: &str = include_str!("keys/issuer.pub.pem");
/// PEM of a second key, unknown to the issuer unless published.
pub const OTHER_KEY_PEM: &str = include_str!("keys/other.pem");

/// An RSA signing key with its `kid`.
#[derive(Clone)]
pub struct SigningKey {
    /// The `kid` written into token headers and the JWK.
    pub kid: String,
    encoding: EncodingKey,
}

impl SigningKey {
    /// Loads a PEM key under a `kid`.
    pub fn from_pem(kid: &str, pem: &str) -> SigningKey {
        let encoding = EncodingKey::from_rsa_pem(pem.as_bytes()).expect("test key");
        SigningKey {
            kid: kid.to_owned(),
            encoding,
        }
    }

    /// The public JWK (with `kid`, `alg` RS256 and `use` sig).
    pub fn jwk(&self) -> Jwk {
        let mut jwk = Jwk::from_encoding_key(&self.encoding, Algorithm::RS256).expect("jwk");
        jwk.common.key_id = Some(self.kid.clone());
        jwk.common.public_key_use = Some(jsonwebtoken::jwk::PublicKeyUse::Signature);
        jwk
    }

    /// Signs `claims` with RS256 under this key's `kid`.
    pub fn sign(&self, claims: &impl Serialize) -> String {
        self.sign_with_kid(claims, Some(&self.kid))
    }

    /// Signs with RS256 under an arbitrary (or no) `kid`.
    pub fn sign_with_kid(&self, claims: &impl Serialize, kid: Option<&str>) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = kid.map(str::to_owned);
        jsonwebtoken::encode(&header, claims, &self.encoding).expect("sign")
    }
}

/// The running fake provider.
pub struct FakeIssuer {
    /// Base URL, also the `iss` of its tokens.
    pub url: String,
    /// The key it signs with (published in its JWKS).
    pub key: SigningKey,
    published: Arc<RwLock<Vec<Jwk>>>,
    jwks_fetches: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeIssuer {
    /// Starts serving discovery and JWKS; the main key is published.
    pub async fn start() -> FakeIssuer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake issuer");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let key = SigningKey::from_pem("issuer-key-1", ISSUER_KEY_PEM);
        let published = Arc::new(RwLock::new(vec![key.jwk()]));
        let jwks_fetches = Arc::new(AtomicUsize::new(0));
        let server = Server {
            url: url.clone(),
            published: published.clone(),
            jwks_fetches: jwks_fetches.clone(),
        };
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let server = server.clone();
                tokio::spawn(async move { server.answer(stream).await });
            }
        });
        FakeIssuer {
            url,
            key,
            published,
            jwks_fetches,
            task,
        }
    }

    /// Adds a key to the published JWKS (key rotation).
    pub fn publish(&self, key: &SigningKey) {
        self.published.write().expect("keys").push(key.jwk());
    }

    /// How often the JWKS was fetched.
    pub fn jwks_fetches(&self) -> usize {
        self.jwks_fetches.load(Ordering::SeqCst)
    }
}

impl Drop for FakeIssuer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Clone)]
struct Server {
    url: String,
    published: Arc<RwLock<Vec<Jwk>>>,
    jwks_fetches: Arc<AtomicUsize>,
}

impl Server {
    async fn answer(&self, mut stream: TcpStream) {
        let mut buf = Vec::with_capacity(1024);
        let mut chunk = [0u8; 1024];
        // One request per connection; the head is all we need.
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let head = String::from_utf8_lossy(&buf);
        let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
        let (status, body) = match path.as_str() {
            "/.well-known/openid-configuration" => ("200 OK", self.discovery()),
            "/jwks" => {
                self.jwks_fetches.fetch_add(1, Ordering::SeqCst);
                let keys = self.published.read().expect("keys").clone();
                (
                    "200 OK",
                    serde_json::to_string(&JwkSet { keys }).expect("jwks"),
                )
            }
            _ => ("404 Not Found", "{}".to_owned()),
        };
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
    }

    fn discovery(&self) -> String {
        serde_json::json!({
            "issuer": self.url,
            "jwks_uri": format!("{}/jwks", self.url),
            "id_token_signing_alg_values_supported": ["RS256"],
        })
        .to_string()
    }
}
