//! The plans a line may move to and the preview of a plan change, as pure functions.
//!
//! The list of plans is configuration, not code: it is the CRM catalog's SIM products that
//! carry a Freebit plan code (`Freebit_Plan_Code__c`), with their names, monthly price and the
//! `Voice` / `Data GB` billing options. The platform only moves voice plans to voice SIMs and
//! data plans to data SIMs (reference §2.4 rule 6; the simulator answers 400-356 otherwise), so
//! a line is offered the plans of its own kind only, never the one it has.

use super::actions::next_plan_change_date;
use super::line::SimKind;
use crate::domain::catalog::Product;
use crate::domain::common::{Lang, Money};
use serde::{Deserialize, Serialize};
use time::Date;

/// One plan a line can be on, as the catalog sells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOption {
    /// The platform's plan code (`PLAN-D10`).
    pub code: String,
    /// Japanese name.
    pub name_ja: String,
    /// English name.
    pub name_en: String,
    /// Monthly price, when the catalog has one.
    pub monthly_price: Option<Money>,
    /// Monthly data allowance in GB, when the catalog says.
    pub data_gb: Option<u32>,
    /// Whether the plan includes voice calls (voice SIMs only).
    pub voice: bool,
}

impl PlanOption {
    /// The plan a catalog product stands for (`None` for products without a plan code).
    pub fn from_product(product: &Product) -> Option<Self> {
        let code = product.freebit_plan_code.as_deref()?.trim();
        if code.is_empty() {
            return None;
        }
        let voice = product
            .config_options
            .get("Voice")
            .is_some_and(|v| v.eq_ignore_ascii_case("yes"));
        let data_gb = product
            .config_options
            .get("Data GB")
            .and_then(|gb| gb.trim().parse().ok());
        Some(PlanOption {
            code: code.to_owned(),
            name_ja: product.name_ja.clone(),
            name_en: product.name_en.clone(),
            monthly_price: product.monthly_price,
            data_gb,
            voice,
        })
    }

    /// The name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.name_ja,
            Lang::En => &self.name_en,
        }
    }
}

/// The plans a line of `kind` on `current` may move to: same voice/data kind, not the current
/// plan, each code once, in the catalog's order.
pub fn plan_choices(catalog: &[PlanOption], kind: SimKind, current: &str) -> Vec<PlanOption> {
    let mut out: Vec<PlanOption> = Vec::new();
    for plan in catalog {
        if plan.voice == kind.has_voice()
            && plan.code != current
            && !out.iter().any(|p| p.code == plan.code)
        {
            out.push(plan.clone());
        }
    }
    out
}

/// What a plan change would change, shown before the customer confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanPreview {
    /// The plan now (`None` when the catalog does not list it).
    pub from: Option<PlanOption>,
    /// The plan asked for.
    pub to: PlanOption,
    /// The day the new plan starts: the 1st of next month.
    pub effective_on: Date,
    /// Monthly data difference in GB (`None` when either allowance is unknown).
    pub data_change_gb: Option<i64>,
    /// Monthly price difference in yen (`None` when either price is unknown).
    pub price_change_yen: Option<i64>,
}

