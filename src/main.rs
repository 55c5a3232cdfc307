//! The `portal` binary. All logic lives in the library (`portal::server::cli`), so tests can
//! start the same application this binary starts.

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    portal::server::cli::main().await
}

#[cfg(not(feature = "ssr"))]
fn main() {}
