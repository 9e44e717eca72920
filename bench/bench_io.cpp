// Model I/O benchmark: writes a >= 1 GB safetensors model of heavy-tailed float32 weights, then
// measures the time to open it, the peak resident memory while ModelCompressor streams it into an
// archive tensor by tensor, and compress / decompress throughput in parameters per second.
// Usage: bench_io [folder] [tensor count] [elements per tensor]   (files are deleted afterwards)

#include "core/archive/archivereader.h"
#include "core/archive/modelcompressor.h"
#include "core/archive/modelrestorer.h"
#include "core/io/safetensorssource.h"
#include "core/io/safetensorswriter.h"
#include "core/util/syntheticweights.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <sys/resource.h>

using namespace hc;

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// kB from /proc/self/status ("VmHWM", "VmRSS").
long procStatus(const char *key)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(key) + ":";
    while (std::getline(in, line))
        if (line.rfind(prefix, 0) == 0)
            return std::atol(line.c_str() + prefix.size());
    return -1;
}

// Resets VmHWM to the current RSS (Linux >= 4.0), so each phase's peak is measured on its own.
void resetPeak()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

double mb(double bytes)
{
    return bytes / (1024.0 * 1024.0);
}

} // namespace

int main(int argc, char **argv)
{
    const std::string folder = argc > 1 ? argv[1] : QDir::tempPath().toStdString();
    const int tensorCount = argc > 2 ? std::atoi(argv[2]) : 16;
    const std::size_t perTensor = argc > 3 ? std::size_t(std::atoll(argv[3])) : std::size_t(4096) * 4096;
    QTemporaryDir dir(QString::fromStdString(folder) + QStringLiteral("/bench_io-XXXXXX"));
    if (!dir.isValid()) {
        std::fprintf(stderr, "bench_io: cannot create a folder in %s\n", folder.c_str());
        return 1;
    }
    const std::string model = dir.filePath(QStringLiteral("model.safetensors")).toStdString();
    const std::string archive = dir.filePath(QStringLiteral("model.hca.safetensors")).toStdString();
    const std::string restored = dir.filePath(QStringLiteral("restored.safetensors")).toStdString();

    // 1. Write the model, streaming one tensor at a time.
    double t0 = now();
    {
        SafetensorsWriter w(model);
        w.setMetadata({{"producer", "bench_io"}});
        for (int i = 0; i < tensorCount; ++i)
            w.declareTensor("layers." + std::to_string(i) + ".weight", "F32", {std::int64_t(perTensor / 4096), 4096},
                            perTensor * 4);
        for (int i = 0; i < tensorCount; ++i) {
            const std::vector<float> v = studentTWeights(perTensor, 4.0, 0.03, std::uint64_t(100 + i));
            if (Status s = w.writeTensor(std::size_t(i), v.data(), v.size() * 4); !s) {
                std::fprintf(stderr, "%s\n", s.error().c_str());
                return 1;
            }
        }
        if (Status s = w.commit(); !s) {
            std::fprintf(stderr, "%s\n", s.error().c_str());
            return 1;
        }
    }
    const double writeSeconds = now() - t0;
    const double fileBytes = double(QFileInfo(QString::fromStdString(model)).size());
    const double params = double(perTensor) * tensorCount;
    std::printf("model: %d tensors x %zu float32 = %.0f M params, %.1f MB, generated and written in %.2f s\n",
                tensorCount, perTensor, params / 1e6, mb(fileBytes), writeSeconds);

    // 2. Open it (header only).
    t0 = now();
    auto src = SafetensorsSource::open(model);
    const double openSeconds = now() - t0;
    if (!src) {
        std::fprintf(stderr, "%s\n", src.error().c_str());
        return 1;
    }
    std::printf("open: %.3f ms for %zu tensors\n", openSeconds * 1e3, (*src)->tensors().size());

    // 3. Compress, streaming, with the default setting (U = 225, l = 0.1, K = auto:3).
    resetPeak();
    const long rssBefore = procStatus("VmRSS");
    t0 = now();
    auto report = ModelCompressor(CompressionConfig{}).compress(**src, archive);
    const double compressSeconds = now() - t0;
    if (!report) {
        std::fprintf(stderr, "%s\n", report.error().c_str());
        return 1;
    }
    const long peakCompress = procStatus("VmHWM");
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("compress: %.2f s, %.1f M params/s; archive %.1f MB, ratio %.2f, MAE %.3g, rel. error %.3g\n",
                compressSeconds, params / compressSeconds / 1e6, mb(double(report->totals.bytesOut)),
                report->totals.ratio, report->totals.mae, report->totals.relFro);
    std::printf("compress: peak resident memory %.1f MB (VmHWM; ru_maxrss %.1f MB; %.1f MB before), %.1f%% of the "
                "%.1f MB model\n",
                peakCompress / 1024.0, ru.ru_maxrss / 1024.0, rssBefore / 1024.0,
                100.0 * peakCompress * 1024.0 / fileBytes, mb(fileBytes));
    src = Result<std::unique_ptr<ModelSource>>::failure("closed");

    // 4. Decompress: open (checksums verified), decode each tensor into one reused buffer.
    resetPeak();
    t0 = now();
    auto reader = ArchiveReader::open(archive);
    const double archiveOpenSeconds = now() - t0;
    if (!reader) {
        std::fprintf(stderr, "%s\n", reader.error().c_str());
        return 1;
    }
    std::vector<std::uint8_t> buffer(perTensor * 4);
    t0 = now();
    for (std::size_t i = 0; i < (*reader)->entries().size(); ++i) {
        if (Status s = (*reader)->restoreInto(i, buffer.data()); !s) {
            std::fprintf(stderr, "%s\n", s.error().c_str());
            return 1;
        }
        (*reader)->release(i);
    }
    const double decodeSeconds = now() - t0;
    std::printf("decompress: archive opened and checksummed in %.3f s (%.0f MB/s); decode %.2f s, %.0f M params/s\n",
                archiveOpenSeconds, mb(double(report->totals.bytesOut)) / archiveOpenSeconds, decodeSeconds,
                params / decodeSeconds / 1e6);
    reader = Result<std::unique_ptr<ArchiveReader>>::failure("closed");

    // 5. Restore to a safetensors file (decode + write), streaming.
    resetPeak();
    t0 = now();
    if (Status s = ModelRestorer::restoreArchive(archive, restored); !s) {
        std::fprintf(stderr, "%s\n", s.error().c_str());
        return 1;
    }
    const double restoreSeconds = now() - t0;
    std::printf("restore to safetensors: %.2f s, %.1f M params/s, peak resident memory %.1f MB\n", restoreSeconds,
                params / restoreSeconds / 1e6, procStatus("VmHWM") / 1024.0);
    return 0; // QTemporaryDir removes the model, the archive and the restored copy
}
