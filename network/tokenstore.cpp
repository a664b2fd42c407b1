// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "tokenstore.h"

#include <qt6keychain/keychain.h>

namespace pf::network {

namespace {

// The keychain's failure in a sentence for the user.
QString describe(const QKeychain::Job &job)
{
    switch (job.error()) {
    case QKeychain::NoError:
        return {};
    case QKeychain::NoBackendAvailable:
        return QStringLiteral("No keychain is available on this desktop (%1); start a Secret "
                              "Service such as GNOME Keyring or KWallet.")
            .arg(job.errorString());
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return QStringLiteral("The keychain refused access: %1").arg(job.errorString());
    default:
        return QStringLiteral("The keychain failed: %1").arg(job.errorString());
    }
}

} // namespace

KeychainTokenStore::KeychainTokenStore(QString service, QObject *parent)
    : TokenStore(parent)
    , m_service(std::move(service))
{}

void KeychainTokenStore::read(const QString &key, ReadDone done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *j) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(j);
        if (j->error() == QKeychain::EntryNotFound)
            return done(std::nullopt, QString());
        if (j->error() != QKeychain::NoError)
            return done(std::nullopt, describe(*j));
        done(read->textData(), QString());
    });
    job->start();
}

void KeychainTokenStore::write(const QString &key, const QString &secret, Done done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this,
            [done = std::move(done)](QKeychain::Job *j) { done(describe(*j)); });
    job->start();
}

void KeychainTokenStore::remove(const QString &key, Done done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *j) {
        done(j->error() == QKeychain::EntryNotFound ? QString() : describe(*j));
    });
    job->start();
}

void MemoryTokenStore::read(const QString &key, ReadDone done)
{
    const auto it = m_secrets.constFind(key);
    const std::optional<QString> secret =
        it == m_secrets.cend() ? std::nullopt : std::optional<QString>(*it);
    QMetaObject::invokeMethod(
        this, [done = std::move(done), secret] { done(secret, QString()); }, Qt::QueuedConnection);
}

void MemoryTokenStore::write(const QString &key, const QString &secret, Done done)
{
    m_secrets.insert(key, secret);
    QMetaObject::invokeMethod(
        this, [done = std::move(done)] { done(QString()); }, Qt::QueuedConnection);
}

void MemoryTokenStore::remove(const QString &key, Done done)
{
    m_secrets.remove(key);
    QMetaObject::invokeMethod(
        this, [done = std::move(done)] { done(QString()); }, Qt::QueuedConnection);
}

} // namespace pf::network
