//! The invoice laid out on A4 pages, the way Japanese invoices are set: the title centred, the
//! addressee (with 様) and the amount billed on the left, the invoice's numbers and the issuer
//! with its registration number on the right, then the lines, the totals with the tax per
//! rate, and the payments. Lines flow onto further pages (the table header repeats) and every
//! page gets a footer with "page n of N". Every text is fitted to its column, so nothing can
//! leave the page whatever the data.

use super::canvas::{ACCENT, INK, Op, PAGE_HEIGHT, RULE};
use super::flow::{
    AMOUNT_COL, BODY, Flow, LABEL, LEFT, MAX_DESCRIPTION_LINES, PAD, RIGHT, SMALL, STRONG, Style,
    TOP,
};
use super::fonts::Shaper;
use super::labels::{Labels, fill};
use super::{Issuer, Recipient};
use crate::domain::billing::{Invoice, format_tax_rate};
use crate::domain::common::Money;

/// The invoice on pages of drawing operations.
pub(super) fn lay_out(
    shaper: &Shaper<'_>,
    labels: &'static Labels,
    issuer: &Issuer,
    invoice: &Invoice,
    recipient: &Recipient,
) -> Vec<Vec<Op>> {
    let mut flow = Flow {
        shaper,
        labels,
        number: invoice.summary.number.clone(),
        pages: vec![Vec::new()],
        y: TOP,
    };
    flow.head(issuer, invoice, recipient);
    flow.items(invoice);
    flow.totals(invoice);
    flow.payments(invoice);
    flow.footers(issuer);
    flow.pages
}

