#pragma once

#include "core/util/result.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hc {

// Static order-0 rANS for streams of unsigned symbols (codec indices, lattice rows and columns).
// 32-bit states with byte-wise renormalisation (ryg_rans style), four interleaved states per block,
// frequencies quantised to 2^P with P in 8..16 chosen per stream to minimise the total size
// (frequency table included), and independent blocks of `blockSize` symbols so that several
// threads can decode one stream.
//
// A blob describes itself: its first byte says how the symbols are held.
//   Rans     - the frequency table (varint symbol gaps and frequencies) and the rANS blocks;
//   Packed   - fixed-width bit packing (BitPacker), chosen when rANS would not be smaller;
//   Constant - one symbol repeated (no payload at all).
// All functions are reentrant; decoding validates everything, so a corrupt or truncated blob gives
// an error, never a crash or a read outside the blob.
class RansCoder {
public:
    enum class Method : std::uint8_t { Rans = 1, Packed = 2, Constant = 3 };

    struct Options {
        std::uint32_t blockSize = 1u << 15; // symbols per independent block (a multiple of 4)
        int precision = 0;                  // P, 0 = choose by size; else 8..16
        bool allowPacked = true;            // fall back to fixed-width packing when that is smaller
    };

    // What a blob holds (from its header, without decoding it).
    struct Info {
        Method method = Method::Rans;
        std::uint64_t count = 0;      // symbols
        std::uint32_t alphabet = 0;   // every symbol is below this
        int precision = 0;            // P (Rans) or the bit width (Packed)
        std::uint32_t distinct = 0;   // symbols with a non-zero frequency (Rans)
        std::size_t blocks = 0;       // independent blocks (Rans)
        std::size_t tableBytes = 0;   // header + frequency table
    };

    // Codes `n` symbols, each below `alphabetSize` (>= 1). Symbols at or above it are a caller bug
    // and are clamped to alphabetSize - 1 (the decoder would reject them otherwise).
    static std::vector<std::uint8_t> encode(const std::uint32_t *symbols, std::size_t n, std::uint32_t alphabetSize,
                                            const Options &options);
    static std::vector<std::uint8_t> encode(const std::uint32_t *symbols, std::size_t n, std::uint32_t alphabetSize)
    {
        return encode(symbols, n, alphabetSize, Options());
    }

    // Decodes exactly `n` symbols into `out`. Fails (one sentence) when the blob is corrupt, truncated,
    // holds a different count, or has trailing bytes.
    static Status decode(const std::uint8_t *blob, std::size_t bytes, std::size_t n, std::uint32_t *out,
                         int threads = 0);
    static Status decode(const std::vector<std::uint8_t> &blob, std::size_t n, std::uint32_t *out, int threads = 0)
    {
        return decode(blob.data(), blob.size(), n, out, threads);
    }
    static Result<Info> inspect(const std::uint8_t *blob, std::size_t bytes);

    // Σ -log2 p(s) over the stream with p the stream's own symbol frequencies (n · H0), in bits.
    static double order0EntropyBits(const std::uint32_t *symbols, std::size_t n);
    // Bytes of the plain fixed-width packing: n · bitLength(alphabetSize - 1) bits, rounded up.
    static std::size_t fixedWidthBytes(std::size_t n, std::uint32_t alphabetSize);
    // The per-stream choice: true when an entropy-coded blob of `blobBytes` beats fixed-width packing.
    static bool prefersEntropy(std::size_t blobBytes, std::size_t n, std::uint32_t alphabetSize)
    {
        return blobBytes < fixedWidthBytes(n, alphabetSize);
    }

    // Modelled streams: both sides compute the frequencies from a few shared model parameters
    // (MarginalDensity), so no table is stored. The blob is one byte (log2 of the block size, and
    // 0x80 when each block has one rANS state instead of four: small streams save 12 bytes a block),
    // the byte lengths of every block but the last (varints), then the blocks.
    // Frequencies summing to exactly 2^P (P in 8..16), each at least 1, from non-negative masses
    // (deterministic: the same masses give the same table on every IEEE-754 machine). Empty when
    // there are more than 2^(P-1) symbols or no positive mass.
    static std::vector<std::uint32_t> normalizeFrequencies(const std::vector<double> &mass, int precision);
    // Symbols must be below freqs.size() and freqs must come from normalizeFrequencies(); a stream
    // over a one-symbol alphabet takes no bytes at all. Streams of up to `oneStateLimit` symbols use
    // one rANS state (12 bytes smaller, about half as fast to decode).
    static constexpr std::size_t kOneStateLimit = 2048;
    static std::vector<std::uint8_t> encodeModelled(const std::uint32_t *symbols, std::size_t n,
                                                    const std::vector<std::uint32_t> &freqs, int precision,
                                                    std::size_t oneStateLimit = kOneStateLimit);
    // Σ count·(P - log2 freq): the payload bits (states and lengths aside) a modelled stream takes.
    static double modelledBits(const std::vector<std::uint64_t> &counts, const std::vector<std::uint32_t> &freqs,
                               int precision);

    // A parsed, validated blob whose blocks can be decoded independently (one per thread, or block
    // by block interleaved with other work, as the lattice decoder does). Does not copy the blob:
    // it must outlive the reader. decodeBlock() is safe to call from many threads at once.
    class Reader {
    public:
        static Result<Reader> open(const std::uint8_t *blob, std::size_t bytes, std::size_t n);
        // A blob from encodeModelled(), with the same frequencies.
        static Result<Reader> openModelled(const std::uint8_t *blob, std::size_t bytes, std::size_t n,
                                           const std::vector<std::uint32_t> &freqs, int precision);
        std::size_t blockCount() const { return m_blockCount; }
        std::size_t blockSize() const { return m_blockSize; }
        std::size_t blockLength(std::size_t b) const; // symbols in block b
        // Writes block b's symbols to out[0 .. blockLength(b)). False when the block is corrupt.
        bool decodeBlock(std::size_t b, std::uint32_t *out) const;
        // Every block into out[0 .. count), blocks spread over `threads`.
        Status decodeAll(std::uint32_t *out, int threads = 0) const;
        const Info &info() const { return m_info; }

    private:
        bool buildSlots(const std::vector<std::uint32_t> &symbols, const std::vector<std::uint32_t> &freqs, int P);
        struct Slot {
            std::uint32_t symbol;
            std::uint16_t freq;   // frequency of the symbol (< 2^16: a lone symbol is Constant)
            std::uint16_t offset; // slot - start of the symbol's range
        };
        Info m_info;
        const std::uint8_t *m_data = nullptr; // first byte of the payload after the header
        std::size_t m_count = 0;
        std::size_t m_blockSize = 0;
        std::size_t m_blockCount = 0;
        std::uint32_t m_constant = 0;
        int m_width = 0;
        int m_states = 4; // interleaved rANS states per block (1 or 4)
        std::size_t m_payloadBytes = 0;
        std::vector<std::size_t> m_blockStart; // byte offsets into m_data, blockCount + 1
        std::vector<Slot> m_slots;             // 2^P entries
    };
};

} // namespace hc
