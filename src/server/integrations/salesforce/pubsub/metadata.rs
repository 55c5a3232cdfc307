//! The three metadata headers every Pub/Sub RPC carries (reference §1.1): `accesstoken`,
//! `instanceurl`, `tenantid` (lowercase: gRPC keys are lowercase on the wire).
//!
//! tonic interceptors are synchronous, so the token is fetched (async) before a call and the
//! interceptor only copies the already-validated header values onto each request.

use crate::server::integrations::salesforce::auth::AccessToken;
use anyhow::{Context, anyhow};
use tonic::metadata::{AsciiMetadataValue, MetadataValue};
use tonic::service::Interceptor;
use tonic::{Request, Status};

/// Adds the credentials of one access token to every request.
#[derive(Clone)]
pub struct AuthInterceptor {
    access_token: AsciiMetadataValue,
    instance_url: AsciiMetadataValue,
    tenant_id: AsciiMetadataValue,
}

impl AuthInterceptor {
    /// The headers for `token`; fails when the token response carried no org id (the
    /// `id` identity URL), without which Salesforce refuses every call.
    pub fn new(token: &AccessToken) -> anyhow::Result<Self> {
        let tenant = token
            .org_id
            .as_deref()
            .ok_or_else(|| anyhow!("the token response has no identity URL with the org id"))?;
        Ok(AuthInterceptor {
            access_token: MetadataValue::try_from(token.value.as_str())
                .context("the access token is not a valid header value")?,
            instance_url: MetadataValue::try_from(token.instance_url.as_str())
                .context("the instance URL is not a valid header value")?,
            tenant_id: MetadataValue::try_from(tenant)
                .context("the org id is not a valid header value")?,
        })
    }
}

impl Interceptor for AuthInterceptor {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        let md = request.metadata_mut();
        md.insert("accesstoken", self.access_token.clone());
        md.insert("instanceurl", self.instance_url.clone());
        md.insert("tenantid", self.tenant_id.clone());
        Ok(request)
    }
}
