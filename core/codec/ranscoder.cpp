#include "core/codec/ranscoder.h"

#include "core/codec/bitpacker.h"
#include "core/codec/bytecoding.h"
#include "core/util/parallelfor.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

namespace hc {

namespace {

constexpr std::uint32_t kLow = 1u << 23; // L: states live in [L, 2^31)
constexpr int kMinPrecision = 8;
constexpr int kMaxPrecision = 16;
// Above this, the decode table (8 bytes a slot) leaves the L2 cache for little gain in size.
constexpr int kPreferredMaxPrecision = 14;
constexpr std::size_t kPackedBlock = std::size_t(1) << 15;
constexpr std::uint32_t kDenseLimit = 1u << 22; // alphabets up to this are counted in a flat array

using bytecoding::BitReader;
using bytecoding::BitWriter;
using bytecoding::gammaBits;
using bytecoding::putVarint;
using bytecoding::varintSize;

// The frequency table is Exp-Golomb (Elias gamma) coded: small gaps and the many rare symbols'
// frequencies take a bit or three instead of a byte each, which matters for small tensors.

// Bounds-checked reading of the header.
struct ByteReader {
    const std::uint8_t *p;
    const std::uint8_t *end;
    bool ok = true;
    std::uint8_t byte()
    {
        if (p >= end) {
            ok = false;
            return 0;
        }
        return *p++;
    }
    std::uint64_t varint()
    {
        std::size_t at = 0;
        std::uint64_t v = 0;
        if (!ok || !bytecoding::getVarint(p, remaining(), at, v)) {
            ok = false;
            return 0;
        }
        p += at;
        return v;
    }
    std::size_t remaining() const { return std::size_t(end - p); }
};

// The stream's symbols with non-zero counts, ascending, and their counts.
struct Histogram {
    std::vector<std::uint32_t> symbols;
    std::vector<std::uint64_t> counts;
};

Histogram histogram(const std::uint32_t *s, std::size_t n, std::uint32_t alphabet)
{
    Histogram h;
    if (alphabet <= kDenseLimit) {
        std::vector<std::uint64_t> c(alphabet, 0);
        for (std::size_t i = 0; i < n; ++i)
            ++c[std::min(s[i], alphabet - 1)];
        for (std::uint32_t v = 0; v < alphabet; ++v)
            if (c[v]) {
                h.symbols.push_back(v);
                h.counts.push_back(c[v]);
            }
        return h;
    }
    std::vector<std::uint32_t> sorted(s, s + n);
    for (auto &v : sorted)
        v = std::min(v, alphabet - 1);
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && sorted[j] == sorted[i])
            ++j;
        h.symbols.push_back(sorted[i]);
        h.counts.push_back(j - i);
        i = j;
    }
    return h;
}

// Frequencies summing to exactly 2^P, each at least 1 (needs distinct <= 2^P). O(n), no sort: the
// decoder of a modelled stream runs this on every tensor. Deterministic: every comparison is a
// strict total order (ties broken by index), so any standard library picks the same symbols.
std::vector<std::uint32_t> quantize(const std::vector<std::uint64_t> &counts, std::uint64_t total, int P)
{
    const std::uint64_t target = std::uint64_t(1) << P;
    const std::size_t n = counts.size();
    std::vector<std::uint32_t> f(n);
    // Pass 1: symbols that would round below 1 are held at 1; pass 2 shares what is left among
    // the others in proportion, so the floors do not push the sum far past 2^P.
    // count·2^P/total < 1/2, in integers (exact; a count too big to multiply is not tiny).
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() / (target * 2);
    auto tiny = [&](std::uint64_t c) { return c <= limit && c * (target * 2) < total; };
    std::uint64_t floored = 0, restCount = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (tiny(counts[i]))
            ++floored;
        else
            restCount += counts[i];
    }
    const double share = restCount ? double(target - std::min(target, floored)) / double(restCount) : 0.0;
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        f[i] = tiny(counts[i]) ? 1u : std::uint32_t(std::max(1.0, std::floor(double(counts[i]) * share + 0.5)));
        sum += f[i];
    }
    std::int64_t diff = std::int64_t(target) - sum;
    if (diff == 0)
        return f;
    // What is left over (rounding: small) goes to, or comes from, the largest frequencies, one
    // step each.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    auto larger = [&](std::size_t a, std::size_t b) { return f[a] != f[b] ? f[a] > f[b] : a < b; };
    while (diff != 0) {
        const std::size_t k = std::min<std::size_t>(n, std::size_t(diff > 0 ? diff : -diff));
        std::nth_element(order.begin(), order.begin() + std::ptrdiff_t(k - 1), order.end(), larger);
        bool progress = false;
        for (std::size_t j = 0; j < k && diff != 0; ++j) {
            std::uint32_t &v = f[order[j]];
            if (diff > 0) {
                ++v;
                --diff;
                progress = true;
            } else if (v > 1) {
                --v;
                ++diff;
                progress = true;
            }
        }
        if (!progress)
            break; // cannot happen when n <= 2^P
    }
    return f;
}

