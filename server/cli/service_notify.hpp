#pragma once
// Telling systemd how the service stands (a `Type=notify` unit, packaging/probity.service):
// READY=1 once it listens, STOPPING=1 when it begins to stop. This is sd_notify's datagram
// protocol, written out here rather than linking libsystemd for one sendmsg; without
// NOTIFY_SOCKET in the environment (run by hand, under tests) it does nothing.
#include <string_view>

namespace probity {

/// Sends `state` (e.g. "READY=1") to the socket named by NOTIFY_SOCKET, if there is one.
/// Returns true when it was sent, false when there is no socket or sending failed. Never throws.
bool notify_service_manager(std::string_view state);

}  // namespace probity
