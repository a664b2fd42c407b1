// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "bodies.h"

#include <openssl/evp.h>

namespace pf::server {

namespace {
constexpr std::uint64_t kThreadFrom = 1024 * 1024;
constexpr std::size_t kPiece = 1024 * 1024;
} // namespace

FileMd5::FileMd5(int fd)
    : m_fd(::fcntl(fd, F_DUPFD_CLOEXEC, 0))
    , m_hash(EVP_MD_CTX_new(), EVP_MD_CTX_free)
{
    if (!m_hash || EVP_DigestInit_ex(m_hash.get(), EVP_md5(), nullptr) != 1)
        m_failed = true;
}

FileMd5::~FileMd5()
{
    m_abandoned = true;
    {
        std::lock_guard lock(m_mutex);
        m_finishing = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    if (m_fd >= 0)
        ::close(m_fd);
}

void FileMd5::advance(std::uint64_t written)
{
    {
        std::lock_guard lock(m_mutex);
        m_written = written;
    }
    if (!m_thread.joinable()) {
        if (written >= kThreadFrom)
            m_thread = std::thread([this] { run(); });
        return;
    }
    m_changed.notify_one();
}

void FileMd5::hashUpTo(std::uint64_t end)
{
    static thread_local std::unique_ptr<char[]> buffer = std::make_unique<char[]>(kPiece);
    if (m_fd < 0)
        m_failed = true;
    while (m_hashed < end && !m_failed && !m_abandoned) {
        const std::size_t want = std::size_t(std::min<std::uint64_t>(kPiece, end - m_hashed));
        ssize_t n;
        do
            n = ::pread(m_fd, buffer.get(), want, off_t(m_hashed));
        while (n < 0 && errno == EINTR);
        if (n <= 0) {
            m_failed = true; // the body write fails too; the upload is refused
            return;
        }
        if (EVP_DigestUpdate(m_hash.get(), buffer.get(), std::size_t(n)) != 1) {
            m_failed = true;
            return;
        }
        m_hashed += std::uint64_t(n);
    }
}

void FileMd5::run()
{
    for (;;) {
        std::uint64_t end;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return m_written > m_hashed || m_finishing; });
            end = m_written;
            if ((m_finishing && end <= m_hashed) || m_abandoned || m_failed)
                return;
        }
        hashUpTo(end);
    }
}

QByteArray FileMd5::finish()
{
    std::uint64_t end;
    {
        std::lock_guard lock(m_mutex);
        m_finishing = true;
        end = m_written;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join(); // it hashes up to m_written before it returns
    else
        hashUpTo(end);
    if (m_failed)
        return {};
    if (m_digest.isEmpty()) {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        if (EVP_DigestFinal_ex(m_hash.get(), digest, &size) != 1)
            return {};
        m_digest = QByteArray(reinterpret_cast<const char *>(digest), int(size)).toHex();
    }
    return m_digest;
}

} // namespace pf::server
