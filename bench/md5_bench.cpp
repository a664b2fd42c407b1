// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// pf::Md5 against OpenSSL's MD5 (the baseline: the transfers hashed with
// it before): N streams of 1 MiB pieces hashed side by side with each
// kernel this CPU has, in one thread; then N threads each hashing its own
// stream, through Md5::add (sharing the lanes) and through OpenSSL, in wall
// time and in CPU time.
//
//   pf_md5_bench [--quick]

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <thread>
#include <vector>

#include <openssl/evp.h>

#include "api/md5.h"

namespace {

constexpr std::size_t kPiece = 1024 * 1024;

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// MiB/s of OpenSSL hashing `streams` buffers of `bytes`, one after another.
double openssl(const std::vector<std::vector<unsigned char>> &data, std::size_t bytes)
{
    const auto start = std::chrono::steady_clock::now();
    for (const auto &d : data) {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        EVP_DigestInit_ex(ctx, EVP_md5(), nullptr);
        for (std::size_t at = 0; at < bytes; at += kPiece)
            EVP_DigestUpdate(ctx, d.data() + at % d.size(), kPiece);
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        EVP_DigestFinal_ex(ctx, digest, &n);
        EVP_MD_CTX_free(ctx);
    }
    return double(data.size() * bytes) / double(kPiece) / seconds(start);
}

// MiB/s of md5RunJobs over all streams at once, a piece of each per call.
double lanes(const std::vector<std::vector<unsigned char>> &data, std::size_t bytes)
{
    std::vector<pf::Md5Job> jobs(data.size());
    std::vector<pf::Md5Job *> pointers;
    for (auto &j : jobs)
        pointers.push_back(&j);
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t at = 0; at < bytes; at += kPiece) {
        for (std::size_t s = 0; s < data.size(); ++s) {
            jobs[s].data = data[s].data() + at % data[s].size();
            jobs[s].blocks = kPiece / 64;
        }
        pf::md5RunJobs(pointers.data(), int(pointers.size()));
    }
    return double(data.size() * bytes) / double(kPiece) / seconds(start);
}

double cpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

struct Rate
{
    double wall; // MiB/s
    double cpu;  // MiB per CPU-second
};

// One thread per stream, each hashing 1 MiB pieces through `hash`, all at
// once, as a transfer's requests do.
template <class Hash>
Rate threads(const std::vector<std::vector<unsigned char>> &data, std::size_t bytes, Hash hash)
{
    std::vector<std::thread> running;
    const double cpu0 = cpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    for (const auto &d : data)
        running.emplace_back([&d, bytes, hash] { hash(d, bytes); });
    for (auto &t : running)
        t.join();
    const double mib = double(data.size() * bytes) / double(kPiece);
    return {mib / seconds(start), mib / (cpuSeconds() - cpu0)};
}

void viaOpenssl(const std::vector<unsigned char> &d, std::size_t bytes)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_md5(), nullptr);
    for (std::size_t at = 0; at < bytes; at += kPiece)
        EVP_DigestUpdate(ctx, d.data() + at % d.size(), kPiece);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx, digest, &n);
    EVP_MD_CTX_free(ctx);
}

void viaMd5(const std::vector<unsigned char> &d, std::size_t bytes)
{
    pf::Md5 md5;
    for (std::size_t at = 0; at < bytes; at += kPiece)
        md5.add(d.data() + at % d.size(), kPiece);
    md5.hex();
}

} // namespace

int main(int argc, char **argv)
{
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const std::size_t bytes = (quick ? 16 : 256) * kPiece; // per stream
    const int widest = pf::Md5::lanes();
    std::vector<int> kernels;
    for (const int k : {1, 8, 16})
        if (k <= widest && pf::Md5::setLanes(k))
            kernels.push_back(k);
    std::printf("MD5 of N streams, %zu MiB each (widest kernel here: %d lanes; %u cores)\n",
                bytes / kPiece, widest, std::thread::hardware_concurrency());
    std::printf("  One thread, all streams: each kernel against OpenSSL one stream after "
                "another\n");
    std::printf("  %-8s %12s", "streams", "OpenSSL");
    for (const int k : kernels)
        std::printf("  %2d-lane kernel", k);
    std::printf("\n");
    std::vector<std::pair<int, std::vector<std::vector<unsigned char>>>> sets;
    for (const int streams : {1, 2, 4, 8, 16}) {
        std::vector<std::vector<unsigned char>> data{std::size_t(streams)};
        for (std::size_t s = 0; s < data.size(); ++s)
            data[s].assign(8 * kPiece, static_cast<unsigned char>(s * 37 + 1));
        const double base = openssl(data, bytes);
        std::printf("  %-8d %7.0f MiB/s", streams, base);
        for (const int k : kernels) {
            pf::Md5::setLanes(k);
            std::printf("  %10.2f x   ", lanes(data, bytes) / base);
        }
        pf::Md5::setLanes(widest);
        std::printf("\n");
        sets.emplace_back(streams, std::move(data));
    }
    std::printf("  A thread per stream: pf::Md5::add (lanes shared between the threads) "
                "against OpenSSL in as many threads\n");
    std::printf("  %-8s %24s %24s %20s\n", "streams", "OpenSSL wall / per CPU-s",
                "Md5 wall / per CPU-s", "ratio wall / CPU");
    bool cheaper = true;
    for (const auto &[streams, data] : sets) {
        const Rate base = threads(data, bytes, viaOpenssl);
        const Rate ours = threads(data, bytes, viaMd5);
        std::printf("  %-8d %10.0f / %6.0f MiB/s %10.0f / %6.0f MiB/s %12.2f / %.2f\n", streams,
                    base.wall, base.cpu, ours.wall, ours.cpu, ours.wall / base.wall,
                    ours.cpu / base.cpu);
        if (streams >= 4 && widest > 1 && ours.cpu < base.cpu)
            cheaper = false;
    }
    std::printf("  (per CPU-s: MiB hashed per second of CPU time, what is left for the rest "
                "of a transfer on a busy machine)\n");
    return cheaper ? 0 : 1;
}
