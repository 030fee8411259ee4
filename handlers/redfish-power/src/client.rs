//! One Redfish service over HTTPS for one call: a reqwest client on rustls (one connection,
//! kept alive between requests), the login (HTTP basic, or a Redfish session deleted at the
//! end), every request bounded by the call's deadline, and every failure named: the certificate
//! (with its fingerprint), the connection, the credentials, an HTTP error with the service's own
//! message, a body that is not JSON.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dci_protocol::{Device, Limits, Secret};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::tls::{Seen, Trust, TrustError};

/// HTTPS, when the request's `ip` names no port.
pub const DEFAULT_PORT: u16 = 443;

/// The environment variables of this module.
pub mod env {
    /// `basic` (default: HTTP basic authentication on every request) or `session` (a Redfish
    /// session, created first and deleted at the end).
    pub const AUTH: &str = "DCIH_REDFISH_AUTH";
}

/// How the handler logs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// HTTP basic authentication on every request.
    Basic,
    /// A Redfish session (`X-Auth-Token`), deleted at the end.
    Session,
}

/// What went wrong with the service.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedfishError {
    /// The certificate did not verify.
    #[error(
        "the BMC at {target} presented a TLS certificate that does not verify ({reason}); its SHA-256 fingerprint is {fingerprint}. If that is this BMC's certificate, set DCIH_REDFISH_PIN_SHA256={fingerprint}, or trust the CA that signed it with DCIH_REDFISH_CA_FILE=<PEM file> (DCIH_REDFISH_INSECURE_SKIP_VERIFY=1 trusts any certificate)"
    )]
    Certificate {
        /// `host:port`.
        target: String,
        /// Why.
        reason: String,
        /// `AA:BB:…`.
        fingerprint: String,
    },
    /// No TCP or TLS connection.
    #[error("cannot connect to the BMC at {target} over HTTPS: {reason}")]
    Connect {
        /// `host:port`.
        target: String,
        /// Why.
        reason: String,
    },
    /// No answer in time.
    #[error("no answer from the BMC at {target} to {request} before the call's deadline")]
    Deadline {
        /// `host:port`.
        target: String,
        /// `GET /redfish/v1/Systems`.
        request: String,
    },
    /// A command sent on a connection that broke before its answer came: it may have been
    /// carried out.
    #[error(
        "the connection to the BMC at {target} broke during {request} before its answer ({reason}): it may have been carried out"
    )]
    Broke {
        /// `host:port`.
        target: String,
        /// `POST /redfish/v1/Systems/1/Actions/ComputerSystem.Reset`.
        request: String,
        /// The innermost cause.
        reason: String,
    },
    /// The credentials were refused.
    #[error(
        "the BMC at {target} refused user '{user}' (HTTP {status} to {request}): check user and pass"
    )]
    Credentials {
        /// `host:port`.
        target: String,
        /// The user name.
        user: String,
        /// 401 or 403.
        status: u16,
        /// The request.
        request: String,
    },
    /// Any other HTTP error.
    #[error("the BMC at {target} answered HTTP {status} to {request}{message}")]
    Http {
        /// `host:port`.
        target: String,
        /// The status.
        status: u16,
        /// The request.
        request: String,
        /// `: ` and the service's message, where it gave one.
        message: String,
    },
    /// A body that is not JSON, or not the resource expected.
    #[error("the BMC at {target} answered {request} with {problem}")]
    Malformed {
        /// `host:port`.
        target: String,
        /// The request.
        request: String,
        /// What is wrong.
        problem: String,
    },
    /// An environment variable that cannot be used.
    #[error(transparent)]
    Env(#[from] TrustError),
    /// A device parameter that cannot be used.
    #[error("device_params/{field}: {problem}")]
    Params {
        /// The field.
        field: &'static str,
        /// What is wrong.
        problem: String,
    },
}

impl From<RedfishError> for dci_protocol::Error {
    fn from(e: RedfishError) -> dci_protocol::Error {
        match e {
            RedfishError::Certificate { .. }
            | RedfishError::Connect { .. }
            | RedfishError::Broke { .. }
            | RedfishError::Deadline { .. }
            | RedfishError::Credentials { .. } => dci_protocol::Error::connection(e),
            _ => dci_protocol::Error::unexpected_data(e),
        }
    }
}

