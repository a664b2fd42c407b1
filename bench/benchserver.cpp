// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "benchserver.h"

#include <cstdio>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>

namespace pf::bench {

BenchServer::BenchServer(const QByteArray &extraConfig)
    : m_extraConfig(extraConfig)
{}

BenchServer::~BenchServer()
{
    if (m_pfd.state() != QProcess::NotRunning) {
        m_pfd.terminate();
        m_pfd.waitForFinished(20000);
    }
}

QString BenchServer::bin(const QString &name)
{
    return QCoreApplication::applicationDirPath() + u'/' + name;
}

bool BenchServer::start()
{
    QDir().mkpath(scratch());
    const QString config = m_dir.filePath(QStringLiteral("pfd.yaml"));
    {
        QFile f(config);
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write("auth: {password_hashing: minimal}\naccess_log: false\n" + m_extraConfig);
    }
    const QString data = m_dir.filePath(QStringLiteral("data"));
    QProcess admin;
    admin.start(bin(QStringLiteral("pfd")),
                {QStringLiteral("admin"), QStringLiteral("create-user"),
                 QStringLiteral("--username"), QStringLiteral("bench"), QStringLiteral("--email"),
                 QStringLiteral("bench@example.test"), QStringLiteral("--password"),
                 QStringLiteral("bench-password"), QStringLiteral("--data-dir"), data,
                 QStringLiteral("--config"), config});
    admin.waitForFinished(-1);
    m_pfd.setStandardErrorFile(m_dir.filePath(QStringLiteral("pfd.log")));
    m_pfd.start(bin(QStringLiteral("pfd")),
                {QStringLiteral("--data-dir"), data, QStringLiteral("--listen"),
                 QStringLiteral("127.0.0.1:0"), QStringLiteral("--config"), config});
    while (!m_pfd.canReadLine() && m_pfd.waitForReadyRead(30000)) {
    }
    m_port = quint16(m_pfd.readLine().trimmed().toUInt());
    if (m_port == 0) {
        std::fprintf(stderr, "pfd did not start\n");
        return false;
    }
    m_client = std::make_unique<test::HttpClient>("127.0.0.1", m_port);
    const auto login =
        m_client->postForm(QStringLiteral("/api/token/"),
                           {{QStringLiteral("username"), QStringLiteral("bench")},
                            {QStringLiteral("password"), QStringLiteral("bench-password")}});
    m_access = login.json().value(QStringLiteral("access_token")).toString();
    m_refresh = login.json().value(QStringLiteral("refresh_token")).toString();
    m_client->setToken(m_access);
    const QString org = m_client
                            ->postJson(QStringLiteral("/auth/pf_group"),
                                       {{QStringLiteral("name"), QStringLiteral("o")}})
                            .json()
                            .value(QStringLiteral("id"))
                            .toString();
    m_projectId = m_client
                      ->postJson(QStringLiteral("/auth/pf_group/%1/pf_project").arg(org),
                                 {{QStringLiteral("name"), QStringLiteral("p")}})
                      .json()
                      .value(QStringLiteral("id"))
                      .toString();
    if (m_projectId.isEmpty()) {
        std::fprintf(stderr, "cannot sign in and make a project\n");
        return false;
    }
    return true;
}

double timeCommand(const QString &script)
{
    QProcess p;
    QElapsedTimer t;
    t.start();
    p.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script});
    p.waitForFinished(-1);
    return double(t.nsecsElapsed()) / 1e9;
}

} // namespace pf::bench
