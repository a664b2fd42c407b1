// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "welcomedialog.h"

#include <QCommandLinkButton>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace pf::ui {

WelcomeDialog::WelcomeDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("welcomeDialog"));
    setWindowTitle(tr("Welcome to PeriFlow Studio"));
    setMinimumWidth(520);
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(choicePage());
    m_pages->addWidget(serverPage());
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
}

QWidget *WelcomeDialog::choicePage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    auto *title = new QLabel(tr("Where should your jobs run?"), page);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    title->setFont(f);
    auto *hint = new QLabel(tr("You can change this later under File › Connect."), page);
    hint->setForegroundRole(QPalette::PlaceholderText);
    auto *local = new QCommandLinkButton(
        tr("This computer"),
        tr("Start a private server here. Nothing to set up; your data stays on this machine."),
        page);
    local->setObjectName(QStringLiteral("useLocal"));
    auto *server = new QCommandLinkButton(
        tr("A server"), tr("Sign in to a shared pfd, or create an account on one."), page);
    server->setObjectName(QStringLiteral("useServer"));
    layout->addWidget(title);
    layout->addWidget(hint);
    layout->addSpacing(12);
    layout->addWidget(local);
    layout->addWidget(server);
    layout->addStretch();
    connect(local, &QCommandLinkButton::clicked, this, &WelcomeDialog::localChosen);
    connect(server, &QCommandLinkButton::clicked, this, [this] { m_pages->setCurrentIndex(1); });
    return page;
}

QWidget *WelcomeDialog::serverPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);

    auto *signInBox = new QGroupBox(tr("Sign in"), page);
    auto *form = new QFormLayout(signInBox);
    m_url = new QLineEdit(signInBox);
    m_url->setObjectName(QStringLiteral("serverUrl"));
    m_url->setPlaceholderText(QStringLiteral("https://pfd.example.org"));
    m_username = new QLineEdit(signInBox);
    m_username->setObjectName(QStringLiteral("username"));
    m_password = new QLineEdit(signInBox);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_signIn = new QPushButton(tr("Sign in"), signInBox);
    m_signIn->setObjectName(QStringLiteral("signIn"));
    m_signIn->setDefault(true);
    form->addRow(tr("Server"), m_url);
    form->addRow(tr("User name"), m_username);
    form->addRow(tr("Password"), m_password);
    form->addRow(QString(), m_signIn);

    auto *signUpBox = new QGroupBox(tr("No account yet? Sign up with the fields above and"), page);
    auto *upForm = new QFormLayout(signUpBox);
    m_name = new QLineEdit(signUpBox);
    m_name->setObjectName(QStringLiteral("signUpName"));
    m_email = new QLineEdit(signUpBox);
    m_email->setObjectName(QStringLiteral("signUpEmail"));
    m_signUp = new QPushButton(tr("Sign up"), signUpBox);
    m_signUp->setObjectName(QStringLiteral("signUp"));
    upForm->addRow(tr("Full name"), m_name);
    upForm->addRow(tr("E-mail"), m_email);
    upForm->addRow(QString(), m_signUp);

    m_message = new QLabel(page);
    m_message->setObjectName(QStringLiteral("welcomeError"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    m_trust = new QPushButton(tr("Trust this certificate"), page);
    m_trust->setObjectName(QStringLiteral("trustCertificate"));
    m_trust->hide();
    connect(m_trust, &QPushButton::clicked, this, [this] {
        m_trust->hide();
        Q_EMIT trustRequested(m_untrusted);
    });

    auto *back = new QPushButton(tr("Back"), page);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(back);
    buttons->addStretch();

    layout->addWidget(signInBox);
    layout->addWidget(signUpBox);
    layout->addWidget(m_message);
    layout->addWidget(m_trust, 0, Qt::AlignLeft);
    layout->addStretch();
    layout->addLayout(buttons);

    connect(back, &QPushButton::clicked, this, [this] { m_pages->setCurrentIndex(0); });
    connect(m_signIn, &QPushButton::clicked, this, [this] {
        const QUrl url = checkedUrl();
        if (!url.isValid())
            return;
        if (m_username->text().trimmed().isEmpty() || m_password->text().isEmpty()) {
            showError(tr("Enter your user name and password."));
            return;
        }
        Q_EMIT signInRequested(url, m_username->text().trimmed(), m_password->text());
    });
    connect(m_signUp, &QPushButton::clicked, this, [this] {
        const QUrl url = checkedUrl();
        if (!url.isValid())
            return;
        if (m_username->text().trimmed().isEmpty() || m_password->text().isEmpty() ||
            m_name->text().trimmed().isEmpty() || m_email->text().trimmed().isEmpty()) {
            showError(tr("To sign up, fill in the server, a user name, a password, your name "
                         "and your e-mail address."));
            return;
        }
        Q_EMIT signUpRequested(url, m_username->text().trimmed(), m_name->text().trimmed(),
                               m_email->text().trimmed(), m_password->text());
    });
    return page;
}

QUrl WelcomeDialog::checkedUrl()
{
    QString text = m_url->text().trimmed();
    if (!text.isEmpty() && !text.contains(QStringLiteral("://")))
        text.prepend(QStringLiteral("http://"));
    const QUrl url(text, QUrl::StrictMode);
    if (text.isEmpty() || !url.isValid() || url.host().isEmpty() ||
        (url.scheme() != u"http" && url.scheme() != u"https")) {
        showError(tr("“%1” is not a server address. Use one like https://pfd.example.org or "
                     "http://10.0.0.5:8000.")
                      .arg(m_url->text()));
        return {};
    }
    return url.adjusted(QUrl::StripTrailingSlash);
}

void WelcomeDialog::showServerPage(const QUrl &url, const QString &username, const QString &message)
{
    m_pages->setCurrentIndex(1);
    m_url->setText(url.toString());
    m_username->setText(username);
    m_password->clear();
    m_password->setFocus();
    if (message.isEmpty())
        m_message->hide();
    else
        showError(message);
}

void WelcomeDialog::showError(const QString &message)
{
    m_message->setStyleSheet(QStringLiteral("color: #d93025;"));
    m_message->setText(message);
    m_message->show();
}

void WelcomeDialog::showInfo(const QString &message)
{
    m_message->setStyleSheet(QString());
    m_message->setText(message);
    m_message->show();
}

void WelcomeDialog::showUntrusted(const QSslCertificate &certificate, const QString &message)
{
    m_untrusted = certificate;
    const QString fingerprint =
        QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
    showError(tr("%1\nIssued to: %2\nSHA-256 fingerprint: %3")
                  .arg(message, certificate.subjectInfo(QSslCertificate::CommonName).join(u", "),
                       fingerprint));
    m_trust->show();
}

void WelcomeDialog::setBusy(bool busy)
{
    m_signIn->setEnabled(!busy);
    m_signUp->setEnabled(!busy);
    if (busy) {
        m_trust->hide();
        showInfo(tr("Connecting…"));
    }
}

} // namespace pf::ui
