#include "server/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <thread>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>

#include "model/accounts/api_token_store.hpp"
#include "model/store/audit_log.hpp"
#include "model/store/backup.hpp"
#include "model/base/date.hpp"
#include "model/base/date_text.hpp"
#include "model/bundle/bundle.hpp"
#include "model/base/crypto.hpp"
#include "model/store/database.hpp"
#include "model/store/upgrade.hpp"
#include "model/bundle/demo.hpp"
#include "model/register/person_store.hpp"
#include "model/accounts/user_store.hpp"
#include "server/accounts/account_setup.hpp"
#include "server/http/app.hpp"
#include "server/http/auth.hpp"
#include "server/http/request_log.hpp"
#include "server/governance/reminder_pass.hpp"
#include "server/mail/mail_sender.hpp"
#include "server/http/year_config.hpp"
#include "server/cli/service_notify.hpp"
#include "probity_version.hpp"

namespace probity {
const std::map<std::string, std::string_view>& embedded_demo();

namespace {
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `serve`'s signals, taken by a thread of their own with sigwait rather than by a handler, so that
// what they do is ordinary code. SIGTERM or SIGINT: stop accepting, let requests in flight finish
// (the connection loop's drain), and exit; if that takes longer than drain_seconds, log it and exit
// 1 anyway. SIGHUP: reopen the log file (logrotate), harmless when logging to stdout. The signals
// are blocked before any thread starts, so every thread inherits the mask and none is killed by
// them; one that comes before the service listens is kept and stops it as soon as it does.
class ServeSignals {
 public:
  ServeSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  ~ServeSignals() { finish(); }
  ServeSignals(const ServeSignals&) = delete;
  ServeSignals& operator=(const ServeSignals&) = delete;

  /// Starts watching for `app`: from here a stop signal stops it.
  void watch(App& app, int drain_seconds) {
    app_ = &app;
    drain_ = std::chrono::seconds(drain_seconds);
    thread_ = std::thread([this] { run(); });
  }
  bool stop_requested() const { return stop_requested_; }
  /// The service has stopped (or never ran); joins the thread.
  void finish() {
    finished_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    std::optional<std::chrono::steady_clock::time_point> stop_at;
    bool stopped = false;
    while (!finished_) {
      timespec wait{0, 100 * 1000 * 1000};
      const int sig = sigtimedwait(&set_, nullptr, &wait);
      if (sig == SIGHUP) {
        const bool reopened = reopen_log_file();
        log_event(LogLevel::info, "signal", {{"signal", "SIGHUP"}, {"log_reopened", reopened}});
      } else if ((sig == SIGTERM || sig == SIGINT) && !stop_at) {
        stop_at = std::chrono::steady_clock::now();
        stop_requested_ = true;
        log_event(LogLevel::info, "stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"},
                                               {"drain_seconds", static_cast<std::int64_t>(drain_.count())}});
      }
      // Stopped once the listening loop is seen running (cpp-httplib ignores a stop before it).
      if (stop_requested_ && !stopped && app_->running()) {
        app_->stop();
        stopped = true;
      }
      if (stop_at && std::chrono::steady_clock::now() - *stop_at > drain_) {
        log_event(LogLevel::error, "stop_timed_out", {{"drain_seconds", static_cast<std::int64_t>(drain_.count())}});
        std::_Exit(1);
      }
    }
  }

  sigset_t set_{};
  App* app_ = nullptr;
  std::chrono::seconds drain_{10};
  std::thread thread_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> finished_{false};
};

void log_migrations(const std::vector<std::string>& applied, const std::string& path) {
  for (const auto& name : applied) log_event(LogLevel::info, "migration_applied", {{"migration", name}, {"database", path}});
}

// A UTC time for file names: 20261123T140509Z (sorts by age, no characters a shell quotes).
std::string compact_utc_stamp() {
  std::string stamp;
  for (char c : utc_timestamp_now())
    if (c != '-' && c != ':') stamp += c;
  return stamp;
}

