//! Start-up as a library: `Application::build` wires configuration into a running server bound
//! to its port (port 0 in tests); `run_until_stopped` serves until the shutdown token fires and
//! then drains in-flight requests. `main` only parses the CLI and supervises.

use crate::app::{App, shell};
use crate::sandbox::{self, SandboxHandle, SeedData};
use crate::server::accounts::Providers;
use crate::server::auth::rate_limit::RateLimiter;
use crate::server::auth::{AuthConfig, csrf, middleware as auth_middleware};
use crate::server::cache::{Cache, CacheBackend, MemoryBackend, RedisBackend};
use crate::server::config::Settings;
use crate::server::http::{health, metrics, request_id, security_headers};
use crate::server::integrations::freebit::FreebitClient;
use crate::server::integrations::salesforce::pubsub::PubSubClient;
use crate::server::integrations::salesforce::{
    SalesforceAccounts, SalesforceCatalog, SalesforceClient, SalesforceOrders,
    SalesforceProvisioning,
};
use crate::server::integrations::whmcs::WhmcsClient;
use crate::server::live::LiveUpdates;
use crate::server::mail::{MailCatcher, Mailer, SmtpMailer};
use crate::server::provisioning::runtime::Pipeline;
use crate::server::queue::{JobQueue, RedisQueue};
use crate::server::state::AppState;
use crate::server::webhooks::{self, WebhookKeys};
use crate::server::{housekeeping, store};
use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Request, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use secrecy::ExposeSecret;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// A built, bound, not yet serving portal.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    sandbox: Option<SandboxHandle>,
    shutdown: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl Application {
    /// Connects the store (migrating it), the cache and, in embedded mode, starts the sandbox;
    /// binds the listener.
    pub async fn build(settings: &Settings, leptos_options: LeptosOptions) -> anyhow::Result<Self> {
        let shutdown = CancellationToken::new();
        // Install the metrics recorder before any request can be counted.
        metrics::handle();
        let store = store::connect(&settings.database).await?;
        let (backend, redis) = cache_backend(settings).await?;
        let cache = Cache::new(backend).with_freshness(settings.cache.freshness());
        let (queue, live) = queue_and_live(settings, &store, redis, &shutdown).await?;
        let sandbox = if settings.sandbox.enabled {
            Some(start_sandbox(settings, shutdown.clone()).await?)
        } else {
            None
        };
        let mut probes: Vec<_> = sandbox.iter().map(SandboxHandle::probe).collect();
        let addr: SocketAddr = if settings.server.addr.is_empty() {
            leptos_options.site_addr
        } else {
            settings.server.addr.parse().context("server.addr")?
        };
        let providers = providers(settings, sandbox.as_ref())?;
        probes.push(crate::server::sims::platform_probe::probe(
            &providers.freebit,
        ));
        let mailer = mailer(settings)?;
        let state = AppState {
            leptos_options,
            store,
            cache: cache.clone(),
            sandbox: sandbox.is_some(),
            probes: Arc::new(probes),
            production: settings.environment == crate::server::config::Environment::Production,
            auth: Arc::new(AuthConfig::from_settings(&settings.auth)),
            limiter: RateLimiter::new(cache.backend().clone()),
            providers,
            mailer,
            invoice_pdf: Arc::new(crate::server::billing::InvoicePdf::from_settings(
                &settings.billing,
            )),
            webhooks: Arc::new(WebhookKeys::from_settings(
                &settings.whmcs,
                &settings.salesforce,
            )),
            tax_rate_bp: settings.billing.consumption_tax_bp,
            queue,
            live,
            case_watch: crate::server::support::watch::CaseWatch::new(Duration::from_secs(
                settings.support.live_poll_secs,
            )),
            support: Arc::new(
                crate::server::support::SupportPolicy::from_settings(&settings.support)
                    .context("support")?,
            ),
            provisioning_attempts: settings.provisioning.max_attempts,
            sims: Arc::new(settings.sims.clone()),
        };
        if let Some(sandbox) = &sandbox {
            crate::server::accounts::demo::ensure_demo_users(&state, &sandbox.seed).await?;
        }
        let router = router(
            state.clone(),
            Duration::from_secs(settings.server.request_timeout_secs),
        );
        let listener = TcpListener::bind(addr).await.with_context(|| {
            format!("could not listen on {addr} (server.addr / LEPTOS_SITE_ADDR)")
        })?;
        if let (Some(sandbox), Some(secret)) = (&sandbox, state.webhooks.whmcs_signing_secret()) {
            // The simulated WHMCS hook module posts its events back to this very portal.
            let mut at = listener.local_addr()?;
            if at.ip().is_unspecified() {
                at.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
            }
            sandbox.push_events_to(&sandbox::EventTarget {
                url: format!("http://{at}/webhooks/whmcs"),
                secret: secret.clone(),
            });
        }
        let holder = holder_id();
        let mut tasks = vec![
            tokio::spawn(metrics::run_upkeep(shutdown.clone())),
            tokio::spawn(housekeeping::run(
                state.store.clone(),
                holder.clone(),
                shutdown.clone(),
            )),
        ];
        if settings.provisioning.workers_in_serve {
            let sandbox_sf = sandbox
                .as_ref()
                .and_then(|s| s.provider_urls.get("salesforce").cloned());
            let pipeline = pipeline(&state, settings, sandbox_sf.as_deref())?;
            tasks.extend(pipeline.start(&holder, &shutdown));
        }
        Ok(Application {
            listener,
            router,
            state,
            sandbox,
            shutdown,
            tasks,
        })
    }

    /// The bound address.
    pub fn local_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// The running sandbox, in embedded mode.
    pub fn sandbox(&self) -> Option<&SandboxHandle> {
        self.sandbox.as_ref()
    }

    /// The state handlers see.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Cancelling this token stops the server gracefully.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Serves until the shutdown token is cancelled, then lets in-flight requests finish and
    /// stops the background tasks.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let token = self.shutdown.clone();
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move { token.cancelled().await })
        .await
        .context("the HTTP server failed")?;
        self.shutdown.cancel();
        for task in self.tasks {
            if let Err(err) = task.await {
                tracing::warn!(error = %err, "a background task ended abnormally");
            }
        }
        Ok(())
    }
}

