// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "credentialspane.h"

#include <QAction>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include "api/apierror.h"
#include "models/credentialsmodel.h"
#include "ui/credentials/credentialform.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

namespace pf::ui {

namespace {
Q_LOGGING_CATEGORY(lcCredentials, "pf.ui.credentials")

using namespace Qt::StringLiterals;
using models::CredentialsModel;

enum Page { StateIndex, ListIndex, EditorIndex };
} // namespace

CredentialsPane::CredentialsPane(QWidget *parent)
    : Pane(parent)
    , m_model(new CredentialsModel(this))
    , m_message(new InlineMessage(this))
    , m_stack(new QStackedWidget(this))
    , m_state(new StatePage(m_stack))
    , m_view(new QTableView(m_stack))
    , m_editor(new QWidget(m_stack))
    , m_type(new QComboBox(m_editor))
    , m_typeHint(new QLabel(m_editor))
    , m_name(new QLineEdit(m_editor))
    , m_nameError(new QLabel(m_editor))
    , m_form(new CredentialForm(m_editor))
    , m_create(new QPushButton(tr("Create credential"), m_editor))
    , m_newAction(new QAction(tr("New Credential…"), this))
    , m_renameAction(new QAction(tr("Rename Credential…"), this))
    , m_deleteAction(new QAction(tr("Delete Credential"), this))
{
    setObjectName(u"credentialsPane"_s);
    auto *toolbar = new QToolBar(this);
    toolbar->setObjectName(u"credentialsToolbar"_s);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_newAction);
    toolbar->addSeparator();
    toolbar->addAction(m_renameAction);
    toolbar->addAction(m_deleteAction);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(toolbar);
    layout->addWidget(m_message);
    layout->addWidget(m_stack, 1);

    m_view->setObjectName(u"credentialsView"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(CredentialsModel::Name, QHeaderView::Stretch);
    m_view->setAlternatingRowColors(true);

    // The new-credential page.
    m_editor->setObjectName(u"credentialEditor"_s);
    m_type->setObjectName(u"credentialType"_s);
    m_name->setObjectName(u"credentialName"_s);
    m_name->setPlaceholderText(tr("e.g. team-s3 or my-wandb"));
    m_nameError->setObjectName(u"error_name"_s);
    m_nameError->setWordWrap(true);
    m_nameError->hide();
    m_nameError->setStyleSheet(palette().color(QPalette::Window).lightness() < 128
                                   ? u"color: #f28b82;"_s
                                   : u"color: #c5221f;"_s);
    m_typeHint->setObjectName(u"credentialTypeHint"_s);
    m_typeHint->setWordWrap(true);
    m_typeHint->setForegroundRole(QPalette::PlaceholderText);
    m_create->setObjectName(u"createCredential"_s);
    m_create->setDefault(true);
    auto *cancel = new QPushButton(tr("Cancel"), m_editor);
    cancel->setObjectName(u"cancelCredential"_s);

    auto *title = new QLabel(tr("New credential"), m_editor);
    QFont big = title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    title->setFont(big);
    auto *head = new QFormLayout;
    auto *nameCell = new QWidget(m_editor);
    auto *nameColumn = new QVBoxLayout(nameCell);
    nameColumn->setContentsMargins(0, 0, 0, 0);
    nameColumn->setSpacing(2);
    nameColumn->addWidget(m_name);
    nameColumn->addWidget(m_nameError);
    head->addRow(tr("Type"), m_type);
    head->addRow(QString(), m_typeHint);
    head->addRow(tr("Name *"), nameCell);
    auto *scroll = new QScrollArea(m_editor);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *formHolder = new QWidget(scroll);
    auto *formLayout = new QVBoxLayout(formHolder);
    formLayout->setContentsMargins(0, 0, 0, 0);
    formLayout->addWidget(m_form);
    formLayout->addStretch(1);
    scroll->setWidget(formHolder);
    auto *buttons = new QHBoxLayout;
    auto *required = new QLabel(tr("* required. Secrets are encrypted on the server and never "
                                   "shown in lists."),
                                m_editor);
    required->setForegroundRole(QPalette::PlaceholderText);
    required->setWordWrap(true);
    buttons->addWidget(required, 1);
    buttons->addWidget(cancel);
    buttons->addWidget(m_create);
    auto *editorLayout = new QVBoxLayout(m_editor);
    editorLayout->addWidget(title);
    editorLayout->addLayout(head);
    editorLayout->addWidget(scroll, 1);
    editorLayout->addLayout(buttons);

    m_stack->insertWidget(StateIndex, m_state);
    m_stack->insertWidget(ListIndex, m_view);
    m_stack->insertWidget(EditorIndex, m_editor);

    m_newAction->setObjectName(u"newCredentialAction"_s);
    m_newAction->setShortcut(QKeySequence::New);
    m_newAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_renameAction->setObjectName(u"renameCredentialAction"_s);
    m_renameAction->setShortcut(Qt::Key_F2);
    m_renameAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_deleteAction->setObjectName(u"deleteCredentialAction"_s);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_newAction);
    addAction(m_renameAction);
    addAction(m_deleteAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addAction(m_renameAction);
    m_view->addAction(m_deleteAction);

    connect(m_newAction, &QAction::triggered, this, [this] { startCreate(); });
    connect(m_renameAction, &QAction::triggered, this, &CredentialsPane::renameCurrent);
    connect(m_deleteAction, &QAction::triggered, this, &CredentialsPane::deleteCurrent);
    connect(m_type, &QComboBox::currentIndexChanged, this, &CredentialsPane::pickType);
    connect(m_create, &QPushButton::clicked, this, &CredentialsPane::submit);
    connect(m_name, &QLineEdit::returnPressed, this, &CredentialsPane::submit);
    connect(cancel, &QPushButton::clicked, this, [this] {
        m_stack->setCurrentIndex(m_model->rowCount() > 0 ? ListIndex : StateIndex);
        updateState();
    });
    connect(m_state, &StatePage::actionTriggered, this, [this] { startCreate(); });
    connect(m_state, &StatePage::retryRequested, this, &CredentialsPane::refresh);
    connect(m_model, &CredentialsModel::loaded, this, &CredentialsPane::updateState);
    connect(m_model, &CredentialsModel::failed, this, &CredentialsPane::updateState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &CredentialsPane::updateState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &CredentialsPane::updateState);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &CredentialsPane::updateActions);
    updateState();
}