// Every command that uses the database brings it to this release's schema first: a newer
// release's database is refused untouched (NewerDatabaseError), and one with migrations to run
// is backed up, verified, beside itself before they run (model/store/upgrade.hpp).
void upgrade_schema(SQLite::Database& db, const std::string& path) {
  UpgradeResult r;
  try {
    r = upgrade_database(db, path, compact_utc_stamp());
  } catch (const NewerDatabaseError& e) {
    throw Failure("cannot use " + path + ": " + e.what() + ". This is Probity " + kVersion + ".");
  }
  log_migrations(r.applied, path);
  if (r.backup)
    std::cerr << "probity: before upgrading, backed up " << path << " to " << r.backup->path << " (" << r.backup->bytes
              << " bytes; integrity check ok; audit chain verified: " << r.backup->audit_rows << " rows)\n";
  if (!r.applied.empty() && r.backup) {
    std::cerr << "probity: upgraded " << path << " with the migration" << (r.applied.size() == 1 ? "" : "s");
    for (const auto& name : r.applied) std::cerr << " " << name;
    std::cerr << "\n";
  }
}

DatabasePtr open_existing(const std::string& path) {
  if (!std::filesystem::exists(path))
    throw Failure("no database at " + path + " (create one with `probity init` or `probity demo`)");
  auto db = open_database(path, false);
  upgrade_schema(*db, path);
  return db;
}

DatabasePtr open_or_create(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  auto db = open_database(path, true);
  upgrade_schema(*db, path);
  return db;
}

// Where `probity backup` without FILE writes, and how many copies it keeps: the flags, else the
// config's "backup" section ({"dir": "/var/lib/probity/backups", "keep": 14}).
struct KeptBackups {
  std::string dir;
  int keep = 14;
};
constexpr int kMaxKeptBackups = 1000;

KeptBackups kept_backups(const Config& config, const std::string& dir_flag, int keep_flag) {
  KeptBackups kept;
  if (config.raw.contains("backup")) {
    const auto& section = config.raw.at("backup");
    if (!section.is_object()) throw ConfigError("\"backup\" must be an object such as {\"dir\": \"/var/lib/probity/backups\", \"keep\": 14}");
    if (section.contains("dir")) {
      if (!section.at("dir").is_string() || section.at("dir").get<std::string>().empty())
        throw ConfigError("backup.dir must be the path of a folder");
      kept.dir = section.at("dir").get<std::string>();
    }
    if (section.contains("keep")) {
      const auto& keep = section.at("keep");
      if (!keep.is_number_integer() || keep.get<long long>() < 1 || keep.get<long long>() > kMaxKeptBackups)
        throw ConfigError("backup.keep must be a whole number from 1 to " + std::to_string(kMaxKeptBackups));
      kept.keep = keep.get<int>();
    }
  }
  if (!dir_flag.empty()) kept.dir = dir_flag;
  if (keep_flag > 0) kept.keep = keep_flag;
  return kept;
}

