// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "credentialform.h"

#include <limits>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "api/jsonschemavalidator.h"

namespace pf::ui {

namespace {
Q_LOGGING_CATEGORY(lcCredentialForm, "pf.ui.credentials.form")

using namespace Qt::StringLiterals;

// Required properties in the schema's order (the one order a QJsonObject
// keeps), then the optional ones by name.
QStringList orderedKeys(const QJsonObject &schema)
{
    const QJsonObject properties = schema.value("properties"_L1).toObject();
    QStringList keys;
    for (const QJsonValue &v : schema.value("required"_L1).toArray()) {
        if (properties.contains(v.toString()) && !keys.contains(v.toString()))
            keys.append(v.toString());
    }
    for (const QString &key : properties.keys()) {
        if (!keys.contains(key))
            keys.append(key);
    }
    return keys;
}

bool isRequired(const QJsonObject &schema, const QString &name)
{
    return schema.value("required"_L1).toArray().contains(name);
}

QString joinPath(const QString &prefix, const QString &name)
{
    return prefix.isEmpty() ? name : prefix + u'.' + name;
}

QLabel *makeErrorLabel(QWidget *parent, const QString &path)
{
    auto *label = new QLabel(parent);
    label->setObjectName(u"error_"_s + path);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Readable on light and dark palettes alike.
    const bool dark = parent->palette().color(QPalette::Window).lightness() < 128;
    label->setStyleSheet(dark ? u"color: #f28b82;"_s : u"color: #c5221f;"_s);
    label->hide();
    return label;
}

} // namespace

CredentialForm::CredentialForm(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"credentialForm"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_formError = makeErrorLabel(this, {});
    m_formError->setObjectName(u"formError"_s);
    layout->addWidget(m_formError);
}

CredentialForm::~CredentialForm() = default;

bool CredentialForm::isSecret(const QString &name, const QJsonObject &property)
{
    if (property.value("writeOnly"_L1).toBool() ||
        property.value("format"_L1).toString() == "password"_L1)
        return true;
    const QStringList parts = name.toLower().split(u'_', Qt::SkipEmptyParts);
    // "aws_access_key_id", "private_key_id": names of keys, not keys.
    if (parts.isEmpty() || parts.last() == "id"_L1)
        return false;
    static const QStringList secretWords{u"password"_s, u"secret"_s, u"key"_s, u"token"_s,
                                         u"passphrase"_s};
    for (const QString &part : parts) {
        if (secretWords.contains(part))
            return true;
    }
    return false;
}

void CredentialForm::setSchema(const QJsonObject &schema)
{
    m_schema = schema;
    m_fields.clear();
    delete m_body;
    m_body = new QWidget(this);
    auto *form = new QFormLayout(m_body);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    qobject_cast<QVBoxLayout *>(layout())->addWidget(m_body);
    clearErrors();
    if (schema.value("type"_L1).toString() != "object"_L1) {
        m_formError->setText(tr("This credential type has no form: its schema does not "
                                "describe an object."));
        m_formError->show();
        return;
    }
    build(form, schema, {}, 0);
    // Shown now, not on the layout's queued show: errors may be shown at once.
    m_body->show();
}

void CredentialForm::build(QFormLayout *layout, const QJsonObject &schema, const QString &prefix,
                           int depth)
{
    const QJsonObject properties = schema.value("properties"_L1).toObject();
    for (const QString &name : orderedKeys(schema)) {
        const QJsonObject property = properties.value(name).toObject();
        const QString path = joinPath(prefix, name);
        const bool required = isRequired(schema, name);
        QString title = property.value("title"_L1).toString(name);
        if (required)
            title += u" *"_s;
        const QString description = property.value("description"_L1).toString();

        if (property.value("type"_L1).toString() == "object"_L1 && depth < 4) {
            auto *group = new QGroupBox(title, m_body);
            group->setObjectName(u"group_"_s + path);
            group->setToolTip(description);
            auto *inner = new QFormLayout(group);
            if (!description.isEmpty()) {
                auto *hint = new QLabel(description, group);
                hint->setWordWrap(true);
                hint->setForegroundRole(QPalette::PlaceholderText);
                inner->addRow(hint);
            }
            build(inner, property, path, depth + 1);
            layout->addRow(group);
            continue;
        }

        Field field;
        field.path = path;
        field.required = required;
        // Editor, description and error as rows of their own: QFormLayout
        // gives wrapped labels the height they need, a nested box did not.
        QWidget *editor = makeEditor(path, name, property, field);
        auto *label = new QLabel(title, m_body);
        label->setBuddy(field.editor);
        label->setToolTip(required ? tr("Required") : tr("Optional"));
        layout->addRow(label, editor);
        if (!description.isEmpty()) {
            auto *hint = new QLabel(description, m_body);
            hint->setObjectName(u"hint_"_s + path);
            hint->setWordWrap(true);
            hint->setForegroundRole(QPalette::PlaceholderText);
            QFont small = hint->font();
            small.setPointSizeF(small.pointSizeF() * 0.9);
            hint->setFont(small);
            layout->addRow(QString(), hint);
        }
        field.error = makeErrorLabel(m_body, path);
        layout->addRow(QString(), field.error);
        m_fields.append(field);
    }
}

QWidget *CredentialForm::makeEditor(const QString &path, const QString &name,
                                    const QJsonObject &property, Field &field)
{
    const QString type = property.value("type"_L1).toString();
    const QString objectName = u"field_"_s + path;
    if (property.contains("enum"_L1)) {
        auto *combo = new QComboBox(m_body);
        if (!field.required)
            combo->addItem(tr("(not set)"), QVariant());
        for (const QJsonValue &v : property.value("enum"_L1).toArray())
            combo->addItem(v.toVariant().toString(), v.toVariant());
        combo->setObjectName(objectName);
        connect(combo, &QComboBox::currentIndexChanged, this, &CredentialForm::edited);
        field.type = u"enum"_s;
        field.editor = combo;
        return combo;
    }
    if (type == "boolean"_L1) {
        auto *box = new QCheckBox(m_body);
        box->setObjectName(objectName);
        box->setChecked(property.value("default"_L1).toBool());
        connect(box, &QCheckBox::toggled, this, &CredentialForm::edited);
        field.type = type;
        field.editor = box;
        return box;
    }
    if (type == "integer"_L1) {
        auto *spin = new QSpinBox(m_body);
        spin->setObjectName(objectName);
        spin->setRange(property.value("minimum"_L1).toInt(std::numeric_limits<int>::min()),
                       property.value("maximum"_L1).toInt(std::numeric_limits<int>::max()));
        spin->setValue(
            property.value("default"_L1).toInt(spin->minimum() > 0 ? spin->minimum() : 0));
        connect(spin, &QSpinBox::valueChanged, this, &CredentialForm::edited);
        field.type = type;
        field.editor = spin;
        return spin;
    }
    if (type == "number"_L1) {
        auto *spin = new QDoubleSpinBox(m_body);
        spin->setObjectName(objectName);
        spin->setDecimals(4);
        spin->setRange(property.value("minimum"_L1).toDouble(-1e12),
                       property.value("maximum"_L1).toDouble(1e12));
        spin->setValue(property.value("default"_L1).toDouble(0));
        connect(spin, &QDoubleSpinBox::valueChanged, this, &CredentialForm::edited);
        field.type = type;
        field.editor = spin;
        return spin;
    }
    if (type != "string"_L1)
        qCDebug(lcCredentialForm) << "property" << path << "of type" << type << "read as text";
    auto *edit = new QLineEdit(m_body);
    edit->setObjectName(objectName);
    edit->setText(property.value("default"_L1).toString());
    if (property.contains("maxLength"_L1))
        edit->setMaxLength(property.value("maxLength"_L1).toInt());
    connect(edit, &QLineEdit::textEdited, this, &CredentialForm::edited);
    field.type = u"string"_s;
    field.editor = edit;
    if (!isSecret(name, property))
        return edit;

    // Masked, with a toggle to check what was pasted.
    edit->setEchoMode(QLineEdit::Password);
    edit->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText);
    auto *row = new QWidget(m_body);
    auto *h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    h->addWidget(edit, 1);
    auto *show = new QToolButton(row);
    show->setObjectName(u"show_"_s + path);
    show->setText(tr("Show"));
    show->setCheckable(true);
    show->setToolTip(tr("Show or hide what is typed here"));
    connect(show, &QToolButton::toggled, edit, [edit, show](bool on) {
        edit->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
        show->setText(on ? tr("Hide") : tr("Show"));
    });
    h->addWidget(show);
    return row;
}