double codedBits(const std::vector<std::uint64_t> &counts, const std::vector<std::uint32_t> &f, int P)
{
    double bits = 0;
    for (std::size_t i = 0; i < counts.size(); ++i)
        bits += double(counts[i]) * (double(P) - std::log2(double(f[i])));
    return bits;
}

std::size_t tableBytes(const Histogram &h, const std::vector<std::uint32_t> &f)
{
    std::size_t bytes = 0;
    std::uint64_t prev = 0;
    for (std::size_t i = 0; i < f.size(); ++i) {
        const std::uint64_t gap = i == 0 ? h.symbols[i] : h.symbols[i] - prev - 1;
        bytes += std::size_t(gammaBits(gap + 1) + gammaBits(f[i]));
        prev = h.symbols[i];
    }
    return (bytes + 7) / 8;
}

int bitLength(std::uint64_t v)
{
    int b = 1;
    while (b < 64 && (v >> b))
        ++b;
    return b;
}

std::vector<std::uint8_t> constantBlob(std::size_t n, std::uint32_t alphabet, std::uint32_t symbol)
{
    std::vector<std::uint8_t> out;
    out.push_back(std::uint8_t(RansCoder::Method::Constant));
    putVarint(out, n);
    putVarint(out, alphabet);
    putVarint(out, symbol);
    return out;
}

std::vector<std::uint8_t> packedBlob(const std::uint32_t *s, std::size_t n, std::uint32_t alphabet)
{
    std::vector<std::uint8_t> out;
    out.push_back(std::uint8_t(RansCoder::Method::Packed));
    putVarint(out, n);
    putVarint(out, alphabet);
    const int width = bitLength(alphabet - 1);
    out.push_back(std::uint8_t(width));
    std::vector<std::uint32_t> clamped(s, s + n);
    for (auto &v : clamped)
        v = std::min(v, alphabet - 1);
    const auto packed = BitPacker::pack(clamped.data(), n, width);
    out.insert(out.end(), packed.begin(), packed.end());
    return out;
}

struct EncSymbol {
    std::uint32_t start, freq;
};

// Encodes one block backwards into [.., end) with S interleaved states (symbol i uses state i mod S);
// returns the first byte written.
template <int S>
std::uint8_t *encodeBlock(const std::uint32_t *dense, std::size_t len, const EncSymbol *table, int P, std::uint8_t *end)
{
    std::uint32_t x[S];
    for (int k = 0; k < S; ++k)
        x[k] = kLow;
    std::uint8_t *p = end;
    const std::uint32_t xmaxBase = (kLow >> P) << 8;
    for (std::size_t i = len; i-- > 0;) {
        std::uint32_t &st = x[i % S];
        const EncSymbol &e = table[dense[i]];
        const std::uint32_t xmax = xmaxBase * e.freq;
        while (st >= xmax) {
            *--p = std::uint8_t(st & 0xff);
            st >>= 8;
        }
        st = ((st / e.freq) << P) + (st % e.freq) + e.start;
    }
    for (int k = S - 1; k >= 0; --k) {
        p -= 4;
        p[0] = std::uint8_t(x[k]);
        p[1] = std::uint8_t(x[k] >> 8);
        p[2] = std::uint8_t(x[k] >> 16);
        p[3] = std::uint8_t(x[k] >> 24);
    }
    return p;
}

