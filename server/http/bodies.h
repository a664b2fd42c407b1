// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <QByteArray>

struct evp_md_ctx_st; // OpenSSL's EVP_MD_CTX

namespace pf::server {

// Beast body types for pfd's large transfers.

// The MD5 of a file being written (OpenSSL's, about a fifth faster here
// than Qt's, which bounds how fast an upload can go), computed on a thread
// of its own that
// reads behind the writer (from the page cache), so that hashing an upload
// runs beside receiving it rather than after or in between. A file that
// stays under 1 MiB is hashed by finish() alone, without a thread.
//
//   FileMd5 md5(fd);            // fd open for reading too; it keeps a dup
//   md5.advance(bytesWritten);  // after each write
//   QByteArray hex = md5.finish();  // empty if the file could not be read
// Destroying it unfinished stops the hashing at once.
class FileMd5
{
public:
    explicit FileMd5(int fd);
    ~FileMd5();
    FileMd5(const FileMd5 &) = delete;
    FileMd5 &operator=(const FileMd5 &) = delete;

    // The file now holds `written` bytes.
    void advance(std::uint64_t written);
    // Waits until every written byte is hashed; the MD5 in hex.
    QByteArray finish();

private:
    void run();
    void hashUpTo(std::uint64_t end);

    int m_fd;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::uint64_t m_written = 0;
    std::uint64_t m_hashed = 0; // touched by the hashing side only
    bool m_finishing = false;
    std::atomic<bool> m_abandoned{false};
    bool m_failed = false;
    std::unique_ptr<evp_md_ctx_st, void (*)(evp_md_ctx_st *)> m_hash; // OpenSSL's MD5
    QByteArray m_digest;                                              // hex, once finished
    std::thread m_thread;
};

// A request body written to an open file as it arrives, its MD5 computed
// beside it (an upload's ETag), so neither needs the body in memory. Every
// 32 MiB the kernel is asked to start writing the file out, so that the
// fsync before the upload is published has little left to do. The file
// descriptor belongs to the caller; it must be open for reading and writing.
struct SpoolBody
{
    struct value_type
    {
        int fd = -1;
        std::uint64_t size = 0;
        std::uint64_t flushed = 0; // handed to writeback up to here
        std::shared_ptr<FileMd5> md5;
    };

    class reader
    {
    public:
        template <bool isRequest, class Fields>
        reader(boost::beast::http::header<isRequest, Fields> &, value_type &body)
            : m_body(body)
        {}

        void init(const boost::optional<std::uint64_t> &, boost::beast::error_code &ec) { ec = {}; }

        template <class ConstBufferSequence>
        std::size_t put(const ConstBufferSequence &buffers, boost::beast::error_code &ec)
        {
            std::size_t taken = 0;
            for (const auto buffer : boost::beast::buffers_range_ref(buffers)) {
                const char *p = static_cast<const char *>(buffer.data());
                std::size_t left = buffer.size();
                while (left > 0) {
                    const ssize_t n = ::write(m_body.fd, p, left);
                    if (n < 0 && errno == EINTR)
                        continue;
                    if (n <= 0) {
                        ec = boost::beast::error_code(n < 0 ? errno : EIO,
                                                      boost::system::generic_category());
                        return taken;
                    }
                    p += n;
                    left -= std::size_t(n);
                    taken += std::size_t(n);
                }
            }
            m_body.size += taken;
            m_body.md5->advance(m_body.size);
            if (m_body.size - m_body.flushed >= kWritebackBytes) {
                ::sync_file_range(m_body.fd, off_t(m_body.flushed),
                                  off_t(m_body.size - m_body.flushed), SYNC_FILE_RANGE_WRITE);
                m_body.flushed = m_body.size;
            }
            ec = {};
            return taken;
        }

        void finish(boost::beast::error_code &ec) { ec = {}; }

    private:
        static constexpr std::uint64_t kWritebackBytes = 32 * 1024 * 1024;
        value_type &m_body;
    };
};

// A response body: part of an open file (a byte range, or all of it). The
// descriptor is shared with whoever opened it. HttpSession sends it with
// sendfile(2) after Beast has written the header; the writer below, which
// reads it in large pieces, serves any other use of the type.
struct FileRangeBody
{
    struct value_type
    {
        std::shared_ptr<int> fd;
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
    };

    static std::uint64_t size(const value_type &body) { return body.length; }

    class writer
    {
    public:
        using const_buffers_type = boost::asio::const_buffer;

        template <bool isRequest, class Fields>
        writer(const boost::beast::http::header<isRequest, Fields> &, const value_type &body)
            : m_body(body)
        {}

        void init(boost::beast::error_code &ec) { ec = {}; }

        boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code &ec)
        {
            const std::uint64_t left = m_body.length - m_sent;
            if (left == 0) {
                ec = {};
                return boost::none;
            }
            if (!m_buffer)
                m_buffer = std::make_unique<char[]>(kPiece);
            const std::size_t want = std::size_t(std::min<std::uint64_t>(left, kPiece));
            ssize_t n;
            do
                n = ::pread(*m_body.fd, m_buffer.get(), want, off_t(m_body.offset + m_sent));
            while (n < 0 && errno == EINTR);
            if (n <= 0) {
                // The file shrank under us or the disk failed: end the answer
                // early (the client sees fewer bytes than Content-Length).
                ec = boost::beast::error_code(n < 0 ? errno : EIO,
                                              boost::system::generic_category());
                return boost::none;
            }
            m_sent += std::uint64_t(n);
            ec = {};
            return {{const_buffers_type(m_buffer.get(), std::size_t(n)), m_sent < m_body.length}};
        }

    private:
        static constexpr std::size_t kPiece = 256 * 1024;
        const value_type &m_body;
        std::uint64_t m_sent = 0;
        std::unique_ptr<char[]> m_buffer;
    };
};

} // namespace pf::server
