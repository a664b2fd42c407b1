// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QList>

#include "api/credential.h"
#include "ui/pane.h"

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace pf::models {
class CredentialsModel;
}

namespace pf::ui {

class CredentialForm;
class InlineMessage;
class StatePage;

// The project's credentials: a list without secrets, and a page that makes a
// new one from a form generated from its type's JSON Schema (as GET
// /api/credential_type/ serves it). The form is checked on this side first;
// what the server refuses (422) is shown beside the field it names.
//
// Actions: New credential (Ctrl+N), Rename (F2), Delete (Del, asks first);
// shown to develop and up (the server lets developers change only their own).
// Widgets: "credentialsView", "credentialType", "credentialName",
// "credentialForm", "createCredential", "cancelCredential".
class CredentialsPane final : public Pane
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialsPane)

public:
    explicit CredentialsPane(QWidget *parent = nullptr);
    ~CredentialsPane() override;

    void setWorkspace(const models::Workspace &workspace) override;
    void refresh() override;
    QList<Item> paletteItems() const override;
    void openItem(const QString &key) override;

    models::CredentialsModel *model() const { return m_model; }
    // Opens the new-credential page with `type` picked (the first type when
    // empty); the types must have loaded (typesLoaded()).
    void startCreate(const QString &type = {});
    bool typesLoaded() const { return !m_types.isEmpty(); }

Q_SIGNALS:
    void typesReady();

private:
    void updateState();
    void updateActions();
    void loadTypes();
    void pickType(int index);
    void submit();
    void renameCurrent();
    void deleteCurrent();
    int currentRow() const;

    models::Workspace m_workspace;
    models::CredentialsModel *m_model;
    QList<api::CredentialType> m_types;
    InlineMessage *m_message;
    QStackedWidget *m_stack;
    StatePage *m_state;
    QTableView *m_view;
    QWidget *m_editor;
    QComboBox *m_type;
    QLabel *m_typeHint;
    QLineEdit *m_name;
    QLabel *m_nameError;
    CredentialForm *m_form;
    QPushButton *m_create;
    QAction *m_newAction;
    QAction *m_renameAction;
    QAction *m_deleteAction;
    bool m_typesLoading = false;
};

} // namespace pf::ui
