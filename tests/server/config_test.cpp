// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <thread>

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include "server/config.h"
#include "tests/server/servertestutil.h"

using namespace Qt::StringLiterals;
using pf::server::ServerConfig;
using pf::server::VmTypeConfig;

namespace {

class ServerConfigTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_dir.isValid()); }

    // Loads `yaml` from a file; on failure returns nullopt and sets m_error.
    std::optional<ServerConfig> load(const QByteArray &yaml)
    {
        const QString path = m_dir.filePath(u"pfd.yaml"_s);
        EXPECT_TRUE(pf::servertest::writeFile(path, yaml));
        m_error.clear();
        return ServerConfig::load(path, &m_error);
    }

    // The error `yaml` gives, without the "<path>: " prefix; "" if it loads.
    std::string errorOf(const QByteArray &yaml)
    {
        if (load(yaml))
            return {};
        const QString prefix = m_dir.filePath(u"pfd.yaml"_s) + u": "_s;
        EXPECT_TRUE(m_error.startsWith(prefix)) << m_error.toStdString();
        return m_error.mid(prefix.size()).toStdString();
    }

    QTemporaryDir m_dir;
    QString m_error;
};

int cores()
{
    return int(std::max(1u, std::thread::hardware_concurrency()));
}

void expectDefaults(const ServerConfig &c)
{
    const ServerConfig d;
    EXPECT_EQ(c.database, d.database);
    EXPECT_EQ(c.maxBodyBytes, std::size_t(1024 * 1024));
    EXPECT_EQ(c.requestTimeoutSecs, 30);
    EXPECT_EQ(c.ioThreads, 1);
    EXPECT_EQ(c.workerThreads, 4);
    EXPECT_EQ(c.accessTokenTtlSecs, 15 * 60);
    EXPECT_EQ(c.refreshTokenTtlSecs, 30 * 24 * 3600);
    EXPECT_EQ(c.passwordHashing, u"interactive"_s);
    EXPECT_EQ(c.loginFailuresPerUser, 5);
    EXPECT_EQ(c.loginFailuresPerAddress, 20);
    EXPECT_EQ(c.loginWindowSecs, 300);
    EXPECT_EQ(c.signupCodeTtlSecs, 24 * 3600);
    EXPECT_TRUE(c.accessLog);
    EXPECT_TRUE(c.jobTemplates.isEmpty());
    ASSERT_EQ(c.vmTypes.size(), 1);
    EXPECT_EQ(c.vmTypes[0].code, u"local-cpu-%1c"_s.arg(cores()));
}

} // namespace

TEST(ServerConfigDefaults, OneLocalVmTypeFittedToThisMachine)
{
    const ServerConfig c = ServerConfig::defaults();
    expectDefaults(c);
    const VmTypeConfig &vm = c.vmTypes.front();
    EXPECT_EQ(vm.code, u"local-cpu-%1c"_s.arg(std::thread::hardware_concurrency()));
    EXPECT_EQ(vm.vcpu, cores());
    EXPECT_EQ(vm.devicesPerVm, cores());
    EXPECT_EQ(vm.executor, u"local"_s);
    EXPECT_EQ(vm.vendor, u"local"_s);
    EXPECT_EQ(vm.deviceType, u"cpu"_s);
    EXPECT_GE(vm.memoryGib, 1.0);
    EXPECT_EQ(vm.memoryGib, std::floor(vm.memoryGib));
}

TEST_F(ServerConfigTest, EmptyFileGivesTheDefaults)
{
    for (const QByteArray &yaml : {QByteArray(), QByteArray("\n\n"),
                                   QByteArray("# only a comment\n"), QByteArray("---\n")}) {
        const auto c = load(yaml);
        ASSERT_TRUE(c) << m_error.toStdString();
        expectDefaults(*c);
    }
}