// The encoder's (start, freq) per symbol: cumulative frequencies, each at least 1.
std::vector<EncSymbol> encoderTable(const std::vector<std::uint32_t> &freqs)
{
    std::vector<EncSymbol> table(freqs.size());
    std::uint32_t start = 0;
    for (std::size_t i = 0; i < freqs.size(); ++i) {
        table[i] = {start, std::max<std::uint32_t>(freqs[i], 1)};
        start += table[i].freq;
    }
    return table;
}

// Each block of `blockSize` symbols coded on its own (one state or four), in order.
std::vector<std::vector<std::uint8_t>> encodeBlocks(const std::uint32_t *symbols, std::size_t n, std::size_t blockSize,
                                                    const std::vector<EncSymbol> &table, int P, bool oneState)
{
    const std::size_t blocks = (n + blockSize - 1) / blockSize;
    std::vector<std::vector<std::uint8_t>> blockData(blocks);
    parallelFor(blocks, 1, [&](std::size_t b) {
        const std::size_t first = b * blockSize, len = std::min(blockSize, n - first);
        std::vector<std::uint8_t> buf(2 * len + 16);
        std::uint8_t *end = buf.data() + buf.size();
        std::uint8_t *begin = oneState ? encodeBlock<1>(symbols + first, len, table.data(), P, end)
                                       : encodeBlock<4>(symbols + first, len, table.data(), P, end);
        blockData[b].assign(begin, end);
    });
    return blockData;
}

constexpr int kModelledBlockLog = 16;

} // namespace

std::size_t RansCoder::fixedWidthBytes(std::size_t n, std::uint32_t alphabetSize)
{
    return BitPacker::packedSize(n, bitLength(std::max<std::uint32_t>(alphabetSize, 1) - 1));
}

double RansCoder::order0EntropyBits(const std::uint32_t *symbols, std::size_t n)
{
    if (n == 0)
        return 0;
    std::uint32_t maxSym = 0;
    for (std::size_t i = 0; i < n; ++i)
        maxSym = std::max(maxSym, symbols[i]);
    const std::uint64_t alphabet = std::uint64_t(maxSym) + 1;
    const Histogram h = histogram(symbols, n, alphabet > 0xffffffffull ? 0xffffffffu : std::uint32_t(alphabet));
    double bits = 0;
    for (std::uint64_t c : h.counts)
        bits -= double(c) * std::log2(double(c) / double(n));
    return bits;
}

