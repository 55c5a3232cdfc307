//! Every word printed on the invoice PDF, in English and Japanese. The PDF is made outside a
//! page, so it does not use the UI catalogue (`locales/`); the wording follows it.

use crate::domain::billing::InvoiceStatus;
use crate::domain::common::Lang;

/// The invoice's words in one language. Templates carry `{number}`, `{rate}`, `{page}`,
/// `{pages}`.
pub(super) struct Labels {
    pub lang: Lang,
    pub title: &'static str,
    pub continued: &'static str,
    pub number: &'static str,
    pub issued: &'static str,
    pub due: &'static str,
    pub paid_on: &'static str,
    pub status: &'static str,
    /// Printed after the customer's name (`様`).
    pub honorific: &'static str,
    pub greeting: &'static str,
    pub amount_due: &'static str,
    pub registration: &'static str,
    pub description: &'static str,
    pub amount: &'static str,
    pub subtotal: &'static str,
    pub taxable: &'static str,
    pub tax: &'static str,
    pub untaxed_mark: &'static str,
    pub untaxed_note: &'static str,
    pub credit: &'static str,
    pub total: &'static str,
    pub balance: &'static str,
    pub payments: &'static str,
    pub no_payments: &'static str,
    pub payment_date: &'static str,
    pub method: &'static str,
    pub reference: &'static str,
    pub page: &'static str,
}

const EN: Labels = Labels {
    lang: Lang::En,
    title: "Invoice",
    continued: "Invoice {number} (continued)",
    number: "Invoice no.",
    issued: "Issued",
    due: "Due",
    paid_on: "Paid on",
    status: "Status",
    honorific: "",
    greeting: "Thank you for your business. Please find the charges below.",
    amount_due: "Invoice total (incl. tax)",
    registration: "Registration no.: {number}",
    description: "Description",
    amount: "Amount",
    subtotal: "Subtotal",
    taxable: "Subject to {rate} tax",
    tax: "Consumption tax ({rate})",
    untaxed_mark: " *",
    untaxed_note: "* Not subject to consumption tax.",
    credit: "Credit applied",
    total: "Total",
    balance: "Balance due",
    payments: "Payments",
    no_payments: "No payments yet.",
    payment_date: "Date",
    method: "Method",
    reference: "Reference",
    page: "Page {page} of {pages}",
};

const JA: Labels = Labels {
    lang: Lang::Ja,
    title: "請求書",
    continued: "請求書 {number}（続き）",
    number: "請求書番号",
    issued: "発行日",
    due: "お支払期限",
    paid_on: "支払日",
    status: "ステータス",
    honorific: " 様",
    greeting: "下記のとおりご請求申し上げます。",
    amount_due: "ご請求金額（税込）",
    registration: "登録番号：{number}",
    description: "内容",
    amount: "金額",
    subtotal: "小計",
    taxable: "{rate}対象",
    tax: "消費税（{rate}）",
    untaxed_mark: " ※",
    untaxed_note: "※ 消費税の対象外です。",
    credit: "クレジット充当",
    total: "合計",
    balance: "未払残高",
    payments: "お支払い履歴",
    no_payments: "まだお支払いはありません。",
    payment_date: "支払日",
    method: "支払方法",
    reference: "取引番号",
    page: "{page} / {pages} ページ",
};

impl Labels {
    /// The labels of `lang`.
    pub fn of(lang: Lang) -> &'static Labels {
        match lang {
            Lang::En => &EN,
            Lang::Ja => &JA,
        }
    }

    /// A status as the invoice page names it.
    pub fn status_name(&self, status: InvoiceStatus) -> &'static str {
        use InvoiceStatus::*;
        match (self.lang, status) {
            (Lang::En, Draft) => "Draft",
            (Lang::En, Unpaid) => "Unpaid",
            (Lang::En, Overdue) => "Overdue",
            (Lang::En, Paid) => "Paid",
            (Lang::En, Cancelled) => "Cancelled",
            (Lang::En, Refunded) => "Refunded",
            (Lang::En, Collections) => "In collections",
            (Lang::En, PaymentPending) => "Payment pending",
            (Lang::Ja, Draft) => "下書き",
            (Lang::Ja, Unpaid) => "未払い",
            (Lang::Ja, Overdue) => "支払期限超過",
            (Lang::Ja, Paid) => "支払済み",
            (Lang::Ja, Cancelled) => "キャンセル",
            (Lang::Ja, Refunded) => "返金済み",
            (Lang::Ja, Collections) => "回収手続き中",
            (Lang::Ja, PaymentPending) => "支払処理中",
        }
    }
}

/// Fills `{name}` placeholders of a template.
pub(super) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}
