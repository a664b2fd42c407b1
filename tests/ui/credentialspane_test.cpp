// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// CredentialsPane against a real pfd: a credential made from the form generated
// from its type's schema, masked secrets, errors beside the fields they
// belong to (the form's own check and the server's), delete, roles.

#include <gtest/gtest.h>

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include "models/credentialsmodel.h"
#include "tests/support/apiwait.h"
#include "tests/support/workspacefixture.h"
#include "ui/credentials/credentialform.h"
#include "ui/credentials/credentialspane.h"
#include "ui/experiments/experimentspane.h"
#include "ui/widgets/messagebox.h"
#include "ui/widgets/statepage.h"

using namespace Qt::StringLiterals;
using namespace pf::network;
using pf::test::child;
using pf::test::waitFor;
using pf::test::WorkspaceFixture;
using pf::ui::MessageBox::lastQuestion;
using pf::ui::MessageBox::setNextAnswer;
using pf::ui::MessageBox::setNextText;
namespace api = pf::api;
using pf::models::CredentialsModel;
using pf::ui::CredentialForm;
using pf::ui::CredentialsPane;

namespace {

class CredentialsPaneTest : public WorkspaceFixture
{
protected:
    CredentialsPaneTest()
        : WorkspaceFixture(u"uicred"_s)
    {}
};

void openForm(CredentialsPane &pane, const QString &type)
{
    if (!pane.typesLoaded()) {
        QSignalSpy ready(&pane, &CredentialsPane::typesReady);
        ASSERT_TRUE(ready.wait(20000));
    }
    auto *combo = child<QComboBox>(&pane, u"credentialType"_s);
    ASSERT_NE(combo, nullptr);
    pane.findChild<QAction *>(u"newCredentialAction"_s)->trigger();
    const int index = combo->findData(type);
    ASSERT_GE(index, 0) << type.toStdString();
    combo->setCurrentIndex(index);
}

TEST_F(CredentialsPaneTest, CreateFromTheGeneratedAwsForm)
{
    CredentialsPane pane;
    pane.resize(760, 620);
    pane.show();
    pane.setWorkspace(m_ws);
    auto *state = child<pf::ui::StatePage>(&pane, u"statePage"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return state->title() == u"No credentials yet"_s; }));
    EXPECT_TRUE(state->hint().contains(u"Ctrl+N"_s));
    openForm(pane, u"aws"_s);

    auto *form = child<CredentialForm>(&pane, u"credentialForm"_s);
    ASSERT_TRUE(form->isVisible());
    auto *keyId = child<QLineEdit>(form, u"field_aws_access_key_id"_s);
    auto *secret = child<QLineEdit>(form, u"field_aws_secret_access_key"_s);
    auto *region = child<QLineEdit>(form, u"field_aws_default_region"_s);
    auto *endpoint = child<QLineEdit>(form, u"field_endpoint_url"_s);
    ASSERT_TRUE(keyId && secret && region && endpoint);
    // The secret half is masked, with a toggle; the key's ID is not a secret.
    EXPECT_EQ(secret->echoMode(), QLineEdit::Password);
    EXPECT_EQ(keyId->echoMode(), QLineEdit::Normal);
    auto *show = child<QToolButton>(form, u"show_aws_secret_access_key"_s);
    ASSERT_NE(show, nullptr);
    show->click();
    EXPECT_EQ(secret->echoMode(), QLineEdit::Normal);
    show->click();
    EXPECT_EQ(secret->echoMode(), QLineEdit::Password);
    EXPECT_EQ(form->findChild<QToolButton *>(u"show_aws_access_key_id"_s), nullptr);

    // Required fields are marked.
    bool starred = false;
    for (QLabel *label : form->findChildren<QLabel *>()) {
        if (label->buddy() == keyId)
            starred = label->text().endsWith(u" *"_s);
    }
    EXPECT_TRUE(starred);

    // A bad endpoint is caught before anything is sent, beside its field.
    QTest::keyClicks(child<QLineEdit>(&pane, u"credentialName"_s), u"team-s3"_s);
    QTest::keyClicks(keyId, u"AKIAIOSFODNN7EXAMPLE"_s);
    QTest::keyClicks(secret, u"wJalrXUtnFEMI/K7MDENG"_s);
    QTest::keyClicks(region, u"eu-central-1"_s);
    QTest::keyClicks(endpoint, u"minio.internal:9000"_s);
    auto *createButton = child<QPushButton>(&pane, u"createCredential"_s);
    createButton->click();
    auto *endpointError = child<QLabel>(form, u"error_endpoint_url"_s);
    EXPECT_TRUE(endpointError->isVisible());
    EXPECT_FALSE(endpointError->text().isEmpty());
    EXPECT_EQ(pane.model()->rowCount(), 0);

    endpoint->clear();
    QTest::keyClicks(endpoint, u"http://minio.internal:9000"_s);
    QSignalSpy status(&pane, &pf::ui::Pane::statusMessage);
    createButton->click();
    ASSERT_TRUE(QTest::qWaitFor([&] { return pane.model()->rowCount() == 1; }));
    auto *view = child<QTableView>(&pane, u"credentialsView"_s);
    EXPECT_TRUE(view->isVisible());
    EXPECT_EQ(view->model()->index(0, CredentialsModel::Name).data().toString(), u"team-s3"_s);
    EXPECT_EQ(view->model()->index(0, CredentialsModel::Type).data().toString(), u"aws"_s);
    EXPECT_FALSE(status.isEmpty());

    // What the server stored is what the form said.
    const auto stored = waitFor<api::Credential>(
        [&](auto d) { m_api->credential(pane.model()->credential(0).id, d); });
    ASSERT_API_OK(stored);
    ASSERT_TRUE(stored.value.value.has_value());
    EXPECT_EQ(stored.value.value->value(u"aws_secret_access_key"_s).toString(),
              u"wJalrXUtnFEMI/K7MDENG"_s);
    EXPECT_EQ(stored.value.value->value(u"endpoint_url"_s).toString(),
              u"http://minio.internal:9000"_s);

    // Del asks, then deletes.
    view->selectRow(0);
    setNextAnswer(true);
    child<QAction>(&pane, u"deleteCredentialAction"_s)->trigger();
    EXPECT_TRUE(lastQuestion().contains(u"team-s3"_s));
    ASSERT_TRUE(QTest::qWaitFor([&] { return pane.model()->rowCount() == 0; }));
}

