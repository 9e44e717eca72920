#pragma once

#include "core/util/result.h"

#include <QByteArray>

#include <string>

namespace hc {

// Writes a small file (a config, a report) completely or not at all: a temporary file in the same
// folder, flushed and synced, renamed over the target. `what` names the content in the error
// ("the report could not be saved"). Reentrant.
Status writeFileAtomically(const std::string &path, const QByteArray &bytes, const std::string &what);

} // namespace hc
