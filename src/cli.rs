//! The command line: serve, migrate, organizer add, token create.

use std::io::BufRead;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::db;
use crate::error::{AppError, StartupError};
use crate::models::organizer::Organizer;
use crate::services::accounts;
use crate::startup::{Application, open_database};

#[derive(Parser)]
#[command(
    name = "roadshow",
    version,
    about = "Run multi-city community meetup tours."
)]
struct Cli {
    /// Folder with default.toml and local.toml.
    #[arg(
        long,
        env = "ROADSHOW_CONFIG_DIR",
        default_value = "config",
        global = true
    )]
    config_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web app (migrates the database first).
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8080.
        #[arg(long)]
        bind: Option<String>,
        /// Folder for the SQLite file, mail files and uploads.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Apply the embedded database migrations and exit.
    Migrate,
    /// Manage organizer accounts.
    Organizer {
        #[command(subcommand)]
        command: OrganizerCommand,
    },
    /// Load the 2012 OpenStack China Tour as sample data, with a demo organizer login.
    Demo {
        /// Instead, generate a big made-up tour (for benchmarks and capacity tests).
        #[arg(long)]
        generate: bool,
        /// Stops of the generated tour.
        #[arg(long, default_value_t = 100, requires = "generate")]
        stops: usize,
        /// Registrations of the generated tour, spread over its stops.
        #[arg(long, default_value_t = 100_000, requires = "generate")]
        registrations: usize,
        /// Talks of the generated tour, spread over its agendas.
        #[arg(long, default_value_t = 500, requires = "generate")]
        talks: usize,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Subcommand)]
enum OrganizerCommand {
    /// Create an organizer; the password is read from stdin.
    Add {
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        /// A site admin may do everything and create organizers.
        #[arg(long)]
        admin: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Print a new API bearer token for the organizer.
    Create {
        email: String,
        #[arg(long, default_value = "command line")]
        label: String,
        /// The token stops working after this many days (default: until revoked, or until
        /// the organizer's password changes).
        #[arg(long)]
        expires_in_days: Option<i64>,
    },
}

pub async fn run() -> Result<(), StartupError> {
    let cli = Cli::parse();
    let mut settings = Settings::load(&cli.config_dir)?;
    crate::telemetry::init(&settings.server.log_format);
    match cli.command {
        Command::Serve { bind, data_dir } => {
            if let Some(bind) = bind {
                settings.server.bind = bind;
            }
            if let Some(dir) = data_dir {
                settings.data_dir = dir;
            }
            let app = Application::build(settings).await?;
            app.run_until_stopped().await.map_err(StartupError::Server)
        }
        Command::Migrate => {
            connect(&settings)?;
            println!("migrations are up to date");
            Ok(())
        }
        Command::Organizer {
            command: OrganizerCommand::Add { email, name, admin },
        } => {
            let password = read_password()?;
            let account = accounts::check_account(&email, &name, Some(&password))?;
            let mut conn = connect(&settings)?;
            let organizer = accounts::add_organizer(&mut conn, account, admin)?;
            println!(
                "organizer {} created{}",
                organizer.email,
                if admin { " (site admin)" } else { "" }
            );
            Ok(())
        }
        Command::Demo {
            generate: true,
            stops,
            registrations,
            talks,
        } => {
            let mut conn = connect(&settings)?;
            let size = crate::demo::Size {
                stops: stops.clamp(1, 10_000),
                registrations: registrations.min(10_000_000),
                talks: talks.min(100_000),
            };
            let started = std::time::Instant::now();
            let g = crate::demo::generate(&mut conn, size)?;
            let base = settings.base_url();
            println!("Generated {} in {:.1?}.", g.tour.name, started.elapsed());
            println!("  tour_id {}", g.tour.id);
            println!("  Public page: {base}/tours/{}", g.tour.slug);
            println!("  Its report:  {base}/tours/{}/report", g.tour.slug);
            if let Some(id) = g.open_stop_id {
                println!("  An open stop: {base}/stops/{id}");
            }
            Ok(())
        }
        Command::Demo { .. } => {
            // The use cases run as the server would run them (its pool, page cache, batches),
            // on a port nobody is told of and without the mail worker: the demo's people are
            // made up, and nothing is sent to them.
            let base = settings.base_url();
            settings.server.base_url = base.clone();
            settings.server.bind = "127.0.0.1:0".into();
            settings.mail.mail_worker = false;
            {
                // The demo organizer first, so that no setup link is offered meanwhile.
                let mut conn = connect(&settings)?;
                crate::demo::load(&mut conn)?;
            }
            let app = Application::build(settings.clone()).await?;
            let (loaded, current) = crate::demo::run(app.state()).await?;
            println!("{} is loaded.", loaded.tour.name);
            println!("  Public page: {base}/tours/{}", loaded.tour.slug);
            println!("  Its report:  {base}/tours/{}/report", loaded.tour.slug);
            if current.created {
                println!("Loaded {}, its stops around today:", current.tour.name);
                for (part, id) in &current.stops {
                    println!("  {base}/manage/stops/{id}  {}", part.describe());
                }
            } else {
                println!(
                    "{} is already loaded: nothing was added.",
                    current.tour.name
                );
            }
            println!("  Public page: {base}/tours/{}", current.tour.slug);
            println!(
                "  Sign in at {base}/login as {} with the password {}",
                loaded.email, loaded.password
            );
            Ok(())
        }
        Command::Token {
            command:
                TokenCommand::Create {
                    email,
                    label,
                    expires_in_days,
                },
        } => {
            let mut conn = connect(&settings)?;
            let organizer = Organizer::find_by_email(&mut conn, &email.trim().to_lowercase())
                .map_err(AppError::from)?
                .ok_or_else(|| AppError::not_found("organizer with that e-mail"))?;
            let (token, _) =
                accounts::create_api_token(&mut conn, &organizer, &label, expires_in_days)?;
            println!("{token}");
            Ok(())
        }
    }
}

/// One connection to the settings' database, brought up to date.
fn connect(settings: &Settings) -> Result<db::PooledConnection, StartupError> {
    std::fs::create_dir_all(&settings.data_dir)
        .map_err(|e| StartupError::folder(&settings.data_dir, e))?;
    open_database(settings, 1)?
        .get()
        .map_err(|e| StartupError::database(&settings.database_url(), e))
}

fn read_password() -> Result<String, StartupError> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        eprint!("Password (at least 10 characters): ");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(StartupError::Password)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