QJsonValue CredentialForm::readField(const Field &field) const
{
    // Empty text is "not given", so a required field left empty reads "is
    // required" rather than passing as "".
    if (auto *edit = qobject_cast<QLineEdit *>(field.editor))
        return edit->text().isEmpty() ? QJsonValue(QJsonValue::Undefined)
                                      : QJsonValue(edit->text());
    if (auto *combo = qobject_cast<QComboBox *>(field.editor)) {
        const QVariant v = combo->currentData();
        return v.isValid() ? QJsonValue::fromVariant(v) : QJsonValue(QJsonValue::Undefined);
    }
    if (auto *box = qobject_cast<QCheckBox *>(field.editor))
        return box->isChecked();
    if (auto *spin = qobject_cast<QSpinBox *>(field.editor))
        return spin->value();
    if (auto *spin = qobject_cast<QDoubleSpinBox *>(field.editor))
        return spin->value();
    return QJsonValue::Undefined;
}

void CredentialForm::writeField(const Field &field, const QJsonValue &value)
{
    if (auto *edit = qobject_cast<QLineEdit *>(field.editor))
        edit->setText(value.toVariant().toString());
    else if (auto *combo = qobject_cast<QComboBox *>(field.editor))
        combo->setCurrentIndex(qMax(0, combo->findData(value.toVariant())));
    else if (auto *box = qobject_cast<QCheckBox *>(field.editor))
        box->setChecked(value.toBool());
    else if (auto *spin = qobject_cast<QSpinBox *>(field.editor))
        spin->setValue(value.toInt());
    else if (auto *spin = qobject_cast<QDoubleSpinBox *>(field.editor))
        spin->setValue(value.toDouble());
}

