// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "metadataeditor.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/theme.h"

using namespace Qt::StringLiterals;

namespace pf::ui {

MetadataEditor::MetadataEditor(QWidget *parent)
    : QWidget(parent)
    , m_text(new QPlainTextEdit(this))
    , m_status(new QLabel(this))
    , m_apply(new QPushButton(tr("Apply"), this))
    , m_revert(new QPushButton(tr("Revert"), this))
{
    setObjectName(u"metadataEditor"_s);
    m_text->setObjectName(u"metadataText"_s);
    m_status->setObjectName(u"metadataStatus"_s);
    m_apply->setObjectName(u"applyMetadata"_s);
    m_revert->setObjectName(u"revertMetadata"_s);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setTabChangesFocus(true);
    m_text->setPlaceholderText(tr("{\"source\": \"…\", \"classes\": 100}"));
    m_status->setWordWrap(true);
    m_apply->setToolTip(tr("Save the metadata to the dataset"));

    auto *heading = new QLabel(tr("Metadata"), this);
    QFont bold = heading->font();
    bold.setBold(true);
    heading->setFont(bold);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(heading);
    layout->addWidget(m_text, 1);
    layout->addLayout(buttons);

    connect(m_text, &QPlainTextEdit::textChanged, this, &MetadataEditor::validate);
    connect(m_revert, &QPushButton::clicked, this, [this] { setMetadata(m_saved); });
    connect(m_apply, &QPushButton::clicked, this, [this] {
        QJsonObject metadata;
        QString error;
        if (parse(&metadata, &error))
            Q_EMIT applyRequested(metadata);
    });
    setMetadata({});
}

void MetadataEditor::setMetadata(const QJsonObject &metadata)
{
    m_saved = metadata;
    m_text->setPlainText(metadata.isEmpty()
                             ? QString()
                             : QString::fromUtf8(QJsonDocument(metadata).toJson()).trimmed());
    validate();
}

void MetadataEditor::setEditable(bool editable, const QString &why)
{
    m_editable = editable;
    m_text->setReadOnly(!editable);
    m_text->setToolTip(editable ? QString() : why);
    m_revert->setVisible(editable);
    m_apply->setVisible(editable);
    validate();
}

bool MetadataEditor::parse(QJsonObject *out, QString *error) const
{
    const QString text = m_text->toPlainText();
    if (text.trimmed().isEmpty()) {
        *out = {};
        return true;
    }
    const QByteArray utf8 = text.toUtf8();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // The offset is in UTF-8 bytes; count lines and columns in characters.
        const QString before = QString::fromUtf8(utf8.left(parseError.offset));
        const qsizetype line = before.count(u'\n') + 1;
        const qsizetype column = before.size() - before.lastIndexOf(u'\n');
        *error = tr("Line %1, column %2: %3").arg(line).arg(column).arg(parseError.errorString());
        return false;
    }
    if (!doc.isObject()) {
        *error = tr("Metadata is a JSON object: {\"key\": value, …}");
        return false;
    }
    *out = doc.object();
    return true;
}

bool MetadataEditor::isModified() const
{
    QJsonObject now;
    QString error;
    return !parse(&now, &error) || now != m_saved;
}

void MetadataEditor::focusText()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
}

void MetadataEditor::validate()
{
    QJsonObject now;
    QString error;
    const bool valid = parse(&now, &error);
    const bool modified = !valid || now != m_saved;
    // An empty palette inherits the window's; errors in the theme's red.
    QPalette palette;
    if (!valid)
        palette.setColor(QPalette::WindowText,
                         isDark() ? QColor(0xf2, 0x8b, 0x82) : QColor(0xc5, 0x22, 0x1f));
    m_status->setPalette(palette);
    if (!valid)
        m_status->setText(error);
    else if (!m_editable)
        m_status->setText(now.isEmpty() ? tr("No metadata.") : QString());
    else if (modified)
        m_status->setText(tr("Not saved yet."));
    else
        m_status->setText(now.isEmpty() ? tr("No metadata yet; type a JSON object.") : QString());
    m_apply->setEnabled(m_editable && valid && modified);
    m_revert->setEnabled(m_editable && modified);
}

} // namespace pf::ui