/// The preview of moving a line of `kind` from `current` to `to` when asked on `today` (JST),
/// or `None` when `to` is not one of the line's [`plan_choices`].
pub fn preview(
    catalog: &[PlanOption],
    kind: SimKind,
    current: &str,
    to: &str,
    today: Date,
) -> Option<PlanPreview> {
    let to = plan_choices(catalog, kind, current)
        .into_iter()
        .find(|p| p.code == to)?;
    let from = catalog.iter().find(|p| p.code == current).cloned();
    let data_change_gb = match (&from, to.data_gb) {
        (
            Some(PlanOption {
                data_gb: Some(a), ..
            }),
            Some(b),
        ) => Some(i64::from(b) - i64::from(*a)),
        _ => None,
    };
    let price_change_yen = match (
        from.as_ref().and_then(|p| p.monthly_price),
        to.monthly_price,
    ) {
        (Some(a), Some(b)) if a.currency() == b.currency() => Some(b.minor() - a.minor()),
        _ => None,
    };
    Some(PlanPreview {
        from,
        to,
        effective_on: next_plan_change_date(today),
        data_change_gb,
        price_change_yen,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn plan(code: &str, voice: bool, gb: u32, yen: i64) -> PlanOption {
        PlanOption {
            code: code.into(),
            name_ja: format!("{code} ja"),
            name_en: format!("{code} en"),
            monthly_price: Some(Money::yen(yen)),
            data_gb: Some(gb),
            voice,
        }
    }

    fn catalog() -> Vec<PlanOption> {
        vec![
            plan("PLAN-D10", false, 10, 1_600),
            plan("PLAN-D20", false, 20, 2_300),
            plan("PLAN-V03", true, 3, 1_400),
            plan("PLAN-V10", true, 10, 2_100),
            plan("PLAN-D10", false, 10, 1_600),
        ]
    }

    #[test]
    fn data_lines_get_data_plans_and_voice_lines_voice_plans() {
        let codes = |kind, current| -> Vec<String> {
            plan_choices(&catalog(), kind, current)
                .into_iter()
                .map(|p| p.code)
                .collect()
        };
        assert_eq!(codes(SimKind::DataOnly, "PLAN-D20"), vec!["PLAN-D10"]);
        assert_eq!(codes(SimKind::DataSms, "PLAN-D10"), vec!["PLAN-D20"]);
        assert_eq!(codes(SimKind::VoiceData, "PLAN-V03"), vec!["PLAN-V10"]);
        assert_eq!(
            codes(SimKind::DataOnly, "PLAN-X"),
            vec!["PLAN-D10", "PLAN-D20"],
            "an unknown current plan offers every plan of the kind, each once"
        );
    }

    #[test]
    fn the_preview_says_what_changes_and_from_when() {
        let p = preview(
            &catalog(),
            SimKind::DataOnly,
            "PLAN-D20",
            "PLAN-D10",
            date!(2026 - 11 - 22),
        )
        .expect("a data plan for a data line");
        assert_eq!(p.effective_on, date!(2026 - 12 - 01));
        assert_eq!(p.data_change_gb, Some(-10));
        assert_eq!(p.price_change_yen, Some(-700));
        assert_eq!(p.from.map(|f| f.code), Some("PLAN-D20".into()));
        assert_eq!(p.to.code, "PLAN-D10");

        let unknown_from = preview(
            &catalog(),
            SimKind::VoiceData,
            "PLAN-OLD",
            "PLAN-V10",
            date!(2026 - 12 - 31),
        )
        .expect("voice plan");
        assert_eq!(unknown_from.effective_on, date!(2027 - 01 - 01));
        assert_eq!(
            (unknown_from.data_change_gb, unknown_from.price_change_yen),
            (None, None)
        );
    }

    #[test]
    fn no_preview_for_the_current_plan_or_the_other_kind() {
        let today = date!(2026 - 11 - 22);
        assert!(preview(&catalog(), SimKind::DataOnly, "PLAN-D20", "PLAN-D20", today).is_none());
        assert!(preview(&catalog(), SimKind::DataOnly, "PLAN-D20", "PLAN-V10", today).is_none());
        assert!(
            preview(
                &catalog(),
                SimKind::VoiceData,
                "PLAN-V03",
                "PLAN-D10",
                today
            )
            .is_none()
        );
        assert!(
            preview(
                &catalog(),
                SimKind::DataOnly,
                "PLAN-D20",
                "PLAN-NONE",
                today
            )
            .is_none()
        );
    }

    #[test]
    fn catalog_products_become_plans() {
        let mut product = Product {
            id: "p".into(),
            price_entry_id: "e".into(),
            sku: "SIM-V-10G".into(),
            name_ja: "音声通話SIM 10GB".into(),
            name_en: "Voice + data SIM 10 GB".into(),
            category: crate::domain::catalog::Category::Sim,
            description: String::new(),
            item_class: crate::domain::catalog::ItemClass::Service,
            billing_cycle: crate::domain::catalog::BillingCycle::Monthly,
            monthly_price: Some(Money::yen(2_100)),
            one_time_price: None,
            whmcs_product_id: Some(212),
            freebit_plan_code: Some("PLAN-V10".into()),
            config_options: [("Voice", "Yes"), ("Data GB", "10")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            activation_product_id: None,
        };
        let plan = PlanOption::from_product(&product).expect("a plan");
        assert!(plan.voice);
        assert_eq!(plan.data_gb, Some(10));
        assert_eq!(plan.name(Lang::Ja), "音声通話SIM 10GB");
        product.freebit_plan_code = None;
        assert!(PlanOption::from_product(&product).is_none());
    }
}
