//! Input extraction for the API, answering bad input with the error shape of docs/design.md#errors:
//! malformed JSON → 400, wrong types or values → 422 naming the field, wrong content
//! type → 415, too large → 413.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::error::{AppError, ErrorCode, FieldCode, FieldError, FieldErrors};
use crate::http::{nul_error, read_body};
use crate::state::AppState;

/// A JSON body parsed into `T`.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let limit = req
            .app_data::<actix_web::web::Data<AppState>>()
            .map(|s| s.settings.connections.max_body_bytes)
            .unwrap_or(256 * 1024);
        let body = read_body(req, payload, limit);
        Box::pin(async move {
            let essence = content_type
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if essence != "application/json" && !essence.ends_with("+json") {
                return Err(AppError::unsupported_type(
                    "send the body as application/json",
                ));
            }
            let bytes = body.await?;
            parse_json(&bytes).map(ApiJson)
        })
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // A NUL can only be written `\u0000` in JSON; look closer only then.
    if bytes.windows(6).any(|w| w == b"\\u0000")
        && let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes)
        && let Some(path) = nul_in(&value, String::new())
    {
        return Err(nul_error(if path.is_empty() { "body" } else { &path }));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            match inner.classify() {
                serde_json::error::Category::Data => {
                    let message = clean_serde_message(&inner.to_string());
                    // "missing field `x`" is reported at the parent: name the field itself.
                    let field = match message.strip_prefix("missing field `") {
                        Some(rest) => {
                            let name = rest.trim_end_matches('`');
                            if path == "." {
                                name.to_owned()
                            } else {
                                format!("{path}.{name}")
                            }
                        }
                        None if path == "." => "body".to_owned(),
                        None => path,
                    };
                    let code = if message.starts_with("missing field") {
                        FieldCode::Required
                    } else {
                        FieldCode::Invalid
                    };
                    let message = if code == FieldCode::Required {
                        "is required".to_owned()
                    } else {
                        message
                    };
                    let mut fields = FieldErrors::new();
                    fields.insert(field, FieldError { code, message });
                    Err(AppError::validation(fields))
                }
                _ => Err(AppError::bad_request(
                    ErrorCode::MalformedJson,
                    format!(
                        "the body is not valid JSON: {}",
                        clean_serde_message(&inner.to_string())
                    ),
                )),
            }
        }
    }
}

/// Where a NUL character sits in a JSON value (a string or a key), as a field path
/// (`speakers[0].name`).
fn nul_in(value: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(s) if s.contains('\0') => Some(at),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_in(v, format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let path = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            if k.contains('\0') {
                Some(path.replace('\0', "\\u0000"))
            } else {
                nul_in(v, path)
            }
        }),
        _ => None,
    }
}

/// serde's messages end with " at line 1 column 20"; the field name says more.
fn clean_serde_message(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// For PATCH: tells "absent" (`None`) from "null" (`Some(None)`).
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{refuse_nul, refuse_nul_in_query};

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        capacity: i64,
    }

    #[test]
    fn syntax_errors_are_400_and_data_errors_name_the_field() {
        let e = parse_json::<Sample>(b"{\"name\": ").unwrap_err();
        assert_eq!(e.code, ErrorCode::MalformedJson);
        let e = parse_json::<Sample>(b"{\"name\": \"x\", \"capacity\": \"many\"}").unwrap_err();
        assert_eq!(e.code, ErrorCode::ValidationFailed);
        assert!(e.fields.contains_key("capacity"), "{:?}", e.fields);
        let e = parse_json::<Sample>(b"{\"name\": \"x\"}").unwrap_err();
        assert_eq!(e.fields["capacity"].code, FieldCode::Required);
    }

    #[test]
    fn nul_characters_are_refused_naming_the_field() {
        let e = parse_json::<Sample>(br#"{"name": "a\u0000b", "capacity": 1}"#).unwrap_err();
        assert_eq!(
            (e.status().as_u16(), e.code),
            (400, ErrorCode::NulCharacter)
        );
        assert!(e.fields.contains_key("name"), "{:?}", e.fields);
        let e = parse_json::<serde_json::Value>(br#"{"list": [{"x": 1}, {"y": "\u0000"}]}"#)
            .unwrap_err();
        assert!(e.fields.contains_key("list[1].y"), "{:?}", e.fields);
        // An escaped backslash before u0000 is no NUL.
        assert!(parse_json::<Sample>(br#"{"name": "a\\u0000b", "capacity": 1}"#).is_ok());
        let e = refuse_nul_in_query("status=open&q=a%00b").unwrap_err();
        assert_eq!(e.status().as_u16(), 400);
        assert!(e.fields.contains_key("q"));
        assert!(refuse_nul_in_query("q=a%2500b").is_ok());
        assert!(refuse_nul([("label", "ok"), ("name", "x")]).is_ok());
        assert!(
            refuse_nul([("label", "a\0b")])
                .unwrap_err()
                .fields
                .contains_key("label")
        );
    }
}
