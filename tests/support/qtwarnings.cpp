// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "qtwarnings.h"

#include <atomic>
#include <mutex>

#include <gtest/gtest.h>

#include <QtGlobal>

namespace pf::test {
namespace {
std::mutex g_mutex;
QString g_allowed;
std::atomic<int> g_seen{0};

void handler(QtMsgType type, const QMessageLogContext &, const QString &msg)
{
    if (type == QtDebugMsg || type == QtInfoMsg)
        return;
    // Noise of the offscreen platform plugin itself, not of our code.
    if (msg == QLatin1String("This plugin does not support propagateSizeHints()"))
        return;
    {
        std::lock_guard lock(g_mutex);
        if (!g_allowed.isEmpty() && msg.contains(g_allowed)) {
            ++g_seen;
            return;
        }
    }
    ADD_FAILURE() << "Qt message: " << qPrintable(msg);
}
} // namespace

void installQtWarningHandler()
{
    qInstallMessageHandler(handler);
}

ExpectQtWarning::ExpectQtWarning(QString fragment)
{
    std::lock_guard lock(g_mutex);
    g_allowed = std::move(fragment);
    g_seen = 0;
}

ExpectQtWarning::~ExpectQtWarning()
{
    std::lock_guard lock(g_mutex);
    g_allowed.clear();
}

int ExpectQtWarning::seen() const
{
    return g_seen;
}

} // namespace pf::test
