//! The WHMCS invoicing adapter (`CreateInvoice`, `CapturePayment`, `GetInvoice` status) against
//! the simulator over real HTTP: an invoice made Unpaid and captured once; a capture refused
//! (`Payment Attempt Failed`) leaving it Unpaid; a second capture refused as not Unpaid; an
//! unknown client; and a lost reply on the capture — an `Err`, with the invoice Paid, which is
//! why the caller reads the status instead of capturing again.

use crate::sandbox::RunningSandbox;
use portal::sandbox::{FaultKind, FaultRule};
use portal::server::config::WhmcsSettings;
use portal::server::integrations::whmcs::invoicing::{Capture, InvoiceItem, NewInvoice};
use portal::server::integrations::whmcs::{WhmcsClient, WhmcsError};
use secrecy::SecretString;
use time::macros::date;

fn client(sandbox: &RunningSandbox) -> WhmcsClient {
    let settings = WhmcsSettings {
        api_url: String::new(),
        identifier: SecretString::from("sandbox-identifier"),
        secret: SecretString::from("sandbox-secret"),
        access_key: SecretString::from(""),
        timeout_ms: 5_000,
        max_retries: 2,
        webhook_secrets: SecretString::from("unused"),
        webhook_tolerance_secs: 300,
    };
    let url = format!("{}/includes/api.php", sandbox.url("whmcs"));
    WhmcsClient::from_settings(&settings, &url).expect("client")
}

fn top_up_invoice(client_id: u32, gb: i64) -> NewInvoice {
    NewInvoice {
        client_id,
        payment_method: "stripe".into(),
        date: date!(2026 - 11 - 22),
        due_date: date!(2026 - 11 - 29),
        items: vec![InvoiceItem {
            description: format!("Data top-up {gb} GB for 090-1234-5678"),
            amount_jpy: 500 * gb,
            taxed: true,
        }],
    }
}

fn fault(sandbox: &RunningSandbox, code: &str) {
    sandbox.handle.faults.add(FaultRule {
        provider: "whmcs".into(),
        path_prefix: None,
        kind: FaultKind::Provider { code: code.into() },
        times: Some(1),
        every: None,
    });
}

#[tokio::test]
async fn invoice_is_created_unpaid_and_captured_once() {
    let sandbox = RunningSandbox::start().await;
    let whmcs = client(&sandbox);
    let id = whmcs
        .create_invoice(&top_up_invoice(1001, 3))
        .await
        .expect("created");
    let before = whmcs.invoice_status(id).await.expect("status");
    assert_eq!(before.status, "Unpaid");
    assert_eq!(before.client_id, Some(1001));
    assert!(!before.is_paid());

    assert_eq!(
        whmcs.capture_payment(id).await.expect("capture"),
        Capture::Paid
    );
    assert!(whmcs.invoice_status(id).await.expect("status").is_paid());
    // Never charged twice: WHMCS refuses a second capture of a paid invoice.
    assert_eq!(
        whmcs.capture_payment(id).await.expect("answered"),
        Capture::NotUnpaid
    );
    assert_eq!(
        whmcs.capture_payment(999_999).await.expect("answered"),
        Capture::NotUnpaid
    );
}

#[tokio::test]
async fn refusals_and_unknown_clients() {
    let sandbox = RunningSandbox::start().await;
    let whmcs = client(&sandbox);
    let unknown = whmcs.create_invoice(&top_up_invoice(4242, 1)).await;
    assert!(
        matches!(&unknown, Err(e) if e.message_is("Client ID Not Found")),
        "{unknown:?}"
    );

    let id = whmcs
        .create_invoice(&top_up_invoice(1002, 1))
        .await
        .expect("created");
    fault(&sandbox, "payment_failed");
    assert_eq!(
        whmcs.capture_payment(id).await.expect("answered"),
        Capture::Declined
    );
    assert_eq!(
        whmcs.invoice_status(id).await.expect("status").status,
        "Unpaid",
        "a declined capture leaves the invoice unpaid"
    );
    assert!(matches!(
        whmcs.invoice_status(999_999).await,
        Err(WhmcsError::NotFound { .. }) | Err(WhmcsError::Api { .. })
    ));
}

#[tokio::test]
async fn a_lost_capture_reply_is_an_error_and_the_invoice_tells_the_truth() {
    let sandbox = RunningSandbox::start().await;
    let whmcs = client(&sandbox);
    let id = whmcs
        .create_invoice(&top_up_invoice(1001, 1))
        .await
        .expect("created");
    fault(&sandbox, "lost_reply");
    sandbox.handle.calls.clear();
    let lost = whmcs.capture_payment(id).await;
    assert!(lost.is_err(), "{lost:?}");
    // The capture was sent once: a write is never repeated by the client.
    assert_eq!(sandbox.handle.calls.list(Some("whmcs")).len(), 1);
    // It ran, and the invoice says so.
    assert!(whmcs.invoice_status(id).await.expect("status").is_paid());
}
