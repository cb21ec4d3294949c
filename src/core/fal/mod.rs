//! fal's protocol as data: where each call goes (endpoint ids, base URLs),
//! what each request looks like (calls), how it reaches fal (direct with the
//! user's key or through a proxy), and what each answer means (status,
//! answers, errors, Retry-After, the status stream's SSE). Nothing here
//! performs a request; `docs/fal-protocol.md` has the facts and sources.

pub mod answers;
pub mod base_url;
pub mod calls;
pub mod classify;
pub mod connection_check;
pub mod endpoint;
pub mod endpoint_error;
pub mod error;
pub mod http;
pub mod http_date;
pub mod retry;
pub mod route;
pub mod sse;
pub mod status;
pub mod transport;