TEST_F(CredentialsPaneTest, ErrorsStandBesideTheirFields)
{
    CredentialsPane pane;
    pane.show();
    pane.setWorkspace(m_ws);
    openForm(pane, u"wandb"_s);
    auto *form = child<CredentialForm>(&pane, u"credentialForm"_s);
    auto *token = child<QLineEdit>(form, u"field_token"_s);
    ASSERT_NE(token, nullptr);
    EXPECT_EQ(token->echoMode(), QLineEdit::Password);

    // Nothing typed: the form's own check names both missing things.
    auto *createButton = child<QPushButton>(&pane, u"createCredential"_s);
    createButton->click();
    EXPECT_TRUE(child<QLabel>(&pane, u"error_name"_s)->isVisible());
    EXPECT_TRUE(child<QLabel>(form, u"error_token"_s)->isVisible());
    EXPECT_TRUE(form->shownErrors().contains(u"token"_s));

    // The server refuses a name too long: its words beside the name field.
    QTest::keyClicks(child<QLineEdit>(&pane, u"credentialName"_s), QString(200, u'n'));
    QTest::keyClicks(token, u"0123456789abcdef"_s);
    createButton->click();
    auto *nameError = child<QLabel>(&pane, u"error_name"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return nameError->text().contains(u"at most 128"_s); }))
        << nameError->text().toStdString();
    EXPECT_TRUE(nameError->isVisible());
    EXPECT_FALSE(child<QLabel>(form, u"error_token"_s)->isVisible());
    EXPECT_TRUE(child<pf::ui::InlineMessage>(&pane, u"inlineMessage"_s)->isVisible());
    EXPECT_EQ(pane.model()->rowCount(), 0);

    // A 422 of the server's, with paths under "value.", lands on the field.
    form->showErrors({{u"value.token"_s, u"is too short"_s}, {u"value.extra"_s, u"unknown"_s}},
                     u"value"_s);
    EXPECT_EQ(form->shownErrors().value(u"token"_s), u"is too short"_s);
    EXPECT_EQ(form->shownErrors().value(QString()), u"extra: unknown"_s);
}

