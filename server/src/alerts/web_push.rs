//! Web Push without a push library: the message body encrypted for one
//! browser as RFC 8291 says (ECDH on P-256 with the browser's key, HKDF
//! with its auth secret, one AES-128-GCM record in the `aes128gcm`
//! content coding of RFC 8188), and the VAPID authorization of RFC 8292
//! (an ES256 JSON Web Token signed with the server's key, which browsers
//! were given when they subscribed).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hkdf::Hkdf;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::{PublicKey, SecretKey};
use sha2::Sha256;

/// The record size announced in the header: one record holds the message.
const RECORD_SIZE: u32 = 4096;
/// The most plaintext one record may hold (the size less the padding
/// delimiter and the 16-byte tag).
pub const MAX_PLAINTEXT: usize = RECORD_SIZE as usize - 17;

/// Why a message could not be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PushError {
    #[error("the subscription's {0} is not valid")]
    BadKey(&'static str),
    #[error("the message is longer than one record")]
    TooLong,
    #[error("the system's random source failed")]
    Random,
}

/// A browser's subscription keys as it gives them: base64url.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserKeys {
    pub p256dh: String,
    pub auth: String,
}

/// The server's VAPID key pair.
#[derive(Clone)]
pub struct VapidKey(SecretKey);

impl VapidKey {
    /// A new random key.
    pub fn generate() -> Result<VapidKey, PushError> {
        random_secret().map(VapidKey)
    }

    /// The key stored as its 32 secret bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<VapidKey> {
        SecretKey::from_slice(bytes).ok().map(VapidKey)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.to_bytes().to_vec()
    }

    /// The public key as browsers take it (`applicationServerKey`):
    /// uncompressed point, base64url.
    pub fn public_b64(&self) -> String {
        B64.encode(self.0.public_key().to_sec1_bytes())
    }

    /// `vapid t=<JWT>, k=<public key>` for a push to `endpoint`, valid
    /// until `expires_s` (Unix seconds), naming `subject` (a `mailto:` or
    /// `https:` URL) as who to contact about it.
    pub fn authorization(&self, endpoint: &str, subject: &str, expires_s: i64) -> String {
        let audience = origin(endpoint);
        let header = B64.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::json!({"aud": audience, "exp": expires_s, "sub": subject});
        let signing_input = format!("{header}.{}", B64.encode(claims.to_string()));
        let signature: Signature = SigningKey::from(&self.0).sign(signing_input.as_bytes());
        let jwt = format!("{signing_input}.{}", B64.encode(signature.to_bytes()));
        format!("vapid t={jwt}, k={}", self.public_b64())
    }
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..].find('/').map_or(url.len(), |i| after_scheme + i);
    url[..end].to_owned()
}

fn random_secret() -> Result<SecretKey, PushError> {
    // Almost every 32-byte string is a valid scalar; try again otherwise.
    for _ in 0..8 {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| PushError::Random)?;
        if let Ok(key) = SecretKey::from_slice(&bytes) {
            return Ok(key);
        }
    }
    Err(PushError::Random)
}

/// `plaintext` encrypted for the browser holding `keys`: the whole
/// `aes128gcm` body (salt, record size, the server's one-time public key,
/// then the record).
pub fn encrypt(keys: &BrowserKeys, plaintext: &[u8]) -> Result<Vec<u8>, PushError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| PushError::Random)?;
    encrypt_with(keys, plaintext, &random_secret()?, salt)
}

/// [`encrypt`] with the one-time key and salt given (for tests).
pub fn encrypt_with(
    keys: &BrowserKeys,
    plaintext: &[u8],
    one_time: &SecretKey,
    salt: [u8; 16],
) -> Result<Vec<u8>, PushError> {
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(PushError::TooLong);
    }
    let ua_bytes = B64
        .decode(keys.p256dh.trim_end_matches('='))
        .map_err(|_| PushError::BadKey("p256dh"))?;
    let ua_public = PublicKey::from_sec1_bytes(&ua_bytes).map_err(|_| PushError::BadKey("p256dh"))?;
    let auth = B64
        .decode(keys.auth.trim_end_matches('='))
        .map_err(|_| PushError::BadKey("auth"))?;
    if auth.len() != 16 {
        return Err(PushError::BadKey("auth"));
    }
    let as_public = one_time.public_key().to_sec1_bytes();
    let ua_public_bytes = ua_public.to_sec1_bytes();
    let shared = p256::ecdh::diffie_hellman(one_time.to_nonzero_scalar(), ua_public.as_affine());
    let (cek, nonce) = content_keys(shared.raw_secret_bytes(), &auth, &ua_public_bytes, &as_public, &salt);
    let mut record = plaintext.to_vec();
    record.push(2); // the last record's padding delimiter
    let sealed = Aes128Gcm::new_from_slice(&cek)
        .map_err(|_| PushError::Random)?
        .encrypt(Nonce::from_slice(&nonce), record.as_slice())
        .map_err(|_| PushError::TooLong)?;
    let mut body = Vec::with_capacity(86 + sealed.len());
    body.extend_from_slice(&salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(as_public.len() as u8);
    body.extend_from_slice(&as_public);
    body.extend_from_slice(&sealed);
    Ok(body)
}

/// The content encryption key and nonce of RFC 8291 §3.4 and RFC 8188 §2.2.
pub fn content_keys(ecdh: &[u8], auth: &[u8], ua_public: &[u8], as_public: &[u8], salt: &[u8]) -> ([u8; 16], [u8; 12]) {
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(ua_public);
    key_info.extend_from_slice(as_public);
    let mut ikm = [0u8; 32];
    // Lengths are within HKDF's limits: these cannot fail.
    let _ = Hkdf::<Sha256>::new(Some(auth), ecdh).expand(&key_info, &mut ikm);
    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
    let _ = prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek);
    let _ = prk.expand(b"Content-Encoding: nonce\0", &mut nonce);
    (cek, nonce)
}

#[cfg(test)]
#[path = "web_push_tests.rs"]
mod tests;