std::vector<std::uint8_t> RansCoder::encode(const std::uint32_t *symbols, std::size_t n, std::uint32_t alphabetSize,
                                            const Options &options)
{
    const std::uint32_t alphabet = std::max<std::uint32_t>(alphabetSize, 1);
    if (n == 0)
        return constantBlob(0, alphabet, 0);
    const Histogram h = histogram(symbols, n, alphabet);
    if (h.symbols.size() == 1)
        return constantBlob(n, alphabet, h.symbols[0]);

    const std::size_t distinct = h.symbols.size();
    if (distinct > (std::size_t(1) << kMaxPrecision) / 2)
        return packedBlob(symbols, n, alphabet); // too flat for a gain worth the table

    // Precision by total size: more bits fit the frequencies better but cost table bytes.
    int bestP = 0;
    double bestCost = 0;
    std::vector<std::uint32_t> freqs;
    const int minP = std::max(kMinPrecision, bitLength(distinct - 1) + 1);
    int maxP = std::max(minP, kPreferredMaxPrecision);
    maxP = std::min(maxP, kMaxPrecision);
    int fromP = minP, toP = maxP;
    if (options.precision >= kMinPrecision && options.precision <= kMaxPrecision && options.precision >= minP)
        fromP = toP = options.precision;
    for (int P = fromP; P <= toP; ++P) {
        auto f = quantize(h.counts, n, P);
        const double cost = codedBits(h.counts, f, P) + 8.0 * double(tableBytes(h, f));
        if (bestP == 0 || cost < bestCost - 1e-9) {
            bestP = P;
            bestCost = cost;
            freqs = std::move(f);
        }
    }
    const int P = bestP;

    std::uint32_t blockSize = std::max<std::uint32_t>(4, options.blockSize & ~3u);
    blockSize = std::min<std::uint32_t>(blockSize, 1u << 24);

    // Dense ids for the encoder's table.
    const std::vector<EncSymbol> table = encoderTable(freqs);
    std::vector<std::uint32_t> dense(n);
    if (alphabet <= kDenseLimit) {
        std::vector<std::uint32_t> idOf(alphabet, 0);
        for (std::size_t i = 0; i < distinct; ++i)
            idOf[h.symbols[i]] = std::uint32_t(i);
        for (std::size_t i = 0; i < n; ++i)
            dense[i] = idOf[std::min(symbols[i], alphabet - 1)];
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint32_t v = std::min(symbols[i], alphabet - 1);
            dense[i] = std::uint32_t(std::lower_bound(h.symbols.begin(), h.symbols.end(), v) - h.symbols.begin());
        }
    }

    const auto blockData = encodeBlocks(dense.data(), n, blockSize, table, P, false);

    std::vector<std::uint8_t> out;
    out.push_back(std::uint8_t(Method::Rans));
    putVarint(out, n);
    putVarint(out, alphabet);
    out.push_back(std::uint8_t(P));
    putVarint(out, blockSize);
    putVarint(out, distinct);
    {
        BitWriter bits{out};
        std::uint64_t prev = 0;
        for (std::size_t i = 0; i < distinct; ++i) {
            bits.gamma((i == 0 ? h.symbols[i] : h.symbols[i] - prev - 1) + 1);
            bits.gamma(freqs[i]);
            prev = h.symbols[i];
        }
        bits.flush();
    }
    std::size_t payload = 0;
    for (const auto &d : blockData) {
        putVarint(out, d.size());
        payload += d.size();
    }
    out.reserve(out.size() + payload);
    for (const auto &d : blockData)
        out.insert(out.end(), d.begin(), d.end());

    if (options.allowPacked) {
        const std::size_t packedSize = 1 + std::size_t(varintSize(n) + varintSize(alphabet)) + 1 + fixedWidthBytes(n, alphabet);
        if (packedSize <= out.size())
            return packedBlob(symbols, n, alphabet);
    }
    return out;
}

std::vector<std::uint32_t> RansCoder::normalizeFrequencies(const std::vector<double> &mass, int precision)
{
    const std::size_t a = mass.size();
    if (precision < kMinPrecision || precision > kMaxPrecision || a == 0 || a > (std::size_t(1) << (precision - 1)))
        return {};
    double total = 0;
    for (double m : mass) {
        if (!(m >= 0) || !std::isfinite(m))
            return {};
        total += m;
    }
    if (!(total > 0) || !std::isfinite(total))
        return {};
    // Integer weights first (every step below is exact or correctly rounded), then the shared
    // quantiser: the table cannot differ between the encoder and a decoder on another machine.
    std::vector<std::uint64_t> counts(a);
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < a; ++i) {
        counts[i] = std::uint64_t(std::floor(mass[i] / total * 1099511627776.0)) + 1; // 2^40
        sum += counts[i];
    }
    return quantize(counts, sum, precision);
}

double RansCoder::modelledBits(const std::vector<std::uint64_t> &counts, const std::vector<std::uint32_t> &freqs,
                               int precision)
{
    double bits = 0;
    const std::size_t a = std::min(counts.size(), freqs.size());
    for (std::size_t i = 0; i < a; ++i)
        if (counts[i])
            bits += double(counts[i]) * (double(precision) - std::log2(double(std::max<std::uint32_t>(freqs[i], 1))));
    return bits;
}

std::vector<std::uint8_t> RansCoder::encodeModelled(const std::uint32_t *symbols, std::size_t n,
                                                    const std::vector<std::uint32_t> &freqs, int precision,
                                                    std::size_t oneStateLimit)
{
    std::vector<std::uint8_t> out;
    const std::size_t a = freqs.size();
    if (a <= 1 || n == 0)
        return out;
    const bool oneState = n <= oneStateLimit;
    std::vector<std::uint32_t> clamped(symbols, symbols + n);
    for (auto &v : clamped)
        v = std::min<std::uint32_t>(v, std::uint32_t(a - 1));
    const auto blockData = encodeBlocks(clamped.data(), n, std::size_t(1) << kModelledBlockLog, encoderTable(freqs),
                                        precision, oneState);
    const std::size_t blocks = blockData.size();
    out.push_back(std::uint8_t(kModelledBlockLog | (oneState ? 0x80 : 0)));
    for (std::size_t b = 0; b + 1 < blocks; ++b)
        putVarint(out, blockData[b].size());
    for (const auto &d : blockData)
        out.insert(out.end(), d.begin(), d.end());
    return out;
}

