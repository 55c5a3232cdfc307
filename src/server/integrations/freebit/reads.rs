//! What the portal reads about a line: account detail, traffic, quota history and the eSIM
//! profile. Freebit forbids polling (reference §1.6 PA05-01, §2.4 rule 13): callers cache
//! detail and traffic for at least five minutes and never loop over every customer.

use super::client::{FreebitClient, Op};
use super::codes;
use super::dto;
use super::error::FreebitError;
use super::map;
use crate::domain::sim::{EsimProfile, Msisdn, QuotaHistoryEntry, SimLine, SimUsage};
use serde_json::{Map, Value, json};
use time::Date;

/// A `fromDate`/`toDate` pair, when given.
fn range(body: &mut Map<String, Value>, range: Option<(Date, Date)>) {
    if let Some((from, to)) = range {
        body.insert("fromDate".into(), map::format_date(from).into());
        body.insert("toDate".into(), map::format_date(to).into());
    }
}

impl FreebitClient {
    /// The line's details: plan, state, quota buckets, voice options, pending changes
    /// (account detail, PA03-02).
    #[tracing::instrument(name = "Reading a SIM line", skip_all, fields(line = %msisdn.masked()))]
    pub async fn account_detail(&self, msisdn: &Msisdn) -> Result<SimLine, FreebitError> {
        let body = json!({
            "version": self.detail_version(),
            "requestDatas": [{ "kind": codes::KIND_MVNO, "account": msisdn.digits() }],
        });
        let reply = self.call(Op::AccountDetail, body).await?;
        map::sim_line(&reply.decode::<dto::DetailResponse>("account detail")?)
    }

    /// Daily usage with today provisional, and monthly totals (PA05-01). `days` = the
    /// platform's default range (the last 30 days) when `None`; at most 184 days back.
    #[tracing::instrument(name = "Reading SIM usage", skip_all, fields(line = %msisdn.masked()))]
    pub async fn traffic(
        &self,
        msisdn: &Msisdn,
        days: Option<(Date, Date)>,
    ) -> Result<SimUsage, FreebitError> {
        let mut body = Map::new();
        body.insert("account".into(), msisdn.digits().into());
        range(&mut body, days);
        let reply = self.call(Op::Traffic, Value::Object(body)).await?;
        map::usage(msisdn, &reply.decode::<dto::TrafficResponse>("traffic")?)
    }

    /// Quota additions, newest first (PA05-02).
    #[tracing::instrument(name = "Reading SIM quota history", skip_all, fields(line = %msisdn.masked()))]
    pub async fn quota_history(
        &self,
        msisdn: &Msisdn,
        days: Option<(Date, Date)>,
    ) -> Result<Vec<QuotaHistoryEntry>, FreebitError> {
        let mut body = Map::new();
        body.insert("account".into(), msisdn.digits().into());
        range(&mut body, days);
        let reply = self.call(Op::QuotaHistory, Value::Object(body)).await?;
        map::quota_history(&reply.decode::<dto::QuotaHistoryResponse>("quota history")?)
    }

    /// The line's eSIM profile: its state and, once released, the activation code.
    #[tracing::instrument(name = "Reading an eSIM profile", skip_all, fields(line = %msisdn.masked()))]
    pub async fn esim_profile(&self, msisdn: &Msisdn) -> Result<EsimProfile, FreebitError> {
        let reply = self
            .call(Op::EsimProfile, json!({ "account": msisdn.digits() }))
            .await?;
        map::esim_profile(&reply.decode::<dto::ProfileResponse>("esim profile")?)
    }
}
