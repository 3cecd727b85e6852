//! Configuration: defaults, then an optional TOML file, then `DAGSTAAT_*` environment variables.
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://...` (default, a file in `data_dir`) or `postgres://...`.
    pub database_url: Option<String>,
    pub bind: SocketAddr,
    /// Where the SQLite database and generated secrets live.
    pub data_dir: PathBuf,
    /// The PWA's files.
    pub web_dir: PathBuf,
    /// Set the `Secure` flag on the session cookie; on whenever the server is reached over HTTPS.
    pub cookie_secure: bool,
    pub session_days: i64,
    /// Load the demo organisation when `serve` starts on an empty database.
    pub demo_on_empty: bool,
    /// One password for every demo user (for scripted demos and tests); random per user if unset.
    pub demo_password: Option<String>,
    /// Run the hourly notification checks (capacity tomorrow, allocations ending); tests run them by hand.
    pub notification_checks: bool,
    /// How often an open sync connection checks that its session still holds (logout, expiry,
    /// a deactivated user end it).
    pub session_recheck_seconds: u64,
    /// An OSRM server (`http://host:5000`) whose `table` service gives road travel times for
    /// planning; without it, times are estimated from coordinates (transport settings).
    pub osrm_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: None,
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            web_dir: default_web_dir(),
            cookie_secure: false,
            session_days: 30,
            demo_on_empty: true,
            demo_password: None,
            notification_checks: true,
            session_recheck_seconds: 60,
            osrm_url: None,
        }
    }
}

/// The PWA sits next to the server crate in the workspace; a packaged install sets `web_dir`.
fn default_web_dir() -> PathBuf {
    let in_workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web");
    if in_workspace.is_dir() {
        in_workspace
    } else {
        PathBuf::from("web")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is invalid: {source}")]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("environment variable {name}={value:?} is invalid: {reason}")]
    Env {
        name: &'static str,
        value: String,
        reason: String,
    },
}

impl Config {
    /// Loads `file` (if given, or `dagstaat.toml` if it exists) and applies the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let default_file = Path::new("dagstaat.toml");
        let file = file.or(default_file.exists().then_some(default_file));
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                toml::from_str(&text).map_err(|source| ConfigError::Parse {
                    path: path.to_owned(),
                    source,
                })?
            }
            None => Config::default(),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn parsed<T: std::str::FromStr>(name: &'static str, value: String) -> Result<T, ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            value.parse().map_err(|e: T::Err| ConfigError::Env {
                name,
                value,
                reason: e.to_string(),
            })
        }
        if let Some(v) = var("DAGSTAAT_DATABASE_URL") {
            self.database_url = Some(v);
        }
        if let Some(v) = var("DAGSTAAT_BIND") {
            self.bind = parsed("DAGSTAAT_BIND", v)?;
        }
        if let Some(v) = var("DAGSTAAT_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = var("DAGSTAAT_WEB_DIR") {
            self.web_dir = PathBuf::from(v);
        }
        if let Some(v) = var("DAGSTAAT_COOKIE_SECURE") {
            self.cookie_secure = parsed("DAGSTAAT_COOKIE_SECURE", v)?;
        }
        if let Some(v) = var("DAGSTAAT_SESSION_DAYS") {
            self.session_days = parsed("DAGSTAAT_SESSION_DAYS", v)?;
        }
        if let Some(v) = var("DAGSTAAT_DEMO_PASSWORD").filter(|v| !v.is_empty()) {
            self.demo_password = Some(v);
        }
        if let Some(v) = var("DAGSTAAT_SESSION_RECHECK_SECONDS") {
            self.session_recheck_seconds = parsed("DAGSTAAT_SESSION_RECHECK_SECONDS", v)?;
        }
        if let Some(v) = var("DAGSTAAT_NOTIFICATION_CHECKS") {
            self.notification_checks = parsed("DAGSTAAT_NOTIFICATION_CHECKS", v)?;
        }
        if let Some(v) = var("DAGSTAAT_OSRM_URL") {
            self.osrm_url = Some(v).filter(|v| !v.is_empty());
        }
        if let Some(v) = var("DAGSTAAT_DEMO_ON_EMPTY") {
            self.demo_on_empty = parsed("DAGSTAAT_DEMO_ON_EMPTY", v)?;
        }
        Ok(())
    }

    /// The database URL, defaulting to a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("dagstaat.sqlite").display()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_defaults() {
        let mut config = Config::default();
        config
            .apply_env(|name| match name {
                "DAGSTAAT_DATABASE_URL" => Some("postgres://db/dagstaat".into()),
                "DAGSTAAT_BIND" => Some("0.0.0.0:9000".into()),
                _ => None,
            })
            .unwrap();
        assert_eq!(config.database_url(), "postgres://db/dagstaat");
        assert_eq!(config.bind.port(), 9000);
    }

    #[test]
    fn bad_environment_value_is_named_in_the_error() {
        let err = Config::default()
            .apply_env(|name| (name == "DAGSTAAT_SESSION_DAYS").then(|| "many".into()))
            .unwrap_err();
        assert!(err.to_string().contains("DAGSTAAT_SESSION_DAYS"));
    }

    #[test]
    fn default_database_is_sqlite_in_data_dir() {
        let config = Config::default();
        assert!(config.database_url().starts_with("sqlite://data/"));
    }
}
