//! Everything one job needs to reach fal: how calls travel (the
//! [`Transport`]), where the model's queue is, and where fal's storage is.
//! Settled once when Generate is pressed (or a stored job is followed
//! again), so a job keeps its connection even if the key changes meanwhile.
//! Not to be confused with [`crate::core::fal::calls::Route`], which says
//! whether one call goes to fal or straight to the storage host.

use crate::core::fal::base_url::BaseUrl;
use crate::core::fal::endpoint::QueueEndpoint;
use crate::core::fal::transport::{Connection, Transport};

/// The way to fal for one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub transport: Transport,
    pub endpoint: QueueEndpoint,
    /// fal's REST host, where storage uploads are started.
    pub rest: BaseUrl,
}

impl Route {
    /// True when calls go through the deployer's proxy (messages name it).
    pub fn via_proxy(&self) -> bool {
        matches!(self.transport.connection, Connection::Proxy { .. })
    }
}
