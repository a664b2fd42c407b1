// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "md5.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>

#include "api/md5kernel.h"

namespace pf {

void md5RunJobsAvx2(Md5Job *const *jobs, int count);   // md5_avx2.cpp
void md5RunJobsAvx512(Md5Job *const *jobs, int count); // md5_avx512.cpp

namespace {

struct Lane1
{
    static constexpr int kLanes = 1;
    std::uint32_t v;

    static Lane1 set1(std::uint32_t x) { return {x}; }
    static Lane1 add(Lane1 a, Lane1 b) { return {a.v + b.v}; }
    template <int S>
    static Lane1 rotl(Lane1 a)
    {
        return {(a.v << S) | (a.v >> (32 - S))};
    }
    static Lane1 f(Lane1 b, Lane1 c, Lane1 d) { return {d.v ^ (b.v & (c.v ^ d.v))}; }
    static Lane1 g(Lane1 b, Lane1 c, Lane1 d) { return {c.v ^ (d.v & (b.v ^ c.v))}; }
    static Lane1 h(Lane1 b, Lane1 c, Lane1 d) { return {b.v ^ c.v ^ d.v}; }
    static Lane1 i(Lane1 b, Lane1 c, Lane1 d) { return {c.v ^ (b.v | ~d.v)}; }
    static void block(const unsigned char *const *ptr, Lane1 (&m)[16])
    {
        for (int w = 0; w < 16; ++w) {
            const unsigned char *p = ptr[0] + 4 * w; // little-endian words
            m[w].v = std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
                     std::uint32_t(p[3]) << 24;
        }
    }
    static std::uint32_t get(Lane1 x, int) { return x.v; }
    static void put(Lane1 &x, int, std::uint32_t word) { x.v = word; }
};

void runScalar(Md5Job *const *jobs, int count)
{
    md5kernel::run<Lane1>(jobs, count);
}

using Kernel = void (*)(Md5Job *const *, int);

struct Choice
{
    Kernel kernel;
    int lanes;
};

Choice best(int atMost)
{
    __builtin_cpu_init();
    if (atMost >= 16 && __builtin_cpu_supports("avx512f"))
        return {md5RunJobsAvx512, 16};
    if (atMost >= 8 && __builtin_cpu_supports("avx2"))
        return {md5RunJobsAvx2, 8};
    return {runScalar, 1};
}

std::atomic<Kernel> g_kernel{nullptr};
std::atomic<int> g_lanes{0};

Kernel kernel()
{
    Kernel k = g_kernel.load(std::memory_order_acquire);
    if (!k) {
        const Choice c = best(16);
        g_lanes.store(c.lanes);
        g_kernel.store(c.kernel, std::memory_order_release);
        k = c.kernel;
    }
    return k;
}

// Below this many blocks an add() is hashed where it is: waiting would cost
// more than it saves.
constexpr std::size_t kShareFrom = 64;

// A pass of the wide kernels takes about as long as two or three blocks one
// after another (its steps wait on 2-cycle vector instructions, the scalar
// ones on 1-cycle ones), so they pay from three jobs on; with fewer streams,
// each thread hashes its own, and the cores run them in parallel.
constexpr int kWideFrom = 3;

// Adds from several threads, hashed side by side by whichever of them finds
// no one else hashing (flat combining). While it hashes, others queue their
// jobs; when it is done, one of those takes the queue.
//
// Threads come back with their next piece at different moments, so a
// combiner that hashed whatever was queued would often run one or two jobs
// and leave the lanes empty. It waits instead, up to kGather, until every
// stream that is using the lanes (Md5 objects between their first shared
// add and their digest) has a job queued.
class Combiner
{
public:
    void join()
    {
        std::lock_guard lock(m_mutex);
        ++m_streams;
    }
    void leave()
    {
        std::lock_guard lock(m_mutex);
        --m_streams;
        m_changed.notify_all(); // a combiner may be waiting for this stream
    }

    std::size_t streams() const { return m_streams.load(std::memory_order_relaxed); }

