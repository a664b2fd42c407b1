// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

namespace pf::server {

// The one place that initialises libsodium for pfd.
class Sodium
{
public:
    // Calls sodium_init() exactly once per process; safe to call from any
    // thread, any number of times, and cheap after the first call. If libsodium
    // cannot initialise (no usable entropy source) the process aborts with a
    // message through qFatal: no auth primitive may run without it. Every class
    // of this library calls it before it touches libsodium, so callers need not.
    static void ensureInitialised();

    Sodium() = delete;
};

} // namespace pf::server
