// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "sodium.h"

#include <sodium.h>

#include <QtGlobal>

namespace pf::server {

void Sodium::ensureInitialised()
{
    // A function-local static is initialised once, and other threads wait for
    // it (C++11 magic statics), which is the ordering sodium_init() needs.
    static const bool initialised = [] {
        if (sodium_init() < 0)
            qFatal("pfd: libsodium failed to initialise (sodium_init() < 0); "
                   "is there a working random source (getrandom, /dev/urandom)?");
        return true;
    }();
    Q_UNUSED(initialised);
}

} // namespace pf::server