/// A logged-in Redfish service.
pub struct Service {
    http: reqwest::Client,
    base: String,
    target: String,
    user: String,
    password: Secret,
    /// The session's token and its URI, in session mode.
    session: Option<(String, String)>,
    deadline: Instant,
    seen: Arc<Mutex<Seen>>,
    /// Requests sent.
    pub requests: u32,
    /// GETs answered in this call.
    answered: u32,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("target", &self.target)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// The auth mode from the environment, through `get`.
pub fn auth_from(get: impl Fn(&str) -> Option<String>) -> Result<Auth, TrustError> {
    match get(env::AUTH).as_deref().map(str::trim) {
        None | Some("" | "basic") => Ok(Auth::Basic),
        Some("session") => Ok(Auth::Session),
        Some(other) => Err(TrustError {
            name: env::AUTH,
            problem: format!(
                "expected basic or session, got '{}'",
                other.chars().take(40).collect::<String>()
            ),
        }),
    }
}

impl Service {
    /// Connects to the device's Redfish service and logs in as `auth` says.
    pub async fn open(
        device: &Device,
        limits: &Limits,
        deadline: Instant,
        trust: &Trust,
        auth: Auth,
    ) -> Result<Service, RedfishError> {
        let Some(login) = device.ipmi.as_ref() else {
            return Err(RedfishError::Params {
                field: "user",
                problem: "a Redfish handler needs user and pass".into(),
            });
        };
        let target = device.endpoint.socket_string(DEFAULT_PORT);
        let base = format!("https://{target}");
        let (tls, seen) = trust.config()?;
        // Connecting includes the TLS handshake: a try's timeout, times the tries a UDP
        // request would get, and never past the deadline.
        let connect = limits.timeout * (limits.retries + 1);
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(connect.max(Duration::from_secs(1)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!(
                "dcihandlers-redfish-power/",
                env!("CARGO_PKG_VERSION")
            ))
            .no_proxy()
            .build()
            .map_err(|e| RedfishError::Connect {
                target: target.clone(),
                reason: format!("HTTP client set-up: {e}"),
            })?;
        let mut s = Service {
            http,
            base,
            target,
            user: login.user.clone(),
            password: login.password.clone(),
            session: None,
            deadline,
            seen,
            requests: 0,
            answered: 0,
        };
        if auth == Auth::Session {
            s.login().await?;
        }
        Ok(s)
    }

    /// `host:port`.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The call's deadline.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    async fn login(&mut self) -> Result<(), RedfishError> {
        let path = "/redfish/v1/SessionService/Sessions";
        let body = serde_json::json!({
            "UserName": self.user,
            "Password": self.password.expose(),
        });
        let r = self.send(Method::POST, path, Some(&body)).await?;
        let token = r
            .headers()
            .get("X-Auth-Token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let location = r
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let request = format!("POST {path}");
        let (Some(token), Some(location)) = (token, location) else {
            return Err(RedfishError::Malformed {
                target: self.target.clone(),
                request,
                problem: "a session without an X-Auth-Token or a Location".into(),
            });
        };
        // Location may be absolute; keep the path.
        let location = location
            .strip_prefix(&self.base)
            .map_or(location.clone(), str::to_owned);
        tracing::debug!(session = %location, "Redfish session created");
        self.session = Some((token, location));
        Ok(())
    }

    /// Deletes the session, if there is one. Failing to is logged, not reported: the work is
    /// done, and the service drops idle sessions by itself.
    pub async fn close(mut self) {
        if let Some((_, location)) = self.session.clone() {
            match self.send(Method::DELETE, &location, None).await {
                Ok(_) => self.session = None,
                Err(e) => tracing::warn!(error = %e, "deleting the Redfish session failed"),
            }
        }
        tracing::debug!(bmc = %self.target, requests = self.requests, "redfish session cost");
    }

    /// GET `path` as JSON. A GET is safe to repeat: once the service has answered in this
    /// call, one that fails on the way (the connection reset or lost) is sent again until the
    /// deadline.
    pub async fn get(&mut self, path: &str) -> Result<Value, RedfishError> {
        loop {
            match self.send(Method::GET, path, None).await {
                Ok(r) => {
                    self.answered += 1;
                    return self.json(&format!("GET {path}"), r).await;
                }
                Err(e @ RedfishError::Connect { .. })
                    if self.answered > 0
                        && Instant::now() + Duration::from_millis(200) < self.deadline =>
                {
                    tracing::debug!(error = %e, "a GET failed on the way after the service answered: again");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// POST `body` to an action `path`; any 2xx is accepted.
    pub async fn post(&mut self, path: &str, body: &Value) -> Result<(), RedfishError> {
        self.send(Method::POST, path, Some(body)).await.map(|_| ())
    }

    async fn json(&self, request: &str, r: reqwest::Response) -> Result<Value, RedfishError> {
        let kind = r
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("no content type")
            .to_owned();
        let body = tokio::time::timeout_at(self.deadline.into(), r.bytes())
            .await
            .map_err(|_| RedfishError::Deadline {
                target: self.target.clone(),
                request: request.to_owned(),
            })?
            .map_err(|e| RedfishError::Connect {
                target: self.target.clone(),
                reason: format!("reading the answer to {request}: {e}"),
            })?;
        serde_json::from_slice(&body).map_err(|_| RedfishError::Malformed {
            target: self.target.clone(),
            request: request.to_owned(),
            problem: format!("a body that is not JSON ({kind}, {} bytes)", body.len()),
        })
    }

    /// One request, its status checked.
    async fn send(
        &mut self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<reqwest::Response, RedfishError> {
        let request = format!("{method} {path}");
        let mut rq = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header(reqwest::header::ACCEPT, "application/json");
        rq = match &self.session {
            Some((token, _)) => rq.header("X-Auth-Token", token),
            None if path.ends_with("/SessionService/Sessions") && method == Method::POST => rq,
            None => rq.basic_auth(&self.user, Some(self.password.expose())),
        };
        if let Some(b) = body {
            rq = rq
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(b.to_string());
        }
        self.requests += 1;
        let sent = tokio::time::timeout_at(self.deadline.into(), rq.send()).await;
        let r = match sent {
            Err(_) => {
                return Err(RedfishError::Deadline {
                    target: self.target.clone(),
                    request,
                });
            }
            // A command on a connection that was up (not a failure to connect) may have reached
            // the BMC: say so, so that the caller reads the state instead of sending it again.
            Ok(Err(e)) if method == Method::POST && !e.is_connect() => {
                return Err(match self.transport_error(&e) {
                    RedfishError::Connect { target, reason } => RedfishError::Broke {
                        target,
                        request,
                        reason,
                    },
                    other => other,
                });
            }
            Ok(Err(e)) => return Err(self.transport_error(&e)),
            Ok(Ok(r)) => r,
        };
        let status = r.status();
        if status.is_success() {
            return Ok(r);
        }
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            return Err(RedfishError::Credentials {
                target: self.target.clone(),
                user: self.user.clone(),
                status: status.as_u16(),
                request,
            });
        }
        // The service's own words: Redfish puts them in error.@Message.ExtendedInfo[].Message
        // (or error.message).
        let text = tokio::time::timeout_at(self.deadline.into(), r.text())
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        let message = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| {
                let e = v.get("error")?;
                e.get("@Message.ExtendedInfo")
                    .and_then(|i| i.get(0))
                    .and_then(|m| m.get("Message"))
                    .or_else(|| e.get("message"))
                    .and_then(Value::as_str)
                    .map(|m| format!(": {}", m.chars().take(200).collect::<String>()))
            })
            .unwrap_or_default();
        Err(RedfishError::Http {
            target: self.target.clone(),
            status: status.as_u16(),
            request,
            message,
        })
    }

    fn transport_error(&self, e: &reqwest::Error) -> RedfishError {
        let seen = self.seen.lock().map(|s| s.clone()).unwrap_or_default();
        if let (Some(reason), Some(fingerprint)) = (seen.refused, seen.fingerprint) {
            return RedfishError::Certificate {
                target: self.target.clone(),
                reason,
                fingerprint,
            };
        }
        // The innermost cause says it best ("Connection refused", "tls handshake eof").
        let mut reason = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            reason = s.to_string();
            source = s.source();
        }
        if e.is_timeout() {
            reason = format!("no connection within the connect timeout ({reason})");
        }
        RedfishError::Connect {
            target: self.target.clone(),
            reason,
        }
    }
}

/// A Redfish `@odata.id` (or any string member) of `v`.
pub fn string<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_auth_mode_comes_from_the_environment() {
        let get = |v: &'static str| move |n: &str| (n == env::AUTH).then(|| v.to_owned());
        assert_eq!(auth_from(|_| None), Ok(Auth::Basic));
        assert_eq!(auth_from(get("session")), Ok(Auth::Session));
        let e = auth_from(get("kerberos")).unwrap_err();
        assert!(e.to_string().contains("expected basic or session"), "{e}");
    }

    #[test]
    fn errors_map_onto_the_protocol() {
        use dci_protocol::ErrorType::{Connection, UnexpectedData};
        let t = || "bmc:443".to_owned();
        let cases = [
            (
                RedfishError::Certificate {
                    target: t(),
                    reason: "x".into(),
                    fingerprint: "AA".into(),
                },
                Connection,
            ),
            (
                RedfishError::Credentials {
                    target: t(),
                    user: "u".into(),
                    status: 401,
                    request: "GET /".into(),
                },
                Connection,
            ),
            (
                RedfishError::Http {
                    target: t(),
                    status: 500,
                    request: "GET /".into(),
                    message: String::new(),
                },
                UnexpectedData,
            ),
        ];
        for (e, want) in cases {
            assert_eq!(dci_protocol::Error::from(e).error_type(), want);
        }
    }
}
