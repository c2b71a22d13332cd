#include "server/cli.hpp"

#include <CLI/CLI.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>

#include "model/audit_log.hpp"
#include "model/backup.hpp"
#include "model/date.hpp"
#include "model/bundle.hpp"
#include "model/database.hpp"
#include "server/app.hpp"

namespace probity {
const std::map<std::string, std::string_view>& embedded_demo();

namespace {
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

App* g_running_app = nullptr;
extern "C" void on_stop_signal(int) {
  if (g_running_app) g_running_app->stop();
}

std::unique_ptr<SQLite::Database> open_existing(const std::string& path) {
  if (!std::filesystem::exists(path))
    throw Failure("no database at " + path + " (create one with `probity init` or `probity demo`)");
  auto db = open_database(path, false);
  apply_migrations(*db);
  return db;
}

std::unique_ptr<SQLite::Database> open_or_create(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  auto db = open_database(path, true);
  apply_migrations(*db);
  return db;
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
    for (const auto& e : r.errors) std::cerr << e.text() << "\n";
    std::cerr << "probity: nothing was imported (" << r.errors.size() << (r.errors.size() == 1 ? " problem" : " problems")
              << ")\n";
    return 1;
  }
  std::cout << r.ids.dump(2) << "\n";
  return 0;
}

std::string demo_bundle() { return std::string(embedded_demo().at("demo.json")); }
}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App cli{"Probity: registers of interests and conflict management for NHS commissioning bodies"};
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

  auto* init = cli.add_subcommand("init", "Create a new database");

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
  auto* backup_cmd = cli.add_subcommand("backup", "Write a verified copy of the database to FILE (safe while serving)");
  std::string backup_file;
  backup_cmd->add_option("FILE", backup_file, "Where to write the backup; must not exist yet")->required();
  auto* restore_cmd =
      cli.add_subcommand("restore", "Replace the database with the backup FILE (stop the server first)");
  std::string restore_file;
  restore_cmd->add_option("FILE", restore_file, "A backup made by `probity backup`")->required()->check(CLI::ExistingFile);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    cli.exit(e);
    return 2;
  }

  try {
    Config config = load_config(config_file);
    if (!database.empty()) config.database = database;

    if (*serve) {
      if (!host.empty()) config.host = host;
      if (port >= 0) config.port = port;
      if (!tls_cert.empty()) config.tls_cert = tls_cert;
      if (!tls_key.empty()) config.tls_key = tls_key;
      {
        auto db = open_or_create(config.database);
        if (demo_if_empty && register_is_empty(*db)) {
          auto r = import_bundle_text(*db, demo_bundle(), "demo");
          if (!r.ok) return report_import(r);
          std::cout << "Loaded the demo data set into " << config.database << "\n";
        }
      }
      App app(config);
      int bound = app.bind();
      config.port = bound;
      std::cout << "Probity is serving " << config.database << " at " << config.effective_base_url() << "/\n"
                << std::flush;
      g_running_app = &app;
      std::signal(SIGINT, on_stop_signal);
      std::signal(SIGTERM, on_stop_signal);
      app.run();
      g_running_app = nullptr;
      return 0;
    }
    if (*init) {
      if (std::filesystem::exists(config.database)) throw Failure("a database already exists at " + config.database);
      open_or_create(config.database);
      std::cout << "Created " << config.database << "\n";
      return 0;
    }
    if (*import) {
      std::string text = read_input(import_file);
      auto db = open_or_create(config.database);
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
      auto r = import_bundle_text(*db, demo_bundle(), "demo");
      if (r.ok) std::cout << "Loaded the demo data set into " << config.database << "\n";
      else return report_import(r);
      return 0;
    }
    if (*backup_cmd) {
      if (!std::filesystem::exists(config.database)) throw Failure("no database at " + config.database);
      auto db = open_database(config.database, false);
      auto r = backup_database(*db, backup_file);
      std::cout << "Backed up " << config.database << " to " << r.path << " (" << r.bytes
                << " bytes; integrity check ok; audit chain verified: " << r.audit_rows << " rows)\n";
      return 0;
    }
    if (*restore_cmd) {
      std::string stamp;
      for (char c : utc_timestamp_now())
        if (c != '-' && c != ':') stamp += c;
      auto r = restore_database(restore_file, config.database, stamp);
      std::cout << "Restored " << config.database << " from " << restore_file << " (integrity check ok; audit chain verified: "
                << r.audit_rows << " rows)\n";
      if (!r.previous_kept_as.empty()) std::cout << "The database it replaced is kept as " << r.previous_kept_as << "\n";
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
