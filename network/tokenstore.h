// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>
#include <optional>

#include <QHash>
#include <QObject>
#include <QString>

namespace pf::network {

// Where the studio keeps secrets (refresh tokens, the local account's
// password): never in QSettings. Every call is asynchronous and answers
// later on the caller's thread, exactly once, never inside the call.
//
//   store.write(u"https://pf.example.org|alice"_s, refreshToken, [](const QString &error) {...});
//   store.read(key, [](std::optional<QString> secret, const QString &error) {...});
//
// A read of a key that holds nothing answers nullopt with no error; any
// other failure answers nullopt and a sentence a person understands.
class TokenStore : public QObject
{
    Q_OBJECT

public:
    using ReadDone = std::function<void(std::optional<QString> secret, const QString &error)>;
    using Done = std::function<void(const QString &error)>; // empty error: done

    using QObject::QObject;

    virtual void read(const QString &key, ReadDone done) = 0;
    virtual void write(const QString &key, const QString &secret, Done done) = 0;
    // Removing a key that holds nothing is not an error.
    virtual void remove(const QString &key, Done done) = 0;
};

// The desktop's keychain through QtKeychain (the Secret Service on Linux),
// under the service name given ("pfstudio" in the studio).
class KeychainTokenStore final : public TokenStore
{
    Q_OBJECT

public:
    explicit KeychainTokenStore(QString service, QObject *parent = nullptr);

    void read(const QString &key, ReadDone done) override;
    void write(const QString &key, const QString &secret, Done done) override;
    void remove(const QString &key, Done done) override;

private:
    QString m_service;
};

// Secrets in memory, for tests and for a session that must not touch the
// keychain. Answers are queued like the keychain's.
class MemoryTokenStore final : public TokenStore
{
    Q_OBJECT

public:
    using TokenStore::TokenStore;

    void read(const QString &key, ReadDone done) override;
    void write(const QString &key, const QString &secret, Done done) override;
    void remove(const QString &key, Done done) override;

private:
    QHash<QString, QString> m_secrets;
};

} // namespace pf::network
