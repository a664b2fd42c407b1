// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QWidget>

#include "api/apierror.h"

class QFormLayout;
class QLabel;

namespace pf::ui {

// A form generated from a draft-7 JSON Schema of type object (a credential
// type's schema): strings become line edits, secret-looking ones (password,
// secret, key, token, private_key; not *_id) masked with a Show toggle; enums
// combo boxes; integers and numbers spin boxes; booleans check boxes; nested
// objects group boxes. Required fields carry a "*"; each field has its
// description below it and an error line that validate()/showErrors() fill.
//
// Widgets are named after the property's path (dots between nesting levels):
// "field_<path>", "error_<path>", "show_<path>" (the toggle of a secret), and
// "formError" for problems that belong to no field.
//
//   form->setSchema(schema);
//   if (form->validate()) send(form->value());
//   ... on a 422: form->showErrors(error.errors(), u"value"_s);
class CredentialForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialForm)

public:
    explicit CredentialForm(QWidget *parent = nullptr);
    ~CredentialForm() override;

    // Replaces every field. A schema that is not an object schema gives an
    // empty form with the reason in "formError".
    void setSchema(const QJsonObject &schema);
    const QJsonObject &schema() const { return m_schema; }

    // The entered value: empty strings, and optional objects nobody typed
    // into, are left out.
    QJsonObject value() const;
    void setValue(const QJsonObject &value);

    // Checks value() against the schema with api::JsonSchemaValidator and
    // shows each problem beside its field; true when there is none.
    bool validate();
    // `errors` with paths like "token" or, with `prefix` "value",
    // "value.token". Clears the errors shown before.
    void showErrors(const QList<api::FieldError> &errors, const QString &prefix = {});
    void clearErrors();
    // The messages shown now, by path ("" for formError).
    QHash<QString, QString> shownErrors() const;

    // Names of secret-looking properties, as the form judges them.
    static bool isSecret(const QString &name, const QJsonObject &property);

Q_SIGNALS:
    void edited();

private:
    struct Field
    {
        QString path;
        QString type; // string, integer, number, boolean, enum
        bool required = false;
        QWidget *editor = nullptr;
        QLabel *error = nullptr;
    };

    void build(QFormLayout *layout, const QJsonObject &schema, const QString &prefix, int depth);
    QWidget *makeEditor(const QString &path, const QString &name, const QJsonObject &property,
                        Field &field);
    QJsonValue readField(const Field &field) const;
    void writeField(const Field &field, const QJsonValue &value);
    QJsonObject collect(const QJsonObject &schema, const QString &prefix) const;
    bool hasInput(const QString &prefix) const;

    QJsonObject m_schema;
    QWidget *m_body = nullptr;
    QLabel *m_formError = nullptr;
    QList<Field> m_fields;
};

} // namespace pf::ui
