// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// The MD5 compression function (RFC 1321) written once over a vector type V
// whose lanes are independent streams: V::kLanes blocks, one from each
// stream, go through the 64 steps side by side. md5.cpp instantiates it with
// plain 32-bit words (one lane); md5_avx2.cpp and md5_avx512.cpp with 8 and
// 16 lanes, each compiled for its instruction set. Included only by those
// files; each defines its V in an unnamed namespace, so every instantiation
// is that file's own, compiled with that file's flags.
//
// V provides: kLanes, set1(u32), add(V, V), rotl<S>(V), f/g/h/i(b, c, d)
// (the four round functions), block(ptr, m) (the 16 words of each lane's
// block at ptr[lane], word w of every lane in m[w]), and get/put of one
// lane's word.

#include <cstddef>
#include <cstdint>

#include "api/md5.h"

namespace md5kernel {

inline constexpr std::uint32_t kSine[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

// One step: a = b + rotl(fn(b, c, d) + a + word + sine, S).
template <class V, int Round, int S>
[[gnu::always_inline]] inline V step(V a, V b, V c, V d, V word, std::uint32_t sine)
{
    V fn;
    if constexpr (Round == 0)
        fn = V::f(b, c, d);
    else if constexpr (Round == 1)
        fn = V::g(b, c, d);
    else if constexpr (Round == 2)
        fn = V::h(b, c, d);
    else
        fn = V::i(b, c, d);
    // a + word + sine does not wait for the previous step's b; only the
    // round function, one add, the rotation and the last add do.
    const V early = V::add(a, V::add(word, V::set1(sine)));
    return V::add(b, V::template rotl<S>(V::add(fn, early)));
}

// The 64 steps of one block from each lane, added into (a, b, c, d).
template <class V>
[[gnu::always_inline]] inline void compress(V &a0, V &b0, V &c0, V &d0, const V (&m)[16])
{
    V a = a0, b = b0, c = c0, d = d0;
#define PF_MD5_FOUR(R, i, k0, k1, k2, k3, s0, s1, s2, s3)                                          \
    a = step<V, R, s0>(a, b, c, d, m[k0], kSine[i]);                                               \
    d = step<V, R, s1>(d, a, b, c, m[k1], kSine[i + 1]);                                           \
    c = step<V, R, s2>(c, d, a, b, m[k2], kSine[i + 2]);                                           \
    b = step<V, R, s3>(b, c, d, a, m[k3], kSine[i + 3]);
    PF_MD5_FOUR(0, 0, 0, 1, 2, 3, 7, 12, 17, 22)
    PF_MD5_FOUR(0, 4, 4, 5, 6, 7, 7, 12, 17, 22)
    PF_MD5_FOUR(0, 8, 8, 9, 10, 11, 7, 12, 17, 22)
    PF_MD5_FOUR(0, 12, 12, 13, 14, 15, 7, 12, 17, 22)
    PF_MD5_FOUR(1, 16, 1, 6, 11, 0, 5, 9, 14, 20)
    PF_MD5_FOUR(1, 20, 5, 10, 15, 4, 5, 9, 14, 20)
    PF_MD5_FOUR(1, 24, 9, 14, 3, 8, 5, 9, 14, 20)
    PF_MD5_FOUR(1, 28, 13, 2, 7, 12, 5, 9, 14, 20)
    PF_MD5_FOUR(2, 32, 5, 8, 11, 14, 4, 11, 16, 23)
    PF_MD5_FOUR(2, 36, 1, 4, 7, 10, 4, 11, 16, 23)
    PF_MD5_FOUR(2, 40, 13, 0, 3, 6, 4, 11, 16, 23)
    PF_MD5_FOUR(2, 44, 9, 12, 15, 2, 4, 11, 16, 23)
    PF_MD5_FOUR(3, 48, 0, 7, 14, 5, 6, 10, 15, 21)
    PF_MD5_FOUR(3, 52, 12, 3, 10, 1, 6, 10, 15, 21)
    PF_MD5_FOUR(3, 56, 8, 15, 6, 13, 6, 10, 15, 21)
    PF_MD5_FOUR(3, 60, 4, 11, 2, 9, 6, 10, 15, 21)
#undef PF_MD5_FOUR
    a0 = V::add(a0, a);
    b0 = V::add(b0, b);
    c0 = V::add(c0, c);
    d0 = V::add(d0, d);
}

// Hashes up to V::kLanes jobs side by side. A lane whose job runs out of
// blocks takes the next job not yet started; lanes with nothing left read a
// block of zeros whose result is dropped.
template <class V>
void run(pf::Md5Job *const *jobs, int count)
{
    constexpr int W = V::kLanes;
    alignas(64) static constexpr unsigned char kIdle[64] = {};
    pf::Md5Job *lane[W] = {};
    const unsigned char *ptr[W];
    std::size_t left[W] = {};
    V a, b, c, d;
    int next = 0;
    const auto take = [&](int l) {
        while (next < count && jobs[next]->blocks == 0)
            ++next;
        if (next < count) {
            pf::Md5Job *job = jobs[next++];
            lane[l] = job;
            ptr[l] = job->data;
            left[l] = job->blocks;
            V::put(a, l, job->state[0]);
            V::put(b, l, job->state[1]);
            V::put(c, l, job->state[2]);
            V::put(d, l, job->state[3]);
        } else {
            lane[l] = nullptr;
            ptr[l] = kIdle;
            left[l] = 0;
        }
    };
    a = b = c = d = V::set1(0);
    for (int l = 0; l < W; ++l)
        take(l);
    for (;;) {
        std::size_t run = 0;
        for (int l = 0; l < W; ++l)
            if (lane[l] && (run == 0 || left[l] < run))
                run = left[l];
        if (run == 0)
            return;
        for (std::size_t k = 0; k < run; ++k) {
            V m[16];
            V::block(ptr, m);
            compress(a, b, c, d, m);
            for (int l = 0; l < W; ++l)
                if (lane[l])
                    ptr[l] += 64;
        }
        for (int l = 0; l < W; ++l) {
            if (!lane[l])
                continue;
            left[l] -= run;
            if (left[l] == 0) {
                lane[l]->state[0] = V::get(a, l);
                lane[l]->state[1] = V::get(b, l);
                lane[l]->state[2] = V::get(c, l);
                lane[l]->state[3] = V::get(d, l);
                take(l);
            }
        }
    }
}

} // namespace md5kernel
