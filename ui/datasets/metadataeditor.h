// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace pf::ui {

// A dataset's metadata as JSON text, checked as the user types: Apply is
// enabled only for a JSON object that differs from the one shown; errors
// say where ("Line 2, column 9: …"). objectNames: "metadataText",
// "metadataStatus", "applyMetadata", "revertMetadata".
class MetadataEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetadataEditor)

public:
    explicit MetadataEditor(QWidget *parent = nullptr);

    // Shows `metadata` as the saved state (not modified).
    void setMetadata(const QJsonObject &metadata);
    QJsonObject savedMetadata() const { return m_saved; }
    // Read-only for roles that may not change the dataset; `why` is the tooltip.
    void setEditable(bool editable, const QString &why = {});
    bool isModified() const;
    // The text as an object; false (and `error` set) when it is not one.
    bool parse(QJsonObject *out, QString *error) const;
    void focusText();

Q_SIGNALS:
    void applyRequested(const QJsonObject &metadata);

private:
    void validate();

    QPlainTextEdit *m_text;
    QLabel *m_status;
    QPushButton *m_apply;
    QPushButton *m_revert;
    QJsonObject m_saved;
    bool m_editable = true;
};

} // namespace pf::ui
