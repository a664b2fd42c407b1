// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QStringList>

#include "server/config.h"

namespace pf::server {

// `pfd admin <command> ...`: works on the data dir's store directly, so it
// runs with or without a pfd serving it. Returns the process exit code
// (0 done, 1 failed, 2 bad usage) after printing the outcome.
//
//   create-user --username U --email E [--name N] [--password-stdin] [--confirmed]
//   confirm-user --username U
//   set-password --username U [--password-stdin]
//   create-org --name N --owner U
int runAdmin(const QString &dataDir, const ServerConfig &config, const QStringList &args);

} // namespace pf::server
