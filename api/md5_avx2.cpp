// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The 8-lane MD5 kernel, compiled with -mavx2 (CMakeLists.txt); md5.cpp
// calls it only on a CPU that has AVX2.
#include <immintrin.h>

#include "api/md5kernel.h"

namespace {

struct Lanes8
{
    static constexpr int kLanes = 8;
    __m256i v;

    static Lanes8 set1(std::uint32_t x) { return {_mm256_set1_epi32(int(x))}; }
    static Lanes8 add(Lanes8 a, Lanes8 b) { return {_mm256_add_epi32(a.v, b.v)}; }
    template <int S>
    static Lanes8 rotl(Lanes8 a)
    {
        return {_mm256_or_si256(_mm256_slli_epi32(a.v, S), _mm256_srli_epi32(a.v, 32 - S))};
    }
    static Lanes8 f(Lanes8 b, Lanes8 c, Lanes8 d) // d ^ (b & (c ^ d)) == b ? c : d
    {
        return {_mm256_xor_si256(d.v, _mm256_and_si256(b.v, _mm256_xor_si256(c.v, d.v)))};
    }
    static Lanes8 g(Lanes8 b, Lanes8 c, Lanes8 d) // c ^ (d & (b ^ c)) == d ? b : c
    {
        return {_mm256_xor_si256(c.v, _mm256_and_si256(d.v, _mm256_xor_si256(b.v, c.v)))};
    }
    static Lanes8 h(Lanes8 b, Lanes8 c, Lanes8 d)
    {
        return {_mm256_xor_si256(b.v, _mm256_xor_si256(c.v, d.v))};
    }
    static Lanes8 i(Lanes8 b, Lanes8 c, Lanes8 d)
    {
        const __m256i notD = _mm256_xor_si256(d.v, _mm256_set1_epi32(-1));
        return {_mm256_xor_si256(c.v, _mm256_or_si256(b.v, notD))};
    }
    // Loads each lane's block as a row and transposes the 8 x 16 words:
    // within each group of four rows, 4 x 4 transposes inside both 128-bit
    // halves; then the halves are swapped across the two groups.
    static void block(const unsigned char *const *ptr, Lanes8 (&m)[16])
    {
        for (int half = 0; half < 2; ++half) { // words 0-7, then 8-15
            __m256i b[2][4]; // b[g][j], half k: word 8 * half + 4k + j of rows 4g..4g+3
            for (int g = 0; g < 2; ++g) {
                const auto row = [&](int r) {
                    return _mm256_loadu_si256(
                        reinterpret_cast<const __m256i *>(ptr[4 * g + r] + 32 * half));
                };
                const __m256i r0 = row(0), r1 = row(1), r2 = row(2), r3 = row(3);
                const __m256i a0 = _mm256_unpacklo_epi32(r0, r1);
                const __m256i a1 = _mm256_unpackhi_epi32(r0, r1);
                const __m256i a2 = _mm256_unpacklo_epi32(r2, r3);
                const __m256i a3 = _mm256_unpackhi_epi32(r2, r3);
                b[g][0] = _mm256_unpacklo_epi64(a0, a2);
                b[g][1] = _mm256_unpackhi_epi64(a0, a2);
                b[g][2] = _mm256_unpacklo_epi64(a1, a3);
                b[g][3] = _mm256_unpackhi_epi64(a1, a3);
            }
            for (int j = 0; j < 4; ++j) {
                m[8 * half + j].v = _mm256_permute2x128_si256(b[0][j], b[1][j], 0x20);
                m[8 * half + 4 + j].v = _mm256_permute2x128_si256(b[0][j], b[1][j], 0x31);
            }
        }
    }
    static std::uint32_t get(Lanes8 x, int lane)
    {
        alignas(32) std::uint32_t out[8];
        _mm256_store_si256(reinterpret_cast<__m256i *>(out), x.v);
        return out[lane];
    }
    static void put(Lanes8 &x, int lane, std::uint32_t word)
    {
        alignas(32) std::uint32_t out[8];
        _mm256_store_si256(reinterpret_cast<__m256i *>(out), x.v);
        out[lane] = word;
        x.v = _mm256_load_si256(reinterpret_cast<const __m256i *>(out));
    }
};

} // namespace

namespace pf {

void md5RunJobsAvx2(Md5Job *const *jobs, int count)
{
    md5kernel::run<Lanes8>(jobs, count);
}

} // namespace pf
