// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "migrations.h"

namespace pf::server {

namespace {

// Plain SQL shared by SQLite and PostgreSQL; the only dialect difference in
// these statements is how an auto-numbered key is spelled. Times are BIGINT
// milliseconds since the epoch (UTC).
const char *const kV1[] = {
    R"(CREATE TABLE users (
        seq %SERIAL%,
        id TEXT NOT NULL UNIQUE,
        username TEXT NOT NULL,
        username_key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        email TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        confirmed BOOLEAN NOT NULL,
        created_at BIGINT NOT NULL))",
    R"(CREATE TABLE signup_codes (
        email_token TEXT PRIMARY KEY,
        key_hash TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        expires_at BIGINT NOT NULL))",
    R"(CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT,
        revoked BOOLEAN NOT NULL))",
    "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)",
    R"(CREATE TABLE orgs (
        seq %SERIAL%,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        created_at BIGINT NOT NULL))",
    R"(CREATE TABLE org_members (
        seq %SERIAL%,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        UNIQUE (org_id, user_id)))",
    "CREATE INDEX org_members_user ON org_members (user_id)",
    R"(CREATE TABLE org_invites (
        email_token TEXT PRIMARY KEY,
        key_hash TEXT NOT NULL,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        email TEXT NOT NULL,
        inviter_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL))",
    R"(CREATE TABLE projects (
        seq %SERIAL%,
        id TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        UNIQUE (org_id, name)))",
    R"(CREATE TABLE project_members (
        seq %SERIAL%,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        UNIQUE (project_id, user_id)))",
    "CREATE INDEX project_members_user ON project_members (user_id)",
    R"(CREATE TABLE credentials (
        seq %SERIAL%,
        id TEXT NOT NULL UNIQUE,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        owner_id TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        type_version INTEGER NOT NULL,
        sealed_value TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL))",
    "CREATE INDEX credentials_project ON credentials (project_id)",
    R"(CREATE TABLE vm_config (
        id %SERIAL%,
        code TEXT NOT NULL UNIQUE,
        vendor TEXT NOT NULL,
        device_type TEXT NOT NULL,
        num_devices_per_vm INTEGER NOT NULL,
        per_gpu_memory DOUBLE PRECISION NOT NULL,
        vcpu INTEGER NOT NULL,
        cpu_memory DOUBLE PRECISION NOT NULL,
        is_spot BOOLEAN NOT NULL,
        executor TEXT NOT NULL,
        global_quota INTEGER NOT NULL,
        default_quota INTEGER NOT NULL,
        retired BOOLEAN NOT NULL))",
    R"(CREATE TABLE vm_quota (
        id %SERIAL%,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        vm_config_id BIGINT NOT NULL REFERENCES vm_config(id),
        quota INTEGER NOT NULL,
        UNIQUE (project_id, vm_config_id)))",
    R"(CREATE TABLE experiments (
        id %SERIAL%,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        UNIQUE (project_id, name)))",
    R"(CREATE TABLE jobs (
        seq %SERIAL%,
        id TEXT NOT NULL UNIQUE,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        number BIGINT NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        experiment_id BIGINT REFERENCES experiments(id) ON DELETE CASCADE,
        vm_config_id BIGINT REFERENCES vm_config(id),
        num_desired_devices INTEGER NOT NULL,
        data_store_id BIGINT,
        user_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        started_at BIGINT,
        finished_at BIGINT,
        progress DOUBLE PRECISION NOT NULL,
        error_message TEXT NOT NULL,
        config TEXT NOT NULL,
        UNIQUE (project_id, number)))",
    "CREATE INDEX jobs_experiment ON jobs (experiment_id)",
    R"(CREATE TABLE vm_lock (
        id %SERIAL%,
        vm_config_id BIGINT NOT NULL REFERENCES vm_config(id),
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        job_id TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at BIGINT NOT NULL))",
    "CREATE INDEX vm_lock_project ON vm_lock (project_id, status)",
};