TEST_F(ServerConfigTest, FullValidFile)
{
    const auto c = load(R"(# pfd configuration
database: postgresql://pf:secret@db.example.org:6543/pfstudio
access_log: false
http:
  max_body_bytes: 2048
  request_timeout_s: 12
  io_threads: 2
  worker_threads: 8
auth:
  access_token_ttl_s: 600
  refresh_token_ttl_s: 86400
  password_hashing: minimal
  login_failures_per_user: 3
  login_failures_per_address: 7
  login_window_s: 90
  signup_code_ttl_s: 3600
vm_types:
  - code: slurm-a100-8g
    vendor: nvidia
    device_type: a100
    devices_per_vm: 8
    per_device_memory_gib: 80
    vcpu: 64
    memory_gib: 512.5
    spot: true
    executor: slurm
    max_vms: 4
    default_quota: 0
  - code: local-cpu-2c
job_templates:
  - name: train
    config:
      steps: 10
      tags: [a, b]
)");
    ASSERT_TRUE(c) << m_error.toStdString();
    EXPECT_EQ(c->database, u"postgresql://pf:secret@db.example.org:6543/pfstudio"_s);
    EXPECT_FALSE(c->accessLog);
    EXPECT_EQ(c->maxBodyBytes, 2048u);
    EXPECT_EQ(c->requestTimeoutSecs, 12);
    EXPECT_EQ(c->ioThreads, 2);
    EXPECT_EQ(c->workerThreads, 8);
    EXPECT_EQ(c->accessTokenTtlSecs, 600);
    EXPECT_EQ(c->refreshTokenTtlSecs, 86400);
    EXPECT_EQ(c->passwordHashing, u"minimal"_s);
    EXPECT_EQ(c->loginFailuresPerUser, 3);
    EXPECT_EQ(c->loginFailuresPerAddress, 7);
    EXPECT_EQ(c->loginWindowSecs, 90);
    EXPECT_EQ(c->signupCodeTtlSecs, 3600);

    ASSERT_EQ(c->vmTypes.size(), 2);
    const VmTypeConfig &gpu = c->vmTypes[0];
    EXPECT_EQ(gpu.code, u"slurm-a100-8g"_s);
    EXPECT_EQ(gpu.vendor, u"nvidia"_s);
    EXPECT_EQ(gpu.deviceType, u"a100"_s);
    EXPECT_EQ(gpu.devicesPerVm, 8);
    EXPECT_DOUBLE_EQ(gpu.perDeviceMemoryGib, 80);
    EXPECT_EQ(gpu.vcpu, 64);
    EXPECT_DOUBLE_EQ(gpu.memoryGib, 512.5);
    EXPECT_TRUE(gpu.spot);
    EXPECT_EQ(gpu.executor, u"slurm"_s);
    EXPECT_EQ(gpu.maxVms, 4);
    EXPECT_EQ(gpu.defaultQuota, 0);
    // Unset members keep the VmTypeConfig defaults.
    const VmTypeConfig &small = c->vmTypes[1];
    const VmTypeConfig plain;
    EXPECT_EQ(small.code, u"local-cpu-2c"_s);
    EXPECT_EQ(small.vendor, plain.vendor);
    EXPECT_EQ(small.executor, u"local"_s);
    EXPECT_EQ(small.vcpu, plain.vcpu);
    EXPECT_EQ(small.maxVms, plain.maxVms);
    EXPECT_EQ(small.defaultQuota, plain.defaultQuota);
    EXPECT_FALSE(small.spot);

    ASSERT_EQ(c->jobTemplates.size(), 1);
    const QJsonObject tpl = c->jobTemplates[0].toObject();
    EXPECT_EQ(tpl.value(u"name"_s).toString(), u"train"_s);
    EXPECT_EQ(tpl.value(u"config"_s).toObject().value(u"steps"_s).toString(), u"10"_s);
    EXPECT_EQ(tpl.value(u"config"_s).toObject().value(u"tags"_s).toArray().size(), 2);
}

TEST_F(ServerConfigTest, PartialFileKeepsOtherDefaults)
{
    const auto c = load("http:\n  worker_threads: 2\n");
    ASSERT_TRUE(c) << m_error.toStdString();
    EXPECT_EQ(c->workerThreads, 2);
    EXPECT_EQ(c->ioThreads, 1);
    EXPECT_EQ(c->accessTokenTtlSecs, 15 * 60);
    ASSERT_EQ(c->vmTypes.size(), 1);
    EXPECT_EQ(c->vmTypes[0].code, u"local-cpu-%1c"_s.arg(cores()));
}

TEST_F(ServerConfigTest, SqliteKeywordMeansTheDefaultDatabase)
{
    const auto c = load("database: sqlite\n");
    ASSERT_TRUE(c) << m_error.toStdString();
    EXPECT_TRUE(c->database.isEmpty());
}

TEST_F(ServerConfigTest, UnknownKeysAreNamed)
{
    EXPECT_EQ(errorOf("databse: x\n"), "unknown key `databse` (line 1)");
    EXPECT_EQ(errorOf("http:\n  worker_threads: 2\n  wrker_threads: 3\n"),
              "unknown key `http.wrker_threads` (line 3)");
    EXPECT_EQ(errorOf("auth:\n  password_hash: minimal\n"),
              "unknown key `auth.password_hash` (line 2)");
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n    colour: red\n"),
              "unknown key `vm_types[].colour` (line 3)");
}

