// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <random>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "api/md5.h"

using pf::Md5;

namespace {

QByteArray opensslHex(const void *data, std::size_t size)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(data, size, digest, &n, EVP_md5(), nullptr);
    return QByteArray(reinterpret_cast<const char *>(digest), int(n)).toHex();
}

std::vector<unsigned char> randomBytes(std::size_t size, std::uint32_t seed)
{
    std::mt19937 gen(seed);
    std::vector<unsigned char> out(size);
    for (auto &b : out)
        b = static_cast<unsigned char>(gen());
    return out;
}

// The kernels this CPU can run: always 1, and 8 and 16 where it has them.
std::vector<int> kernels()
{
    const int widest = Md5::lanes();
    std::vector<int> out;
    for (const int lanes : {1, 8, 16})
        if (lanes <= widest && Md5::setLanes(lanes))
            out.push_back(lanes);
    Md5::setLanes(widest);
    return out;
}

// Restores the widest kernel when a test ends.
class Md5Test : public ::testing::Test
{
protected:
    void TearDown() override { Md5::setLanes(m_widest); }
    const int m_widest = Md5::lanes();
};

TEST_F(Md5Test, GivesTheDigestsOfRfc1321sTestSuite)
{
    const std::pair<const char *, const char *> suite[] = {
        {"", "d41d8cd98f00b204e9800998ecf8427e"},
        {"a", "0cc175b9c0f1b6a831c399e269772661"},
        {"abc", "900150983cd24fb0d6963f7d28e17f72"},
        {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
        {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
         "d174ab98d277d9f5a5611c2c9f419d9f"},
        {"1234567890123456789012345678901234567890123456789012345678901234567890123456789"
         "0",
         "57edf4a22be3c955ac49da2e2107b67a"},
    };
    for (const auto &[text, digest] : suite)
        EXPECT_EQ(Md5::hexOf(text, std::strlen(text)), QByteArray(digest)) << text;
}

TEST_F(Md5Test, AgreesWithOpenSslOnLengthsAroundBlockEdges)
{
    const auto data = randomBytes(70000, 1);
    for (std::size_t size : {0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 4095, 4096, 4097,
                             64 * 64 - 1, 64 * 64, 64 * 64 + 1, 65536, 70000})
        EXPECT_EQ(Md5::hexOf(data.data(), size), opensslHex(data.data(), size)) << size;
}

TEST_F(Md5Test, AddsOfAnySizeGiveTheDigestOfTheWhole)
{
    const auto data = randomBytes(3 * 1024 * 1024 + 77, 2);
    const QByteArray whole = opensslHex(data.data(), data.size());
    std::mt19937 gen(3);
    for (const int lanes : kernels()) {
        ASSERT_TRUE(Md5::setLanes(lanes));
        for (int round = 0; round < 4; ++round) {
            Md5 md5;
            std::size_t at = 0;
            while (at < data.size()) {
                // Mostly small and odd, now and then over a MiB.
                const std::size_t n =
                    std::min(data.size() - at, gen() % 8 == 0 ? std::size_t(gen() % (1536 * 1024))
                                                              : std::size_t(gen() % 9000));
                md5.add(data.data() + at, n);
                at += n;
            }
            EXPECT_EQ(md5.hex(), whole) << lanes << " lanes, round " << round;
        }
    }
}

TEST_F(Md5Test, AStreamStartsAnewAfterItsDigest)
{
    Md5 md5;
    md5.add("abc", 3);
    EXPECT_EQ(md5.hex(), QByteArray("900150983cd24fb0d6963f7d28e17f72"));
    md5.add("a", 1);
    EXPECT_EQ(md5.hex(), QByteArray("0cc175b9c0f1b6a831c399e269772661"));
}

// Jobs of different lengths (some empty) in one call: each lane that runs
// out takes the next job. Every job's state must be what the one-lane
// kernel (checked against OpenSSL above) gives it alone.
TEST_F(Md5Test, JobsOfDifferentLengthsSideBySideMatchEachAlone)
{
    const auto data = randomBytes(64 * 200, 4);
    std::mt19937 gen(5);
    for (const int lanes : kernels()) {
        std::vector<pf::Md5Job> side(37), alone(37);
        for (std::size_t i = 0; i < side.size(); ++i) {
            const std::size_t blocks = i % 7 == 3 ? 0 : gen() % 200;
            const std::size_t start = gen() % (200 - std::min<std::size_t>(blocks, 199));
            side[i] = {{std::uint32_t(gen()), std::uint32_t(gen()), std::uint32_t(gen()),
                        std::uint32_t(gen())},
                       data.data() + 64 * std::min<std::size_t>(start, 200 - blocks),
                       blocks};
            alone[i] = side[i];
        }
        std::vector<pf::Md5Job *> jobs;
        for (auto &j : side)
            jobs.push_back(&j);
        ASSERT_TRUE(Md5::setLanes(lanes));
        pf::md5RunJobs(jobs.data(), int(jobs.size()));
        ASSERT_TRUE(Md5::setLanes(1));
        for (std::size_t i = 0; i < alone.size(); ++i) {
            pf::Md5Job *one = &alone[i];
            pf::md5RunJobs(&one, 1);
            for (int w = 0; w < 4; ++w)
                EXPECT_EQ(side[i].state[w], alone[i].state[w]) << lanes << " lanes, job " << i;
        }
    }
}

// Many threads adding at once share the kernel's lanes; each must still get
// its own stream's digest.
TEST_F(Md5Test, ThreadsHashingAtOnceEachGetTheirOwnDigest)
{
    constexpr int kThreads = 12;
    std::vector<std::vector<unsigned char>> data;
    for (int t = 0; t < kThreads; ++t)
        data.push_back(randomBytes(std::size_t(2 * 1024 * 1024 + 1000 * t + t), 10 + t));
    std::vector<QByteArray> got(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            Md5 md5;
            const auto &d = data[std::size_t(t)];
            for (std::size_t at = 0; at < d.size(); at += 64 * 1024 + 64 * std::size_t(t))
                md5.add(d.data() + at, std::min(d.size() - at, 64 * 1024 + 64 * std::size_t(t)));
            got[std::size_t(t)] = md5.hex();
        });
    }
    for (auto &th : threads)
        th.join();
    for (int t = 0; t < kThreads; ++t)
        EXPECT_EQ(got[std::size_t(t)],
                  opensslHex(data[std::size_t(t)].data(), data[std::size_t(t)].size()))
            << "thread " << t;
}

} // namespace
