// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "logsave.h"

#include <chrono>

#include <QCoreApplication>
#include <QSaveFile>

namespace pf::models {

namespace {

constexpr qsizetype kWriteSize = 1024 * 1024;

void appendDigits(char *&out, int value, int width)
{
    for (int i = width - 1; i >= 0; --i, value /= 10)
        out[i] = char('0' + value % 10);
    out += width;
}

// "2026-11-22T06:45:00.123Z ", by hand: QDateTime::toString() would cost
// more than the rest of the line.
void appendTime(QByteArray &out, qint64 ms)
{
    using namespace std::chrono;
    const sys_time<milliseconds> time{milliseconds(ms)};
    const auto day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss clock{time - day};
    const int year = int(date.year());
    if (year < 0 || year > 9999) {
        out += QByteArray::number(ms) + ' ';
        return;
    }
    char buffer[32];
    char *p = buffer;
    appendDigits(p, year, 4);
    *p++ = '-';
    appendDigits(p, int(unsigned(date.month())), 2);
    *p++ = '-';
    appendDigits(p, int(unsigned(date.day())), 2);
    *p++ = 'T';
    appendDigits(p, int(clock.hours().count()), 2);
    *p++ = ':';
    appendDigits(p, int(clock.minutes().count()), 2);
    *p++ = ':';
    appendDigits(p, int(clock.seconds().count()), 2);
    *p++ = '.';
    appendDigits(p, int(clock.subseconds().count()), 3);
    *p++ = 'Z';
    *p++ = ' ';
    out.append(buffer, p - buffer);
}

QString tr(const char *text)
{
    return QCoreApplication::translate("pf::models::LogSave", text);
}

} // namespace

bool saveLog(const LogSnapshot &lines, const QString &path, const LogSaveOptions &options,
             QString *errorString, const std::function<bool(qsizetype, qsizetype)> &progress)
{
    const auto fail = [&](const QString &message) {
        if (errorString)
            *errorString = message;
        return false;
    };
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());

    const LogLineMatcher filter(options.filter);
    const qsizetype total = lines.size();
    QByteArray out;
    out.reserve(kWriteSize + 64 * 1024);
    const auto flush = [&](qsizetype done) {
        if (file.write(out) != out.size())
            return false;
        out.resize(0);
        return !progress || progress(done, total);
    };
    // A failed write or a "no" from progress: the old file stays.
    const auto abandon = [&] {
        const QString message =
            file.error() != QFileDevice::NoError ? file.errorString() : tr("Saving was cancelled.");
        file.cancelWriting();
        return fail(message);
    };
    for (qsizetype i = 0; i < total; ++i) {
        if (!filter.acceptsAll() && !filter.accepts(lines.key(i)))
            continue;
        const LogLine line = lines.line(i);
        if (options.timestamps)
            appendTime(out, line.timeMs);
        if (options.ranks) {
            if (line.rank == kPlatformRank)
                out += "[PF] ";
            else
                out += '[' + QByteArray::number(line.rank) + "] ";
        }
        if (options.keepEscapes || !line.hasEscapes)
            out.append(line.raw.data(), line.raw.size());
        else
            appendAnsiPlainUtf8(line.raw, out);
        out += '\n';
        if (out.size() >= kWriteSize && !flush(i + 1))
            return abandon();
    }
    if (!flush(total))
        return abandon();
    if (!file.commit())
        return fail(file.errorString());
    return true;
}

} // namespace pf::models