impl Flow<'_> {
    fn head(&mut self, issuer: &Issuer, invoice: &Invoice, recipient: &Recipient) {
        let l = self.labels;
        let title = Style {
            size: 22.0,
            bold: true,
            color: ACCENT,
        };
        self.text_centered(TOP + 22.0, title, l.title);
        self.rule(LEFT, RIGHT, TOP + 32.0, 1.2, ACCENT);
        self.rule(LEFT, RIGHT, TOP + 34.5, 0.4, ACCENT);
        let left_bottom = self.addressee(invoice, recipient, TOP + 62.0);
        let right_bottom = self.facts(issuer, invoice, TOP + 56.0);
        self.y = left_bottom.max(right_bottom) + 22.0;
    }

    /// The addressee, the greeting and the amount billed; returns the bottom.
    fn addressee(&mut self, invoice: &Invoice, recipient: &Recipient, top: f32) -> f32 {
        let l = self.labels;
        let width = 270.0;
        let name_style = Style {
            size: 13.0,
            ..STRONG
        };
        let name = format!("{}{}", recipient.name, l.honorific);
        self.text(LEFT, top, name_style, &name, width);
        self.rule(LEFT, LEFT + width, top + 6.0, 0.8, INK);
        let mut y = top + 20.0;
        for line in &recipient.address {
            self.text(LEFT, y, BODY, line, width);
            y += 13.0;
        }
        y += 8.0;
        self.text(LEFT, y, BODY, l.greeting, width);
        let box_top = y + 10.0;
        let (h, label_w) = (32.0, 118.0);
        self.shade(LEFT, box_top, label_w, h);
        for yy in [box_top, box_top + h] {
            self.rule(LEFT, LEFT + width, yy, 0.8, INK);
        }
        self.text(
            LEFT + PAD,
            box_top + 20.0,
            STRONG,
            l.amount_due,
            label_w - PAD,
        );
        let amount = Style {
            size: 16.0,
            ..STRONG
        };
        let total = self.money(invoice.summary.total);
        self.text_right(
            LEFT + width - PAD,
            box_top + 22.0,
            amount,
            &total,
            width - label_w - 2.0 * PAD,
        );
        box_top + h
    }

    /// The invoice's number, dates and status, then the issuer; returns the bottom.
    fn facts(&mut self, issuer: &Issuer, invoice: &Invoice, top: f32) -> f32 {
        let l = self.labels;
        let s = &invoice.summary;
        let x0 = RIGHT - 215.0;
        let mut rows = vec![
            (l.number, s.number.clone()),
            (l.issued, self.date(s.date)),
            (l.due, self.date(s.due_date)),
        ];
        if s.date_paid.is_some() {
            rows.push((l.paid_on, self.date(s.date_paid)));
        }
        rows.push((l.status, l.status_name(s.status).to_owned()));
        let mut y = top;
        for (label, value) in rows {
            let used = self.text(x0, y, LABEL, label, 90.0);
            self.text_right(RIGHT, y, BODY, &value, RIGHT - x0 - used - 8.0);
            self.rule(x0, RIGHT, y + 4.5, 0.4, RULE);
            y += 15.0;
        }
        y += 12.0;
        let issuer_style = Style {
            size: 10.0,
            ..STRONG
        };
        for line in self.shaper.wrap(&issuer.name, true, 10.0, RIGHT - x0, 2) {
            self.text(x0, y, issuer_style, &line, RIGHT - x0);
            y += 14.0;
        }
        for line in &issuer.address {
            self.text(x0, y, LABEL, line, RIGHT - x0);
            y += 12.0;
        }
        let registration = fill(
            l.registration,
            &[("number", issuer.registration_number.as_str())],
        );
        self.text(x0, y, LABEL, &registration, RIGHT - x0);
        y
    }

    fn items(&mut self, invoice: &Invoice) {
        let l = self.labels;
        let columns = [
            (LEFT + PAD, false, l.description),
            (RIGHT - PAD, true, l.amount),
        ];
        let desc_width = RIGHT - AMOUNT_COL - LEFT - 2.0 * PAD;
        self.room(18.0 + 24.0);
        self.table_header(&columns);
        for item in &invoice.items {
            let description = if item.taxed {
                item.description.clone()
            } else {
                format!("{}{}", item.description, l.untaxed_mark)
            };
            // Very long texts are cut well before layout: at most eight lines are printed.
            let description: String = description.chars().take(2000).collect();
            let lines = self.shaper.wrap(
                &description,
                false,
                BODY.size,
                desc_width,
                MAX_DESCRIPTION_LINES,
            );
            let height = lines.len().max(1) as f32 * 13.0 + 9.0;
            if self.room(height) {
                self.table_header(&columns);
            }
            let mut y = self.y + 14.0;
            let amount = self.money(item.amount);
            self.text_right(RIGHT - PAD, y, BODY, &amount, AMOUNT_COL - 2.0 * PAD);
            for line in &lines {
                self.text(LEFT + PAD, y, BODY, line, desc_width);
                y += 13.0;
            }
            self.y += height;
            self.rule(LEFT, RIGHT, self.y, 0.4, RULE);
        }
    }

    fn totals(&mut self, invoice: &Invoice) {
        let l = self.labels;
        let rate = format_tax_rate(invoice.tax_rate_bp);
        let mut rows: Vec<(String, String, bool)> =
            vec![(l.subtotal.to_owned(), self.money(invoice.subtotal), false)];
        if invoice.tax_rate_bp > 0
            && let Some(taxable) = taxable_sum(invoice)
        {
            let label = fill(l.taxable, &[("rate", rate.as_str())]);
            rows.push((label, self.money(taxable), false));
        }
        rows.push((
            fill(l.tax, &[("rate", rate.as_str())]),
            self.money(invoice.tax),
            false,
        ));
        if invoice.credit.minor() != 0 {
            rows.push((l.credit.to_owned(), self.money(invoice.credit), false));
        }
        rows.push((l.total.to_owned(), self.money(invoice.summary.total), true));
        if let Some(balance) = invoice.summary.balance {
            rows.push((l.balance.to_owned(), self.money(balance), true));
        }
        self.room(rows.len() as f32 * 17.0 + 24.0);
        self.y += 8.0;
        let untaxed = invoice.items.iter().any(|i| !i.taxed);
        if untaxed {
            self.text(LEFT, self.y + 12.0, SMALL, l.untaxed_note, 240.0);
        }
        let x0 = RIGHT - 250.0;
        for (label, value, strong) in rows {
            if strong {
                self.shade(x0, self.y + 1.0, RIGHT - x0, 16.0);
            }
            let style = if strong { STRONG } else { BODY };
            let y = self.y + 12.5;
            self.text(x0 + PAD, y, style, &label, 140.0);
            self.text_right(RIGHT - PAD, y, style, &value, AMOUNT_COL - 2.0 * PAD);
            self.y += 17.0;
            self.rule(x0, RIGHT, self.y, 0.4, RULE);
        }
        self.y += 20.0;
    }

    fn payments(&mut self, invoice: &Invoice) {
        let l = self.labels;
        self.room(16.0 + 18.0 + 18.0);
        let heading = Style {
            size: 10.5,
            ..STRONG
        };
        self.text(LEFT, self.y + 10.0, heading, l.payments, RIGHT - LEFT);
        self.y += 18.0;
        if invoice.payments.is_empty() {
            self.text(LEFT, self.y + 10.0, BODY, l.no_payments, RIGHT - LEFT);
            self.y += 16.0;
            return;
        }
        let (method_x, reference_x) = (LEFT + 110.0, LEFT + 250.0);
        let columns = [
            (LEFT + PAD, false, l.payment_date),
            (method_x, false, l.method),
            (reference_x, false, l.reference),
            (RIGHT - PAD, true, l.amount),
        ];
        self.table_header(&columns);
        for p in &invoice.payments {
            if self.room(18.0) {
                self.table_header(&columns);
            }
            let y = self.y + 12.5;
            let date = self.date(p.date);
            self.text(LEFT + PAD, y, BODY, &date, method_x - LEFT - 2.0 * PAD);
            self.text(method_x, y, BODY, &p.gateway, reference_x - method_x - PAD);
            let reference_width = RIGHT - AMOUNT_COL - reference_x - PAD;
            self.text(reference_x, y, BODY, &p.transaction_id, reference_width);
            let amount = self.money(p.amount);
            self.text_right(RIGHT - PAD, y, BODY, &amount, AMOUNT_COL - 2.0 * PAD);
            self.y += 18.0;
            self.rule(LEFT, RIGHT, self.y, 0.4, RULE);
        }
    }

    /// The footer of every page: issuer, "page n of N", invoice number.
    fn footers(&mut self, issuer: &Issuer) {
        let total = self.pages.len();
        let number = format!("{} {}", self.labels.number, self.number);
        let body = std::mem::take(&mut self.pages);
        for (i, ops) in body.into_iter().enumerate() {
            self.pages.push(ops);
            let y = PAGE_HEIGHT - 28.0;
            self.rule(LEFT, RIGHT, PAGE_HEIGHT - 42.0, 0.4, RULE);
            self.text(LEFT, y, SMALL, &issuer.name, 200.0);
            let (n, of) = ((i + 1).to_string(), total.to_string());
            let page = fill(
                self.labels.page,
                &[("page", n.as_str()), ("pages", of.as_str())],
            );
            self.text_centered(y, SMALL, &page);
            self.text_right(RIGHT, y, SMALL, &number, 160.0);
        }
    }
}

/// The lines subject to tax, summed (the "10% 対象" amount a qualified invoice states).
fn taxable_sum(invoice: &Invoice) -> Option<Money> {
    let zero = Money::from_minor(0, invoice.subtotal.currency());
    invoice
        .items
        .iter()
        .filter(|i| i.taxed)
        .try_fold(zero, |sum, i| sum.checked_add(i.amount))
}
