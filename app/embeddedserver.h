// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QObject>
#include <QProcess>
#include <QUrl>

namespace pf::app {

// The studio's own pfd: `pfd --listen 127.0.0.1:0 --data-dir DIR`, started as a
// child process and stopped (SIGTERM, then kill) when this object goes away.
// When a pfd already serves DIR (another studio window or instance started
// it: DIR/run/pfd.url names it and it answers), that one is used instead and
// left running on stop(). Lives on the GUI thread; everything is asynchronous.
//
//   EmbeddedServer server(dataDir);
//   connect(&server, &EmbeddedServer::ready, this, [](const QUrl &base) { ... });
//   connect(&server, &EmbeddedServer::failed, this, [](const QString &why) { ... });
//   server.start();
class EmbeddedServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmbeddedServer)

public:
    explicit EmbeddedServer(QString dataDir, QObject *parent = nullptr);
    ~EmbeddedServer() override;

    // The default data dir: pfstudio/server under the user's XDG data folder.
    static QString defaultDataDir();
    // pfd next to the studio's binary, else on PATH.
    static QString pfdProgram();

    void start();
    void stop();
    QUrl baseUrl() const { return m_baseUrl; }
    // True when the server is one this object did not start.
    bool reused() const { return m_reused; }
    const QString &dataDir() const { return m_dataDir; }

Q_SIGNALS:
    void ready(const QUrl &baseUrl);
    // Before ready (could not start) or after (the server ended on its own).
    void failed(const QString &message);

private:
    void spawn();
    void readPort();
    void onFinished(int exitCode, QProcess::ExitStatus status);

    QString m_dataDir;
    QProcess m_process;
    QUrl m_baseUrl;
    QByteArray m_stdout;
    bool m_stopping = false;
    bool m_reused = false;
};

} // namespace pf::app
