#pragma once
// The `probity` command line: serve, init, token create, import, export, demo, audit verify,
// backup, restore.
namespace probity {

/// Runs the command line and returns the process exit code: 0 success, 1 the operation failed
/// (its reason printed on stderr), 2 the command line itself was wrong. Never throws. Sets SQLite
/// up for the process first (configure_sqlite_process), so call it before starting any thread.
int run_cli(int argc, char** argv);

}  // namespace probity