TEST_F(ServerConfigTest, WrongTypes)
{
    EXPECT_EQ(errorOf("http: 5\n"), "`http` must be a mapping (line 1)");
    EXPECT_EQ(errorOf("auth: [a, b]\n"), "`auth` must be a mapping (line 1)");
    EXPECT_EQ(errorOf("http:\n  worker_threads: many\n"),
              "`http.worker_threads` has the wrong type (line 2)");
    EXPECT_EQ(errorOf("http:\n  worker_threads: 2.5\n"),
              "`http.worker_threads` has the wrong type (line 2)");
    EXPECT_EQ(errorOf("http:\n  worker_threads: [1]\n"),
              "`http.worker_threads` has the wrong type (line 2)");
    EXPECT_EQ(errorOf("http:\n  io_threads: 99999999999\n"),
              "`http.io_threads` has the wrong type (line 2)");
    EXPECT_EQ(errorOf("access_log: maybe\n"), "`access_log` has the wrong type (line 1)");
    EXPECT_EQ(errorOf("database: [a]\n"), "`database` must be a string (line 1)");
    EXPECT_EQ(errorOf("vm_types: {code: a}\n"), "`vm_types` must be a list (line 1)");
    EXPECT_EQ(errorOf("vm_types:\n  - just-a-code\n"), "`vm_types[]` must be a mapping (line 2)");
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n    spot: sometimes\n"),
              "`vm_types[].spot` has the wrong type (line 3)");
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n    memory_gib: lots\n"),
              "`vm_types[].memory_gib` has the wrong type (line 3)");
    EXPECT_EQ(errorOf("job_templates: {a: 1}\n"), "`job_templates` must be a list (line 1)");
    EXPECT_EQ(errorOf("auth:\n  password_hashing: fast\n"),
              "`auth.password_hashing` must be minimal, interactive or moderate");
}

TEST_F(ServerConfigTest, BadVmCodes)
{
    const std::string expected = "`vm_types[].code` must be lower-case letters, digits, '-' or "
                                 "'.' (line 2)";
    for (const char *code : {"Local-CPU", "local_cpu", "-leading-dash", ".dot", "a b", "\"\"",
                             "\"caf\u00e9\"", "[a]"}) {
        const QByteArray yaml = "vm_types:\n  - code: " + QByteArray(code) + "\n";
        const std::string error = errorOf(yaml);
        if (QByteArray(code) == "[a]") {
            EXPECT_EQ(error, "`vm_types[].code` must be a string (line 2)");
        } else {
            EXPECT_EQ(error, expected) << code;
        }
    }
    EXPECT_EQ(errorOf("vm_types:\n  - vcpu: 2\n"), expected) << "a missing code";
    const QByteArray tooLong = "vm_types:\n  - code: " + QByteArray(64, 'a') + "\n";
    EXPECT_EQ(errorOf(tooLong), expected);
    const QByteArray longest = "vm_types:\n  - code: " + QByteArray(63, 'a') + "\n";
    EXPECT_EQ(errorOf(longest), "");
}

TEST_F(ServerConfigTest, DuplicateVmCodes)
{
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n  - code: b\n  - code: a\n"),
              "VM code `a` is defined twice (line 4)");
}

TEST_F(ServerConfigTest, ExecutorIsLocalOrSlurm)
{
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n    executor: kubernetes\n"),
              "`vm_types[].executor` must be local or slurm (line 2)");
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n    executor: Local\n"),
              "`vm_types[].executor` must be local or slurm (line 2)");
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n    executor: slurm\n"), "");
}

