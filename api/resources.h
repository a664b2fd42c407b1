// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

namespace pf::api {

// Registers the Qt resources of resources/ (":/schemas/...").
//
// They are compiled into the object library pf_resources, whose objects end up
// inside the static libpf_api.a. A linker copies an archive member into an
// executable only when something refers to it, so code in pf_api that reads a
// resource calls this first: the reference keeps the resource data in every
// executable that uses it. Cheap after the first call; thread-safe.
void initResources();

} // namespace pf::api
