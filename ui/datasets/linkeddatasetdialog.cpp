// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "linkeddatasetdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/theme.h"

using namespace Qt::StringLiterals;

namespace pf::ui {

LinkedDatasetDialog::LinkedDatasetDialog(const models::Workspace &workspace, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_name(new QLineEdit(this))
    , m_vendor(new QComboBox(this))
    , m_storage(new QLineEdit(this))
    , m_region(new QLineEdit(this))
    , m_endpoint(new QLineEdit(this))
    , m_endpointLabel(new QLabel(tr("Endpoint:"), this))
    , m_credential(new QComboBox(this))
    , m_hint(new QLabel(this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setObjectName(u"linkedDatasetDialog"_s);
    setWindowTitle(tr("Link a bucket"));
    m_name->setObjectName(u"datasetName"_s);
    m_vendor->setObjectName(u"vendor"_s);
    m_storage->setObjectName(u"storageName"_s);
    m_region->setObjectName(u"region"_s);
    m_endpoint->setObjectName(u"endpointUrl"_s);
    m_credential->setObjectName(u"credential"_s);
    m_hint->setObjectName(u"vendorHint"_s);
    m_error->setObjectName(u"linkError"_s);

    m_vendor->addItem(tr("Amazon S3 or S3-compatible"), u"aws"_s);
    m_vendor->addItem(tr("Azure Blob Storage"), u"azure.blob"_s);
    m_vendor->addItem(tr("Google Cloud Storage"), u"gcp"_s);
    m_name->setPlaceholderText(tr("unique in the organization"));
    m_storage->setPlaceholderText(tr("bucket, or bucket/folder"));
    m_region->setPlaceholderText(tr("optional, e.g. us-east-1"));
    m_endpoint->setPlaceholderText(tr("optional, e.g. https://minio.example.com"));
    m_hint->setWordWrap(true);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    QPalette red;
    red.setColor(QPalette::WindowText,
                 isDark() ? QColor(0xf2, 0x8b, 0x82) : QColor(0xc5, 0x22, 0x1f));
    m_error->setPalette(red);

    QPushButton *linkButton = m_buttons->addButton(tr("Link"), QDialogButtonBox::AcceptRole);
    linkButton->setObjectName(u"linkButton"_s);
    linkButton->setDefault(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Storage:"), m_vendor);
    form->addRow(QString(), m_hint);
    form->addRow(tr("Bucket:"), m_storage);
    form->addRow(tr("Region:"), m_region);
    form->addRow(m_endpointLabel, m_endpoint);
    form->addRow(tr("Credential:"), m_credential);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch();
    layout->addWidget(m_buttons);
    setMinimumWidth(540);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &LinkedDatasetDialog::link);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_vendor, &QComboBox::currentIndexChanged, this, &LinkedDatasetDialog::vendorChanged);
    for (QLineEdit *edit : {m_name, m_storage})
        connect(edit, &QLineEdit::textChanged, this, &LinkedDatasetDialog::updateButton);
    connect(m_credential, &QComboBox::currentIndexChanged, this,
            &LinkedDatasetDialog::updateButton);
    vendorChanged();
}

LinkedDatasetDialog::~LinkedDatasetDialog() = default;

void LinkedDatasetDialog::vendorChanged()
{
    const QString vendor = m_vendor->currentData().toString();
    const bool aws = vendor == "aws"_L1;
    m_endpoint->setVisible(aws);
    m_endpointLabel->setVisible(aws);
    // pfd lists aws buckets itself; other stores cannot be listed yet, and
    // the server says so (501). Say it before the user tries.
    m_hint->setText(aws ? tr("pfd lists the files in the bucket (or folder) with the credential.")
                        : tr("pfd cannot list this storage yet, so linking it will be refused "
                             "for now; an S3-compatible endpoint works today."));
    m_credential->clear();
    m_credential->setEnabled(false);
    m_credential->addItem(tr("Loading credentials…"));
    m_credentialsLoaded = false;
    updateButton();
    if (!m_workspace.valid())
        return;
    const int generation = ++m_generation;
    QPointer<LinkedDatasetDialog> self(this);
    m_workspace.api->credentials(
        m_workspace.projectId, vendor,
        [self, generation, vendor](const network::Reply<QList<api::Credential>> &r) {
            if (!self || self->m_generation != generation)
                return;
            self->m_credential->clear();
            self->m_credentialsLoaded = true;
            if (!r.ok()) {
                self->m_credential->addItem(tr("Could not list credentials: %1").arg(r.message()));
            } else if (r.value.isEmpty()) {
                self->m_credential->addItem(
                    tr("No %1 credential in this project; add one under Credentials").arg(vendor));
            } else {
                for (const api::Credential &c : r.value)
                    self->m_credential->addItem(c.name, c.id);
                self->m_credential->setEnabled(true);
            }
            self->updateButton();
        });
}

void LinkedDatasetDialog::updateButton()
{
    const bool ready = !m_busy && !m_name->text().trimmed().isEmpty() &&
                       !m_storage->text().trimmed().isEmpty() &&
                       !m_credential->currentData().toString().isEmpty();
    if (auto *button = findChild<QPushButton *>(u"linkButton"_s))
        button->setEnabled(ready);
}

QJsonObject LinkedDatasetDialog::request() const
{
    QJsonObject body{{u"name"_s, m_name->text().trimmed()},
                     {u"vendor"_s, m_vendor->currentData().toString()},
                     {u"storage_name"_s, m_storage->text().trimmed()},
                     {u"credential_id"_s, m_credential->currentData().toString()}};
    if (!m_region->text().trimmed().isEmpty())
        body.insert(u"region"_s, m_region->text().trimmed());
    if (m_endpoint->isVisibleTo(this) && !m_endpoint->text().trimmed().isEmpty())
        body.insert(u"metadata"_s, QJsonObject{{u"endpoint_url"_s, m_endpoint->text().trimmed()}});
    return body;
}

void LinkedDatasetDialog::link()
{
    if (!m_workspace.valid() || m_busy)
        return;
    m_busy = true;
    m_error->hide();
    updateButton();
    QPointer<LinkedDatasetDialog> self(this);
    m_workspace.api->createDataset(m_workspace.projectId, request(),
                                   [self](const network::Reply<api::Dataset> &r) {
                                       if (!self)
                                           return;
                                       self->m_busy = false;
                                       self->updateButton();
                                       if (!r.ok()) {
                                           self->m_error->setText(r.message());
                                           self->m_error->show();
                                           return;
                                       }
                                       Q_EMIT self->linked(r.value);
                                       self->accept();
                                   });
}

} // namespace pf::ui