bool RansCoder::Reader::buildSlots(const std::vector<std::uint32_t> &symbols, const std::vector<std::uint32_t> &freqs,
                                   int P)
{
    const std::uint32_t total = 1u << P;
    m_slots.clear();
    m_slots.reserve(total); // filled once, not zeroed first: this runs on every modelled decode
    std::uint64_t start = 0;
    for (std::size_t i = 0; i < freqs.size(); ++i) {
        const std::uint64_t f = freqs[i];
        if (f >= total || start + f > total)
            return false;
        for (std::uint64_t s = 0; s < f; ++s)
            m_slots.push_back({symbols[i], std::uint16_t(f), std::uint16_t(s)});
        start += f;
    }
    return start == total;
}

Result<RansCoder::Reader> RansCoder::Reader::openModelled(const std::uint8_t *blob, std::size_t bytes, std::size_t n,
                                                          const std::vector<std::uint32_t> &freqs, int precision)
{
    using R = Result<Reader>;
    Reader r;
    r.m_count = n;
    r.m_info.count = n;
    r.m_info.alphabet = std::uint32_t(std::max<std::size_t>(freqs.size(), 1));
    if (freqs.size() <= 1 || n == 0) {
        if (bytes != 0)
            return R::failure("the modelled stream of a single symbol holds " + std::to_string(bytes) + " bytes");
        r.m_info.method = Method::Constant;
        r.m_constant = 0;
        r.m_blockSize = std::size_t(1) << kModelledBlockLog; // as a modelled stream beside it
        r.m_blockCount = (n + r.m_blockSize - 1) / r.m_blockSize;
        r.m_info.blocks = r.m_blockCount;
        return r;
    }
    if (precision < kMinPrecision || precision > kMaxPrecision)
        return R::failure("the modelled stream's precision " + std::to_string(precision) + " is outside 8..16");
    std::vector<std::uint32_t> symbols(freqs.size());
    std::iota(symbols.begin(), symbols.end(), 0u);
    for (std::uint32_t f : freqs)
        if (f == 0)
            return R::failure("the modelled stream's frequency table has an empty symbol");
    if (!r.buildSlots(symbols, freqs, precision))
        return R::failure("the modelled stream's frequencies do not sum to 2^" + std::to_string(precision));
    ByteReader in{blob, blob + bytes};
    const std::uint8_t head = in.byte();
    if (!in.ok)
        return R::failure("the modelled stream is empty");
    const int blockLog = head & 0x7f;
    if (blockLog < 4 || blockLog > 24)
        return R::failure("the modelled stream's block size 2^" + std::to_string(blockLog) + " is invalid");
    r.m_states = (head & 0x80) ? 1 : 4;
    r.m_info.method = Method::Rans;
    r.m_info.precision = precision;
    r.m_info.distinct = std::uint32_t(freqs.size());
    r.m_blockSize = std::size_t(1) << blockLog;
    r.m_blockCount = (n + r.m_blockSize - 1) / r.m_blockSize;
    r.m_blockStart.assign(r.m_blockCount + 1, 0);
    const std::size_t minBlock = std::size_t(4) * std::size_t(r.m_states);
    for (std::size_t b = 0; b + 1 < r.m_blockCount; ++b) {
        const std::uint64_t len = in.varint();
        if (!in.ok)
            return R::failure("the modelled stream's block table is truncated");
        if (len < minBlock || len > bytes)
            return R::failure("the modelled stream's block " + std::to_string(b) + " has an invalid length");
        r.m_blockStart[b + 1] = r.m_blockStart[b] + std::size_t(len);
        if (r.m_blockStart[b + 1] > bytes)
            return R::failure("the modelled stream's blocks are longer than the stream");
    }
    if (r.m_blockStart[r.m_blockCount - 1] + minBlock > in.remaining())
        return R::failure("the modelled stream is truncated");
    r.m_blockStart[r.m_blockCount] = in.remaining();
    r.m_data = in.p;
    r.m_payloadBytes = in.remaining();
    r.m_info.blocks = r.m_blockCount;
    r.m_info.tableBytes = bytes - in.remaining();
    return r;
}

