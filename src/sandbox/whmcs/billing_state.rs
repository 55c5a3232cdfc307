//! The simulated billing tables: invoices (with lines and transactions), pay methods,
//! services (client products), cancellation requests, SSO tokens and browser sessions, and
//! the events the SSO pages cause.
//!
//! The demo history is generated from the seed's customer keys and **today** (JST), so that
//! "overdue" stays overdue whatever day the sandbox starts:
//!
//! - `hanako` (client 1001): services 101 光回線 (Monthly ¥5,280), 102 and 103 SIMs
//!   (Monthly ¥1,980 / ¥1,078, custom field `Phone Number`), 104 開通工事 (One Time ¥19,800,
//!   Completed). Twelve monthly invoices, newest first: 0 Unpaid (due in 9 days), 1 Overdue
//!   (Unpaid, due 21 days ago), 2–11 Paid except 5 Refunded; plus one Cancelled duplicate of
//!   month 7. Pay methods: Visa ••4242 (default), bank account.
//! - `alex` (1002): service 201 SIM (Monthly ¥1,980); four invoices, the newest Unpaid (not
//!   yet due), the rest Paid. Pay method: Mastercard ••5454.
//! - `kenji` (1003): service 301 ホームルーター (Annually ¥39,600); two Paid invoices.
//!
//! Invoice ids are allocated from 2001 in creation order (oldest first per customer).

use crate::domain::common::date::JST;
use crate::sandbox::SeedData;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use time::{Date, Duration, OffsetDateTime};

/// The sandbox's tax rate, percent.
pub const TAX_PERCENT: i64 = 10;

/// Today in Japan.
pub fn today() -> Date {
    OffsetDateTime::now_utc().to_offset(JST).date()
}

/// An invoice line.
#[derive(Debug, Clone)]
pub struct Line {
    /// Line id.
    pub id: u32,
    /// `Hosting` for a service, `""` for manual lines.
    pub kind: String,
    /// Service id for `Hosting` lines, else 0.
    pub relid: u32,
    /// Text.
    pub description: String,
    /// Yen.
    pub amount: i64,
    /// Whether tax applies.
    pub taxed: bool,
}

/// A transaction against an invoice.
#[derive(Debug, Clone)]
pub struct Transaction {
    /// Id.
    pub id: u32,
    /// Gateway module.
    pub gateway: String,
    /// `YYYY-MM-DD HH:MM:SS`.
    pub date: String,
    /// Yen received.
    pub amount_in: i64,
    /// Yen paid back.
    pub amount_out: i64,
    /// Gateway reference.
    pub transid: String,
}

/// An invoice (`tblinvoices` with its items and transactions).
#[derive(Debug, Clone)]
pub struct Invoice {
    /// Id.
    pub id: u32,
    /// Owning client.
    pub client_id: u32,
    /// Sequential number or `""`.
    pub invoicenum: String,
    /// Issue date.
    pub date: Date,
    /// Due date.
    pub duedate: Date,
    /// `YYYY-MM-DD HH:MM:SS` or the zero datetime.
    pub datepaid: String,
    /// Stored status.
    pub status: String,
    /// Gateway module.
    pub paymentmethod: String,
    /// Lines.
    pub lines: Vec<Line>,
    /// Transactions.
    pub transactions: Vec<Transaction>,
}

impl Invoice {
    /// Sum of the lines.
    pub fn subtotal(&self) -> i64 {
        self.lines.iter().map(|l| l.amount).sum()
    }

    /// Tax on the taxed lines (rounded down, as Japanese invoices do).
    pub fn tax(&self) -> i64 {
        self.lines
            .iter()
            .filter(|l| l.taxed)
            .map(|l| l.amount)
            .sum::<i64>()
            * TAX_PERCENT
            / 100
    }

    /// Subtotal plus tax.
    pub fn total(&self) -> i64 {
        self.subtotal() + self.tax()
    }

