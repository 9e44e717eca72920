// Scale benchmark (issue 8): a model larger than half of this machine's memory opens, is browsed and
// is compressed with peak resident memory well below its size, in the library and in the CLI.
//
// Writes a sparse float32 safetensors model of at least 13 GiB apparent size (and at least 55 % of
// MemTotal): the header, then ftruncate to the full size, then real heavy-tailed weights into the
// whole of the first tensor and into a few regions of every other tensor, so the file costs little
// disk while the codec still sees realistic data (an all-zero model would compress trivially).
// Then measures: openModel time; listing the tensors and computing one tensor's statistics; peak
// resident memory (VmHWM) while ModelCompressor streams the whole model into an archive, and the
// archive's size; and the same compression by the CLI (`hypercomp compress`, default: the one next
// to this executable), its peak RSS read from wait4's rusage. Files are deleted afterwards, also on
// failure and on SIGINT / SIGTERM.
//
// Usage: bench_scale [folder] [total GiB] [GiB per tensor] [hypercomp binary]
//   defaults: the system temp folder, max(13, 0.55 x MemTotal), 1, <this folder>/hypercomp.
// Disk: about one tensor plus a few MB per tensor of real data, plus the archive (about a sixth of
// the model); checked with statvfs first, and the model is scaled down with a message if needed.

#include "core/archive/modelcompressor.h"
#include "core/io/safetensorswriter.h"
#include "core/metrics/tensorstatistics.h"
#include "core/torch/modelfiles.h"
#include "core/util/syntheticweights.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace hc;