/// The whole HTTP surface: UI routes and server functions (Leptos), operational endpoints, and
/// the middleware stack (outermost last).
pub fn router(state: AppState, request_timeout: Duration) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let mut router = Router::new()
        .route("/health", get(health::health))
        .route("/ready", get(health::ready))
        .route("/metrics", get(metrics::render))
        .route(
            "/billing/invoices/{id}/pdf",
            get(crate::server::billing::invoice_pdf),
        )
        .route(
            "/orders/{id}/live",
            get(crate::server::provisioning::sse::order_events),
        )
        .route(
            "/support/live",
            get(crate::server::support::live::all_case_events),
        )
        .route(
            "/support/{id}/live",
            get(crate::server::support::live::case_events),
        )
        .route(
            "/support/{id}/files/{file}",
            get(crate::server::support::download::case_file),
        )
        .route(
            "/api/support/new-case",
            post(crate::server::support::upload::new_case).layer(DefaultBodyLimit::max(
                crate::server::support::upload::body_limit(state.support.files.max_bytes),
            )),
        )
        .route(
            "/api/support/attach/{id}",
            post(crate::server::support::upload::attach_file).layer(DefaultBodyLimit::max(
                crate::server::support::upload::body_limit(state.support.files.max_bytes),
            )),
        )
        .route(
            "/webhooks/whmcs",
            post(webhooks::whmcs).layer(DefaultBodyLimit::max(webhooks::MAX_BODY)),
        )
        .route(
            "/webhooks/salesforce",
            post(webhooks::salesforce).layer(DefaultBodyLimit::max(webhooks::MAX_BODY)),
        )
        .leptos_routes_with_context(&state, routes, leptos::nonce::provide_nonce, move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(leptos::nonce::provide_nonce, shell))
        .with_state(state.clone())
        .layer(from_fn_with_state(
            state.clone(),
            auth_middleware::authenticate,
        ))
        .layer(from_fn_with_state(
            csrf::CsrfConfig {
                public_origin: state.auth.public_url.as_deref().map(Into::into),
            },
            csrf::check,
        ))
        .layer(from_fn(metrics::track))
        .layer(CompressionLayer::new());
    for layer in security_headers::layers(state.production) {
        router = router.layer(layer);
    }
    router
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::x_request_id(request_id::MakeUuid))
        .layer(from_fn(request_id::sanitize))
}

