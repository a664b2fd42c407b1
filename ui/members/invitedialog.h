// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QDialog>

#include "models/workspace.h"

class QLabel;
class QLineEdit;
class QPushButton;

namespace pf::ui {

// Invites someone to the workspace's org by e-mail and then shows the code
// they need to join (pfd without a mail server hands it to the inviter):
// the e-mail token and the key, each copyable, and "Copy both". Non-modal
// (open() it). Widgets: "inviteEmail", "inviteMessage", "sendInvite",
// "inviteError", "inviteEmailToken", "inviteKey", "copyInvite".
class InviteDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InviteDialog)

public:
    explicit InviteDialog(const models::Workspace &workspace, QWidget *parent = nullptr);
    ~InviteDialog() override;

    // "email_token=… key=…", what "Copy both" puts on the clipboard; empty
    // until the invitation is made.
    QString code() const;

Q_SIGNALS:
    void invited(const QString &email);

private:
    void send();

    models::Workspace m_workspace;
    QLineEdit *m_email;
    QLineEdit *m_message;
    QLabel *m_error;
    QPushButton *m_send;
    QWidget *m_result;
    QLabel *m_resultText;
    QLineEdit *m_token;
    QLineEdit *m_key;
};

} // namespace pf::ui
