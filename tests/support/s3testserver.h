// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include "server/storage/s3client.h"

namespace pf::test {

// The S3-compatible server of tests/s3 (@20minutes/s3rver, from npm), which
// checks Signature Version 4 on every request; its one account is
// S3RVER/S3RVER and it addresses buckets path-style only. Started on a free
// port of 127.0.0.1 in a temporary folder, killed by the destructor (and it
// exits by itself when its standard input closes). Not installed is a
// failure that names the install step. Blocking; use it from one thread.
//
//   S3TestServer s3;
//   const QString error = s3.start();
//   ASSERT_TRUE(error.isEmpty()) << error.toStdString();
//   pf::server::S3Client client(s3.location(u"bucket"_s));
//   client.request("PUT", {}); // creates the bucket
class S3TestServer final
{
public:
    static constexpr const char *AccessKeyId = "S3RVER";
    static constexpr const char *SecretAccessKey = "S3RVER";
    static constexpr const char *Region = "us-east-1";

    S3TestServer() = default;
    ~S3TestServer();
    S3TestServer(const S3TestServer &) = delete;
    S3TestServer &operator=(const S3TestServer &) = delete;

    // Empty when it runs; otherwise why not. With `tls`, it serves HTTPS
    // with a new self-signed certificate for 127.0.0.1 (certificatePath()).
    QString start(bool tls = false);

    // "http://127.0.0.1:PORT" (https with tls); empty before start().
    QString endpoint() const;
    QString certificatePath() const { return m_root.filePath(QStringLiteral("cert.pem")); }
    // What the server wrote to stderr so far.
    QString log() const;

    // `bucket` (and `prefix` in it) on this server, with its account's keys.
    server::S3Location location(const QString &bucket, const QString &prefix = {}) const;

private:
    QString makeCertificate();

    QTemporaryDir m_root;
    QProcess m_process;
    QString m_scheme;
    quint16 m_port = 0;
};

} // namespace pf::test
