#pragma once

#include <string>

#include "sim/config/config_document.hpp"

namespace icsflow::sim::config {

// The issue to report for a TOML syntax error whose parser message is `what` in `text`. The
// parser's own location is unreliable (an impossible date is placed at line 1), but its message
// quotes the offending line, " 6 | start_date = 2021-02-30", and points at the problem under it:
// the issue takes its line from there, the key from that line (with its table's header) and the
// reason from the first line of the message and the pointer's note.
[[nodiscard]] ConfigIssue toml_syntax_issue(const std::string& what, const std::string& text,
                                            const std::string& file_name, unsigned fallback_line);

}  // namespace icsflow::sim::config
