// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "api/credentialtypes.h"

using pf::api::CredentialTypes;
using pf::api::FieldError;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

using Errors = std::vector<std::string>;

// "path: message" per error, so that failures print readably.
Errors errs(const QList<FieldError> &errors)
{
    Errors shown;
    for (const FieldError &e : errors)
        shown.push_back(QString(e.path + u": " + e.message).toStdString());
    return shown;
}

std::string fe(const QString &path, const char *message)
{
    return QString(path + u": " + QString::fromUtf8(message)).toStdString();
}

// A value of each type that must pass, with every optional member set too.
QJsonObject validValue(const QString &type)
{
    const char *text = "{}";
    if (type == u"docker")
        text = R"({"username": "ada", "password": "dckr_pat_0123456789"})";
    else if (type == u"aws")
        text = R"({"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
                   "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                   "aws_default_region": "us-east-1",
                   "endpoint_url": "http://minio.internal:9000"})";
    else if (type == u"azure.blob")
        text = R"({"storage_account_name": "mydatasets",
                   "storage_account_key": "bXlrZXk9PQ=="})";
    else if (type == u"gcp")
        text = R"({"project_id": "my-project-123456",
                   "private_key_id": "0123456789abcdef0123456789abcdef01234567",
                   "private_key": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
                   "client_email": "trainer@my-project-123456.iam.gserviceaccount.com",
                   "client_id": "123456789012345678901",
                   "auth_uri": "https://accounts.google.com/o/oauth2/auth",
                   "token_uri": "https://oauth2.googleapis.com/token",
                   "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
                   "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/trainer",
                   "universe_domain": "googleapis.com"})";
    else if (type == u"wandb")
        text = R"({"token": "0123456789abcdef0123456789abcdef01234567"})";
    else if (type == u"slack")
        text = R"({"token": "xoxb-1234-5678-abcdef"})";
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

QStringList requiredOf(const QString &type)
{
    QStringList names;
    const QJsonArray required =
        CredentialTypes::instance().schema(type, 1).value(QStringLiteral("required")).toArray();
    for (const QJsonValue &v : required)
        names.append(v.toString());
    return names;
}

QStringList propertiesOf(const QString &type)
{
    return CredentialTypes::instance()
        .schema(type, 1)
        .value(QStringLiteral("properties"))
        .toObject()
        .keys();
}

const QStringList kTypes{QStringLiteral("docker"),     QStringLiteral("aws"),
                         QStringLiteral("azure.blob"), QStringLiteral("gcp"),
                         QStringLiteral("wandb"),      QStringLiteral("slack")};

} // namespace

TEST(CredentialTypes, ResourcesAreLinkedIntoTheTestBinary)
{
    (void)CredentialTypes::instance();
    for (const QString &type : kTypes)
        EXPECT_TRUE(QFile::exists(u":/schemas/credentials/" + type + u".json"))
            << type.toStdString();
}

TEST(CredentialTypes, AllSixTypesHaveVersionOne)
{
    const CredentialTypes &types = CredentialTypes::instance();
    EXPECT_EQ(types.typeNames(), kTypes);
    for (const QString &type : kTypes) {
        EXPECT_TRUE(types.contains(type, 1)) << type.toStdString();
        EXPECT_FALSE(types.contains(type, 0)) << type.toStdString();
        EXPECT_FALSE(types.contains(type, 2)) << type.toStdString();
        EXPECT_FALSE(types.schema(type, 1).isEmpty()) << type.toStdString();
    }
}

TEST(CredentialTypes, InstanceIsBuiltOnceAcrossThreads)
{
    std::vector<const CredentialTypes *> seen(8, nullptr);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < seen.size(); ++i)
        threads.emplace_back([&seen, i] { seen[i] = &CredentialTypes::instance(); });
    for (std::thread &t : threads)
        t.join();
    for (const CredentialTypes *p : seen)
        EXPECT_EQ(p, &CredentialTypes::instance());
}

TEST(CredentialTypes, RequiredMembersMatchTheApi)
{
    const auto required = [](const char *type) {
        QStringList r = requiredOf(s(type));
        r.sort();
        return r;
    };
    EXPECT_EQ(required("docker"), (QStringList{s("password"), s("username")}));
    EXPECT_EQ(required("aws"), (QStringList{s("aws_access_key_id"), s("aws_default_region"),
                                            s("aws_secret_access_key")}));
    EXPECT_EQ(required("azure.blob"),
              (QStringList{s("storage_account_key"), s("storage_account_name")}));
    EXPECT_EQ(required("gcp"), (QStringList{s("client_email"), s("private_key"),
                                            s("private_key_id"), s("project_id")}));
    EXPECT_EQ(required("wandb"), QStringList{s("token")});
    EXPECT_EQ(required("slack"), QStringList{s("token")});
}

