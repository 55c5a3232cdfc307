//! The `portal` binary. All logic lives in the library (`portal::server::cli`), so tests can
//! start the same application this binary starts.

/// Stack of each runtime thread. Server-side rendering of nested views uses deep, large stack
/// frames in unoptimised builds (the 2 MiB default overflowed on the profile form in debug);
/// 8 MiB leaves room in every build at no cost in memory actually touched.
#[cfg(feature = "ssr")]
const THREAD_STACK: usize = 8 * 1024 * 1024;

#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(THREAD_STACK)
        .build()
    {
        Ok(runtime) => runtime.block_on(portal::server::cli::main()),
        Err(err) => {
            eprintln!("could not start the async runtime: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "ssr"))]
fn main() {}
