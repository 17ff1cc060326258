//! Reading requests: JSON bodies (size limit, media type, syntax, then field by field), query
//! strings and path parameters, each failure a problem document naming the offending part.

use crate::problem::ApiError;
use crate::server::Shared;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

/// The folder `name` (plain names, `/`-separated, none starting with a dot) under the server's
/// folder `root`; `404` with problem type `kind` when it is not a plain name or no such folder
/// exists (`what` names the thing, `root_kind` the server's folder, in the detail).
pub(crate) fn folder_under(
    root: &std::path::Path,
    name: &str,
    kind: &'static str,
    what: &str,
    root_kind: &str,
) -> Result<std::path::PathBuf, ApiError> {
    let plain = !name.is_empty()
        && name.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        });
    let dir = root.join(name);
    if !plain || !dir.is_dir() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            kind,
            format!("No such {what}"),
            format!("no {what} {name:?} in this server's {root_kind} folder"),
        ));
    }
    Ok(dir)
}

/// The body as text, checked for size (`413`), media type (`415`) and JSON syntax (`400`).
pub struct JsonText(pub String);

impl FromRequest<Shared> for JsonText {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &Shared) -> Result<Self, ApiError> {
        let limit = state.config.body_limit;
        let media = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if essence != "application/json" && !(essence.starts_with("application/") && essence.ends_with("+json")) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "The body must be JSON",
                format!("Content-Type must be application/json, got {:?}", media),
            ));
        }
        let bytes = axum::body::to_bytes(request.into_body(), limit).await.map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                "The body is too large",
                format!("the body is larger than {limit} bytes (or could not be read)"),
            )
        })?;
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|e| ApiError::malformed(format!("the body is not UTF-8: {e}")))?;
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&text) {
            return Err(ApiError::malformed(format!("the body is not valid JSON: {e}")));
        }
        Ok(JsonText(text))
    }
}

/// A JSON body read field by field: `422` naming the first field that is missing, unknown or
/// of the wrong type.
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path.is_empty() { "request".to_string() } else { path };
        let message = e.inner().to_string();
        // serde's message without the position suffix.
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        ApiError::invalid_field(&field, message)
    })
}

/// Query parameters, `400` naming the parameter when one is wrong or unknown.
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(QueryParams(v)),
            Err(e) => {
                let text = e.body_text();
                let detail = text.strip_prefix("Failed to deserialize query string: ").unwrap_or(&text);
                Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid-parameter", "A query parameter is invalid", detail))
            }
        }
    }
}

/// Path parameters, `400` when one cannot be read.
pub struct PathParams<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for PathParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(PathParams(v)),
            Err(e) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid-parameter",
                "A path parameter is invalid",
                e.body_text(),
            )),
        }
    }
}
