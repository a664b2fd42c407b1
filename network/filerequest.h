// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <atomic>
#include <thread>

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

namespace pf::network {

// One HTTP/1.1 request between a region of a local file and a signed URL,
// run on a thread of its own with a blocking socket (TLS through OpenSSL for
// https), the body MD5-hashed as it passes: a PUT sends the region, a GET
// writes its answer's body into it. For TransferQueue: Qt's network stack
// hands an upload body from the caller's thread to its own 16 KiB at a time,
// a round trip each, which held uploads to about 110 MiB/s on loopback.
//
//   auto *r = new FileRequest({FileRequest::Get, url, {{"Range", "bytes=0-9"}},
//                              path, 0, 10, 206}, this);
//   connect(r, &FileRequest::finished, this, [r] { ...r->result()...; r->deleteLater(); });
//   r->start();
//
// finished() comes once, on the thread that owns the object, unless the
// request was aborted. Deleting it aborts it and waits for its thread (a
// moment: its socket is shut down).
class FileRequest final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileRequest)

public:
    enum Method { Put, Get };

    struct Spec
    {
        Method method = Get;
        QUrl url;
        QList<std::pair<QByteArray, QByteArray>> headers; // besides Host, Content-Length
        QString path;                                     // the local file
        qint64 offset = 0;     // its region: sent, or written from the answer
        qint64 length = 0;     // (a GET writes at most this many bytes)
        int expected = 200;    // a GET writes the body of this status only
        bool truncate = false; // a GET empties the file first
        // https: a certificate (DER) accepted although no CA vouches for it
        // (the one the user trusted for the server, see ApiSession).
        QByteArray trustedCertificate = QByteArray();
    };

    struct Result
    {
        int status = 0;                        // 0: no answer; `error` says why
        QHash<QByteArray, QByteArray> headers; // names in lower case
        qint64 bytes = 0;                      // body bytes sent (PUT) or written (GET)
        QByteArray md5Hex;                     // of those bytes
        // What went wrong in the transport, or with the local file (then
        // `fileError`, and only the reason: "No such file or directory").
        QString error;
        bool fileError = false;
    };

    FileRequest(Spec spec, QObject *parent = nullptr);
    ~FileRequest() override;

    void start();
    void abort();
    const Spec &spec() const { return m_spec; }
    // After finished().
    const Result &result() const { return m_result; }

    // The most bytes of headers an answer may have.
    static constexpr int kMaxHeaderBytes = 64 * 1024;

Q_SIGNALS:
    void finished();

private:
    void run();

    Spec m_spec;
    Result m_result;
    std::thread m_thread;
    std::atomic<bool> m_aborted{false};
    std::atomic<int> m_socket{-1};
};

} // namespace pf::network