Result<RansCoder::Reader> RansCoder::Reader::open(const std::uint8_t *blob, std::size_t bytes, std::size_t n)
{
    using R = Result<Reader>;
    if (!blob || bytes == 0)
        return R::failure("the entropy-coded stream is empty");
    ByteReader in{blob, blob + bytes};
    Reader r;
    const std::uint8_t method = in.byte();
    const std::uint64_t count = in.varint();
    const std::uint64_t alphabet = in.varint();
    if (!in.ok)
        return R::failure("the entropy-coded stream's header is truncated");
    if (method < 1 || method > 3)
        return R::failure("the entropy-coded stream has an unknown method " + std::to_string(method));
    if (count != n)
        return R::failure("the entropy-coded stream holds " + std::to_string(count) + " symbols where " +
                          std::to_string(n) + " were expected");
    if (alphabet < 1 || alphabet > 0xffffffffull)
        return R::failure("the entropy-coded stream's alphabet size " + std::to_string(alphabet) + " is invalid");
    r.m_info.method = Method(method);
    r.m_info.count = count;
    r.m_info.alphabet = std::uint32_t(alphabet);
    r.m_count = n;

    if (r.m_info.method == Method::Constant) {
        const std::uint64_t sym = in.varint();
        if (!in.ok)
            return R::failure("the entropy-coded stream's header is truncated");
        if (sym >= alphabet)
            return R::failure("the entropy-coded stream's constant symbol is outside its alphabet");
        if (in.remaining() != 0)
            return R::failure("the entropy-coded stream has " + std::to_string(in.remaining()) + " trailing bytes");
        r.m_constant = std::uint32_t(sym);
        r.m_blockSize = kPackedBlock;
        r.m_blockCount = (n + kPackedBlock - 1) / kPackedBlock;
        r.m_info.blocks = r.m_blockCount;
        r.m_info.tableBytes = bytes;
        return r;
    }
    if (r.m_info.method == Method::Packed) {
        const int width = in.byte();
        if (!in.ok)
            return R::failure("the entropy-coded stream's header is truncated");
        if (width != bitLength(alphabet - 1))
            return R::failure("the packed stream's width " + std::to_string(width) + " does not match its alphabet");
        const std::size_t need = BitPacker::packedSize(n, width);
        if (in.remaining() != need)
            return R::failure("the packed stream holds " + std::to_string(in.remaining()) + " bytes where " +
                              std::to_string(need) + " were expected");
        r.m_width = width;
        r.m_data = in.p;
        r.m_payloadBytes = need;
        r.m_blockSize = kPackedBlock;
        r.m_blockCount = (n + kPackedBlock - 1) / kPackedBlock;
        r.m_info.precision = width;
        r.m_info.blocks = r.m_blockCount;
        r.m_info.tableBytes = bytes - need;
        return r;
    }

    const int P = in.byte();
    const std::uint64_t blockSize = in.varint();
    const std::uint64_t distinct = in.varint();
    if (!in.ok)
        return R::failure("the entropy-coded stream's header is truncated");
    if (P < kMinPrecision || P > kMaxPrecision)
        return R::failure("the entropy-coded stream's precision " + std::to_string(P) + " is outside 8..16");
    if (blockSize < 4 || blockSize % 4 != 0 || blockSize > (1u << 24))
        return R::failure("the entropy-coded stream's block size " + std::to_string(blockSize) + " is invalid");
    if (distinct < 2 || distinct > (std::uint64_t(1) << P) || distinct > alphabet)
        return R::failure("the entropy-coded stream's table has an invalid symbol count " + std::to_string(distinct));
    const std::uint32_t total = 1u << P;
    std::vector<std::uint32_t> tableSymbols(distinct), tableFreqs(distinct);
    std::uint64_t start = 0;
    std::uint64_t sym = 0;
    BitReader table{in.p, in.end};
    for (std::uint64_t i = 0; i < distinct; ++i) {
        const std::uint64_t gap = table.gamma(40) - 1;
        const std::uint64_t f = table.gamma(40);
        if (!table.ok)
            return R::failure("the entropy-coded stream's frequency table is truncated");
        sym = i == 0 ? gap : sym + gap + 1;
        if (gap >= alphabet || sym >= alphabet)
            return R::failure("the entropy-coded stream's table holds a symbol outside its alphabet");
        if (f >= total || start + f > total)
            return R::failure("the entropy-coded stream's frequencies do not sum to 2^" + std::to_string(P));
        tableSymbols[i] = std::uint32_t(sym);
        tableFreqs[i] = std::uint32_t(f);
        start += f;
    }
    if (start != total || !r.buildSlots(tableSymbols, tableFreqs, P))
        return R::failure("the entropy-coded stream's frequencies do not sum to 2^" + std::to_string(P));
    in.p += table.bytesFrom(in.p);
    if (in.p > in.end)
        return R::failure("the entropy-coded stream's frequency table is truncated");
    r.m_blockSize = std::size_t(blockSize);
    r.m_blockCount = (n + r.m_blockSize - 1) / r.m_blockSize;
    r.m_blockStart.resize(r.m_blockCount + 1, 0);
    for (std::size_t b = 0; b < r.m_blockCount; ++b) {
        const std::uint64_t len = in.varint();
        if (!in.ok)
            return R::failure("the entropy-coded stream's block table is truncated");
        if (len < 16 || len > bytes)
            return R::failure("the entropy-coded stream's block " + std::to_string(b) + " has an invalid length");
        r.m_blockStart[b + 1] = r.m_blockStart[b] + std::size_t(len);
        if (r.m_blockStart[b + 1] > bytes)
            return R::failure("the entropy-coded stream's blocks are longer than the stream");
    }
    if (r.m_blockStart.back() != in.remaining())
        return R::failure("the entropy-coded stream's blocks take " + std::to_string(r.m_blockStart.back()) +
                          " bytes but " + std::to_string(in.remaining()) + " follow the header");
    r.m_data = in.p;
    r.m_payloadBytes = in.remaining();
    r.m_info.precision = P;
    r.m_info.distinct = std::uint32_t(distinct);
    r.m_info.blocks = r.m_blockCount;
    r.m_info.tableBytes = bytes - in.remaining();
    return r;
}

