// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QDialog>
#include <QSslCertificate>
#include <QUrl>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace pf::ui {

// The first-run question: train on "This computer" (the embedded local
// server) or on "A server" (URL, user name, password; or sign up there).
// The dialog only asks; whoever opened it does the work and answers with
// setBusy()/showError(), and closes it (accept()) once signed in.
// objectNames: "useLocal", "useServer", "serverUrl", "username", "password",
// "signIn", "signUpName", "signUpEmail", "signUp", "welcomeError".
class WelcomeDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WelcomeDialog)

public:
    explicit WelcomeDialog(QWidget *parent = nullptr);

    // Opens on the server page with these filled in (after a sign-out).
    void showServerPage(const QUrl &url, const QString &username, const QString &message = {});
    void showError(const QString &message);
    void showInfo(const QString &message);
    void setBusy(bool busy);
    // The server's certificate is not trusted: shows why and its SHA-256
    // fingerprint, with a "Trust this certificate" button ("trustCertificate").
    void showUntrusted(const QSslCertificate &certificate, const QString &message);

Q_SIGNALS:
    void localChosen();
    void signInRequested(const QUrl &url, const QString &username, const QString &password);
    void signUpRequested(const QUrl &url, const QString &username, const QString &name,
                         const QString &email, const QString &password);
    // The user checked the fingerprint and trusts this certificate for the
    // server; the sign-in should be tried again.
    void trustRequested(const QSslCertificate &certificate);

private:
    QWidget *choicePage();
    QWidget *serverPage();
    // The URL as typed, with http:// added when no scheme is given; invalid
    // (with the reason shown) when it is not a server address.
    QUrl checkedUrl();

    QStackedWidget *m_pages = nullptr;
    QLineEdit *m_url = nullptr;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_email = nullptr;
    QPushButton *m_signIn = nullptr;
    QPushButton *m_signUp = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_trust = nullptr;
    QSslCertificate m_untrusted;
};

} // namespace pf::ui