    void hash(Md5Job &job)
    {
        Waiting me{&job};
        std::unique_lock lock(m_mutex);
        m_queue.push_back(&me);
        m_changed.notify_all(); // a combiner may be waiting for this job
        while (!me.done) {
            if (m_busy) {
                m_changed.wait(lock);
                continue;
            }
            m_busy = true;
            const auto until = std::chrono::steady_clock::now() + kGather;
            while (m_queue.size() < std::min<std::size_t>(m_streams.load(), kMostAtOnce) &&
                   m_changed.wait_until(lock, until) == std::cv_status::no_timeout) {
            }
            const std::size_t n = std::min(m_queue.size(), kMostAtOnce);
            Waiting *batch[kMostAtOnce];
            Md5Job *jobs[kMostAtOnce];
            for (std::size_t i = 0; i < n; ++i) {
                batch[i] = m_queue.front();
                jobs[i] = batch[i]->job;
                m_queue.pop_front();
            }
            lock.unlock();
            md5RunJobs(jobs, int(n));
            lock.lock();
            for (std::size_t i = 0; i < n; ++i)
                batch[i]->done = true;
            m_busy = false;
            m_changed.notify_all();
        }
    }

private:
    static constexpr std::size_t kMostAtOnce = 64;
    static constexpr auto kGather = std::chrono::microseconds(500);
    struct Waiting
    {
        Md5Job *job;
        bool done = false;
    };
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Waiting *> m_queue;
    std::atomic<std::size_t> m_streams = 0;
    bool m_busy = false;
};

Combiner &combiner()
{
    static Combiner c;
    return c;
}

bool sharesLanes(std::size_t blocks)
{
    kernel(); // decides g_lanes
    return blocks >= kShareFrom && g_lanes.load(std::memory_order_relaxed) > 1;
}

} // namespace

void md5RunJobs(Md5Job *const *jobs, int count)
{
    if (count < kWideFrom) {
        for (int i = 0; i < count; ++i)
            runScalar(jobs + i, 1);
        return;
    }
    kernel()(jobs, count);
}

int Md5::lanes()
{
    kernel();
    return g_lanes.load();
}

bool Md5::setLanes(int lanes)
{
    const Choice c = best(lanes);
    if (c.lanes != lanes)
        return false;
    g_lanes.store(c.lanes);
    g_kernel.store(c.kernel, std::memory_order_release);
    return true;
}

Md5::Md5()
{
    reset();
}

Md5::~Md5()
{
    if (m_sharing)
        combiner().leave();
}

void Md5::fold(const unsigned char *data, std::size_t blocks)
{
    Md5Job job{{m_state[0], m_state[1], m_state[2], m_state[3]}, data, blocks};
    if (sharesLanes(blocks) && !m_sharing) {
        combiner().join();
        m_sharing = true;
    }
    if (m_sharing && combiner().streams() >= kWideFrom) {
        combiner().hash(job);
    } else {
        Md5Job *jobs[] = {&job};
        runScalar(jobs, 1);
    }
    std::copy(std::begin(job.state), std::end(job.state), std::begin(m_state));
}

void Md5::reset()
{
    m_state[0] = 0x67452301;
    m_state[1] = 0xefcdab89;
    m_state[2] = 0x98badcfe;
    m_state[3] = 0x10325476;
    m_size = 0;
}

void Md5::add(const void *data, std::size_t size)
{
    auto p = static_cast<const unsigned char *>(data);
    const std::size_t used = std::size_t(m_size % 64);
    m_size += size;
    if (used != 0) {
        const std::size_t n = std::min(64 - used, size);
        std::memcpy(m_tail + used, p, n);
        p += n;
        size -= n;
        if (used + n < 64)
            return;
        fold(m_tail, 1);
    }
    if (const std::size_t blocks = size / 64) {
        fold(p, blocks);
        p += blocks * 64;
        size -= blocks * 64;
    }
    if (size != 0)
        std::memcpy(m_tail, p, size);
}

QByteArray Md5::digest()
{
    const std::uint64_t bits = m_size * 8;
    static constexpr unsigned char kPad[64] = {0x80};
    add(kPad, 1 + (119 - m_size % 64) % 64); // to 56 bytes past a block boundary
    unsigned char length[8];
    for (int i = 0; i < 8; ++i)
        length[i] = static_cast<unsigned char>(bits >> (8 * i));
    add(length, 8);
    QByteArray out(16, Qt::Uninitialized);
    for (int w = 0; w < 4; ++w)
        for (int i = 0; i < 4; ++i)
            out[4 * w + i] = char(m_state[w] >> (8 * i));
    reset();
    if (m_sharing)
        combiner().leave();
    m_sharing = false;
    return out;
}

QByteArray Md5::hex()
{
    return digest().toHex();
}

QByteArray Md5::hexOf(const void *data, std::size_t size)
{
    Md5 md5;
    md5.add(data, size);
    return md5.hex();
}

} // namespace pf