std::size_t RansCoder::Reader::blockLength(std::size_t b) const
{
    const std::size_t first = b * m_blockSize;
    return first >= m_count ? 0 : std::min(m_blockSize, m_count - first);
}

bool RansCoder::Reader::decodeBlock(std::size_t b, std::uint32_t *out) const
{
    if (b >= m_blockCount)
        return false;
    const std::size_t len = blockLength(b);
    if (m_info.method == Method::Constant) {
        std::fill(out, out + len, m_constant);
        return true;
    }
    if (m_info.method == Method::Packed) {
        const std::size_t first = b * m_blockSize;
        std::uint32_t worst = 0;
        for (std::size_t i = 0; i < len; ++i) {
            out[i] = BitPacker::read(m_data, m_payloadBytes, first + i, m_width);
            worst = std::max(worst, out[i]);
        }
        return worst < m_info.alphabet;
    }

    const std::uint8_t *p = m_data + m_blockStart[b];
    const std::uint8_t *end = m_data + m_blockStart[b + 1];
    if (m_states == 1) {
        if (end - p < 4)
            return false;
        std::uint32_t xs = std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
                           std::uint32_t(p[3]) << 24;
        p += 4;
        if (xs < kLow || xs >= (1u << 31))
            return false;
        const int P = m_info.precision;
        const std::uint32_t mask = (1u << P) - 1;
        for (std::size_t i = 0; i < len; ++i) {
            const Slot &s = m_slots[xs & mask];
            out[i] = s.symbol;
            xs = std::uint32_t(s.freq) * (xs >> P) + s.offset;
            while (xs < kLow) {
                if (p >= end)
                    return false;
                xs = (xs << 8) | *p++;
            }
        }
        return p == end && xs == kLow;
    }
    std::uint32_t x[4];
    for (int k = 0; k < 4; ++k) {
        x[k] = std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
        p += 4;
        if (x[k] < kLow || x[k] >= (1u << 31))
            return false;
    }
    const int P = m_info.precision;
    const std::uint32_t mask = (1u << P) - 1;
    const Slot *slots = m_slots.data();
    std::uint32_t x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];

