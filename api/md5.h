// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <cstddef>
#include <cstdint>

#include <QByteArray>

namespace pf {

// MD5, the digest behind storage ETags (shared/API.md, "Storage"): pfd tags
// what it stores with it and the studio checks every part it sends or
// fetches against it, so both hash every byte they move.
//
// One MD5 stream is a chain of dependent steps; a core runs it at a fixed
// rate however wide its vector units are. What parallelises is several
// streams: the 4 to 16 parts a transfer has in flight. So an add() of 4 KiB
// or more joins the adds other threads have waiting, and one of those
// threads hashes them all side by side, one stream per SIMD lane (16 with
// AVX-512, 8 with AVX2; one at a time on other CPUs). The others wait for
// their result; none starts a thread. From its first such add until its
// digest, a stream counts as one the lanes wait for (up to half a
// millisecond) before they start.
//
//   Md5 md5;
//   md5.add(buffer, n);         // any number of times, from one thread
//   QByteArray hex = md5.hex(); // ends it; 32 lowercase hex digits
class Md5
{
public:
    Md5();
    ~Md5();
    Md5(const Md5 &) = delete;
    Md5 &operator=(const Md5 &) = delete;
    void add(const void *data, std::size_t size);
    QByteArray digest(); // 16 bytes; ends the stream (add() starts anew after it)
    QByteArray hex();    // digest() in hex

    // One call's hex digest.
    static QByteArray hexOf(const void *data, std::size_t size);

    // How many streams go side by side: 16, 8 or 1 for this CPU, or what
    // setLanes() chose. setLanes() (tests and the benchmark) picks a narrower
    // kernel; it returns false, changing nothing, for one the CPU lacks.
    static int lanes();
    static bool setLanes(int lanes);

private:
    void reset();
    void fold(const unsigned char *data, std::size_t blocks);

    std::uint32_t m_state[4];
    std::uint64_t m_size;
    unsigned char m_tail[64];
    bool m_sharing = false; // counted among the streams using the lanes
};

// A run of whole 64-byte blocks to fold into an MD5 state: the unit the
// lane kernels take (md5kernel.h).
struct Md5Job
{
    std::uint32_t state[4];
    const unsigned char *data;
    std::size_t blocks;
};

// Hashes `count` jobs side by side with the chosen kernel, in this thread.
void md5RunJobs(Md5Job *const *jobs, int count);

} // namespace pf
