//! `Idempotency-Key`: a client retrying `POST /v1/plans` or a job submission (through a load
//! balancer, after a lost answer) sends the same key and gets the first answer again instead of
//! a twin. The key is kept with a fingerprint of the request: the same key with another request
//! is refused (`422`), and a repeat while the first is still being answered is told to retry
//! (`409`).

use crate::jobs::JobInput;
use crate::problem::ApiError;
use crate::store::{fingerprint, IdempotencyKey};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

/// The request header.
pub const HEADER: HeaderName = HeaderName::from_static("idempotency-key");
/// The answer header set on a repeated answer.
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
/// The longest key accepted.
pub const MAX_LENGTH: usize = 255;

/// The request's idempotency key for `scope` (the method and path), if it sent one; `400` when
/// it is empty, too long or not printable ASCII.
pub fn key(headers: &HeaderMap, scope: &str, input: &JobInput) -> Result<Option<IdempotencyKey>, ApiError> {
    let Some(value) = headers.get(&HEADER) else { return Ok(None) };
    let text = value
        .to_str()
        .ok()
        .filter(|t| !t.is_empty() && t.len() <= MAX_LENGTH && t.bytes().all(|b| b.is_ascii_graphic() || b == b' '));
    let Some(text) = text else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid-idempotency-key",
            "The Idempotency-Key header is invalid",
            format!("give 1 to {MAX_LENGTH} printable ASCII characters"),
        ));
    };
    Ok(Some(IdempotencyKey {
        scope: scope.to_string(),
        key: text.to_string(),
        fingerprint: fingerprint(&[scope, &input.query.to_string(), &input.body]),
    }))
}

/// `422`: the key was sent before with another request.
pub fn reused(key: &IdempotencyKey) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency-key-reused",
        "The Idempotency-Key was used for another request",
        format!("the key {:?} was sent before with a different request; use a new key for a new request", key.key),
    )
}

/// `409`: the first request with the key is still being answered.
pub fn pending(key: &IdempotencyKey) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::CONFLICT,
        "idempotency-key-in-use",
        "A request with this Idempotency-Key is still being answered",
        format!("the first request with the key {:?} has not finished; retry shortly", key.key),
    );
    e.retry_after = Some(1);
    e
}

/// Marks an answer as the repeat of an earlier one.
pub fn mark_replayed(response: &mut axum::response::Response) {
    response.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
}