#define HC_RANS_STEP(xs, dst)                                                                                          \
    {                                                                                                                  \
        const Slot &s = slots[xs & mask];                                                                              \
        dst = s.symbol;                                                                                                \
        xs = std::uint32_t(s.freq) * (xs >> P) + s.offset;                                                             \
    }
#define HC_RANS_RENORM(xs)                                                                                             \
    if (xs < kLow) {                                                                                                   \
        xs = (xs << 8) | *p++;                                                                                         \
        if (xs < kLow)                                                                                                 \
            xs = (xs << 8) | *p++;                                                                                     \
    }
#define HC_RANS_RENORM_CHECKED(xs)                                                                                     \
    while (xs < kLow) {                                                                                                \
        if (p >= end)                                                                                                  \
            return false;                                                                                              \
        xs = (xs << 8) | *p++;                                                                                         \
    }

    std::size_t i = 0;
    const std::size_t len4 = len & ~std::size_t(3);
    while (i < len4) {
        // Each state reads at most two bytes per symbol (P <= 16), so a group of four needs at most 8.
        std::size_t groups = std::min((len4 - i) / 4, std::size_t(end - p) / 8);
        if (groups == 0) {
            HC_RANS_STEP(x0, out[i]);
            HC_RANS_STEP(x1, out[i + 1]);
            HC_RANS_STEP(x2, out[i + 2]);
            HC_RANS_STEP(x3, out[i + 3]);
            HC_RANS_RENORM_CHECKED(x0);
            HC_RANS_RENORM_CHECKED(x1);
            HC_RANS_RENORM_CHECKED(x2);
            HC_RANS_RENORM_CHECKED(x3);
            i += 4;
            continue;
        }
        for (; groups > 0; --groups, i += 4) {
            HC_RANS_STEP(x0, out[i]);
            HC_RANS_STEP(x1, out[i + 1]);
            HC_RANS_STEP(x2, out[i + 2]);
            HC_RANS_STEP(x3, out[i + 3]);
            HC_RANS_RENORM(x0);
            HC_RANS_RENORM(x1);
            HC_RANS_RENORM(x2);
            HC_RANS_RENORM(x3);
        }
    }
    std::uint32_t *tailState[4] = {&x0, &x1, &x2, &x3};
    for (; i < len; ++i) {
        std::uint32_t &xs = *tailState[i & 3];
        HC_RANS_STEP(xs, out[i]);
        HC_RANS_RENORM_CHECKED(xs);
    }
#undef HC_RANS_STEP
#undef HC_RANS_RENORM
#undef HC_RANS_RENORM_CHECKED
    // The encoder started every state at L and used every byte: anything else is corruption.
    return p == end && x0 == kLow && x1 == kLow && x2 == kLow && x3 == kLow;
}

Status RansCoder::Reader::decodeAll(std::uint32_t *out, int threads) const
{
    std::atomic<bool> bad{false};
    parallelFor(m_blockCount, threads, [&](std::size_t b) {
        if (!decodeBlock(b, out + b * m_blockSize))
            bad = true;
    });
    if (bad)
        return Status::failure("the entropy-coded stream is corrupt (a block does not decode to its symbol count)");
    return {};
}

Status RansCoder::decode(const std::uint8_t *blob, std::size_t bytes, std::size_t n, std::uint32_t *out, int threads)
{
    auto reader = Reader::open(blob, bytes, n);
    if (!reader)
        return Status::failure(reader.error());
    return reader->decodeAll(out, threads);
}

Result<RansCoder::Info> RansCoder::inspect(const std::uint8_t *blob, std::size_t bytes)
{
    if (!blob || bytes == 0)
        return Result<Info>::failure("the entropy-coded stream is empty");
    ByteReader in{blob, blob + bytes};
    in.byte();
    const std::uint64_t n = in.varint();
    if (!in.ok)
        return Result<Info>::failure("the entropy-coded stream's header is truncated");
    auto r = Reader::open(blob, bytes, std::size_t(n));
    if (!r)
        return Result<Info>::failure(r.error());
    return r->info();
}

} // namespace hc
