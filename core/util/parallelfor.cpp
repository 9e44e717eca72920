#include "core/util/parallelfor.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace hc {

int resolveThreadCount(int requested)
{
    const int cores = std::max(1u, std::thread::hardware_concurrency());
    return requested <= 0 ? cores : requested;
}

bool parallelFor(std::size_t chunkCount, int threads, const std::function<void(std::size_t)> &body,
                 const std::function<bool()> &cancelled)
{
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    auto worker = [&] {
        for (;;) {
            if (stop.load(std::memory_order_relaxed))
                return;
            const std::size_t chunk = next.fetch_add(1, std::memory_order_relaxed);
            if (chunk >= chunkCount)
                return;
            if (cancelled && cancelled()) {
                stop = true;
                return;
            }
            body(chunk);
        }
    };
    const int n = static_cast<int>(std::min<std::size_t>(std::max(1, resolveThreadCount(threads)), chunkCount));
    std::vector<std::thread> pool;
    for (int i = 1; i < n; ++i)
        pool.emplace_back(worker);
    worker();
    for (auto &t : pool)
        t.join();
    return !stop.load();
}

} // namespace hc