QJsonObject CredentialForm::collect(const QJsonObject &schema, const QString &prefix) const
{
    QJsonObject out;
    const QJsonObject properties = schema.value("properties"_L1).toObject();
    for (const QString &name : orderedKeys(schema)) {
        const QString path = joinPath(prefix, name);
        const QJsonObject property = properties.value(name).toObject();
        if (property.value("type"_L1).toString() == "object"_L1 && !property.contains("enum"_L1)) {
            // An optional group nobody typed into stays out, even when it
            // has required members of its own.
            const QJsonObject inner = collect(property, path);
            if (isRequired(schema, name) || hasInput(path))
                out.insert(name, inner);
            continue;
        }
        for (const Field &field : m_fields) {
            if (field.path != path)
                continue;
            const QJsonValue v = readField(field);
            if (!v.isUndefined())
                out.insert(name, v);
        }
    }
    return out;
}

bool CredentialForm::hasInput(const QString &prefix) const
{
    for (const Field &field : m_fields) {
        if (!field.path.startsWith(prefix + u'.'))
            continue;
        if (auto *edit = qobject_cast<QLineEdit *>(field.editor); edit && !edit->text().isEmpty())
            return true;
        if (auto *combo = qobject_cast<QComboBox *>(field.editor);
            combo && !field.required && combo->currentData().isValid())
            return true;
    }
    return false;
}

QJsonObject CredentialForm::value() const
{
    return collect(m_schema, {});
}

void CredentialForm::setValue(const QJsonObject &value)
{
    for (const Field &field : std::as_const(m_fields)) {
        QJsonValue v = value;
        for (const QString &part : field.path.split(u'.'))
            v = v.toObject().value(part);
        if (!v.isUndefined())
            writeField(field, v);
    }
}

bool CredentialForm::validate()
{
    QString problem;
    const auto validator = api::JsonSchemaValidator::fromSchema(m_schema, &problem);
    if (!validator) {
        showErrors({{QString(), tr("The form's schema cannot be used: %1").arg(problem)}});
        return false;
    }
    const QList<api::FieldError> errors = validator->validate(value());
    showErrors(errors);
    return errors.isEmpty();
}

void CredentialForm::showErrors(const QList<api::FieldError> &errors, const QString &prefix)
{
    clearErrors();
    QStringList general;
    for (const api::FieldError &e : errors) {
        QString path = e.path;
        if (!prefix.isEmpty()) {
            if (path == prefix)
                path.clear();
            else if (path.startsWith(prefix + u'.'))
                path = path.mid(prefix.size() + 1);
        }
        QLabel *label = nullptr;
        for (const Field &field : std::as_const(m_fields)) {
            if (field.path == path)
                label = field.error;
        }
        if (!label) {
            general.append(path.isEmpty() ? e.message : path + u": "_s + e.message);
            continue;
        }
        const QString text =
            label->text().isEmpty() ? e.message : label->text() + u'\n' + e.message;
        label->setText(text);
        label->show();
    }
    if (!general.isEmpty()) {
        m_formError->setText(general.join(u'\n'));
        m_formError->show();
    }
}

void CredentialForm::clearErrors()
{
    m_formError->clear();
    m_formError->hide();
    for (const Field &field : std::as_const(m_fields)) {
        field.error->clear();
        field.error->hide();
    }
}

QHash<QString, QString> CredentialForm::shownErrors() const
{
    QHash<QString, QString> out;
    if (!m_formError->isHidden())
        out.insert(QString(), m_formError->text());
    for (const Field &field : m_fields) {
        if (!field.error->isHidden())
            out.insert(field.path, field.error->text());
    }
    return out;
}

} // namespace pf::ui