CredentialsPane::~CredentialsPane() = default;

void CredentialsPane::setWorkspace(const models::Workspace &workspace)
{
    const bool newApi = workspace.api != m_workspace.api;
    m_workspace = workspace;
    m_message->hide();
    if (newApi) {
        m_types.clear();
        m_type->clear();
    }
    m_stack->setCurrentIndex(StateIndex);
    m_model->setWorkspace(workspace);
    if (workspace.valid() && m_types.isEmpty())
        loadTypes();
    updateState();
}

void CredentialsPane::refresh()
{
    m_model->refresh();
    if (m_workspace.valid() && m_types.isEmpty())
        loadTypes();
    updateState();
}

void CredentialsPane::loadTypes()
{
    if (m_typesLoading)
        return;
    m_typesLoading = true;
    QPointer<CredentialsPane> self(this);
    m_workspace.api->credentialTypes([self](const network::Reply<QList<api::CredentialType>> &r) {
        if (!self)
            return;
        self->m_typesLoading = false;
        if (!r.ok()) {
            qCDebug(lcCredentials) << "types failed:" << r.message();
            self->m_message->showError(
                tr("Could not load the credential types: %1").arg(r.message()));
            return;
        }
        self->m_types = r.value;
        const QSignalBlocker block(self->m_type);
        self->m_type->clear();
        for (const api::CredentialType &t : std::as_const(self->m_types)) {
            const QJsonObject schema =
                t.versions.isEmpty() ? QJsonObject() : t.versions.last().schema;
            const QString title = schema.value("title"_L1).toString();
            self->m_type->addItem(
                title.isEmpty() ? t.typeName : tr("%1 (%2)").arg(title, t.typeName), t.typeName);
        }
        self->updateActions();
        Q_EMIT self->typesReady();
    });
}

void CredentialsPane::startCreate(const QString &type)
{
    if (!m_workspace.valid() || !m_newAction->isEnabled())
        return;
    if (m_types.isEmpty()) {
        m_message->showInfo(tr("The credential types are still loading; try again in a moment."));
        loadTypes();
        return;
    }
    m_message->hide();
    const int index = type.isEmpty() ? qMax(0, m_type->currentIndex()) : m_type->findData(type);
    {
        const QSignalBlocker block(m_type);
        m_type->setCurrentIndex(qMax(0, index));
    }
    pickType(m_type->currentIndex());
    m_name->clear();
    m_nameError->hide();
    m_stack->setCurrentIndex(EditorIndex);
    m_type->setFocus();
}

void CredentialsPane::pickType(int index)
{
    if (index < 0 || index >= m_types.size())
        return;
    const api::CredentialType &t = m_types.at(index);
    const QJsonObject schema = t.versions.isEmpty() ? QJsonObject() : t.versions.last().schema;
    m_typeHint->setText(schema.value("description"_L1).toString());
    m_typeHint->setVisible(!m_typeHint->text().isEmpty());
    m_form->setSchema(schema);
}

