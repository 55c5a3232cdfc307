//! The billing pages' server functions: invoices and paying one. Every one starts from
//! `require_customer`, so it only ever reads the signed-in customer's own invoices.

mod invoices;
mod pay;

pub use invoices::{
    GetInvoice, InvoiceList, InvoiceView, ListInvoices, get_invoice, list_invoices,
};
pub use pay::{PayInvoice, pay_invoice};