/// The span of one request: method, path without the query string (which may carry personal
/// data or tokens), and the request id.
fn request_span<B>(req: &Request<B>) -> tracing::Span {
    let id = req
        .headers()
        .get(request_id::HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
}

/// The cache backend, and the Redis client when Redis is configured (shared by the queue and
/// the live updates).
pub async fn cache_backend(
    settings: &Settings,
) -> anyhow::Result<(Arc<dyn CacheBackend>, Option<fred::prelude::Client>)> {
    Ok(match settings.redis.url() {
        Some(url) => {
            let redis = RedisBackend::connect(url, &settings.redis.key_prefix).await?;
            let client = redis.client().clone();
            (Arc::new(redis), Some(client))
        }
        None => (
            Arc::new(MemoryBackend::new(settings.cache.memory_capacity)),
            None,
        ),
    })
}

/// The job queue and the order fan-out: on Redis when configured (several instances and
/// worker processes share them), else the store's tables and an in-process channel.
pub async fn queue_and_live(
    settings: &Settings,
    store: &Arc<dyn store::Store>,
    redis: Option<fred::prelude::Client>,
    shutdown: &CancellationToken,
) -> anyhow::Result<(Arc<dyn JobQueue>, LiveUpdates)> {
    Ok(match redis {
        Some(client) => {
            let prefix = &settings.redis.key_prefix;
            let queue: Arc<dyn JobQueue> = Arc::new(RedisQueue::new(client.clone(), prefix));
            let live = LiveUpdates::redis(client, prefix, shutdown.clone())
                .await
                .context("Redis pub/sub for live order updates")?;
            (queue, live)
        }
        None => {
            let queue: Arc<dyn JobQueue> = store.clone();
            (queue, LiveUpdates::local())
        }
    })
}

/// The provisioning pipeline over a built state; it subscribes to the sandbox's Pub/Sub when
/// `sandbox_salesforce` is given and `[salesforce] pubsub_url` is empty.
pub fn pipeline(
    state: &AppState,
    settings: &Settings,
    sandbox_salesforce: Option<&str>,
) -> anyhow::Result<Pipeline> {
    let pubsub = PubSubClient::from_settings(
        &settings.salesforce,
        sandbox_salesforce,
        state.providers.salesforce.client().clone(),
    )
    .context("salesforce pubsub")?;
    Ok(Pipeline {
        store: state.store.clone(),
        queue: state.queue.clone(),
        providers: state.providers.clone(),
        crm: state.providers.provisioning.clone(),
        cache: state.cache.clone(),
        live: state.live.clone(),
        settings: settings.provisioning.clone(),
        pubsub: Some(pubsub),
    })
}

/// The provider adapters: on the sandbox's URLs in embedded mode, on the configured ones
/// otherwise.
pub fn providers(
    settings: &Settings,
    sandbox: Option<&SandboxHandle>,
) -> anyhow::Result<Providers> {
    let sandbox_url = |name: &str| {
        sandbox
            .and_then(|s| s.provider_urls.get(name).cloned())
            .ok_or_else(|| anyhow::anyhow!("no {name} URL configured and no sandbox running"))
    };
    let whmcs_url = match settings.whmcs.api_url.as_str() {
        "" => format!("{}/includes/api.php", sandbox_url("whmcs")?),
        url => url.to_owned(),
    };
    let login_url = match settings.salesforce.login_url.as_str() {
        "" => sandbox_url("salesforce")?,
        url => url.to_owned(),
    };
    let freebit_url = match settings.freebit.base_url.trim() {
        "" => format!("{}/emptool/api", sandbox_url("freebit")?),
        url => url.to_owned(),
    };
    let freebit =
        FreebitClient::from_settings(&settings.freebit, &freebit_url).context("freebit")?;
    let whmcs = WhmcsClient::from_settings(&settings.whmcs, &whmcs_url).context("whmcs")?;
    let sf_client =
        SalesforceClient::from_settings(&settings.salesforce, &login_url).context("salesforce")?;
    let catalog = SalesforceCatalog::new(sf_client.clone(), &settings.salesforce)
        .context("salesforce catalog")?;
    let orders = SalesforceOrders::new(sf_client.clone(), catalog.clone(), &settings.salesforce)
        .context("salesforce orders")?;
    let provisioning = SalesforceProvisioning::new(sf_client.clone(), &settings.salesforce)
        .context("salesforce provisioning")?;
    let cases = crate::server::integrations::salesforce::SalesforceCases::new(
        sf_client.clone(),
        &settings.salesforce,
    )
    .context("salesforce cases")?;
    let salesforce =
        SalesforceAccounts::new(sf_client, &settings.salesforce).context("salesforce")?;
    Ok(Providers {
        whmcs,
        salesforce,
        catalog,
        orders,
        provisioning,
        cases,
        freebit,
    })
}

/// SMTP when configured, else the sandbox mail catcher.
fn mailer(settings: &Settings) -> anyhow::Result<Arc<dyn Mailer>> {
    let url = settings.mail.smtp_url.expose_secret();
    Ok(if url.is_empty() {
        Arc::new(MailCatcher::default())
    } else {
        Arc::new(SmtpMailer::new(url, &settings.mail.from)?)
    })
}

/// Loads the seed and starts the simulators.
pub async fn start_sandbox(
    settings: &Settings,
    shutdown: CancellationToken,
) -> anyhow::Result<SandboxHandle> {
    let s = &settings.sandbox;
    let seed = if s.seed_file.as_os_str().is_empty() {
        SeedData::built_in()?
    } else {
        SeedData::from_file(&s.seed_file)?
    };
    sandbox::start(
        s.host,
        s.control_port,
        seed,
        sandbox::simulators(),
        shutdown,
    )
    .await
}

/// Identifies this process as a lease holder.
pub fn holder_id() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "local".into());
    format!("{host}:{}:{}", std::process::id(), uuid::Uuid::new_v4())
}
