//! The changes a customer can make to a line. Synchronous ones answer with their effect;
//! asynchronous ones (voice options, 4G/5G, eSIM reissue) answer with an accepted order whose
//! effect shows later in the account detail (`pendingOrders`), and lock the line meanwhile.
//!
//! Only [`FreebitClient::add_quota`] is repeated after an uncertain failure: its `quotaCode`
//! (the portal's payment id) makes the platform apply it once, answering a repeat with
//! 409-335 and the original result, which is success here (`already_applied`).

use super::client::{FreebitClient, Op};
use super::codes;
use super::dto;
use super::error::FreebitError;
use super::map;
use crate::domain::sim::{
    CancellationScheduled, Eid, MnpOutReservation, Msisdn, NetworkType, OrderAccepted, PlanChange,
    PlanCode, QuotaAddition, SpeedMode, SuspendReason, TopUpResult, VoiceOptionsChange,
};
use serde_json::{Value, json};
use time::Date;

/// PA04-04's range of `quota`, MB.
const QUOTA_MB: std::ops::RangeInclusive<u32> = 1..=512_000;
/// PA04-04's length range of `quotaCode`.
const QUOTA_CODE_CHARS: std::ops::RangeInclusive<usize> = 1..=512;

impl FreebitClient {
    /// Adds quota (PA04-04), idempotently by `quota_code`.
    #[tracing::instrument(name = "Adding SIM quota", skip_all, fields(line = %msisdn.masked(), mb = addition.megabytes))]
    pub async fn add_quota(
        &self,
        msisdn: &Msisdn,
        addition: &QuotaAddition,
    ) -> Result<TopUpResult, FreebitError> {
        if !QUOTA_MB.contains(&addition.megabytes) {
            return Err(FreebitError::refused("quota must be 1–512000 MB"));
        }
        if !QUOTA_CODE_CHARS.contains(&addition.quota_code.chars().count()) {
            return Err(FreebitError::refused("quotaCode must be 1–512 characters"));
        }
        let mut body = json!({
            "kind": codes::KIND_MVNO,
            "account": msisdn.digits(),
            "quota": addition.megabytes.to_string(),
            "quotaCode": addition.quota_code,
        });
        if let (Some(expire), Value::Object(map)) = (addition.expires_on, &mut body) {
            map.insert("expire".into(), map::format_date(expire).into());
        }
        let reply = self.call(Op::AddQuota, body).await?;
        if reply.duplicate {
            tracing::info!("the quotaCode was applied before; nothing added this time");
        }
        map::top_up(
            &reply.decode::<dto::AddQuotaResponse>("add quota")?,
            &addition.quota_code,
            reply.duplicate,
        )
    }

    /// Books a plan change for `effective_on` (the 1st of a coming month; see
    /// [`next_plan_change_date`](crate::domain::sim::next_plan_change_date)) (PA05-21).
    #[tracing::instrument(name = "Booking a SIM plan change", skip_all, fields(line = %msisdn.masked(), plan = %to))]
    pub async fn change_plan(
        &self,
        msisdn: &Msisdn,
        to: &PlanCode,
        effective_on: Date,
    ) -> Result<PlanChange, FreebitError> {
        let body = json!({
            "account": msisdn.digits(),
            "planCode": to.as_str(),
            "globalIp": codes::FLAG_OFF,
            "runTime": map::format_date(effective_on),
        });
        let reply = self.call(Op::ChangePlan, body).await?;
        let asked = PlanChange {
            to: to.clone(),
            effective_on,
        };
        map::plan_change(
            &reply.decode::<dto::PlanChangeResponse>("change plan")?,
            &asked,
        )
    }

    /// Withdraws a booked plan change.
    #[tracing::instrument(name = "Withdrawing a SIM plan change", skip_all, fields(line = %msisdn.masked()))]
    pub async fn withdraw_plan_change(&self, msisdn: &Msisdn) -> Result<(), FreebitError> {
        self.call(Op::CancelPlanChange, json!({ "account": msisdn.digits() }))
            .await
            .map(|_| ())
    }

    /// Schedules the line's cancellation for `on` (see
    /// [`cancellation_date`](crate::domain::sim::cancellation_date)) (PA02-04).
    #[tracing::instrument(name = "Scheduling a SIM cancellation", skip_all, fields(line = %msisdn.masked()))]
    pub async fn cancel_line(
        &self,
        msisdn: &Msisdn,
        on: Date,
    ) -> Result<CancellationScheduled, FreebitError> {
        let body = json!({
            "kind": codes::KIND_MVNO,
            "account": msisdn.digits(),
            "runDate": map::format_date(on),
        });
        let reply = self.call(Op::CancelAccount, body).await?;
        map::cancellation(&reply.decode::<dto::CancelResponse>("cancel account")?, on)
    }

