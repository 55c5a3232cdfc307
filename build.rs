//! Build script: turns `locales/<lang>.json` into the typed `i18n` module (leptos_i18n), so a
//! missing translation key is a compile error rather than an untranslated string on screen;
//! and, for server builds only, compiles `proto/pubsub_api.proto` (Salesforce Pub/Sub API).

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?).join("i18n");
    // English is the fallback locale; Japanese is the primary audience.
    // `interpolate_display` lets `t_string!` interpolate too (toasts, attributes, error texts).
    let options = ParseOptions::default().interpolate_display(true);
    let cfg = Config::new("en")?.add_locale("ja")?.parse_options(options);
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    // The gRPC code is server-side only: the browser (hydrate, wasm) build neither needs nor
    // could compile tonic, so it skips protoc entirely.
    if std::env::var_os("CARGO_FEATURE_SSR").is_some() {
        compile_pubsub_proto()?;
    }
    Ok(())
}

/// Generates the Pub/Sub client and server stubs with the protoc shipped inside the
/// `protoc-bin-vendored` crate, so neither CI nor a developer needs a system protoc.
fn compile_pubsub_proto() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=proto/pubsub_api.proto");
    let mut config = tonic_prost_build::Config::new();
    config.protoc_executable(protoc_bin_vendored::protoc_bin_path()?);
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_with_config(config, &["proto/pubsub_api.proto"], &["proto"])?;
    Ok(())
}
