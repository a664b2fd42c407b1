// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <cstdio>
#include <mutex>

#include <QString>

namespace pf::server {

struct AccessRecord
{
    QString remote;
    QString method;
    QString path; // decoded path only: query strings may carry tokens
    int status = 0;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    double millis = 0;
    QString user;
};

// Writes one JSON object per line for every answered request:
// {"ts":"...","remote":"127.0.0.1","method":"GET","path":"/api/...",
//  "status":200,"in":0,"out":512,"ms":1.23,"user":"<uuid>"}
// Thread-safe. A null FILE disables it.
class AccessLog
{
public:
    explicit AccessLog(FILE *out = stderr);
    void write(const AccessRecord &record);
    bool enabled() const { return m_out != nullptr; }

private:
    std::mutex m_mutex;
    FILE *m_out;
};

} // namespace pf::server
