// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <gtest/gtest.h>

#include <QTest>

#include "network/pfapi.h"

namespace pf::test {

// Runs one typed call and waits (event loop running) for its callback.
//
//   auto org = waitFor<api::Org>([&](auto d) { api.createOrg("acme", d); });
//   ASSERT_API_OK(org);
template <typename T>
network::Reply<T> waitFor(const std::function<void(network::Callback<T>)> &call,
                          int timeoutMs = 20000)
{
    network::Reply<T> out;
    bool answered = false;
    call([&](const network::Reply<T> &r) {
        out = r;
        answered = true;
    });
    EXPECT_TRUE(QTest::qWaitFor([&] { return answered; }, timeoutMs)) << "no answer";
    return out;
}

} // namespace pf::test

#define EXPECT_API_OK(r)                                                                           \
    EXPECT_TRUE((r).ok()) << (r).result.status << " " << (r).message().toStdString()
#define ASSERT_API_OK(r)                                                                           \
    ASSERT_TRUE((r).ok()) << (r).result.status << " " << (r).message().toStdString()