    /// Total minus net payments.
    pub fn balance(&self) -> i64 {
        let paid: i64 = self
            .transactions
            .iter()
            .map(|t| t.amount_in - t.amount_out)
            .sum();
        (self.total() - paid).max(0)
    }

    /// Unpaid and due before `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status == "Unpaid" && self.duedate < today
    }
}

/// A stored pay method.
#[derive(Debug, Clone)]
pub struct PayMethod {
    /// Id.
    pub id: u32,
    /// Owning client.
    pub client_id: u32,
    /// `CreditCard` or `BankAccount`.
    pub kind: String,
    /// Label.
    pub description: String,
    /// Cards: brand.
    pub card_type: String,
    /// Cards: last four digits.
    pub last_four: String,
    /// Cards: `MM/YY`.
    pub expiry: String,
    /// Banks: name.
    pub bank_name: String,
    /// Removed by the customer. Kept, like WHMCS's soft delete, so past events still name it;
    /// never listed or charged again.
    pub deleted: bool,
}

/// A client's service (`tblhosting`).
#[derive(Debug, Clone)]
pub struct Service {
    /// Id.
    pub id: u32,
    /// Owning client.
    pub client_id: u32,
    /// Product id.
    pub pid: u32,
    /// Product name.
    pub name: String,
    /// Product group.
    pub groupname: String,
    /// Registration date.
    pub regdate: Date,
    /// Yen.
    pub first_payment: i64,
    /// Yen per cycle.
    pub recurring: i64,
    /// Display name (`Monthly`, `One Time`…).
    pub billingcycle: String,
    /// Next due date; `None` → `0000-00-00`.
    pub nextduedate: Option<Date>,
    /// Status.
    pub status: String,
    /// Custom fields (id, name, value).
    pub customfields: Vec<(u32, String, String)>,
    /// Config options (id, option, value).
    pub configoptions: Vec<(u32, String, String)>,
    /// The order that created it (seeded services have none).
    pub order_id: Option<u32>,
}

/// A cancellation request (`tblcancelrequests`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CancelRequest {
    /// The service.
    pub service_id: u32,
    /// `Immediate` or `End of Billing Period`.
    pub kind: String,
    /// The customer's reason.
    pub reason: String,
    /// When, `YYYY-MM-DD HH:MM:SS`.
    pub date: String,
}

/// A minted SSO token.
#[derive(Debug, Clone)]
pub struct SsoToken {
    /// The client it logs in.
    pub client_id: u32,
    /// Path (with query) to land on after login.
    pub path: String,
    /// Where the landing page sends the browser back to ([DESIGN] `return_url`).
    pub return_url: Option<String>,
    /// Expiry.
    pub expires: OffsetDateTime,
}

/// A browser logged in through SSO.
#[derive(Debug, Clone)]
pub struct SsoSession {
    /// The client.
    pub client_id: u32,
    /// Where to send the browser back to after an action.
    pub return_url: Option<String>,
}

/// Something the customer did on the simulator's own pages, which a WHMCS hook module would
/// announce to the portal (the signed delivery is built on this list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event")]
pub enum WhmcsEvent {
    /// An invoice was paid in full.
    InvoicePaid {
        /// Sequence number (unique per simulator run).
        seq: u64,
        /// The invoice.
        invoice_id: u32,
        /// Its client.
        client_id: u32,
        /// Unix seconds.
        at: i64,
    },
    /// Any other hook point, raised through the control API (`POST /sandbox/events`) to stand
    /// for what the simulator does not model itself (an invoice created by the cron, a module
    /// create…). `type` is the wire type (`invoice.created`, `service.provisioned`, …).
    Hook {
        /// Sequence number.
        seq: u64,
        /// Wire type.
        #[serde(rename = "type")]
        kind: String,
        /// The client.
        client_id: u32,
        /// The invoice, if any.
        invoice_id: Option<u32>,
        /// The service, if any.
        service_id: Option<u32>,
        /// Unix seconds.
        at: i64,
    },
    /// A pay method was added.
    PayMethodAdded {
        /// Sequence number.
        seq: u64,
        /// The client.
        client_id: u32,
        /// The new pay method.
        pay_method_id: u32,
        /// Unix seconds.
        at: i64,
    },
    /// A pay method was removed (if it was the default, the next one now is).
    PayMethodRemoved {
        /// Sequence number.
        seq: u64,
        /// The client.
        client_id: u32,
        /// The removed pay method.
        pay_method_id: u32,
        /// Unix seconds.
        at: i64,
    },
}

