//! The billing pages' server functions: invoices, paying one, and payment methods. Every one
//! starts from `require_customer`, so it only ever reads the signed-in customer's own records.

mod invoices;
mod pay;
mod pay_methods;

pub use invoices::{
    GetInvoice, InvoiceList, InvoiceView, ListInvoices, get_invoice, list_invoices,
};
pub use pay::{PayInvoice, pay_invoice};
pub use pay_methods::{ListPayMethods, ManagePayMethods, list_pay_methods, manage_pay_methods};
