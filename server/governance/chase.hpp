#pragma once
// "Chase everyone overdue now": governance's button on the compliance dashboard.
#include <SQLiteCpp/SQLiteCpp.h>

#include "model/base/date.hpp"

namespace probity {

class App;

/// Enqueues a reminder to everyone overdue on `on` (and escalations that are due), returning how
/// many people were chased. Runs on the writer's connection, inside its transaction.
int chase_overdue(App& app, SQLite::Database& db, Date on);

}  // namespace probity
