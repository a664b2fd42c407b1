// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "s3testserver.h"

#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace pf::test {

using namespace Qt::StringLiterals;

S3TestServer::~S3TestServer()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
}

QString S3TestServer::start(bool tls)
{
    const QString dir = QStringLiteral(PF_S3_SERVER_DIR);
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    if (node.isEmpty() || !QFileInfo::exists(dir + u"/node_modules/@20minutes/s3rver"_s))
        return u"The S3 test server is not installed (%1): run scripts/install-deps.sh, "
               u"which installs Node.js and runs `npm ci --prefix tests/s3`."_s.arg(
                   node.isEmpty() ? u"no node on PATH"_s : dir + u"/node_modules is missing"_s);
    if (!m_root.isValid())
        return u"no temporary folder"_s;
    // s3rver's continuation tokens are DES-encrypted, which OpenSSL 3 keeps
    // in its legacy provider.
    QStringList args{u"--openssl-legacy-provider"_s, dir + u"/s3server.js"_s,
                     m_root.filePath(u"data"_s)};
    if (tls) {
        const QString error = makeCertificate();
        if (!error.isEmpty())
            return error;
        args << m_root.filePath(u"key.pem"_s) << certificatePath();
    }
    m_process.setProgram(node);
    m_process.setArguments(args);
    m_process.setStandardErrorFile(m_root.filePath(u"s3server.log"_s));
    m_process.start();
    if (!m_process.waitForStarted(10000))
        return u"node did not start: %1"_s.arg(m_process.errorString());
    while (!m_process.canReadLine()) {
        if (!m_process.waitForReadyRead(30000))
            return u"the S3 test server printed no port; its log:\n%1"_s.arg(log());
    }
    const QByteArray line = m_process.readLine().trimmed();
    bool ok = false;
    m_port = line.startsWith("port ") ? line.mid(5).toUShort(&ok) : 0;
    if (!ok || m_port == 0)
        return u"the S3 test server's first line is not its port: %1"_s.arg(
            QString::fromUtf8(line));
    m_scheme = tls ? u"https"_s : u"http"_s;
    return {};
}

QString S3TestServer::endpoint() const
{
    return m_port == 0 ? QString() : u"%1://127.0.0.1:%2"_s.arg(m_scheme).arg(m_port);
}

QString S3TestServer::log() const
{
    QFile f(m_root.filePath(u"s3server.log"_s));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

server::S3Location S3TestServer::location(const QString &bucket, const QString &prefix) const
{
    server::S3Location l;
    l.endpoint = endpoint();
    l.region = QString::fromLatin1(Region);
    l.bucket = bucket;
    l.prefix = prefix;
    l.accessKeyId = QString::fromLatin1(AccessKeyId);
    l.secretAccessKey = QString::fromLatin1(SecretAccessKey);
    return l;
}

QString S3TestServer::makeCertificate()
{
    QProcess openssl;
    openssl.start(u"openssl"_s,
                  {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                   u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-days"_s, u"1"_s, u"-subj"_s,
                   u"/CN=127.0.0.1"_s, u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s,
                   m_root.filePath(u"key.pem"_s), u"-out"_s, certificatePath()});
    if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit ||
        openssl.exitCode() != 0)
        return u"openssl could not make a test certificate (%1): %2"_s.arg(
            openssl.errorString(), QString::fromUtf8(openssl.readAllStandardError()));
    return {};
}

} // namespace pf::test
