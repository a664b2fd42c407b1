// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The 16-lane MD5 kernel, compiled with -mavx512f (CMakeLists.txt); md5.cpp
// calls it only on a CPU that has AVX-512F.
#include <immintrin.h>

#include "api/md5kernel.h"

namespace {

struct Lanes16
{
    static constexpr int kLanes = 16;
    __m512i v;

    static Lanes16 set1(std::uint32_t x) { return {_mm512_set1_epi32(int(x))}; }
    static Lanes16 add(Lanes16 a, Lanes16 b) { return {_mm512_add_epi32(a.v, b.v)}; }
    template <int S>
    static Lanes16 rotl(Lanes16 a)
    {
        return {_mm512_rol_epi32(a.v, S)};
    }
    // vpternlogd's immediates are the truth tables of b?c:d, d?b:c, b^c^d
    // and c^(b|~d), indexed by (b << 2) | (c << 1) | d.
    static Lanes16 f(Lanes16 b, Lanes16 c, Lanes16 d)
    {
        return {_mm512_ternarylogic_epi32(b.v, c.v, d.v, 0xca)};
    }
    static Lanes16 g(Lanes16 b, Lanes16 c, Lanes16 d)
    {
        return {_mm512_ternarylogic_epi32(b.v, c.v, d.v, 0xe4)};
    }
    static Lanes16 h(Lanes16 b, Lanes16 c, Lanes16 d)
    {
        return {_mm512_ternarylogic_epi32(b.v, c.v, d.v, 0x96)};
    }
    static Lanes16 i(Lanes16 b, Lanes16 c, Lanes16 d)
    {
        return {_mm512_ternarylogic_epi32(b.v, c.v, d.v, 0x39)};
    }
    // Loads each lane's block as a row and transposes the 16 x 16 words:
    // within each group of four rows, 4 x 4 transposes inside every 128-bit
    // chunk; then a 4 x 4 transpose of the chunks across the groups.
    static void block(const unsigned char *const *ptr, Lanes16 (&m)[16])
    {
        __m512i b[4][4]; // b[g][j], chunk k: word 4k + j of rows 4g..4g+3
        for (int g = 0; g < 4; ++g) {
            const __m512i r0 = _mm512_loadu_si512(ptr[4 * g]);
            const __m512i r1 = _mm512_loadu_si512(ptr[4 * g + 1]);
            const __m512i r2 = _mm512_loadu_si512(ptr[4 * g + 2]);
            const __m512i r3 = _mm512_loadu_si512(ptr[4 * g + 3]);
            const __m512i a0 = _mm512_unpacklo_epi32(r0, r1);
            const __m512i a1 = _mm512_unpackhi_epi32(r0, r1);
            const __m512i a2 = _mm512_unpacklo_epi32(r2, r3);
            const __m512i a3 = _mm512_unpackhi_epi32(r2, r3);
            b[g][0] = _mm512_unpacklo_epi64(a0, a2);
            b[g][1] = _mm512_unpackhi_epi64(a0, a2);
            b[g][2] = _mm512_unpacklo_epi64(a1, a3);
            b[g][3] = _mm512_unpackhi_epi64(a1, a3);
        }
        for (int j = 0; j < 4; ++j) {
            const __m512i p0 = _mm512_shuffle_i32x4(b[0][j], b[1][j], 0x44); // 1,0,1,0
            const __m512i p1 = _mm512_shuffle_i32x4(b[0][j], b[1][j], 0xee); // 3,2,3,2
            const __m512i p2 = _mm512_shuffle_i32x4(b[2][j], b[3][j], 0x44);
            const __m512i p3 = _mm512_shuffle_i32x4(b[2][j], b[3][j], 0xee);
            m[j].v = _mm512_shuffle_i32x4(p0, p2, 0x88);     // 2,0,2,0
            m[4 + j].v = _mm512_shuffle_i32x4(p0, p2, 0xdd); // 3,1,3,1
            m[8 + j].v = _mm512_shuffle_i32x4(p1, p3, 0x88);
            m[12 + j].v = _mm512_shuffle_i32x4(p1, p3, 0xdd);
        }
    }
    static std::uint32_t get(Lanes16 x, int lane)
    {
        alignas(64) std::uint32_t out[16];
        _mm512_store_si512(out, x.v);
        return out[lane];
    }
    static void put(Lanes16 &x, int lane, std::uint32_t word)
    {
        x.v = _mm512_mask_set1_epi32(x.v, __mmask16(1u << lane), int(word));
    }
};

} // namespace

namespace pf {

void md5RunJobsAvx512(Md5Job *const *jobs, int count)
{
    md5kernel::run<Lanes16>(jobs, count);
}

} // namespace pf
