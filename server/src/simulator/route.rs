//! Names for what a simulated request is, shared by fault rules (which
//! routes a fault hits) and the journal (what the app called).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SimRoute {
    Submit,
    Status,
    StatusStream,
    Result,
    Cancel,
    /// A synchronous `fal.run` call.
    Run,
    StorageInitiate,
    StorageInitiateMultipart,
    /// The byte `PUT` to a single upload URL.
    Upload,
    UploadPart,
    UploadComplete,
    /// A GET of an uploaded file or the output video.
    File,
    /// A queue or REST path the simulator does not know (answered 404/405).
    Unknown,
    /// Refused by the proxy before reaching "fal" (400/403/405/413/429).
    ProxyRejected,
}

/// The names a fault rule's `route` may use besides single routes.
pub const GROUPS: [&str; 5] = ["any", "fal", "queue", "rest", "storage"];

impl SimRoute {
    pub const ALL: [SimRoute; 14] = [
        SimRoute::Submit,
        SimRoute::Status,
        SimRoute::StatusStream,
        SimRoute::Result,
        SimRoute::Cancel,
        SimRoute::Run,
        SimRoute::StorageInitiate,
        SimRoute::StorageInitiateMultipart,
        SimRoute::Upload,
        SimRoute::UploadPart,
        SimRoute::UploadComplete,
        SimRoute::File,
        SimRoute::Unknown,
        SimRoute::ProxyRejected,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SimRoute::Submit => "submit",
            SimRoute::Status => "status",
            SimRoute::StatusStream => "status_stream",
            SimRoute::Result => "result",
            SimRoute::Cancel => "cancel",
            SimRoute::Run => "run",
            SimRoute::StorageInitiate => "storage_initiate",
            SimRoute::StorageInitiateMultipart => "storage_initiate_multipart",
            SimRoute::Upload => "upload",
            SimRoute::UploadPart => "upload_part",
            SimRoute::UploadComplete => "upload_complete",
            SimRoute::File => "file",
            SimRoute::Unknown => "unknown",
            SimRoute::ProxyRejected => "proxy_rejected",
        }
    }

    /// Whether a rule's `route` (a single name or a group) covers this route.
    /// `fal` means everything fal's queue and REST hosts answer, which is
    /// what an outage takes down; uploads and files live on the CDN.
    pub fn matches(self, pattern: &str) -> bool {
        use SimRoute::*;
        match pattern {
            "any" => self != ProxyRejected,
            "fal" => matches!(
                self,
                Submit
                    | Status
                    | StatusStream
                    | Result
                    | Cancel
                    | Run
                    | StorageInitiate
                    | StorageInitiateMultipart
                    | Unknown
            ),
            "queue" => matches!(self, Submit | Status | StatusStream | Result | Cancel),
            "rest" => matches!(self, StorageInitiate | StorageInitiateMultipart),
            "storage" => matches!(self, Upload | UploadPart | UploadComplete),
            name => self.name() == name,
        }
    }

    /// True when `pattern` names a route or a group.
    pub fn is_known_pattern(pattern: &str) -> bool {
        GROUPS.contains(&pattern) || SimRoute::ALL.iter().any(|r| r.name() == pattern)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_cover_the_right_routes() {
        assert!(SimRoute::Status.matches("queue") && SimRoute::Status.matches("fal"));
        assert!(!SimRoute::Upload.matches("fal") && SimRoute::Upload.matches("storage"));
        assert!(SimRoute::StorageInitiate.matches("rest"));
        assert!(SimRoute::File.matches("any") && !SimRoute::ProxyRejected.matches("any"));
        assert!(SimRoute::StatusStream.matches("status_stream"));
        assert!(!SimRoute::StatusStream.matches("status"));
        assert!(SimRoute::is_known_pattern("upload_part"));
        assert!(!SimRoute::is_known_pattern("stauts"));
    }
}
