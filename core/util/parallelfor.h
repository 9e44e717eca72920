#pragma once

#include <cstddef>
#include <functional>

namespace hc {

// Number of worker threads to use when the caller asked for `requested` (0 = all cores).
int resolveThreadCount(int requested);

// Runs body(chunk) for chunk = 0 .. chunkCount-1 on up to `threads` threads (the calling thread
// included). Chunks are handed out dynamically; callers that need deterministic results write
// per-chunk outputs and combine them in chunk order afterwards.
// Returns false when `cancelled` said stop (some chunks may then not have run).
bool parallelFor(std::size_t chunkCount, int threads, const std::function<void(std::size_t)> &body,
                 const std::function<bool()> &cancelled = {});

} // namespace hc