/// The billing tables.
#[derive(Debug, Default)]
pub struct Billing {
    /// Invoices by id.
    pub invoices: BTreeMap<u32, Invoice>,
    /// Pay methods by id, in preference order within a client (lower id first unless
    /// reordered through `order`).
    pub pay_methods: Vec<PayMethod>,
    /// Services by id.
    pub services: BTreeMap<u32, Service>,
    /// Cancellation requests.
    pub cancel_requests: Vec<CancelRequest>,
    /// Unredeemed SSO tokens.
    pub sso_tokens: HashMap<String, SsoToken>,
    /// SSO browser sessions by cookie value.
    pub sso_sessions: HashMap<String, SsoSession>,
    /// Events, oldest first.
    pub events: Vec<WhmcsEvent>,
    /// How far the simulator's clock runs ahead (`POST /sandbox/clock`), for token expiry.
    pub clock_offset: Duration,
    next_invoice_id: u32,
    next_line_id: u32,
    next_transaction_id: u32,
    next_pay_method_id: u32,
    next_seq: u64,
    /// Invoices from this date on get a sequential number (older ones show their id).
    numbering_from: Option<Date>,
}

/// `YYYY-MM-DD`.
pub fn ymd(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn slash(date: Date) -> String {
    format!(
        "{:04}/{:02}/{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// `YYYY-MM-DD HH:MM:SS` of an instant in JST.
pub fn datetime(at: OffsetDateTime) -> String {
    let at = at.to_offset(JST);
    format!(
        "{} {:02}:{:02}:{:02}",
        ymd(at.date()),
        at.hour(),
        at.minute(),
        at.second()
    )
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

/// A planned service for the generated history.
struct Plan {
    id: u32,
    name: &'static str,
    group: &'static str,
    recurring: i64,
    cycle: &'static str,
    months: i64,
    /// Age in days at seeding.
    age: i64,
    status: &'static str,
    fields: Vec<(u32, String, String)>,
    options: Vec<(u32, String, String)>,
}

impl Billing {
    /// The demo history for the seed's customers, relative to `today`.
    pub fn seeded(seed: &SeedData, today: Date) -> Self {
        let mut billing = Billing {
            next_invoice_id: 2001,
            next_line_id: 1,
            next_transaction_id: 1,
            next_pay_method_id: 1,
            next_seq: 1,
            numbering_from: Some(today - days(180)),
            ..Billing::default()
        };
        for customer in &seed.customers {
            let client = customer.whmcs_client_id;
            match customer.key.as_str() {
                "hanako" => billing.seed_hanako(client, today),
                "alex" => billing.seed_alex(client, today),
                "kenji" => billing.seed_kenji(client, today),
                _ => {}
            }
        }
        billing
    }

    fn seed_hanako(&mut self, client: u32, today: Date) {
        let plans = vec![
            plan(
                101,
                "光回線 ファミリー 1G",
                "光回線",
                5_280,
                "Monthly",
                1,
                380,
                "Active",
            )
            .option(1, "通信速度", "1Gbps"),
            plan(
                102,
                "SIM データ 20GB",
                "モバイル",
                1_980,
                "Monthly",
                1,
                380,
                "Active",
            )
            .field(1, "Phone Number", "090-1234-5678")
            .option(2, "データ容量", "20GB"),
            plan(
                103,
                "SIM 音声 3GB",
                "モバイル",
                1_078,
                "Monthly",
                1,
                200,
                "Active",
            )
            .field(1, "Phone Number", "090-8765-4321")
            .option(2, "データ容量", "3GB"),
            plan(
                104,
                "開通工事",
                "工事",
                19_800,
                "One Time",
                0,
                380,
                "Completed",
            ),
        ];
        self.add_services(client, &plans, today);
        self.add_card(client, "Visa", "4242", "08/28", "");
        self.add_bank(client, "みずほ銀行", "給与口座");
        for k in (0..12).rev() {
            let status = match k {
                0 | 1 => "Unpaid",
                5 => "Refunded",
                _ => "Paid",
            };
            let id = self.monthly_invoice(client, &plans, today, k, status, "stripe");
            if k == 7 {
                // Issued twice by mistake; the duplicate was cancelled.
                let mut duplicate = self.invoices.get(&id).cloned();
                if let Some(dup) = duplicate.as_mut() {
                    dup.id = self.new_invoice_id();
                    dup.status = "Cancelled".into();
                    dup.datepaid = ZERO_DATETIME.into();
                    dup.transactions.clear();
                    dup.invoicenum = String::new();
                    self.invoices.insert(dup.id, dup.clone());
                }
            }
        }
    }

    fn seed_alex(&mut self, client: u32, today: Date) {
        let plans = vec![
            plan(
                201,
                "SIM Data 20GB",
                "Mobile",
                1_980,
                "Monthly",
                1,
                130,
                "Active",
            )
            .field(1, "Phone Number", "080-9876-5432"),
        ];
        self.add_services(client, &plans, today);
        self.add_card(client, "Mastercard", "5454", "11/27", "");
        for k in (0..4).rev() {
            let status = if k == 0 { "Unpaid" } else { "Paid" };
            self.monthly_invoice(client, &plans, today, k, status, "stripe");
        }
    }

    fn seed_kenji(&mut self, client: u32, today: Date) {
        let plans = vec![plan(
            301,
            "ホームルーター",
            "モバイル",
            39_600,
            "Annually",
            12,
            400,
            "Active",
        )];
        self.add_services(client, &plans, today);
        for offset in [385, 20] {
            let date = today - days(offset);
            let lines = vec![self.line(&plans[0], date, date + days(364))];
            self.add_invoice(client, date, lines, "Paid", "banktransfer");
        }
    }

    fn add_services(&mut self, client: u32, plans: &[Plan], today: Date) {
        for p in plans {
            let regdate = today - days(p.age);
            let nextduedate = (p.months > 0).then(|| {
                let mut due = regdate;
                while due <= today {
                    due += days(30 * p.months + p.months / 2);
                }
                due
            });
            self.services.insert(
                p.id,
                Service {
                    id: p.id,
                    client_id: client,
                    pid: p.id / 100 * 10 + p.id % 10,
                    name: p.name.into(),
                    groupname: p.group.into(),
                    regdate,
                    first_payment: p.recurring,
                    recurring: if p.months > 0 { p.recurring } else { 0 },
                    billingcycle: p.cycle.into(),
                    nextduedate,
                    status: p.status.into(),
                    customfields: p.fields.clone(),
                    configoptions: p.options.clone(),
                    order_id: None,
                },
            );
        }
    }

    fn line(&mut self, p: &Plan, from: Date, to: Date) -> Line {
        let id = self.next_line_id;
        self.next_line_id += 1;
        let description = if p.months > 0 {
            format!("{} ({} - {})", p.name, slash(from), slash(to))
        } else {
            p.name.to_owned()
        };
        Line {
            id,
            kind: "Hosting".into(),
            relid: p.id,
            description,
            amount: p.recurring,
            taxed: true,
        }
    }

    /// The invoice of `k` months ago: every monthly plan old enough, plus one-time plans on
    /// the first invoice.
    fn monthly_invoice(
        &mut self,
        client: u32,
        plans: &[Plan],
        today: Date,
        k: i64,
        status: &str,
        gateway: &str,
    ) -> u32 {
        let date = today - days(30 * k + 5);
        let mut lines = Vec::new();
        for p in plans {
            let started = today - days(p.age);
            let first = started > date - days(30);
            if started > date || (p.months == 0 && !first) {
                continue;
            }
            lines.push(self.line(p, date, date + days(29)));
        }
        self.add_invoice(client, date, lines, status, gateway)
    }

    fn add_invoice(
        &mut self,
        client: u32,
        date: Date,
        lines: Vec<Line>,
        status: &str,
        gateway: &str,
    ) -> u32 {
        let id = self.new_invoice_id();
        let duedate = date + days(14);
        let mut invoice = Invoice {
            id,
            client_id: client,
            // Sequential numbering was switched on in the last half year.
            invoicenum: if self.numbering_from.is_some_and(|from| date >= from) {
                format!("INV-{}-{id:05}", date.year())
            } else {
                String::new()
            },
            date,
            duedate,
            datepaid: ZERO_DATETIME.into(),
            status: "Unpaid".into(),
            paymentmethod: gateway.into(),
            lines,
            transactions: Vec::new(),
        };
        if matches!(status, "Paid" | "Refunded") {
            let paid_on = duedate - days(3);
            let at = format!("{} 09:30:00", ymd(paid_on));
            invoice.datepaid = at.clone();
            let total = invoice.total();
            self.transaction(&mut invoice, &at, total, 0, gateway);
            if status == "Refunded" {
                let at = format!("{} 14:00:00", ymd(paid_on + days(6)));
                self.transaction(&mut invoice, &at, 0, total, gateway);
            }
        }
        invoice.status = status.into();
        self.invoices.insert(id, invoice);
        id
    }

    fn transaction(
        &mut self,
        invoice: &mut Invoice,
        at: &str,
        amount_in: i64,
        amount_out: i64,
        gateway: &str,
    ) {
        let id = self.next_transaction_id;
        self.next_transaction_id += 1;
        let prefix = if amount_out > 0 { "re" } else { "ch" };
        invoice.transactions.push(Transaction {
            id,
            gateway: gateway.into(),
            date: at.into(),
            amount_in,
            amount_out,
            transid: format!("{prefix}_sim_{:06}", invoice.id * 100 + id % 100),
        });
    }

    /// An unpaid invoice dated `date` for an order's first charges: one taxed line per
    /// (service id, description, yen). Returns its id.
    pub fn add_order_invoice(
        &mut self,
        client: u32,
        date: Date,
        charges: &[(u32, String, i64)],
        gateway: &str,
    ) -> u32 {
        let lines = charges
            .iter()
            .map(|(relid, description, amount)| {
                let id = self.next_line_id;
                self.next_line_id += 1;
                Line {
                    id,
                    kind: "Hosting".into(),
                    relid: *relid,
                    description: description.clone(),
                    amount: *amount,
                    taxed: true,
                }
            })
            .collect();
        self.add_invoice(client, date, lines, "Unpaid", gateway)
    }

    /// An unpaid invoice of manual lines (`CreateInvoice`): each (description, yen, taxed),
    /// not tied to a service (`type` empty, `relid` 0). Returns its id.
    pub fn add_manual_invoice(
        &mut self,
        client: u32,
        date: Date,
        due: Date,
        items: &[(String, i64, bool)],
        gateway: &str,
    ) -> u32 {
        let lines = items
            .iter()
            .map(|(description, amount, taxed)| {
                let id = self.next_line_id;
                self.next_line_id += 1;
                Line {
                    id,
                    kind: String::new(),
                    relid: 0,
                    description: description.clone(),
                    amount: *amount,
                    taxed: *taxed,
                }
            })
            .collect();
        let id = self.add_invoice(client, date, lines, "Unpaid", gateway);
        if let Some(invoice) = self.invoices.get_mut(&id) {
            invoice.duedate = due;
        }
        id
    }

    fn new_invoice_id(&mut self) -> u32 {
        let id = self.next_invoice_id.max(1);
        self.next_invoice_id = id.saturating_add(1);
        id
    }

    /// Adds a card; returns its id.
    pub fn add_card(
        &mut self,
        client: u32,
        brand: &str,
        last_four: &str,
        expiry: &str,
        description: &str,
    ) -> u32 {
        let id = self.next_pay_method_id;
        self.next_pay_method_id += 1;
        self.pay_methods.push(PayMethod {
            id,
            client_id: client,
            kind: "CreditCard".into(),
            description: description.into(),
            card_type: brand.into(),
            last_four: last_four.into(),
            expiry: expiry.into(),
            bank_name: String::new(),
            deleted: false,
        });
        id
    }

    fn add_bank(&mut self, client: u32, bank: &str, description: &str) -> u32 {
        let id = self.next_pay_method_id;
        self.next_pay_method_id += 1;
        self.pay_methods.push(PayMethod {
            id,
            client_id: client,
            kind: "BankAccount".into(),
            description: description.into(),
            card_type: String::new(),
            last_four: String::new(),
            expiry: String::new(),
            bank_name: bank.into(),
            deleted: false,
        });
        id
    }

    /// Moves a pay method to the front of its client's list (the default).
    pub fn make_default(&mut self, pay_method_id: u32) {
        if let Some(index) = self.pay_methods.iter().position(|m| m.id == pay_method_id) {
            let method = self.pay_methods.remove(index);
            self.pay_methods.insert(0, method);
        }
    }

    /// Pays an unpaid invoice's balance in full (a transaction, status Paid) and records
    /// `InvoicePaid`. False when it is not payable.
    pub fn pay_invoice(&mut self, invoice_id: u32, gateway: &str, now: OffsetDateTime) -> bool {
        let Some(mut invoice) = self.invoices.get(&invoice_id).cloned() else {
            return false;
        };
        if !matches!(invoice.status.as_str(), "Unpaid" | "Payment Pending") {
            return false;
        }
        let at = datetime(now);
        let balance = invoice.balance();
        self.transaction(&mut invoice, &at, balance, 0, gateway);
        invoice.status = "Paid".into();
        invoice.datepaid = at;
        let client_id = invoice.client_id;
        self.invoices.insert(invoice_id, invoice);
        let seq = self.seq();
        self.events.push(WhmcsEvent::InvoicePaid {
            seq,
            invoice_id,
            client_id,
            at: now.unix_timestamp(),
        });
        true
    }

    /// Records `PayMethodAdded`.
    pub fn pay_method_added(&mut self, client_id: u32, pay_method_id: u32, now: OffsetDateTime) {
        let seq = self.seq();
        self.events.push(WhmcsEvent::PayMethodAdded {
            seq,
            client_id,
            pay_method_id,
            at: now.unix_timestamp(),
        });
    }

    /// Records a [`WhmcsEvent::Hook`].
    pub fn hook(
        &mut self,
        kind: String,
        client_id: u32,
        invoice_id: Option<u32>,
        service_id: Option<u32>,
        now: OffsetDateTime,
    ) {
        let seq = self.seq();
        self.events.push(WhmcsEvent::Hook {
            seq,
            kind,
            client_id,
            invoice_id,
            service_id,
            at: now.unix_timestamp(),
        });
    }

    /// Removes one of `client_id`'s pay methods (marks it deleted) and records
    /// `PayMethodRemoved`. The default is the first listed, so removing it makes the next one
    /// the default. False when the client has no such (live) pay method.
    pub fn remove_pay_method(
        &mut self,
        client_id: u32,
        pay_method_id: u32,
        now: OffsetDateTime,
    ) -> bool {
        let Some(method) = self
            .pay_methods
            .iter_mut()
            .find(|m| m.id == pay_method_id && m.client_id == client_id && !m.deleted)
        else {
            return false;
        };
        method.deleted = true;
        let seq = self.seq();
        self.events.push(WhmcsEvent::PayMethodRemoved {
            seq,
            client_id,
            pay_method_id,
            at: now.unix_timestamp(),
        });
        true
    }

    fn seq(&mut self) -> u64 {
        let seq = self.next_seq.max(1);
        self.next_seq = seq.saturating_add(1);
        seq
    }

    /// The simulator's clock.
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + self.clock_offset
    }

    /// A client's pay methods in preference order (the first is the default), removed ones
    /// left out.
    pub fn pay_methods_of(&self, client_id: u32) -> impl Iterator<Item = &PayMethod> {
        self.pay_methods
            .iter()
            .filter(move |m| m.client_id == client_id && !m.deleted)
    }
}

/// WHMCS's unset datetime.
pub const ZERO_DATETIME: &str = "0000-00-00 00:00:00";

#[allow(clippy::too_many_arguments)]
fn plan(
    id: u32,
    name: &'static str,
    group: &'static str,
    recurring: i64,
    cycle: &'static str,
    months: i64,
    age: i64,
    status: &'static str,
) -> Plan {
    Plan {
        id,
        name,
        group,
        recurring,
        cycle,
        months,
        age,
        status,
        fields: Vec::new(),
        options: Vec::new(),
    }
}

impl Plan {
    fn field(mut self, id: u32, name: &str, value: &str) -> Self {
        self.fields.push((id, name.into(), value.into()));
        self
    }

    fn option(mut self, id: u32, name: &str, value: &str) -> Self {
        self.options.push((id, name.into(), value.into()));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn history_is_deterministic_and_relative_to_today() {
        let seed = SeedData::built_in().expect("seed");
        let today = date!(2026 - 05 - 20);
        let a = Billing::seeded(&seed, today);
        let b = Billing::seeded(&seed, today);
        let ids = |x: &Billing| x.invoices.keys().copied().collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        let hanako: Vec<_> = a
            .invoices
            .values()
            .filter(|i| i.client_id == 1001)
            .collect();
        assert_eq!(hanako.len(), 13);
        let overdue: Vec<_> = hanako.iter().filter(|i| i.is_overdue(today)).collect();
        assert_eq!(overdue.len(), 1);
        let statuses: std::collections::BTreeSet<_> =
            hanako.iter().map(|i| i.status.as_str()).collect();
        for s in ["Paid", "Unpaid", "Cancelled", "Refunded"] {
            assert!(statuses.contains(s), "{s}");
        }
        let refunded = hanako.iter().find(|i| i.status == "Refunded").expect("one");
        assert_eq!(refunded.balance(), refunded.total());
        let newest = hanako.iter().max_by_key(|i| i.date).expect("some");
        assert_eq!(newest.status, "Unpaid");
        assert!(newest.duedate > today);
        assert_eq!(newest.tax(), newest.subtotal() / 10);
        assert_eq!(a.pay_methods_of(1001).count(), 2);
        assert_eq!(
            a.pay_methods_of(1001).map(|m| m.kind.as_str()).next(),
            Some("CreditCard")
        );
        assert!(
            a.services
                .values()
                .all(|s| s.nextduedate.is_none_or(|d| d > today))
        );
        assert_eq!(
            a.invoices.values().filter(|i| i.client_id == 1002).count(),
            4
        );
        assert_eq!(
            a.invoices.values().filter(|i| i.client_id == 1003).count(),
            2
        );
    }

    #[test]
    fn removing_the_default_makes_the_next_one_default_and_is_recorded() {
        let seed = SeedData::built_in().expect("seed");
        let mut billing = Billing::seeded(&seed, date!(2026 - 05 - 20));
        let now = OffsetDateTime::UNIX_EPOCH;
        let card = billing.pay_methods_of(1001).next().expect("default").id;
        assert!(!billing.remove_pay_method(1002, card, now), "not alex's");
        assert!(billing.remove_pay_method(1001, card, now));
        assert!(
            !billing.remove_pay_method(1001, card, now),
            "already removed"
        );
        let left: Vec<_> = billing.pay_methods_of(1001).collect();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].kind, "BankAccount");
        assert_eq!(
            billing.events,
            vec![WhmcsEvent::PayMethodRemoved {
                seq: 1,
                client_id: 1001,
                pay_method_id: card,
                at: 0
            }]
        );
    }
}
