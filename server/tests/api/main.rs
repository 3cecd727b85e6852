//! API tests against a real server on 127.0.0.1:0 with a fresh database per test:
//! a SQLite file, or a new PostgreSQL database when DAGSTAAT_TEST_POSTGRES_URL is set.
mod helpers;

mod attendance;
mod auth;
mod authorization;
mod billing;
mod instances;
mod occupancy;
mod organisation;
mod people;
mod phone;
mod push;
mod route_runs;
mod startup;
mod transport;
