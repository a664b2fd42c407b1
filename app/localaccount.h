// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <QObject>
#include <QProcess>

#include "api/user.h"
#include "network/pfapi.h"
#include "network/tokenstore.h"

namespace pf::app {

// Signs the studio in to its own local pfd. The account belongs to the
// person at this computer: created with `pfd admin` on first use, with a
// generated password that lives in the keychain only, plus an org and a
// `default` project. When the keychain holds no password (a new keychain) or
// the wrong one (a new data dir), the account gets a new password the same
// way; nothing else in the data dir changes.
//
//   LocalAccount account(dataDir, &tokenStore, &api);
//   connect(&account, &LocalAccount::ready, ...);   // signed in, org and project exist
//   connect(&account, &LocalAccount::failed, ...);
//   account.signIn();
//
// Lives on the GUI thread; `store` and `api` must outlive it.
class LocalAccount final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalAccount)

public:
    LocalAccount(QString dataDir, network::TokenStore *store, network::PfApi *api,
                 QObject *parent = nullptr);

    // The account's name: this computer's user name when it is a valid pfd
    // user name, else "local".
    static QString username();
    // The keychain key of the password for `dataDir`.
    static QString keychainKey(const QString &dataDir);

    void signIn();

Q_SIGNALS:
    void ready(const pf::api::UserInfo &me);
    void failed(const QString &message);

private:
    void signInWith(const QString &password, bool provisioned);
    void provision(const QString &password, std::function<void()> then);
    void runAdmin(const QStringList &args, const QString &password,
                  std::function<void(int exitCode, const QString &output)> done);
    void ensureWorkspace();

    QString m_dataDir;
    network::TokenStore *m_store;
    network::PfApi *m_api;
};

} // namespace pf::app
