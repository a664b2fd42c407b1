// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "linesplitter.h"

namespace pf::agent {

qsizetype LineSplitter::cutPosition(const char *data, qsizetype size, qsizetype max)
{
    if (size <= max)
        return size;
    // data[max] is the first byte of the next record. If it continues a
    // multi-byte sequence, move the cut back to that sequence's first byte
    // (at most three bytes back); past that the bytes are not UTF-8 anyway.
    for (qsizetype i = max; i > max - 4 && i > 0; --i) {
        if ((static_cast<unsigned char>(data[i]) & 0xC0) != 0x80)
            return i;
    }
    return max;
}

} // namespace pf::agent
