//! Which BMC certificates are trusted, from the environment, and the rustls configuration that
//! enforces it.
//!
//! Verified by default against the system's CA store; `DCIH_REDFISH_CA_FILE` trusts the CAs
//! (or the self-signed certificate) in a PEM file instead; `DCIH_REDFISH_PIN_SHA256` trusts one
//! certificate by its SHA-256 fingerprint, whatever its issuer and names; and
//! `DCIH_REDFISH_INSECURE_SKIP_VERIFY=1`, whose name says what it does, trusts anything. In every
//! mode the handshake's signatures are checked (the BMC must hold the certificate's key). The
//! verifier remembers the fingerprint of the certificate it saw and why it refused it, so the
//! error can show the operator exactly what to pin.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use sha2::{Digest, Sha256};

/// The environment variables of this module.
pub mod env {
    /// A PEM file of CA certificates to trust instead of the system's store; a certificate in it
    /// that the BMC presents itself (its own self-signed one) is trusted as it is.
    pub const CA_FILE: &str = "DCIH_REDFISH_CA_FILE";
    /// The SHA-256 fingerprint of the one certificate to trust (hex, colons optional).
    pub const PIN: &str = "DCIH_REDFISH_PIN_SHA256";
    /// `1`: trust any certificate (the connection is still encrypted, but not to a known BMC).
    pub const INSECURE: &str = "DCIH_REDFISH_INSECURE_SKIP_VERIFY";
}

/// What is trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// The system's CA store.
    System,
    /// The certificates in this PEM file.
    CaFile(PathBuf),
    /// The certificate with this SHA-256 fingerprint.
    Pin([u8; 32]),
    /// Anything.
    Insecure,
}

/// An environment variable that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("environment variable {name}: {problem}")]
pub struct TrustError {
    /// The variable.
    pub name: &'static str,
    /// What is wrong.
    pub problem: String,
}

impl Trust {
    /// From the environment, through `get`; at most one of the three may be set.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Trust, TrustError> {
        let set: Vec<(&'static str, String)> = [env::CA_FILE, env::PIN, env::INSECURE]
            .into_iter()
            .filter_map(|n| get(n).filter(|v| !v.is_empty()).map(|v| (n, v)))
            .collect();
        match &set[..] {
            [] => Ok(Trust::System),
            [(name, v)] if *name == env::CA_FILE => Ok(Trust::CaFile(PathBuf::from(v))),
            [(name, v)] if *name == env::PIN => {
                parse_pin(v).map(Trust::Pin).ok_or_else(|| TrustError {
                    name,
                    problem: format!(
                        "expected a SHA-256 fingerprint, 64 hex digits (colons allowed), got '{}'",
                        v.chars().take(100).collect::<String>()
                    ),
                })
            }
            [(name, v)] => match v.as_str() {
                "1" | "true" | "yes" => Ok(Trust::Insecure),
                _ => Err(TrustError {
                    name,
                    problem: format!(
                        "expected 1 to trust any certificate, got '{}'",
                        v.chars().take(40).collect::<String>()
                    ),
                }),
            },
            several => Err(TrustError {
                name: several[0].0,
                problem: format!(
                    "set one of {}, {} and {}, not {}",
                    env::CA_FILE,
                    env::PIN,
                    env::INSECURE,
                    several
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            }),
        }
    }

    /// The rustls configuration for this trust, and the slot where the verifier leaves what it
    /// saw.
    pub fn config(&self) -> Result<(rustls::ClientConfig, Arc<Mutex<Seen>>), TrustError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        // Certificates trusted as they are, whatever their issuer: those of the CA file (a BMC's
        // own self-signed certificate is often marked as a CA, which path validation refuses as
        // a server's certificate).
        let mut exact = Vec::new();
        let roots = match self {
            Trust::System => {
                let found = rustls_native_certs::load_native_certs();
                let mut roots = RootCertStore::empty();
                roots.add_parsable_certificates(found.certs);
                Some(roots)
            }
            Trust::CaFile(path) => {
                let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
                    .map_err(|e| TrustError {
                        name: env::CA_FILE,
                        problem: format!("cannot read {}: {e}", path.display()),
                    })?
                    .collect::<Result<_, _>>()
                    .map_err(|e| TrustError {
                        name: env::CA_FILE,
                        problem: format!(
                            "{} is not a PEM file of certificates: {e}",
                            path.display()
                        ),
                    })?;
                exact = certs
                    .iter()
                    .map(|c| Sha256::digest(c.as_ref()).into())
                    .collect();
                let mut roots = RootCertStore::empty();
                let (added, _) = roots.add_parsable_certificates(certs);
                if added == 0 {
                    return Err(TrustError {
                        name: env::CA_FILE,
                        problem: format!("{} holds no certificate", path.display()),
                    });
                }
                Some(roots)
            }
            Trust::Pin(_) | Trust::Insecure => None,
        };
        let webpki = match roots {
            Some(roots) => Some(
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|e| TrustError {
                        name: env::CA_FILE,
                        problem: format!("no usable CA certificate: {e}"),
                    })?,
            ),
            None => None,
        };
        let seen = Arc::new(Mutex::new(Seen::default()));
        let verifier = Verifier {
            webpki,
            exact,
            pin: match self {
                Trust::Pin(p) => Some(*p),
                _ => None,
            },
            provider: provider.clone(),
            seen: seen.clone(),
        };
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TrustError {
                name: env::CA_FILE,
                problem: format!("TLS set-up: {e}"),
            })?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        Ok((config, seen))
    }
}