namespace {

constexpr std::uint64_t kGiB = std::uint64_t(1) << 30;
constexpr std::uint64_t kMiB = std::uint64_t(1) << 20;

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

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

std::uint64_t memTotalBytes()
{
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::uint64_t kb = 0;
    while (in >> key >> kb) {
        if (key == "MemTotal:")
            return kb * 1024;
        in.ignore(1 << 10, '\n');
    }
    return 0;
}

// Resets VmHWM to the current RSS (Linux >= 4.0), so that a phase's peak is its own.
void resetPeak()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

double gib(double bytes)
{
    return bytes / double(kGiB);
}

// The big files, removed on every exit path (signal handlers may only call unlink()).
char g_paths[3][4096];

void removeFiles()
{
    for (auto &p : g_paths)
        if (p[0])
            ::unlink(p);
    for (auto &p : g_paths)
        p[0] = 0;
}

void onSignal(int sig)
{
    for (auto &p : g_paths)
        if (p[0])
            ::unlink(p);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

void remember(int slot, const std::string &path)
{
    std::snprintf(g_paths[slot], sizeof g_paths[slot], "%s", path.c_str());
}

struct Cleanup {
    ~Cleanup() { removeFiles(); }
};

std::uint64_t fileBytes(const std::string &path, bool onDisk)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return 0;
    return onDisk ? std::uint64_t(st.st_blocks) * 512 : std::uint64_t(st.st_size);
}

// Real weights into [offset, offset + bytes) of the file, 16 MiB at a time.
bool writeWeights(int fd, std::uint64_t offset, std::uint64_t bytes, std::uint64_t seed)
{
    constexpr std::uint64_t chunk = 16 * kMiB;
    for (std::uint64_t done = 0; done < bytes; done += chunk) {
        const std::uint64_t n = std::min(chunk, bytes - done);
        const std::vector<float> w = studentTWeights(std::size_t(n / 4), 4.0, 0.03, seed++);
        if (::pwrite(fd, w.data(), std::size_t(n), off_t(offset + done)) != ssize_t(n))
            return false;
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // each figure as soon as it is measured, also into a log file
    const std::string folder = argc > 1 ? argv[1] : (std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp");
    const std::uint64_t memTotal = memTotalBytes();
    double totalGiB = argc > 2 ? std::atof(argv[2]) : std::max(13.0, std::ceil(0.55 * gib(double(memTotal))));
    const double tensorGiB = argc > 3 ? std::atof(argv[3]) : 1.0;
    std::string cli = argc > 4 ? argv[4] : std::string();
    if (cli.empty()) {
        char self[4096] = {};
        const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
        std::string dir = n > 0 ? std::string(self, std::size_t(n)) : std::string();
        dir = dir.substr(0, dir.rfind('/'));
        cli = dir + "/hypercomp";
    }
    if (!(totalGiB > 0) || !(tensorGiB > 0)) {
        std::fprintf(stderr, "usage: bench_scale [folder] [total GiB] [GiB per tensor] [hypercomp binary]\n");
        return 2;
    }

    const std::uint64_t tensorBytes = std::uint64_t(tensorGiB * double(kGiB)) / (4 * 4096) * (4 * 4096);
    // Real data: all of tensor 0, and three 8 MiB regions (start, middle, end) of every other one.
    constexpr std::uint64_t region = 8 * kMiB;
    auto plan = [&](double total, int &count, std::uint64_t &realBytes, std::uint64_t &needBytes) {
        count = std::max(1, int(std::ceil(total * double(kGiB) / double(tensorBytes))));
        realBytes = tensorBytes + std::uint64_t(count - 1) * std::min(tensorBytes, 3 * region);
        // The archive holds ~4 bits per weight at the default setting; allow a third of the model.
        needBytes = realBytes + std::uint64_t(count) * tensorBytes / 3 + 2 * kGiB;
    };
    int count = 0;
    std::uint64_t realBytes = 0, needBytes = 0;
    plan(totalGiB, count, realBytes, needBytes);
    struct statvfs vfs {};
    if (::statvfs(folder.c_str(), &vfs) != 0) {
        std::fprintf(stderr, "bench_scale: %s: cannot read its free space (%s)\n", folder.c_str(), std::strerror(errno));
        return 1;
    }
    const std::uint64_t freeBytes = std::uint64_t(vfs.f_bavail) * vfs.f_frsize;
    const double askedGiB = totalGiB;
    while (needBytes > freeBytes && totalGiB > tensorGiB) {
        totalGiB = std::max(tensorGiB, totalGiB - tensorGiB);
        plan(totalGiB, count, realBytes, needBytes);
    }
    if (needBytes > freeBytes) {
        std::fprintf(stderr, "bench_scale: %s has %.1f GiB free, too little even for one tensor\n", folder.c_str(),
                     gib(double(freeBytes)));
        return 1;
    }
    const std::uint64_t modelBytesWanted = std::uint64_t(count) * tensorBytes;
    if (totalGiB < askedGiB)
        std::printf("NOTE: scaled down from %.1f to %.1f GiB to fit the %.1f GiB free in %s\n", askedGiB,
                    gib(double(modelBytesWanted)), gib(double(freeBytes)), folder.c_str());
    if (double(modelBytesWanted) <= 0.5 * double(memTotal))
        std::printf("NOTE: the model (%.1f GiB) is not larger than half of the memory (%.1f GiB)\n",
                    gib(double(modelBytesWanted)), gib(double(memTotal)));

    char tmpl[4096];
    std::snprintf(tmpl, sizeof tmpl, "%s/bench_scale-XXXXXX", folder.c_str());
    if (!::mkdtemp(tmpl)) {
        std::fprintf(stderr, "bench_scale: cannot create a folder in %s (%s)\n", folder.c_str(), std::strerror(errno));
        return 1;
    }
    const std::string dir = tmpl;
    const std::string model = dir + "/model.safetensors";
    const std::string archive = dir + "/model.hca";
    const std::string cliArchive = dir + "/cli.hca";
    remember(0, model);
    remember(1, archive);
    remember(2, cliArchive);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    struct DirCleanup {
        std::string dir;
        ~DirCleanup() { ::rmdir(dir.c_str()); }
    } dirCleanup{dir};
    Cleanup cleanup; // destroyed first: the files go, then the folder
    auto fail = [](const std::string &what) {
        std::fprintf(stderr, "bench_scale: %s\n", what.c_str());
        return 1;
    };

    std::printf("machine: %.1f GiB memory, %.1f GiB free in %s\n", gib(double(memTotal)), gib(double(freeBytes)), folder.c_str());

    // 1. The sparse model: header, ftruncate, real data regions.
    double t0 = now();
    {
        SafetensorsWriter header(dir + "/never-written.safetensors"); // only for the exact header text
        header.setMetadata({{"producer", "bench_scale"}});
        const std::int64_t cols = 4096;
        for (int i = 0; i < count; ++i)
            if (Status s = header.declareTensor("layers." + std::to_string(i) + ".weight", "F32",
                                                {std::int64_t(tensorBytes / 4 / cols), cols}, tensorBytes);
                !s)
                return fail(s.error());
        const std::string text = header.headerText();
        const int fd = ::open(model.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
            return fail(model + ": cannot be created (" + std::strerror(errno) + ")");
        std::uint8_t len[8];
        for (int b = 0; b < 8; ++b)
            len[b] = std::uint8_t(std::uint64_t(text.size()) >> (8 * b));
        const std::uint64_t dataStart = 8 + text.size();
        bool ok = ::write(fd, len, 8) == 8 && ::write(fd, text.data(), text.size()) == ssize_t(text.size()) &&
                  ::ftruncate(fd, off_t(dataStart + modelBytesWanted)) == 0;
        ok = ok && writeWeights(fd, dataStart, tensorBytes, 1000);
        for (int i = 1; ok && i < count; ++i) {
            const std::uint64_t base = dataStart + std::uint64_t(i) * tensorBytes;
            if (tensorBytes <= 3 * region) {
                ok = writeWeights(fd, base, tensorBytes, 5000 + 100 * std::uint64_t(i));
                continue;
            }
            const std::uint64_t mid = (tensorBytes / 2) / (4 * kMiB) * (4 * kMiB);
            ok = writeWeights(fd, base, region, 5000 + 100 * std::uint64_t(i)) &&
                 writeWeights(fd, base + mid, region, 5030 + 100 * std::uint64_t(i)) &&
                 writeWeights(fd, base + tensorBytes - region, region, 5060 + 100 * std::uint64_t(i));
        }
        ok = ::fsync(fd) == 0 && ok;
        ::close(fd);
        if (!ok)
            return fail(model + ": cannot be written (" + std::strerror(errno) + ")");
    }
    const double modelApparent = double(fileBytes(model, false));
    std::printf("model: %d F32 tensors of %.2f GiB = %.2f GiB apparent (%.0f%% of memory), %.2f GiB on disk; written "
                "in %.1f s\n",
                count, gib(double(tensorBytes)), gib(modelApparent), 100.0 * modelApparent / double(memTotal),
                gib(double(fileBytes(model, true))), now() - t0);
    // The data just written sits in the page cache; drop it so that the measurements read from disk.
    {
        const int fd = ::open(model.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
            ::close(fd);
        }
    }

    // 2. Open (format detection + header) and browse: list the tensors, statistics of one.
    resetPeak();
    t0 = now();
    auto src = openModel(model);
    const double openSeconds = now() - t0;
    if (!src)
        return fail(src.error());
    t0 = now();
    std::uint64_t listed = 0;
    for (const TensorInfo &t : (*src)->tensors())
        listed += t.numel();
    const double listSeconds = now() - t0;
    t0 = now();
    const TensorView first = (*src)->view(0);
    const TensorStatistics stats = TensorStatistics::compute(first);
    (*src)->release(0);
    const double statsSeconds = now() - t0;
    std::printf("open (openModel, %s): %.2f ms; list %zu tensors (%.2f G params): %.3f ms\n", (*src)->formatName().c_str(),
                openSeconds * 1e3, (*src)->tensors().size(), double(listed) / 1e9, listSeconds * 1e3);
    std::printf("statistics of %s (%.2f GiB): %.2f s (sigma %.4g, excess kurtosis %.3g); peak RSS so far %.0f MiB\n",
                (*src)->tensors()[0].name.c_str(), gib(double(tensorBytes)), statsSeconds, stats.stddev,
                stats.excessKurtosis, procStatus("VmHWM") / 1024.0);

    // 3. Compress the whole model, streaming, with the default setting (U = 225, l = 0.1, K = auto:3).
    resetPeak();
    const long rssBefore = procStatus("VmRSS");
    t0 = now();
    auto report = ModelCompressor(CompressionConfig{}).compress(**src, archive);
    const double compressSeconds = now() - t0;
    if (!report)
        return fail(report.error());
    const long peak = procStatus("VmHWM");
    std::printf("compress (ModelCompressor): %.1f s, %.1f M params/s; archive %.2f GiB, ratio %.2f, rel. error %.3g\n",
                compressSeconds, double(listed) / compressSeconds / 1e6, gib(double(fileBytes(archive, false))),
                report->totals.ratio, report->totals.relFro);
    std::printf("compress (ModelCompressor): peak RSS %.0f MiB (VmHWM; %.0f MiB before) = %.1f%% of the %.2f GiB model\n",
                peak / 1024.0, rssBefore / 1024.0, 100.0 * double(peak) * 1024.0 / modelApparent, gib(modelApparent));
    std::printf("compress (ModelCompressor): that is %.2f x the largest tensor (%.2f GiB)\n",
                double(peak) * 1024.0 / double(tensorBytes), gib(double(tensorBytes)));
    src = Result<std::unique_ptr<ModelSource>>::failure("closed");
    ::unlink(archive.c_str());

    // 4. The same through the CLI, in a child process; its peak RSS from wait4's rusage.
    if (::access(cli.c_str(), X_OK) != 0) {
        std::printf("cli: %s is not there; skipped (build the hypercomp target)\n", cli.c_str());
        return 0;
    }
    t0 = now();
    const pid_t pid = ::fork();
    if (pid < 0)
        return fail(std::string("cannot fork (") + std::strerror(errno) + ")");
    if (pid == 0) {
        const int devnull = ::open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            ::dup2(devnull, STDOUT_FILENO);
        ::execl(cli.c_str(), cli.c_str(), "compress", model.c_str(), "-o", cliArchive.c_str(), static_cast<char *>(nullptr));
        std::_Exit(127);
    }
    int status = 0;
    struct rusage ru {};
    if (::wait4(pid, &status, 0, &ru) != pid)
        return fail(std::string("wait4 failed (") + std::strerror(errno) + ")");
    const double cliSeconds = now() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail(cli + " compress failed (status " + std::to_string(status) + ")");
    std::printf("compress (%s compress): %.1f s; archive %.2f GiB; peak RSS %.0f MiB (ru_maxrss) = %.1f%% of the model\n",
                cli.c_str(), cliSeconds, gib(double(fileBytes(cliArchive, false))), ru.ru_maxrss / 1024.0,
                100.0 * double(ru.ru_maxrss) * 1024.0 / modelApparent);
    return 0;
}