TEST_F(ServerConfigTest, NegativeAndTooSmallNumbers)
{
    EXPECT_EQ(errorOf("http:\n  worker_threads: -1\n"),
              "`http.worker_threads` must be at least 1 (line 2)");
    EXPECT_EQ(errorOf("http:\n  io_threads: 0\n"), "`http.io_threads` must be at least 1 (line 2)");
    EXPECT_EQ(errorOf("http:\n  max_body_bytes: 100\n"),
              "`http.max_body_bytes` must be at least 1024 (line 2)");
    EXPECT_EQ(errorOf("auth:\n  login_window_s: -300\n"),
              "`auth.login_window_s` must be at least 1 (line 2)");
    EXPECT_EQ(errorOf("auth:\n  access_token_ttl_s: 0\n"),
              "`auth.access_token_ttl_s` must be at least 1 (line 2)");
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n    vcpu: -2\n"),
              "`vm_types[].vcpu` must be at least 1 (line 3)");
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n    max_vms: 0\n"),
              "`vm_types[].max_vms` must be at least 1 (line 3)");
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n    default_quota: -1\n"),
              "`vm_types[].default_quota` must be at least 0 (line 3)");
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n    memory_gib: -4\n"),
              "`vm_types[].memory_gib` must be a number of at least 0 (line 3)");
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n    per_device_memory_gib: -0.5\n"),
              "`vm_types[].per_device_memory_gib` must be a number of at least 0 (line 3)");
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n    memory_gib: .nan\n"),
              "`vm_types[].memory_gib` must be a number of at least 0 (line 3)");
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n    memory_gib: .inf\n"),
              "`vm_types[].memory_gib` must be a number of at least 0 (line 3)");
    EXPECT_EQ(errorOf("vm_types:\n  - code: a\n    default_quota: 0\n    memory_gib: 0\n"), "");
}

TEST_F(ServerConfigTest, NotYaml)
{
    const std::string broken = errorOf("http: {worker_threads: [1, 2\n");
    EXPECT_EQ(broken.rfind("not valid YAML", 0), 0u) << broken;
    const std::string tabs = errorOf("http:\n\tworker_threads: 2\n");
    EXPECT_FALSE(tabs.empty());
    // Valid YAML, but not a mapping of settings.
    EXPECT_EQ(errorOf("just some words\n"), "the file must be a mapping of settings (line 1)");
    EXPECT_EQ(errorOf("- a\n- b\n"), "the file must be a mapping of settings (line 1)");
    EXPECT_FALSE(errorOf(QByteArray("\x00\x01\x02\xff\xfe", 5)).empty());
}

TEST_F(ServerConfigTest, MissingFile)
{
    QString error;
    const QString path = m_dir.filePath(u"does-not-exist.yaml"_s);
    EXPECT_FALSE(ServerConfig::load(path, &error));
    EXPECT_EQ(error, path + u": cannot read the file"_s);
}

TEST_F(ServerConfigTest, ADirectoryIsNotAFile)
{
    QString error;
    EXPECT_FALSE(ServerConfig::load(m_dir.path(), &error));
    EXPECT_TRUE(error.startsWith(m_dir.path() + u": "_s)) << error.toStdString();
}

TEST_F(ServerConfigTest, StorageAndPublicUrl)
{
    const auto d = load("access_log: true\n");
    ASSERT_TRUE(d) << m_error.toStdString();
    EXPECT_EQ(d->storageUrlTtlSecs, 3600);
    EXPECT_EQ(d->storageProjectQuotaBytes, 0);
    EXPECT_EQ(d->storageUploadMaxAgeSecs, 86400);
    EXPECT_EQ(d->storageSweepIntervalSecs, 600);
    EXPECT_EQ(d->readTimeoutSecs, 30);
    EXPECT_TRUE(d->publicUrl.isEmpty());

    const auto c = load("public_url: https://pf.example.org/\n"
                        "http:\n  read_timeout_s: 5\n"
                        "storage:\n  url_ttl_s: 60\n  project_quota_gib: 1.5\n"
                        "  upload_max_age_s: 7200\n  sweep_interval_s: 30\n");
    ASSERT_TRUE(c) << m_error.toStdString();
    EXPECT_EQ(c->publicUrl, u"https://pf.example.org"_s);
    EXPECT_EQ(c->readTimeoutSecs, 5);
    EXPECT_EQ(c->storageUrlTtlSecs, 60);
    EXPECT_EQ(c->storageProjectQuotaBytes, qint64(1.5 * 1024 * 1024 * 1024));
    EXPECT_EQ(c->storageUploadMaxAgeSecs, 7200);
    EXPECT_EQ(c->storageSweepIntervalSecs, 30);

    EXPECT_EQ(errorOf("storage:\n  url_ttl: 5\n"), "unknown key `storage.url_ttl` (line 2)");
    EXPECT_EQ(errorOf("storage:\n  project_quota_gib: -1\n"),
              "`storage.project_quota_gib` must be 0 (no limit) or more (line 2)");
    EXPECT_EQ(errorOf("storage:\n  project_quota_gib: lots\n"),
              "`storage.project_quota_gib` has the wrong type (line 2)");
    EXPECT_EQ(errorOf("public_url: ftp://x\n"),
              "`public_url` must start with http:// or https:// (line 1)");
}
