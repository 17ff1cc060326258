//! RFC 7807 `application/problem+json` errors: every error the API returns is one of these,
//! with a stable `type`, a short `title`, a `detail` naming the offending field or value, and
//! extra members where they help (`field`, `core`, `repairs`, OSRM's `code`).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// The media type of problem documents.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error response.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Short machine name, also the last part of `type` (`invalid-field`, `infeasible`...).
    pub kind: &'static str,
    /// Human summary of the kind.
    pub title: String,
    /// What exactly is wrong.
    pub detail: String,
    /// Extra members.
    pub extra: Map<String, Value>,
    /// Seconds for `Retry-After` (503).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with no extra members.
    pub fn new(status: StatusCode, kind: &'static str, title: impl Into<String>, detail: impl Into<String>) -> Self {
        Self { status, kind, title: title.into(), detail: detail.into(), extra: Map::new(), retry_after: None }
    }

    /// Adds a member.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(key.to_string(), value.into());
        self
    }

    /// `400 malformed-request`: the body or URL cannot be read at all.
    pub fn malformed(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "malformed-request", "The request cannot be read", detail)
    }

    /// `422 invalid-field`: a value is of the wrong type, out of range or unknown.
    pub fn invalid_field(field: &str, reason: impl std::fmt::Display) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-field", "A field is invalid", format!("{field}: {reason}"))
            .with("field", field)
    }

    /// `400 invalid-parameter`: a query or path parameter is wrong.
    pub fn invalid_parameter(parameter: &str, reason: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid-parameter",
            "A parameter is invalid",
            format!("{parameter}: {reason}"),
        )
        .with("parameter", parameter)
    }

    /// `404 not-found`.
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found", what)
    }

    /// `503 overloaded` with `Retry-After`.
    pub fn overloaded(detail: impl Into<String>, retry_after: u64) -> Self {
        let mut e = Self::new(StatusCode::SERVICE_UNAVAILABLE, "overloaded", "All solver workers are busy", detail);
        e.retry_after = Some(retry_after);
        e
    }

    /// `500 internal`: a fault of the server, never of the input.
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal server error", detail)
    }

    /// The problem document.
    pub fn body(&self) -> Value {
        let mut body = Map::new();
        body.insert("type".into(), format!("urn:tripsmith:problem:{}", self.kind).into());
        body.insert("title".into(), self.title.clone().into());
        body.insert("status".into(), self.status.as_u16().into());
        body.insert("detail".into(), self.detail.clone().into());
        for (k, v) in &self.extra {
            body.insert(k.clone(), v.clone());
        }
        Value::Object(body)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.kind, self.detail)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body().to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<crate::store::StoreError> for ApiError {
    /// `503 store-unavailable` (with `Retry-After`) while the database cannot be reached, so a
    /// load balancer or client retries; `500` for any other storage failure.
    fn from(e: crate::store::StoreError) -> Self {
        match e {
            crate::store::StoreError::Unavailable(_) => {
                let mut problem = ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "store-unavailable",
                    "The database cannot be reached",
                    format!("{e}; try again shortly"),
                );
                problem.retry_after = Some(5);
                problem
            }
            other => ApiError::internal(format!("storage failed: {other}")),
        }
    }
}
