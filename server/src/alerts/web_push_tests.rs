use super::*;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::VerifyingKey;

/// What a browser does with a push body: its own key, the auth secret.
pub fn decrypt(body: &[u8], ua_secret: &SecretKey, auth: &[u8]) -> Vec<u8> {
    let salt = &body[..16];
    let id_len = body[20] as usize;
    let as_public = &body[21..21 + id_len];
    let sealed = &body[21 + id_len..];
    let server = PublicKey::from_sec1_bytes(as_public).unwrap();
    let shared = p256::ecdh::diffie_hellman(ua_secret.to_nonzero_scalar(), server.as_affine());
    let ua_public = ua_secret.public_key().to_sec1_bytes();
    let (cek, nonce) = content_keys(shared.raw_secret_bytes(), auth, &ua_public, as_public, salt);
    let mut plain = Aes128Gcm::new_from_slice(&cek)
        .unwrap()
        .decrypt(Nonce::from_slice(&nonce), sealed)
        .unwrap();
    assert_eq!(plain.pop(), Some(2), "the last record's delimiter");
    plain
}

fn browser() -> (SecretKey, BrowserKeys, [u8; 16]) {
    let secret = random_secret().unwrap();
    let auth = [7u8; 16];
    let keys = BrowserKeys {
        p256dh: B64.encode(secret.public_key().to_sec1_bytes()),
        auth: B64.encode(auth),
    };
    (secret, keys, auth)
}

#[test]
fn a_message_decrypts_with_the_browsers_keys() {
    let (secret, keys, auth) = browser();
    let body = encrypt(&keys, br#"{"title":"boiler hot"}"#).unwrap();
    assert_eq!(&body[16..20], &4096u32.to_be_bytes());
    assert_eq!(body[20], 65);
    assert_eq!(decrypt(&body, &secret, &auth), br#"{"title":"boiler hot"}"#);
    // A fresh salt and one-time key each time.
    assert_ne!(encrypt(&keys, b"x").unwrap()[..16], encrypt(&keys, b"x").unwrap()[..16]);
}

#[test]
fn wrong_keys_and_long_messages_are_refused() {
    let (_, keys, _) = browser();
    let bad = BrowserKeys {
        p256dh: "AAAA".into(),
        ..keys.clone()
    };
    assert_eq!(encrypt(&bad, b"x"), Err(PushError::BadKey("p256dh")));
    let short = BrowserKeys {
        auth: B64.encode([1u8; 8]),
        ..keys.clone()
    };
    assert_eq!(encrypt(&short, b"x"), Err(PushError::BadKey("auth")));
    assert_eq!(encrypt(&keys, &vec![b'a'; MAX_PLAINTEXT + 1]), Err(PushError::TooLong));
    assert!(encrypt(&keys, &vec![b'a'; MAX_PLAINTEXT]).is_ok());
}

#[test]
fn the_vapid_token_is_signed_for_the_push_services_origin() {
    let key = VapidKey::generate().unwrap();
    let auth = key.authorization(
        "https://push.example.com:8443/send/abc?x=1",
        "mailto:ops@example.com",
        1_900_000_000,
    );
    let (t, k) = auth.strip_prefix("vapid t=").unwrap().split_once(", k=").unwrap();
    assert_eq!(k, key.public_b64());
    let mut parts = t.split('.');
    let (header, claims, signature) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    let claims: serde_json::Value = serde_json::from_slice(&B64.decode(claims).unwrap()).unwrap();
    assert_eq!(claims["aud"], "https://push.example.com:8443");
    assert_eq!(claims["exp"], 1_900_000_000);
    assert_eq!(claims["sub"], "mailto:ops@example.com");
    let public = PublicKey::from_sec1_bytes(&B64.decode(k).unwrap()).unwrap();
    let signature = Signature::from_slice(&B64.decode(signature).unwrap()).unwrap();
    VerifyingKey::from(&public)
        .verify(
            format!("{header}.{}", t.split('.').nth(1).unwrap()).as_bytes(),
            &signature,
        )
        .unwrap();
    let stored = VapidKey::from_bytes(&key.to_bytes()).unwrap();
    assert_eq!(stored.public_b64(), key.public_b64());
}

#[test]
fn the_body_is_the_one_of_rfc_8291_appendix_a() {
    let b64 = |s: &str| B64.decode(s).unwrap();
    let keys = BrowserKeys {
        p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4".into(),
        auth: "BTBZMqHH6r4Tts7J_aSIgg".into(),
    };
    let server = SecretKey::from_slice(&b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")).unwrap();
    let salt: [u8; 16] = b64("DGv6ra1nlYgDCS1FRnbzlw").try_into().unwrap();
    let body = encrypt_with(&keys, b"When I grow up, I want to be a watermelon", &server, salt).unwrap();
    assert_eq!(
        B64.encode(body),
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
    );
}
