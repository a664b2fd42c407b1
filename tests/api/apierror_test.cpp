// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QJsonArray>

#include "api/apierror.h"

using pf::api::ApiError;
using pf::api::FieldError;

TEST(ApiError, RoundTripsWithFieldErrors)
{
    const ApiError e = ApiError::unprocessable(
        QStringLiteral("The job spec is invalid."),
        {{QStringLiteral("job_setting.docker.image"), QStringLiteral("is required")}});
    const ApiError back = ApiError::fromJson(e.status(), e.toJson());
    EXPECT_EQ(back.status(), 422);
    EXPECT_EQ(back.detail(), e.detail());
    ASSERT_EQ(back.errors().size(), 1);
    EXPECT_EQ(back.errors().front(), e.errors().front());
}

TEST(ApiError, OmitsErrorsWhenThereAreNone)
{
    const QJsonObject body = ApiError::notFound(QStringLiteral("No such project.")).toJson();
    EXPECT_FALSE(body.contains(QStringLiteral("errors")));
    EXPECT_EQ(body.value(QStringLiteral("detail")).toString(), QStringLiteral("No such project."));
}

TEST(ApiError, MissingDetailFallsBackToReasonPhrase)
{
    const ApiError e = ApiError::fromJson(404, QJsonObject{{QStringLiteral("other"), 1}});
    EXPECT_EQ(e.detail(), QStringLiteral("Not Found"));
    EXPECT_TRUE(e.errors().isEmpty());
}

TEST(ApiError, NonStringDetailStaysReadable)
{
    const QJsonObject body{
        {QStringLiteral("detail"), QJsonArray{QStringLiteral("a"), QStringLiteral("b")}}};
    EXPECT_EQ(ApiError::fromJson(400, body).detail(), QStringLiteral("[\"a\",\"b\"]"));
}

TEST(ApiError, WhatCarriesStatusAndDetail)
{
    EXPECT_STREQ(ApiError::conflict(QStringLiteral("Name taken.")).what(), "409 Name taken.");
}
