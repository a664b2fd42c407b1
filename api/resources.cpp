// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "resources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE declares the initialiser in the enclosing namespace, so it
// has to run outside pf::api. "pf_schemas" is the name given to
// qt_add_resources() in resources/CMakeLists.txt.
static void initPfSchemas()
{
    Q_INIT_RESOURCE(pf_schemas);
}

namespace pf::api {

void initResources()
{
    static const bool once = (initPfSchemas(), true);
    Q_UNUSED(once);
}

} // namespace pf::api
