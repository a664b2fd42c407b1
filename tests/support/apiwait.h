// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <functional>

#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTest>
#include <QTimer>

#include "network/pfapi.h"

namespace pf::test {

// Runs the event loop until `done()` holds or `timeoutMs` have passed;
// returns done(). Unlike QTest::qWaitFor, which sleeps 10 ms between rounds
// of events, the loop never sleeps while there is work: a socket sending a
// large body (one 16 KiB write a round) goes at full speed.
template <typename Predicate>
bool spinUntil(Predicate done, int timeoutMs)
{
    if (done())
        return true;
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer tick;
    tick.setInterval(5);
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (done() || clock.elapsed() >= timeoutMs)
            loop.quit();
    });
    tick.start();
    loop.exec();
    return done();
}

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
