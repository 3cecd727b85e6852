use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dagstaat::{Server, config::Config, db, demo};
use tracing_subscriber::EnvFilter;

/// Dagstaat: attendance and transport for dagbesteding providers.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// Configuration file (TOML); `dagstaat.toml` in the working directory is read if present.
    #[arg(long, global = true, env = "DAGSTAAT_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Load the demo organisation into an empty database and print its logins.
    Demo,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("dagstaat: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let config = Config::load(cli.config.as_deref()).map_err(|e| e.to_string())?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let db = db::connect(&config.database_url())
                .await
                .map_err(|e| e.to_string())?;
            db::migrate(&db).await.map_err(|e| e.to_string())?;
            println!("migrations applied");
            Ok(())
        }
        Command::Demo => {
            let db = db::connect(&config.database_url())
                .await
                .map_err(|e| e.to_string())?;
            db::migrate(&db).await.map_err(|e| e.to_string())?;
            let credentials = demo::load(&db, config.demo_password.clone())
                .await
                .map_err(|e| e.to_string())?;
            demo::record_recent_history(&db)
                .await
                .map_err(|e| e.to_string())?;
            demo::save_and_print_credentials(&config.data_dir, &credentials);
            Ok(())
        }
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let started = std::time::Instant::now();
    let server = Server::start(config).await.map_err(|e| e.to_string())?;
    println!(
        "dagstaat ready at {} ({} ms); API docs at {}/api/docs",
        server.url(),
        started.elapsed().as_millis(),
        server.url()
    );
    tokio::select! {
        result = tokio::signal::ctrl_c() => {
            result.map_err(|e| e.to_string())?;
            tracing::info!("shutting down");
            server.stop().await.map_err(|e| e.to_string())
        }
    }
}
