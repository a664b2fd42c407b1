// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>

// The JSON text of report records (docs/jobs.md), written straight into a
// byte buffer: log records are the bulk of what an agent sends, so they are
// encoded without building a QJsonObject per line.

namespace pf::agent {

enum class LogType { Stdout, Stderr, Vmlog };

// "stdout", "stderr" or "vmlog".
QByteArrayView logTypeName(LogType type);

// Appends `text` as a JSON string literal, quotes included. `text` is taken
// as UTF-8: each maximal invalid subsequence becomes U+FFFD (as the Unicode
// standard recommends), so the output is always valid UTF-8 and valid JSON.
void appendJsonString(QByteArray &out, QByteArrayView text);

// {"seq":N,"kind":"log","type":"stdout","content":"...","time_ms":T}
void appendLogRecord(QByteArray &out, qint64 seq, LogType type, QByteArrayView content,
                     qint64 timeMs);

// `record` with "seq" set, in compact JSON.
void appendObjectRecord(QByteArray &out, qint64 seq, QJsonObject record);

} // namespace pf::agent
