// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "invitedialog.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace pf::ui {

namespace {
using namespace Qt::StringLiterals;
} // namespace

InviteDialog::InviteDialog(const models::Workspace &workspace, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_email(new QLineEdit(this))
    , m_message(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_send(new QPushButton(tr("Create Invitation"), this))
    , m_result(new QWidget(this))
    , m_resultText(new QLabel(m_result))
    , m_token(new QLineEdit(m_result))
    , m_key(new QLineEdit(m_result))
{
    setObjectName(u"inviteDialog"_s);
    setWindowTitle(
        tr("Invite to %1")
            .arg(workspace.orgName.isEmpty() ? tr("the organization") : workspace.orgName));
    m_email->setObjectName(u"inviteEmail"_s);
    m_email->setPlaceholderText(tr("name@example.com"));
    m_message->setObjectName(u"inviteMessage"_s);
    m_message->setPlaceholderText(tr("Optional note for them"));
    m_error->setObjectName(u"inviteError"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(palette().color(QPalette::Window).lightness() < 128
                               ? u"color: #f28b82;"_s
                               : u"color: #c5221f;"_s);
    m_error->hide();
    m_send->setObjectName(u"sendInvite"_s);
    m_send->setDefault(true);

    auto *intro = new QLabel(tr("They join as a member of the organization. Someone with an "
                                "account on this server confirms the code below to join."),
                             this);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("E-mail *"), m_email);
    form->addRow(tr("Note"), m_message);

    m_result->setObjectName(u"inviteResult"_s);
    m_resultText->setWordWrap(true);
    m_token->setObjectName(u"inviteEmailToken"_s);
    m_key->setObjectName(u"inviteKey"_s);
    for (QLineEdit *e : {m_token, m_key}) {
        e->setReadOnly(true);
        QFont mono(u"monospace"_s);
        mono.setStyleHint(QFont::Monospace);
        e->setFont(mono);
    }
    auto *copy = new QPushButton(tr("Copy Both"), m_result);
    copy->setObjectName(u"copyInvite"_s);
    auto *resultForm = new QFormLayout(m_result);
    resultForm->setContentsMargins(0, 8, 0, 0);
    resultForm->addRow(m_resultText);
    resultForm->addRow(tr("E-mail token"), m_token);
    resultForm->addRow(tr("Key"), m_key);
    resultForm->addRow(QString(), copy);
    m_result->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_send, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_result);
    layout->addStretch(1);
    layout->addWidget(buttons);
    resize(520, sizeHint().height());

    connect(m_send, &QPushButton::clicked, this, &InviteDialog::send);
    connect(m_email, &QLineEdit::returnPressed, this, &InviteDialog::send);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(code()); });
}

InviteDialog::~InviteDialog() = default;

QString InviteDialog::code() const
{
    if (m_token->text().isEmpty())
        return {};
    return u"email_token=%1 key=%2"_s.arg(m_token->text(), m_key->text());
}

void InviteDialog::send()
{
    const QString email = m_email->text().trimmed();
    if (!email.contains(u'@')) {
        m_error->setText(tr("Enter the e-mail address of the person to invite."));
        m_error->show();
        return;
    }
    if (!m_workspace.api || !m_send->isEnabled())
        return;
    m_error->hide();
    m_send->setEnabled(false);
    QPointer<InviteDialog> self(this);
    m_workspace.api->inviteToOrg(
        m_workspace.orgId, email, m_message->text(),
        [self, email](const network::Reply<network::Invitation> &r) {
            if (!self)
                return;
            self->m_send->setEnabled(true);
            if (!r.ok()) {
                self->m_error->setText(r.message());
                self->m_error->show();
                return;
            }
            self->m_token->setText(r.value.emailToken);
            self->m_key->setText(r.value.key);
            self->m_resultText->setText(
                tr("Invitation for %1 made. Pass both on to them; they join by confirming "
                   "them while signed in. The key is shown only now.")
                    .arg(r.value.email.isEmpty() ? email : r.value.email));
            self->m_result->show();
            // Grow to fit the code and the wrapped note above it.
            self->layout()->activate();
            self->resize(self->width(), self->heightForWidth(self->width()) > 0
                                            ? self->heightForWidth(self->width())
                                            : self->sizeHint().height());
            self->m_send->setText(tr("Invite Another"));
            self->m_email->selectAll();
            Q_EMIT self->invited(email);
        });
}

} // namespace pf::ui