TEST_F(CredentialsPaneTest, GeneratedWidgetsFollowTheSchema)
{
    CredentialForm form;
    const QJsonObject schema = QJsonDocument::fromJson(R"({
        "type": "object",
        "properties": {
            "host": {"type": "string", "title": "Host"},
            "password": {"type": "string"},
            "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 22},
            "mode": {"type": "string", "enum": ["fast", "safe"]},
            "verify": {"type": "boolean", "default": true},
            "proxy": {"type": "object", "properties": {"url": {"type": "string"},
                                                        "token": {"type": "string"}},
                      "required": ["url"]}
        },
        "required": ["host", "port", "mode"],
        "additionalProperties": false
    })")
                                   .object();
    form.setSchema(schema);
    EXPECT_NE(form.findChild<QLineEdit *>(u"field_host"_s), nullptr);
    EXPECT_EQ(form.findChild<QLineEdit *>(u"field_password"_s)->echoMode(), QLineEdit::Password);
    auto *port = form.findChild<QSpinBox *>(u"field_port"_s);
    ASSERT_NE(port, nullptr);
    EXPECT_EQ(port->maximum(), 65535);
    EXPECT_EQ(port->value(), 22);
    auto *mode = form.findChild<QComboBox *>(u"field_mode"_s);
    ASSERT_NE(mode, nullptr);
    EXPECT_EQ(mode->count(), 2);
    EXPECT_TRUE(form.findChild<QCheckBox *>(u"field_verify"_s)->isChecked());
    EXPECT_NE(form.findChild<QGroupBox *>(u"group_proxy"_s), nullptr);
    EXPECT_EQ(form.findChild<QLineEdit *>(u"field_proxy.token"_s)->echoMode(), QLineEdit::Password);

    form.findChild<QLineEdit *>(u"field_host"_s)->setText(u"h"_s);
    mode->setCurrentIndex(1);
    EXPECT_TRUE(form.validate());
    EXPECT_EQ(
        form.value(),
        (QJsonObject{
            {u"host"_s, u"h"_s}, {u"port"_s, 22}, {u"mode"_s, u"safe"_s}, {u"verify"_s, true}}));
    form.findChild<QLineEdit *>(u"field_proxy.token"_s)->setText(u"t"_s);
    EXPECT_FALSE(form.validate()); // the proxy's url is then required
    EXPECT_TRUE(form.shownErrors().contains(u"proxy.url"_s))
        << form.shownErrors().keys().join(u',').toStdString();

    EXPECT_TRUE(CredentialForm::isSecret(u"storage_account_key"_s, {}));
    EXPECT_TRUE(CredentialForm::isSecret(u"private_key"_s, {}));
    EXPECT_FALSE(CredentialForm::isSecret(u"private_key_id"_s, {}));
    EXPECT_FALSE(CredentialForm::isSecret(u"username"_s, {}));
}

TEST_F(CredentialsPaneTest, GuestsSeeNamesButNoActions)
{
    ASSERT_API_OK(waitFor<api::Credential>([&](auto d) {
        m_api->createCredential(m_ws.projectId, u"slack"_s, u"alerts"_s, 1,
                                {{u"token"_s, u"xoxb-secret"_s}}, d);
    }));
    const Other guest = join(m_user.username + u"-guest"_s, api::ProjectRole::Guest);
    CredentialsPane pane;
    pane.setWorkspace(workspaceOf(guest, api::ProjectRole::Guest));
    ASSERT_TRUE(QTest::qWaitFor([&] { return pane.model()->rowCount() == 1; }));
    EXPECT_FALSE(child<QAction>(&pane, u"newCredentialAction"_s)->isVisible());
    EXPECT_FALSE(child<QAction>(&pane, u"deleteCredentialAction"_s)->isVisible());
    EXPECT_FALSE(child<QAction>(&pane, u"renameCredentialAction"_s)->isVisible());
    EXPECT_FALSE(pane.paletteItems().first().text.contains(u"xoxb"_s));
}

} // namespace