/// `AA:BB:…` or `aabb…`, 32 bytes.
fn parse_pin(text: &str) -> Option<[u8; 32]> {
    let hex: String = text
        .chars()
        .filter(|c| *c != ':' && !c.is_whitespace())
        .collect();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// A fingerprint as the operator writes it back: `AA:BB:…`.
pub fn fingerprint(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// What the verifier saw of the BMC's certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    /// Its SHA-256 fingerprint.
    pub fingerprint: Option<String>,
    /// Why it was refused, where it was.
    pub refused: Option<String>,
}

#[derive(Debug)]
struct Verifier {
    webpki: Option<Arc<WebPkiServerVerifier>>,
    /// SHA-256 of certificates accepted as they are.
    exact: Vec<[u8; 32]>,
    pin: Option<[u8; 32]>,
    provider: Arc<CryptoProvider>,
    seen: Arc<Mutex<Seen>>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let digest: [u8; 32] = Sha256::digest(end_entity.as_ref()).into();
        let result = match (&self.webpki, self.pin) {
            (_, Some(pin)) if pin == digest => Ok(ServerCertVerified::assertion()),
            (_, Some(_)) => Err(rustls::Error::General(
                "its fingerprint is not the one pinned".into(),
            )),
            _ if self.exact.contains(&digest) => Ok(ServerCertVerified::assertion()),
            (Some(webpki), None) => webpki.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ),
            (None, None) => Ok(ServerCertVerified::assertion()),
        };
        if let Ok(mut s) = self.seen.lock() {
            s.fingerprint = Some(fingerprint(&digest));
            s.refused = result.as_ref().err().map(ToString::to_string);
        }
        result
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |n| {
            pairs
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn trust_comes_from_one_variable() {
        assert_eq!(Trust::from_lookup(lookup(&[])), Ok(Trust::System));
        let pin = "AB:".repeat(31) + "AB";
        let p = Box::leak(pin.into_boxed_str());
        let pairs: &'static [(&str, &str)] = Box::leak(Box::new([(env::PIN, &*p)]));
        assert_eq!(
            Trust::from_lookup(lookup(pairs)),
            Ok(Trust::Pin([0xAB; 32]))
        );
        assert_eq!(
            Trust::from_lookup(lookup(&[(env::INSECURE, "1")])),
            Ok(Trust::Insecure)
        );
        let e = Trust::from_lookup(lookup(&[(env::PIN, "12:34")])).unwrap_err();
        assert!(e.to_string().contains("64 hex digits"), "{e}");
        let e = Trust::from_lookup(lookup(&[(env::INSECURE, "maybe")])).unwrap_err();
        assert!(e.to_string().contains("expected 1"), "{e}");
        let e =
            Trust::from_lookup(lookup(&[(env::INSECURE, "1"), (env::CA_FILE, "/x")])).unwrap_err();
        assert!(
            e.to_string()
                .contains("not DCIH_REDFISH_CA_FILE and DCIH_REDFISH_INSECURE_SKIP_VERIFY"),
            "{e}"
        );
    }

    #[test]
    fn fingerprints_are_written_as_operators_read_them() {
        assert_eq!(fingerprint(&[0x0A, 0xFF, 0x10]), "0A:FF:10");
        assert_eq!(parse_pin(&fingerprint(&[7; 32])), Some([7; 32]));
        assert_eq!(parse_pin(&"07".repeat(32)), Some([7; 32]));
        assert_eq!(parse_pin(&"0g".repeat(32)), None);
    }

    #[test]
    fn a_ca_file_that_is_missing_or_empty_is_named() {
        let e = Trust::CaFile("/nonexistent/ca.pem".into())
            .config()
            .unwrap_err();
        assert!(
            e.to_string().starts_with(
                "environment variable DCIH_REDFISH_CA_FILE: cannot read /nonexistent/ca.pem"
            ),
            "{e}"
        );
    }
}