class EachCredentialType : public ::testing::TestWithParam<const char *>
{
protected:
    QString type() const { return QString::fromUtf8(GetParam()); }
    QList<FieldError> check(const QJsonObject &value) const
    {
        return CredentialTypes::instance().validate(type(), 1, value);
    }
};

TEST_P(EachCredentialType, SchemaIsDraft7WithHelpForEveryProperty)
{
    const QJsonObject schema = CredentialTypes::instance().schema(type(), 1);
    EXPECT_EQ(schema.value(u"$schema").toString(), u"http://json-schema.org/draft-07/schema#");
    EXPECT_EQ(schema.value(u"type").toString(), u"object");
    EXPECT_FALSE(schema.value(u"title").toString().isEmpty());
    EXPECT_EQ(schema.value(u"additionalProperties"), QJsonValue(false));
    const QJsonObject properties = schema.value(u"properties").toObject();
    EXPECT_FALSE(properties.isEmpty());
    for (auto it = properties.constBegin(); it != properties.constEnd(); ++it) {
        const QJsonObject p = it.value().toObject();
        SCOPED_TRACE(it.key().toStdString());
        EXPECT_EQ(p.value(u"type").toString(), u"string");
        EXPECT_FALSE(p.value(u"title").toString().isEmpty());
        EXPECT_GT(p.value(u"description").toString().size(), 20);
        EXPECT_EQ(p.value(u"minLength").toInt(), 1);
        EXPECT_GE(p.value(u"maxLength").toInt(), 1);
        EXPECT_LE(p.value(u"maxLength").toInt(), 16384);
    }
    for (const QString &name : requiredOf(type()))
        EXPECT_TRUE(properties.contains(name)) << name.toStdString();
}

TEST_P(EachCredentialType, AcceptsAValidValue)
{
    EXPECT_EQ(errs(check(validValue(type()))), Errors{});
    // Only the required members: optional ones may be left out.
    QJsonObject minimal;
    for (const QString &name : requiredOf(type()))
        minimal.insert(name, validValue(type()).value(name));
    EXPECT_EQ(errs(check(minimal)), Errors{});
}

TEST_P(EachCredentialType, RejectsAMissingMember)
{
    for (const QString &name : requiredOf(type())) {
        QJsonObject value = validValue(type());
        value.remove(name);
        EXPECT_EQ(errs(check(value)), Errors{fe(u"value." + name, "is required")});
    }
    // All of them, in name order.
    QStringList required = requiredOf(type());
    required.sort();
    Errors all;
    for (const QString &name : std::as_const(required))
        all.push_back(fe(u"value." + name, "is required"));
    EXPECT_EQ(errs(check(QJsonObject())), all);
}

TEST_P(EachCredentialType, RejectsAnUnknownMember)
{
    QJsonObject value = validValue(type());
    value.insert(QStringLiteral("type"), QStringLiteral("service_account"));
    value.insert(QStringLiteral("zz_extra"), 1);
    EXPECT_EQ(errs(check(value)),
              (Errors{fe(s("value.type"), "is not allowed (unknown key)"),
                      fe(s("value.zz_extra"), "is not allowed (unknown key)")}));
}

TEST_P(EachCredentialType, RejectsAnEmptyString)
{
    for (const QString &name : propertiesOf(type())) {
        QJsonObject value = validValue(type());
        value.insert(name, QString());
        EXPECT_EQ(errs(check(value)), Errors{fe(u"value." + name, "must not be empty")});
    }
}

TEST_P(EachCredentialType, RejectsANonString)
{
    const QList<QJsonValue> wrong{QJsonValue(42), QJsonValue(true), QJsonValue(QJsonValue::Null),
                                  QJsonObject{{QStringLiteral("a"), QStringLiteral("b")}},
                                  QJsonArray{QStringLiteral("a")}};
    for (const QString &name : propertiesOf(type())) {
        for (const QJsonValue &w : wrong) {
            QJsonObject value = validValue(type());
            value.insert(name, w);
            EXPECT_EQ(errs(check(value)), Errors{fe(u"value." + name, "must be a string")});
        }
    }
}

TEST_P(EachCredentialType, RejectsAOneMegabyteString)
{
    const QString huge(1 << 20, u'a');
    const QString hugeUrl = u"https://" + huge;
    for (const QString &name : propertiesOf(type())) {
        QJsonObject value = validValue(type());
        value.insert(name, name == u"endpoint_url" ? hugeUrl : huge);
        const QList<FieldError> errors = check(value);
        ASSERT_EQ(errors.size(), 1) << name.toStdString();
        EXPECT_EQ(errors.front().path, u"value." + name);
        EXPECT_TRUE(errors.front().message.startsWith(u"must be at most "))
            << errors.front().message.toStdString();
    }
}