std::string read_input(const std::string& file) {
  if (file == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Failure("cannot read " + file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int report_import(const ImportResult& r) {
  if (!r.ok) {
    log_event(LogLevel::warning, "import_refused", {{"problems", r.errors.size()}});
    for (const auto& e : r.errors) std::cerr << e.text() << "\n";
    std::cerr << "probity: nothing was imported (" << r.errors.size() << (r.errors.size() == 1 ? " problem" : " problems")
              << ")\n";
    return 1;
  }
  std::size_t records = 0;
  for (const auto& [kind, refs] : r.ids.items()) records += refs.is_object() ? refs.size() : 0;
  log_event(LogLevel::info, "import", {{"records", records}});
  std::cout << r.ids.dump(2) << "\n";
  return 0;
}

User find_account(const UserStore& accounts, const std::string& email) {
  auto user = accounts.find_user_by_email(email);
  if (!user) throw Failure("no account with the email " + email);
  return *user;
}

// One line per token, tab-separated under a header, times in UTC: easy to read and to cut.
int list_tokens(const ApiTokenStore& api_tokens, const User& user) {
  const auto tokens = api_tokens.api_tokens_for(user.id);
  if (tokens.empty()) {
    std::cout << user.email << " has no API tokens\n";
    return 0;
  }
  const Instant now = now_instant();
  std::cout << "id\tstatus\tcreated\texpires\tlast used\trevoked\tlabel\n";
  for (const auto& t : tokens)
    std::cout << t.id << "\t" << to_string(t.state(now)) << "\t" << t.created_at << "\t" << t.expires_at << "\t"
              << t.last_used_at.value_or("never") << "\t" << t.revoked_at.value_or("-") << "\t" << t.label << "\n";
  return 0;
}

// The demo as of today (the config's "today" when one is set): its dates move on by whole weeks
// once its next meeting is less than a fortnight away (model/bundle/demo.hpp).
std::string demo_bundle(const Config& config) {
  const auto today = config.today.empty() ? std::optional<Date>(Date::today()) : Date::parse(config.today);
  const auto demo = nlohmann::json::parse(embedded_demo().at("demo.json"));
  return demo_for(demo, today.value_or(Date::today()), year_rules(config)).dump();
}
}  // namespace

int run_cli(int argc, char** argv) {
  // Before any connection or thread (a no-op when SQLite is already initialised, as in the tests,
  // whose main has done it).
  configure_sqlite_process();
  CLI::App cli{"Probity: registers of interests and conflict management for NHS commissioning bodies"};
  cli.set_version_flag("--version", std::string("probity ") + kVersion, "Print the version and exit");
  cli.require_subcommand(1);
  cli.fallthrough();  // global options may follow the subcommand: `probity serve --database x`
  std::string config_file;
  std::string database;
  cli.add_option("--config", config_file, "JSON config file (see config/probity.json)")->check(CLI::ExistingFile);
  cli.add_option("--database", database, "SQLite database file (default: var/probity.db, or the config's)");

  auto* serve = cli.add_subcommand("serve", "Run the web service");
  std::string host, tls_cert, tls_key;
  int port = -1;
  bool demo_if_empty = false;
  serve->add_option("--host", host, "Address to listen on (default 127.0.0.1)");
  serve->add_option("--port", port, "Port to listen on (default 8080; 0 picks a free port)")->check(CLI::Range(0, 65535));
  serve->add_option("--tls-cert", tls_cert, "PEM certificate: serve HTTPS (TLS 1.2 or later)")->check(CLI::ExistingFile);
  serve->add_option("--tls-key", tls_key, "PEM private key for --tls-cert")->check(CLI::ExistingFile);
  serve->add_flag("--demo-if-empty", demo_if_empty, "Load the demo data set first if the database is empty");

  auto* init = cli.add_subcommand("init", "Create a new database, and with --email its first governance account");
  std::string init_email, init_name;
  bool password_stdin = false;
  init->add_option("--email", init_email, "Email of the first governance account (works on an existing database too)");
  init->add_option("--name", init_name, "Their name, recorded as a person (an officer) on the register");
  init->add_flag("--password-stdin", password_stdin,
                 "Read the account's password from the first line of standard input (otherwise one is generated and printed once)");

  auto* token = cli.add_subcommand("token", "API tokens for automation");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "Print a new API token for an account (shown once; stored hashed)");
  std::string token_email, token_label;
  int token_days = 0;
  token_create->add_option("--email", token_email, "The account the token acts as")->required();
  token_create->add_option("--label", token_label, "What the token is for, e.g. \"nightly export\"");
  token_create->add_option("--days", token_days, "How many days it works (default: the config's accounts.api_token_days, 90)")
      ->check(CLI::Range(1, 366));
  auto* token_list = token->add_subcommand("list", "List an account's API tokens: id, status, dates and label (never the token)");
  token_list->add_option("--email", token_email, "The account whose tokens to list")->required();
  auto* token_revoke = token->add_subcommand("revoke", "Revoke an API token: it stops working at once");
  Id token_id = 0;
  token_revoke->add_option("ID", token_id, "The token's id, as `token list` shows it")->required()->check(CLI::Range(Id{1}, Id{999999999999999999}));

  auto* account = cli.add_subcommand("account", "Disable or enable an account");
  account->require_subcommand(1);
  std::string account_email;
  auto* account_disable = account->add_subcommand(
      "disable", "Disable an account: ends its sessions, revokes its API tokens, and stops it signing in");
  account_disable->add_option("--email", account_email, "The account to disable")->required();
  auto* account_enable =
      account->add_subcommand("enable", "Let a disabled account sign in again (its revoked API tokens stay revoked)");
  account_enable->add_option("--email", account_email, "The account to enable")->required();

  auto* import = cli.add_subcommand("import", "Import a bundle (all or nothing); prints {kind: {ref: id}}");
  std::string import_file;
  import->add_option("FILE", import_file, "Bundle file, or - for standard input")->required();

  auto* export_cmd = cli.add_subcommand("export", "Write the register as a bundle");
  std::string output_file;
  export_cmd->add_option("-o,--output", output_file, "Write to this file instead of standard output");

  cli.add_subcommand("demo", "Load the demo data set (a fictional CCG)");

  auto* audit = cli.add_subcommand("audit", "Audit trail tools");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Check the audit chain and report the first broken row");

  // Backup and restore (docs/reliability.md): online, verified, never overwriting.
  auto* backup_cmd = cli.add_subcommand(
      "backup", "Write a verified copy of the database to FILE, or into a folder of kept copies (safe while serving)");
  std::string backup_file, backup_dir;
  int backup_keep = 0;
  auto* backup_file_option = backup_cmd->add_option("FILE", backup_file, "Where to write the backup; must not exist yet");
  auto* backup_dir_option = backup_cmd->add_option(
      "--dir", backup_dir, "Instead of FILE: write probity-<UTC time>.db into this folder (default: the config's backup.dir)");
  backup_cmd
      ->add_option("--keep", backup_keep,
                   "With a folder: then remove the oldest of its probity-<UTC time>.db copies beyond this many (default: the "
                   "config's backup.keep, 14)")
      ->check(CLI::Range(1, kMaxKeptBackups));
  backup_file_option->excludes(backup_dir_option);
  auto* restore_cmd =
      cli.add_subcommand("restore", "Replace the database with the backup FILE (stop the server first)");
  std::string restore_file;
  restore_cmd->add_option("FILE", restore_file, "A backup made by `probity backup`")->required()->check(CLI::ExistingFile);

  // The outbox (docs/mail.md): one pass for cron; `serve` also sends, every few seconds.
  auto* mail = cli.add_subcommand("mail", "Email: deliver the outbox");
  mail->require_subcommand(1);
  auto* mail_send = mail->add_subcommand(
      "send", "Deliver every message that is due, once, then exit (for cron); prints how many were sent, to retry and failed");

  // The declaration year's reminders (docs/declaration-year.md): one pass for cron; `serve` runs
  // one every hour. Passes are idempotent: a second one the same day enqueues nothing new.
  auto* reminders = cli.add_subcommand("reminders", "The declaration year's reminders, escalations and weekly digest");
  reminders->require_subcommand(1);
  auto* reminders_run = reminders->add_subcommand(
      "run", "Put today's reminders, escalations and digest in the outbox, once, then exit (for cron; `mail send` delivers them)");
  std::string reminders_date;
  reminders_run->add_option("--date", reminders_date, "The day to run for (YYYY-MM-DD); default today");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    cli.exit(e);
    return 2;
  }

  try {
    Config config = load_config(config_file);
    if (!database.empty()) config.database = database;
    // serve logs to stdout (journald) unless a log file is set. Other commands say what they did in
    // their own words on stdout and stderr; their events (backups, imports, migrations) go to the
    // log file when one is set, and nowhere else, so that their output stays theirs.
    configure_log(log_settings(config), *serve ? STDOUT_FILENO : -1);

    if (*serve) {
      if (!host.empty()) config.host = host;
      if (port >= 0) config.port = port;
      if (!tls_cert.empty()) config.tls_cert = tls_cert;
      if (!tls_key.empty()) config.tls_key = tls_key;
      ServeSignals signals;  // before any thread starts
      {
        auto db = open_or_create(config.database);
        if (demo_if_empty && register_is_empty(*db)) {
          auto r = import_bundle_text(*db, demo_bundle(config), "demo");
          if (!r.ok) return report_import(r);
          add_demo_guardian_records(*db, config.today.empty() ? Date::today() : Date::parse(config.today).value_or(Date::today()));
          std::cout << "Loaded the demo data set into " << config.database << "\n";
          auto made = create_demo_accounts(*db, account_config(config));
          if (!made.empty()) {
            // The password goes to a terminal only: standard output may be a log (journald, a
            // test's log file), and no password belongs in a log, not even the demo's.
            if (::isatty(STDOUT_FILENO))
              std::cout << "DEMO ONLY: sign in as any of these accounts with the password \"" << kDemoPassword
                        << "\" (never use demo accounts with real data):\n";
            else
              std::cout << "DEMO ONLY: demo accounts made (their password is shown when serving from a terminal; "
                           "never use demo accounts with real data):\n";
            for (const auto& email : made) std::cout << "  " << email << "\n";
          }
        }
      }
      const MailSettings mail_config = mail_settings(config);  // a wrong "mail" section stops start-up
      App app(config);
      int bound = app.bind();
      config.port = bound;
      // The background loops start before the "serving" line: a client (or a test) that stops the
      // server as soon as it reads that line must find it listening, since a stop that arrives
      // before listening begins would be lost.
      MailLoop mail_loop(config.database, mail_config);
      ReminderLoop reminder_loop(app);
      signals.watch(app, config.drain_seconds);
      if (app.metrics_port() != 0)
        std::cout << "Metrics at http://127.0.0.1:" << app.metrics_port() << "/metrics\n";
      std::cout << "Probity is serving " << config.database << " at " << config.effective_base_url() << "/\n"
                << std::flush;
      // glibc's tunables as this process runs with them (server/main.cpp sets the thread cache).
      const char* tunables = std::getenv("GLIBC_TUNABLES");
      log_event(LogLevel::info, "serving", {{"database", config.database}, {"url", config.effective_base_url() + "/"},
                                            {"metrics_port", app.metrics_port()},
                                            {"glibc_tunables", std::string(tunables ? tunables : "")}});
      notify_service_manager("READY=1");  // systemd's Type=notify: listening now
      if (!signals.stop_requested()) app.run();
      notify_service_manager("STOPPING=1");
      reminder_loop.stop();
      mail_loop.stop();
      signals.finish();
      log_event(LogLevel::info, "stopped");
      return 0;
    }
    if (*init) {
      const bool existed = std::filesystem::exists(config.database);
      if (existed && init_email.empty()) throw Failure("a database already exists at " + config.database);
      auto db = open_or_create(config.database);
      if (!existed) std::cout << "Created " << config.database << "\n";
      if (init_email.empty()) return 0;
      std::string password;
      const bool generated = !password_stdin;
      if (password_stdin) {
        std::getline(std::cin, password);
        if (!password.empty() && password.back() == '\r') password.pop_back();
      } else {
        password = random_hex(12);  // 96 bits, shown once below
      }
      if (auto problems = validate_new_password(password, init_email, account_config(config).password); !problems.empty())
        throw Failure("cannot create the account: " + problems.front());
      std::optional<Id> person_id;
      if (!init_name.empty()) {
        PersonStore people(*db);
        if (auto existing = people.find_by_email(init_email)) {
          person_id = existing->id;
        } else {
          WriteTransaction tx(*db);
          Person p;
          p.name = init_name;
          p.email = init_email;
          p.kind = PersonKind::officer;
          p.position = "Governance";
          people.save(p, "init");
          tx.commit();
          person_id = p.id;
        }
      }
      try {
        create_account_with_password(*db, account_config(config), init_email, person_id, UserRole::governance, password, "init");
      } catch (const std::invalid_argument& e) {
        throw Failure(std::string("cannot create the account: ") + e.what());
      }
      std::cout << "Created the governance account " << init_email << "\n";
      if (generated) std::cout << "Password (shown once, change it after signing in): " << password << "\n";
      return 0;
    }
    if (*token_create) {
      auto db = open_existing(config.database);
      UserStore accounts(*db, account_config(config));
      ApiTokenStore tokens(*db, account_config(config));
      auto user = find_account(accounts, token_email);
      std::optional<std::chrono::seconds> lifetime;
      if (token_days > 0) lifetime = std::chrono::hours(24 * token_days);
      try {
        auto made = tokens.create_api_token(user.id, token_label, "cli", now_instant(), lifetime);
        std::cout << made.token << std::endl;  // flushed: before the note below when both go to one pipe
        // On standard error, so that TOKEN=$(probity token create ...) captures the token alone.
        std::cerr << "The token works until " << iso_instant(made.expires_at) << "; `probity token revoke " << made.id
                  << "` ends it sooner.\n";
      } catch (const std::invalid_argument& e) {
        throw Failure(std::string("cannot create the token: ") + e.what());
      }
      return 0;
    }
    if (*token_list) {
      auto db = open_existing(config.database);
      UserStore accounts(*db, account_config(config));
      ApiTokenStore tokens(*db, account_config(config));
      auto user = find_account(accounts, token_email);
      return list_tokens(tokens, user);
    }
    if (*token_revoke) {
      auto db = open_existing(config.database);
      ApiTokenStore tokens(*db, account_config(config));
      auto found = tokens.find_api_token(token_id);
      if (!found) throw Failure("no API token with the id " + std::to_string(token_id));
      if (found->revoked_at) {
        std::cout << "Token " << token_id << " was already revoked at " << *found->revoked_at << "\n";
        return 0;
      }
      tokens.revoke_api_token(token_id, "cli", now_instant());
      std::cout << "Revoked token " << token_id << (found->label.empty() ? "" : " (" + found->label + ")") << "\n";
      return 0;
    }
    if (*account_disable || *account_enable) {
      const bool disable = account_disable->parsed();
      auto db = open_existing(config.database);
      UserStore accounts(*db, account_config(config));
      auto user = find_account(accounts, account_email);
      if (user.disabled == disable) {
        std::cout << "The account " << user.email << " was already " << (disable ? "disabled" : "enabled") << "\n";
        return 0;
      }
      accounts.set_disabled(user.id, disable, "cli", now_instant());
      if (disable)
        std::cout << "Disabled the account " << user.email << ": its sessions have ended and its API tokens are revoked\n";
      else
        std::cout << "Enabled the account " << user.email
                  << ": it can sign in again. Its revoked API tokens stay revoked (make new ones with `probity token create`)\n";
      return 0;
    }
    if (*import) {
      std::string text = read_input(import_file);
      auto db = open_or_create(config.database);
      // The import is one transaction: with SQLite's default 2 MB page cache a large bundle's
      // changed pages spill into the WAL and are read back each time an index or the read model's
      // triggers touch them again. A larger cache for this connection alone keeps them in memory;
      // it is still committed once, with synchronous=FULL.
      db->exec("PRAGMA cache_size = -262144");  // 256 MB
      return report_import(import_bundle_text(*db, text, "import"));
    }
    if (*export_cmd) {
      auto db = open_existing(config.database);
      std::string text = export_bundle(*db).dump(2) + "\n";
      if (output_file.empty()) {
        std::cout << text;
      } else {
        std::ofstream out(output_file, std::ios::binary);
        if (!(out << text)) throw Failure("cannot write " + output_file);
      }
      return 0;
    }
    if (cli.got_subcommand("demo")) {
      auto db = open_or_create(config.database);
      auto r = import_bundle_text(*db, demo_bundle(config), "demo");
      if (r.ok) std::cout << "Loaded the demo data set into " << config.database << "\n";
      else return report_import(r);
      return 0;
    }
    if (*backup_cmd) {
      if (!std::filesystem::exists(config.database)) throw Failure("no database at " + config.database);
      std::string destination = backup_file;
      std::optional<KeptBackups> kept;
      if (destination.empty()) {
        kept = kept_backups(config, backup_dir, backup_keep);
        if (kept->dir.empty())
          throw Failure("say where to write the backup: a FILE, --dir FOLDER, or \"backup\": {\"dir\": ...} in the config");
        if (!std::filesystem::is_directory(kept->dir)) throw Failure("no folder " + kept->dir + " for the backups");
        destination = (std::filesystem::path(kept->dir) / kept_backup_name(compact_utc_stamp())).string();
      } else if (backup_keep > 0) {
        throw Failure("--keep goes with a folder of copies (--dir), not with a FILE");
      }
      auto db = open_database(config.database, false);
      auto r = backup_database(*db, destination);
      log_event(LogLevel::info, "backup", {{"database", config.database}, {"file", r.path}, {"bytes", static_cast<std::int64_t>(r.bytes)},
                                          {"audit_rows", static_cast<std::int64_t>(r.audit_rows)}});
      std::cout << "Backed up " << config.database << " to " << r.path << " (" << r.bytes
                << " bytes; integrity check ok; audit chain verified: " << r.audit_rows << " rows)\n";
      if (kept) {
        // Only after the new copy is verified: a failed night never costs an older copy.
        for (const auto& removed : prune_kept_backups(kept->dir, kept->keep))
          std::cout << "Removed the old backup " << removed << " (keeping the newest " << kept->keep << ")\n";
      }
      return 0;
    }
    if (*restore_cmd) {
      auto r = restore_database(restore_file, config.database, compact_utc_stamp());
      std::cout << "Restored " << config.database << " from " << restore_file << " (integrity check ok; audit chain verified: "
                << r.audit_rows << " rows)\n";
      if (!r.previous_kept_as.empty()) std::cout << "The database it replaced is kept as " << r.previous_kept_as << "\n";
      return 0;
    }
    if (*mail_send) {
      open_existing(config.database);  // migrated before the sender opens its own connection
      MailSender sender(config.database, mail_settings(config));
      const auto c = sender.run_once();
      std::cout << "Mail: " << c.sent << " sent, " << c.retried << " to retry later, " << c.failed << " failed\n";
      return 0;
    }
    if (*reminders_run) {
      Date on = year_today(config);
      if (!reminders_date.empty()) {
        auto d = Date::parse(reminders_date);
        if (!d) throw Failure("--date must be a date written YYYY-MM-DD, such as 2027-04-30");
        on = *d;
      }
      auto db = open_existing(config.database);
      WriteTransaction tx(*db);
      const auto r = run_reminder_pass(config, *db, on, now_instant());
      tx.commit();
      auto count_of = [](int n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); };
      std::cout << "Reminders for " << long_date(on) << ": " << count_of(r.enqueued, "message", "messages")
                << " added to the outbox, " << r.already_sent << " already sent by an earlier pass, "
                << count_of(r.no_address, "person", "people") << " with no email address, " << r.switched_off << " switched off\n";
      return 0;
    }
    if (*verify) {
      auto db = open_existing(config.database);
      auto result = verify_audit_chain(*db);
      if (!result.ok) {
        std::cerr << "probity: audit chain broken at row " << *result.first_broken_id << ": " << result.problem << "\n";
        return 1;
      }
      std::cout << "Audit chain verified: " << result.rows_checked << " rows\n";
      return 0;
    }
  } catch (const Failure& e) {
    std::cerr << "probity: " << e.what() << "\n";
    return 1;
  } catch (const ConfigError& e) {
    std::cerr << "probity: config: " << e.what() << "\n";
    return 1;
  } catch (const SQLite::Exception& e) {
    std::cerr << "probity: database " << config_file << database << ": " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "probity: " << e.what() << "\n";
    return 1;
  }
  return 2;
}

}  // namespace probity