    /// Withdraws a scheduled cancellation before it takes effect.
    #[tracing::instrument(name = "Withdrawing a SIM cancellation", skip_all, fields(line = %msisdn.masked()))]
    pub async fn withdraw_cancellation(&self, msisdn: &Msisdn) -> Result<(), FreebitError> {
        let body = json!({ "kind": codes::KIND_MVNO, "account": msisdn.digits() });
        self.call(Op::WithdrawCancellation, body).await.map(|_| ())
    }

    /// Changes voice options (PA05-06; asynchronous). Only the options in `change` are sent.
    #[tracing::instrument(name = "Changing SIM voice options", skip_all, fields(line = %msisdn.masked()))]
    pub async fn change_voice_options(
        &self,
        msisdn: &Msisdn,
        change: &VoiceOptionsChange,
    ) -> Result<OrderAccepted, FreebitError> {
        if change.is_empty() {
            return Err(FreebitError::refused("talkOption must not be empty"));
        }
        let body = json!({
            "account": msisdn.digits(),
            "userConfirmed": codes::FLAG_ON,
            "talkOption": map::talk_option_change(change),
        });
        let reply = self.call(Op::VoiceOptions, body).await?;
        map::order(&reply.decode::<dto::OrderResponse>("voice options")?)
    }

    /// Switches between 4G and 5G (PA05-38; asynchronous, about 30 minutes, locks the line).
    #[tracing::instrument(name = "Changing a SIM's network", skip_all, fields(line = %msisdn.masked(), network = network.key()))]
    pub async fn change_network(
        &self,
        msisdn: &Msisdn,
        network: NetworkType,
    ) -> Result<OrderAccepted, FreebitError> {
        let body = json!({
            "account": msisdn.digits(),
            "contractLine": codes::network_code(network),
        });
        let reply = self.call(Op::ContractLine, body).await?;
        map::order(&reply.decode::<dto::OrderResponse>("contract line")?)
    }

    /// Switches between high speed and saving mode (synchronous); answers the mode now set.
    #[tracing::instrument(name = "Changing a SIM's speed mode", skip_all, fields(line = %msisdn.masked()))]
    pub async fn set_speed_mode(
        &self,
        msisdn: &Msisdn,
        mode: SpeedMode,
    ) -> Result<SpeedMode, FreebitError> {
        let body = json!({
            "account": msisdn.digits(),
            "speedMode": codes::speed_mode_code(mode),
        });
        let reply = self.call(Op::SpeedMode, body).await?;
        let answer: dto::SpeedResponse = reply.decode("speed mode")?;
        Ok(dto::text(&answer.speed_mode)
            .and_then(codes::speed_mode)
            .unwrap_or(mode))
    }

    /// Suspends the line (a lost phone, or the customer's wish).
    #[tracing::instrument(name = "Suspending a SIM line", skip_all, fields(line = %msisdn.masked()))]
    pub async fn suspend(
        &self,
        msisdn: &Msisdn,
        reason: SuspendReason,
    ) -> Result<(), FreebitError> {
        let body = json!({
            "account": msisdn.digits(),
            "state": codes::state_change(true),
            "reason": codes::suspend_reason_code(reason),
        });
        self.call(Op::LineState, body).await.map(|_| ())
    }

    /// Resumes a suspended line.
    #[tracing::instrument(name = "Resuming a SIM line", skip_all, fields(line = %msisdn.masked()))]
    pub async fn resume(&self, msisdn: &Msisdn) -> Result<(), FreebitError> {
        let body = json!({ "account": msisdn.digits(), "state": codes::state_change(false) });
        self.call(Op::LineState, body).await.map(|_| ())
    }

    /// Reissues the line's eSIM onto the device with `eid` (PA05-41, `addKind` `R`;
    /// asynchronous): the activation code is released later ([`FreebitClient::esim_profile`]).
    #[tracing::instrument(name = "Reissuing an eSIM", skip_all, fields(line = %msisdn.masked()))]
    pub async fn reissue_esim(
        &self,
        msisdn: &Msisdn,
        eid: &Eid,
    ) -> Result<OrderAccepted, FreebitError> {
        let body = json!({
            "account": msisdn.digits(),
            "addKind": codes::ADD_KIND_REISSUE,
            "eid": eid.as_str(),
            "aladinOperated": codes::FLAG_OFF,
            "reissue": {},
        });
        let reply = self.call(Op::EsimReissue, body).await?;
        map::order(&reply.decode::<dto::OrderResponse>("esim reissue")?)
    }

    /// Issues an MNP reservation number for moving the number to another carrier.
    #[tracing::instrument(name = "Reserving an MNP-out number", skip_all, fields(line = %msisdn.masked()))]
    pub async fn reserve_mnp_out(
        &self,
        msisdn: &Msisdn,
    ) -> Result<MnpOutReservation, FreebitError> {
        let reply = self
            .call(Op::MnpReserve, json!({ "account": msisdn.digits() }))
            .await?;
        map::mnp_reservation(&reply.decode::<dto::MnpResponse>("mnp reserve")?)
    }
}