INSTANTIATE_TEST_SUITE_P(CredentialTypes, EachCredentialType,
                         ::testing::Values("docker", "aws", "azure.blob", "gcp", "wandb", "slack"),
                         [](const ::testing::TestParamInfo<const char *> &info) {
                             std::string name(info.param);
                             for (char &c : name) {
                                 if (c == '.')
                                     c = '_';
                             }
                             return name;
                         });

TEST(CredentialTypes, MessagesCarryTheLimits)
{
    const CredentialTypes &types = CredentialTypes::instance();
    QJsonObject value = validValue(s("wandb"));
    value.insert(QStringLiteral("token"), QString(4097, u'x'));
    EXPECT_EQ(errs(types.validate(s("wandb"), 1, value)),
              Errors{fe(s("value.token"), "must be at most 4096 characters")});
    value.insert(QStringLiteral("token"), QString(4096, u'x'));
    EXPECT_EQ(errs(types.validate(s("wandb"), 1, value)), Errors{});
}

TEST(CredentialTypes, AwsEndpointUrlMustLookLikeAnHttpUrl)
{
    const CredentialTypes &types = CredentialTypes::instance();
    for (const char *good :
         {"http://localhost:9000", "https://s3.example.com/", "http://10.0.0.5:9000",
          "http://[::1]:9000", "https://storage.internal/prefix"}) {
        QJsonObject value = validValue(s("aws"));
        value.insert(QStringLiteral("endpoint_url"), s(good));
        EXPECT_EQ(errs(types.validate(s("aws"), 1, value)), Errors{}) << good;
    }
    for (const char *bad :
         {"ftp://example.com", "example.com", "http://", "https://-x.example", "s3://bucket"}) {
        QJsonObject value = validValue(s("aws"));
        value.insert(QStringLiteral("endpoint_url"), s(bad));
        EXPECT_EQ(errs(types.validate(s("aws"), 1, value)),
                  Errors{fe(s("value.endpoint_url"), "is not in the expected format")})
            << bad;
    }
}

TEST(CredentialTypes, AzureAccountNameFollowsAzureRules)
{
    const CredentialTypes &types = CredentialTypes::instance();
    QJsonObject value = validValue(s("azure.blob"));
    value.insert(QStringLiteral("storage_account_name"), QStringLiteral("My_Account"));
    EXPECT_EQ(errs(types.validate(s("azure.blob"), 1, value)),
              Errors{fe(s("value.storage_account_name"), "is not in the expected format")});
    value.insert(QStringLiteral("storage_account_name"), QStringLiteral("devstoreaccount1"));
    EXPECT_EQ(errs(types.validate(s("azure.blob"), 1, value)), Errors{});
}

TEST(CredentialTypes, ToJsonIsTheCredentialTypeListing)
{
    const CredentialTypes &types = CredentialTypes::instance();
    // Through text, as a client sees it.
    const QJsonArray listing =
        QJsonDocument::fromJson(QJsonDocument(types.toJson()).toJson()).array();
    ASSERT_EQ(listing.size(), kTypes.size());
    for (qsizetype i = 0; i < listing.size(); ++i) {
        const QJsonObject entry = listing.at(i).toObject();
        SCOPED_TRACE(kTypes.at(i).toStdString());
        EXPECT_EQ(entry.keys(), (QStringList{s("type_name"), s("versions")}));
        EXPECT_EQ(entry.value(u"type_name").toString(), kTypes.at(i));
        const QJsonArray versions = entry.value(u"versions").toArray();
        ASSERT_EQ(versions.size(), 1);
        const QJsonObject version = versions.at(0).toObject();
        EXPECT_EQ(version.keys(), (QStringList{s("schema"), s("type_version")}));
        EXPECT_TRUE(version.value(u"type_version").isDouble());
        EXPECT_EQ(version.value(u"type_version").toInt(), 1);
        EXPECT_EQ(version.value(u"schema").toObject(), types.schema(kTypes.at(i), 1));
    }
}

TEST(CredentialTypes, UnknownTypeOrVersion)
{
    const CredentialTypes &types = CredentialTypes::instance();
    EXPECT_FALSE(types.contains(s("ftp"), 1));
    EXPECT_FALSE(types.contains(QString(), 1));
    EXPECT_TRUE(types.schema(s("ftp"), 1).isEmpty());
    EXPECT_TRUE(types.schema(s("aws"), 2).isEmpty());

    const QList<FieldError> badType = types.validate(s("ftp"), 1, QJsonObject());
    ASSERT_EQ(badType.size(), 1);
    EXPECT_EQ(badType.front().path, u"type");
    EXPECT_EQ(badType.front().message,
              u"must be one of docker, aws, azure.blob, gcp, wandb, slack");

    const QList<FieldError> badVersion = types.validate(s("aws"), 2, validValue(s("aws")));
    ASSERT_EQ(badVersion.size(), 1);
    EXPECT_EQ(badVersion.front().path, u"type_version");
    EXPECT_EQ(badVersion.front().message, u"is not a version of \"aws\" (known: 1)");
}
