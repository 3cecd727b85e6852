//! The assembled application: API, its docs, and the PWA.
use poem::endpoint::StaticFilesEndpoint;
use poem::http::header;
use poem::middleware::{CatchPanic, CookieJarManager, SetHeader};
use poem::{Endpoint, EndpointExt, Route};
use poem_openapi::OpenApiService;

use super::error::{problem_response, render_error};
use crate::allocations::api::AllocationsApi;
use crate::attendance::api::AttendanceApi;
use crate::attendance::socket::sync_socket;
use crate::auth::api::AuthApi;
use crate::auth::users_api::UsersApi;
use crate::billing::api::BillingApi;
use crate::clients::api::ClientsApi;
use crate::contracts::api::ContractsApi;
use crate::occupancy::api::OccupancyApi;
use crate::organisation::api::OrganisationApi;
use crate::push::api::PushApi;
use crate::schedules::api::SchedulesApi;
use crate::startup::AppState;
use crate::transport::api::VehiclesApi;
use crate::transport::plans_api::TransportApi;

type Apis = (
    AuthApi,
    OrganisationApi,
    ContractsApi,
    ClientsApi,
    AllocationsApi,
    SchedulesApi,
    VehiclesApi,
    UsersApi,
    AttendanceApi,
    BillingApi,
    OccupancyApi,
    PushApi,
    TransportApi,
);

pub fn api_service() -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            AuthApi,
            OrganisationApi,
            ContractsApi,
            ClientsApi,
            AllocationsApi,
            SchedulesApi,
            VehiclesApi,
            UsersApi,
            AttendanceApi,
            BillingApi,
            OccupancyApi,
            PushApi,
            TransportApi,
        ),
        "Dagstaat",
        env!("CARGO_PKG_VERSION"),
    )
    .server("/api")
    .description(
        "Attendance and transport for dagbesteding. Authenticate with the session cookie from \
         POST /api/auth/login, or a bearer token from POST /api/auth/token. Errors are \
         application/problem+json with a stable `code`.",
    )
}

/// The PWA may only load its own scripts and talk to its own origin.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn app(state: AppState) -> impl Endpoint {
    let api = api_service();
    let spec = api.spec_endpoint();
    let docs = api.swagger_ui();
    let web = StaticFilesEndpoint::new(&state.config.web_dir)
        .index_file("index.html")
        .with(
            SetHeader::new()
                .overriding(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)
                .overriding(header::CACHE_CONTROL, "no-cache"),
        );
    Route::new()
        .nest("/api", api)
        .at("/api/openapi.json", spec)
        .nest("/api/docs", docs)
        .at("/sync", poem::get(sync_socket))
        .nest("/", web)
        .with(
            SetHeader::new()
                .overriding(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
                .overriding(header::REFERRER_POLICY, "no-referrer"),
        )
        .with(CookieJarManager::new())
        .data(state)
        .catch_all_error(render_error)
        .with(CatchPanic::new().with_handler(|_| {
            problem_response(
                poem::http::StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error".to_owned(),
                &[],
            )
        }))
}
