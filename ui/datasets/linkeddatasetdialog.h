// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QDialog>
#include <QJsonObject>

#include "api/dataset.h"
#include "models/workspace.h"

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace pf::ui {

// Links a bucket as a dataset of the project: vendor (aws, azure.blob, gcp),
// bucket (and folder), region, and a project credential of the vendor's type
// (listed when the vendor changes). "Link" sends POST .../datastore/ and
// stays open with the server's words on failure; on success it emits
// linked() and accepts. Non-modal use: open(), not exec().
//
// objectNames: "datasetName", "vendor", "storageName", "region", "endpointUrl",
// "credential", "vendorHint", "linkError", "linkButton".
class LinkedDatasetDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LinkedDatasetDialog)

public:
    explicit LinkedDatasetDialog(const models::Workspace &workspace, QWidget *parent = nullptr);
    ~LinkedDatasetDialog() override;

    // The body of the create call, from the fields.
    QJsonObject request() const;
    // True once the vendor's credentials have arrived (or failed to).
    bool credentialsLoaded() const { return m_credentialsLoaded; }

    void link();

Q_SIGNALS:
    void linked(const api::Dataset &dataset);

private:
    void vendorChanged();
    void updateButton();

    models::Workspace m_workspace;
    QLineEdit *m_name;
    QComboBox *m_vendor;
    QLineEdit *m_storage;
    QLineEdit *m_region;
    QLineEdit *m_endpoint;
    QLabel *m_endpointLabel;
    QComboBox *m_credential;
    QLabel *m_hint;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    bool m_credentialsLoaded = false;
    bool m_busy = false;
    int m_generation = 0;
};

} // namespace pf::ui