void CredentialsPane::submit()
{
    const int index = m_type->currentIndex();
    if (index < 0 || index >= m_types.size() || !m_create->isEnabled())
        return;
    const api::CredentialType &t = m_types.at(index);
    m_message->hide();
    const QString name = m_name->text().trimmed();
    m_nameError->setVisible(name.isEmpty());
    m_nameError->setText(tr("Give the credential a name, so jobs can refer to it."));
    const bool formOk = m_form->validate();
    if (name.isEmpty() || !formOk)
        return;
    m_create->setEnabled(false);
    QPointer<CredentialsPane> self(this);
    const int version = t.versions.isEmpty() ? 1 : t.versions.last().typeVersion;
    m_model->create(
        t.typeName, name, version, m_form->value(), [self, name](const network::ApiResult &r) {
            if (!self)
                return;
            self->m_create->setEnabled(true);
            if (r.ok()) {
                self->m_stack->setCurrentIndex(ListIndex);
                for (int row = 0; row < self->m_model->rowCount(); ++row) {
                    if (self->m_model->credential(row).name == name)
                        self->m_view->selectRow(row);
                }
                self->updateState();
                Q_EMIT self->statusMessage(tr("Created credential “%1”.").arg(name));
                return;
            }
            // Field errors go beside their fields; the rest above.
            const api::ApiError error = api::ApiError::fromJson(r.status, r.json.object());
            QList<api::FieldError> valueErrors;
            for (const api::FieldError &e : error.errors()) {
                if (e.path == "name"_L1) {
                    self->m_nameError->setText(e.message);
                    self->m_nameError->show();
                } else {
                    valueErrors.append(e);
                }
            }
            self->m_form->showErrors(valueErrors, u"value"_s);
            self->m_message->showError(r.message);
        });
}

int CredentialsPane::currentRow() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void CredentialsPane::renameCurrent()
{
    const int row = currentRow();
    if (row < 0 || !m_renameAction->isEnabled())
        return;
    const api::Credential c = m_model->credential(row);
    const std::optional<QString> name = MessageBox::askText(
        this, tr("Rename credential"), tr("New name of “%1”:").arg(c.name), c.name);
    if (!name || name->trimmed().isEmpty() || *name == c.name)
        return;
    QPointer<CredentialsPane> self(this);
    m_model->rename(c.id, name->trimmed(), [self](const network::ApiResult &r) {
        if (self && !r.ok())
            self->m_message->showError(tr("Could not rename the credential: %1").arg(r.message));
    });
}

void CredentialsPane::deleteCurrent()
{
    const int row = currentRow();
    if (row < 0 || !m_deleteAction->isEnabled())
        return;
    const api::Credential c = m_model->credential(row);
    if (!MessageBox::confirm(this, tr("Delete credential"),
                             tr("Delete the %1 credential “%2”? Jobs that use it will no longer "
                                "get its secret.")
                                 .arg(c.type, c.name),
                             tr("Delete")))
        return;
    QPointer<CredentialsPane> self(this);
    const QString name = c.name;
    m_model->remove(c.id, [self, name](const network::ApiResult &r) {
        if (!self)
            return;
        if (r.ok())
            Q_EMIT self->statusMessage(tr("Deleted credential “%1”.").arg(name));
        else
            self->m_message->showError(tr("Could not delete the credential: %1").arg(r.message));
    });
}

void CredentialsPane::updateState()
{
    updateActions();
    if (m_stack->currentIndex() == EditorIndex)
        return;
    if (!m_workspace.valid()) {
        m_state->showEmpty(tr("No project"), tr("Sign in and pick a project to see its "
                                                "credentials."));
        m_stack->setCurrentIndex(StateIndex);
        return;
    }
    switch (m_model->state()) {
    case CredentialsModel::State::Empty:
    case CredentialsModel::State::Loading:
        if (m_model->rowCount() == 0) {
            m_state->showLoading(tr("Loading credentials…"));
            m_stack->setCurrentIndex(StateIndex);
        }
        return;
    case CredentialsModel::State::Failed:
        m_state->showError(m_model->errorString());
        m_stack->setCurrentIndex(StateIndex);
        return;
    case CredentialsModel::State::Loaded:
        break;
    }
    if (m_model->rowCount() > 0) {
        m_stack->setCurrentIndex(ListIndex);
        return;
    }
    if (m_newAction->isEnabled())
        m_state->showEmpty(tr("No credentials yet"),
                           tr("Credentials hold the secrets jobs need: registry logins, cloud "
                              "keys, W&B or Slack tokens. Add one with Ctrl+N."),
                           tr("New credential"));
    else
        m_state->showEmpty(tr("No credentials yet"),
                           tr("A developer of this project can add the secrets jobs need."));
    m_stack->setCurrentIndex(StateIndex);
}

void CredentialsPane::updateActions()
{
    const bool canEdit = m_workspace.valid() && m_workspace.atLeast(api::ProjectRole::Develop);
    const bool haveRow = currentRow() >= 0;
    m_newAction->setVisible(canEdit);
    m_newAction->setEnabled(canEdit);
    m_renameAction->setVisible(canEdit);
    m_renameAction->setEnabled(canEdit && haveRow);
    m_deleteAction->setVisible(canEdit);
    m_deleteAction->setEnabled(canEdit && haveRow);
}

QList<Pane::Item> CredentialsPane::paletteItems() const
{
    QList<Item> items;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const api::Credential c = m_model->credential(row);
        items.append({tr("credential %1 (%2)").arg(c.name, c.type), c.id});
    }
    return items;
}

void CredentialsPane::openItem(const QString &key)
{
    const int row = m_model->rowOf(key);
    if (row < 0)
        return;
    m_stack->setCurrentIndex(ListIndex);
    m_view->selectRow(row);
    m_view->setFocus();
}

} // namespace pf::ui
