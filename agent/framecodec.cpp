// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "framecodec.h"

#include <cstring>

#include <QtEndian>

namespace pf::agent {

void FrameDecoder::feed(QByteArrayView data, QList<QByteArray> *frames, QStringList *errors)
{
    while (!data.isEmpty()) {
        if (m_skip > 0) {
            const qsizetype n = qsizetype(qMin<quint64>(m_skip, quint64(data.size())));
            m_skip -= quint64(n);
            data = data.sliced(n);
            continue;
        }
        m_buffer.append(data);
        data = {};
        qsizetype pos = 0;
        while (m_buffer.size() - pos >= 4) {
            const quint32 length = qFromLittleEndian<quint32>(m_buffer.constData() + pos);
            if (length > m_max) {
                if (errors)
                    errors->append(QStringLiteral("a frame of %1 bytes is over the limit of %2 "
                                                  "bytes; skipped")
                                       .arg(length)
                                       .arg(m_max));
                pos += 4;
                const qsizetype have = m_buffer.size() - pos;
                if (quint64(have) >= length) {
                    pos += qsizetype(length);
                } else {
                    m_skip = length - quint64(have);
                    pos = m_buffer.size();
                }
                continue;
            }
            if (m_buffer.size() - pos - 4 < qsizetype(length))
                break;
            frames->append(m_buffer.mid(pos + 4, length));
            pos += 4 + qsizetype(length);
        }
        m_buffer.remove(0, pos);
    }
}

QByteArray encodeFrame(QByteArrayView payload)
{
    QByteArray out(4 + payload.size(), Qt::Uninitialized);
    qToLittleEndian<quint32>(quint32(payload.size()), out.data());
    if (!payload.isEmpty())
        memcpy(out.data() + 4, payload.data(), size_t(payload.size()));
    return out;
}

} // namespace pf::agent