// Jobs run: their nodes (one agent each), metrics, and the checkpoints jobs
// save. Log records are not here: they live in per-job files (LogStore).
const char *const kV2[] = {
    "ALTER TABLE jobs ADD COLUMN num_nodes INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE jobs ADD COLUMN stop_requested_at BIGINT",
    "ALTER TABLE jobs ADD COLUMN step BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE jobs ADD COLUMN total_steps BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE jobs ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0",
    "CREATE INDEX jobs_project ON jobs (project_id, seq)",
    "CREATE INDEX jobs_status ON jobs (status)",
    R"(CREATE TABLE job_nodes (
        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        node_rank INTEGER NOT NULL,
        status TEXT NOT NULL,
        pid BIGINT,
        pid_start TEXT NOT NULL,
        exit_code INTEGER,
        message TEXT NOT NULL,
        acked_seq BIGINT NOT NULL,
        last_report_ms BIGINT NOT NULL,
        PRIMARY KEY (job_id, node_rank)))",
    R"(CREATE TABLE job_metrics (
        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        step BIGINT NOT NULL,
        value DOUBLE PRECISION NOT NULL,
        time_ms BIGINT NOT NULL,
        PRIMARY KEY (job_id, name, step)))",
    R"(CREATE TABLE checkpoints (
        seq %SERIAL%,
        id TEXT NOT NULL UNIQUE,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        job_id TEXT,
        iteration BIGINT NOT NULL,
        attributes TEXT NOT NULL,
        dist_json TEXT NOT NULL,
        state TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        deleted_at BIGINT,
        hard_deleted_at BIGINT))",
    "CREATE INDEX checkpoints_job ON checkpoints (job_id)",
    R"(CREATE TABLE checkpoint_forms (
        id TEXT PRIMARY KEY,
        checkpoint_id TEXT NOT NULL REFERENCES checkpoints(id) ON DELETE CASCADE,
        vendor TEXT NOT NULL,
        region TEXT NOT NULL,
        storage_name TEXT NOT NULL,
        form_category TEXT NOT NULL,
        files TEXT NOT NULL))",
};

// Datasets ("datastore"); their files' bytes live in the object store.
const char *const kV3[] = {
    R"(CREATE TABLE datasets (
        id %SERIAL%,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        vendor TEXT NOT NULL,
        region TEXT NOT NULL,
        storage_name TEXT NOT NULL,
        credential_id TEXT,
        metadata TEXT NOT NULL,
        files TEXT NOT NULL,
        active BOOLEAN NOT NULL,
        created_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        UNIQUE (org_id, name)))",
    "CREATE INDEX datasets_project ON datasets (project_id, id)",
};

// The model registry: who registered a checkpoint and the credential its
// storage needs.
const char *const kV4[] = {
    "ALTER TABLE checkpoints ADD COLUMN created_by TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE checkpoints ADD COLUMN secret_type TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE checkpoints ADD COLUMN secret_id TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX checkpoints_project ON checkpoints (project_id, seq)",
};

QStringList dialect(const char *const *begin, const char *const *end, bool sqlite)
{
    QStringList out;
    for (auto it = begin; it != end; ++it) {
        QString s = QString::fromUtf8(*it);
        s.replace(QStringLiteral("%SERIAL%"),
                  sqlite ? QStringLiteral("INTEGER PRIMARY KEY AUTOINCREMENT")
                         : QStringLiteral("BIGSERIAL PRIMARY KEY"));
        out.append(s);
    }
    return out;
}

} // namespace

QList<Migration> migrations(bool sqlite)
{
    return {
        {1, QStringLiteral("users, orgs, projects, credentials, VMs, experiments"),
         dialect(std::begin(kV1), std::end(kV1), sqlite)},
        {2, QStringLiteral("job nodes, metrics, checkpoints"),
         dialect(std::begin(kV2), std::end(kV2), sqlite)},
        {3, QStringLiteral("datasets"), dialect(std::begin(kV3), std::end(kV3), sqlite)},
        {4, QStringLiteral("model registry"), dialect(std::begin(kV4), std::end(kV4), sqlite)},
    };
}

} // namespace pf::server
