// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Renders the main window with each section selected, light and dark, to
// PNG files under the build dir (screenshots/), for people to look at. The
// content comes from a seeded pfd: jobs that succeeded, failed and are
// running, datasets with nested files, USER and JOB checkpoints,
// experiments, credentials and a second member.

#include <gtest/gtest.h>

#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QSettings>
#include <QTemporaryDir>

#include "tests/support/datafixture.h"
#include "ui/mainwindow.h"
#include "ui/pane.h"
#include "ui/panes.h"
#include "ui/theme.h"

using namespace Qt::StringLiterals;
using pf::test::waitFor;
using pf::ui::MainWindow;
namespace api = pf::api;

namespace {

QJsonObject jobSpec(const QString &name, const QString &experiment, const QString &command)
{
    return {{u"name"_s, name},
            {u"experiment"_s, experiment},
            {u"vm"_s, u"local-cpu-2c"_s},
            {u"num_devices"_s, 1},
            {u"job_setting"_s,
             QJsonObject{{u"type"_s, u"custom"_s},
                         {u"docker"_s, QJsonObject{{u"image"_s, u"friendliai/periflow:sdk"_s},
                                                   {u"command"_s, command}}}}}};
}

// Mean lightness (0-255) of an image, sampled.
int meanLightness(const QImage &image)
{
    qint64 sum = 0;
    qint64 n = 0;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7) {
            sum += QColor(image.pixel(x, y)).lightness();
            ++n;
        }
    }
    return n ? int(sum / n) : 0;
}

} // namespace

class Screenshots : public pf::test::DataFixture
{
protected:
    static void SetUpTestSuite()
    {
        s_pfd = new pf::test::PfdProcess(
            u"auth:\n  password_hashing: minimal\n"
            "vm_types:\n"
            "  - {code: local-cpu-2c, devices_per_vm: 1, vcpu: 2, memory_gib: 2, max_vms: 4, "
            "default_quota: 4}\n"
            "jobs:\n  sandbox: none\n"_s);
        ASSERT_TRUE(s_pfd->start()) << s_pfd->lastError().toStdString();
    }

    void seed()
    {
        for (const QString &e : {u"baseline"_s, u"lr-sweep"_s})
            ASSERT_API_OK(waitFor<api::Experiment>(
                [&](auto d) { m_api->createExperiment(m_ws.projectId, e, d); }));
        const QList<QJsonObject> specs{
            jobSpec(u"resnet50-baseline"_s, u"baseline"_s, u"echo done"_s),
            jobSpec(u"lr-3e-4"_s, u"lr-sweep"_s, u"echo done"_s),
            jobSpec(u"lr-1e-3"_s, u"lr-sweep"_s, u"exit 3"_s),
            jobSpec(u"lr-3e-3"_s, u"lr-sweep"_s, u"sleep 120"_s),
        };
        for (const QJsonObject &spec : specs)
            ASSERT_API_OK(
                waitFor<api::Job>([&](auto d) { m_api->createJob(m_ws.projectId, spec, d); }));
        makeDataset(
            u"cifar-100"_s,
            {{u"train/data_batch_1.bin"_s, QByteArray(30000, 'a')},
             {u"train/data_batch_2.bin"_s, QByteArray(30000, 'b')},
             {u"test/test_batch.bin"_s, QByteArray(10000, 'c')},
             {u"meta/labels.txt"_s, QByteArrayLiteral("apple\nbear\n")},
             {u"README.md"_s, QByteArrayLiteral("# CIFAR-100\n")}},
            {{u"source"_s, u"https://www.cs.toronto.edu/~kriz/cifar.html"_s}, {u"classes"_s, 100}});
        makeDataset(u"imagenet-mini"_s,
                    {{u"val/n01440764/img_0001.JPEG"_s, QByteArray(4000, 'x')}});
        makeCheckpoint(u"resnet50-pretrained"_s, u"USER"_s, 0,
                       {{u"model.safetensors"_s, QByteArray(50000, 'w')},
                        {u"config.json"_s, QByteArrayLiteral("{}")}});
        makeCheckpoint(u"lr-3e-4 step 2000"_s, u"JOB"_s, 2000,
                       {{u"ckpt/iter_0002000.pt"_s, QByteArray(20000, 'j')}});
        ASSERT_API_OK(waitFor<api::Credential>([&](auto d) {
            m_api->createCredential(m_ws.projectId, u"wandb"_s, u"team-wandb"_s, 1,
                                    {{u"token"_s, u"0123456789abcdef"_s}}, d);
        }));
        const pf::test::PfdProcess::User bob = s_pfd->createUser(m_user.username + u"-bob"_s);
        const auto invite = waitFor<pf::network::Invitation>(
            [&](auto d) { m_api->inviteToOrg(m_ws.orgId, bob.email, {}, d); });
        ASSERT_API_OK(invite);
        pf::network::ApiSession bobSession(m_session->baseUrl());
        bobSession.setTokens(bob.token, bob.refresh);
        pf::network::PfApi bobApi(&bobSession);
        ASSERT_API_OK(waitFor<pf::network::Empty>([&](auto d) {
            bobApi.confirmOrgInvite(invite.value.emailToken, invite.value.key, d);
        }));
        ASSERT_API_OK(waitFor<pf::network::Empty>([&](auto d) {
            m_api->addProjectMember(bob.id, m_ws.projectId, api::ProjectRole::Develop, d);
        }));
        // Three of the four jobs end; the fourth keeps running.
        ASSERT_TRUE(QTest::qWaitFor(
            [&] {
                const auto page = waitFor<api::Page<api::Job>>(
                    [&](auto d) { m_api->jobs(m_ws.projectId, {}, {}, 10, d); });
                int ended = 0;
                for (const api::Job &j : page.value.results)
                    ended += api::isTerminal(j.status) ? 1 : 0;
                return ended == 3;
            },
            60000));
    }

    // Until no call has been on the wire for a quarter of a second.
    bool settle()
    {
        QElapsedTimer idle;
        return QTest::qWaitFor(
            [&] {
                if (m_session->inFlight() > 0) {
                    idle.invalidate();
                    return false;
                }
                if (!idle.isValid())
                    idle.start();
                return idle.elapsed() > 250;
            },
            20000);
    }
};

TEST_F(Screenshots, EverySectionLightAndDark)
{
    seed();
    if (HasFatalFailure())
        return;
    const QString dir = QStringLiteral(PF_SCREENSHOT_DIR);
    ASSERT_TRUE(QDir().mkpath(dir));
    QTemporaryDir home;
    QSettings settings(home.path() + u"/studio.ini"_s, QSettings::IniFormat);
    const auto me = waitFor<api::UserInfo>([&](auto d) { m_api->userInfo(d); });
    ASSERT_API_OK(me);

    int lightness[2] = {0, 0};
    for (const pf::ui::Theme theme : {pf::ui::Theme::Light, pf::ui::Theme::Dark}) {
        pf::ui::applyTheme(theme);
        const QString themeName = theme == pf::ui::Theme::Dark ? u"dark"_s : u"light"_s;
        MainWindow w;
        w.resize(1280, 780);
        w.show();
        w.setConnection(MainWindow::Connection::Connected,
                        u"This computer · %1"_s.arg(m_session->baseUrl().authority()));
        w.setSession(m_api.get(), me.value, &settings, u"screenshots"_s);
        ASSERT_TRUE(QTest::qWaitFor([&] { return w.workspace().valid(); }, 20000));
        for (int s = 0; s < MainWindow::SectionCount; ++s) {
            w.selectSection(MainWindow::Section(s));
            ASSERT_TRUE(settle());
            // Show an item's details where the pane has them.
            const QList<pf::ui::Pane::Item> items = w.pane(MainWindow::Section(s))->paletteItems();
            if (!items.isEmpty()) {
                w.pane(MainWindow::Section(s))->openItem(items.first().key);
                ASSERT_TRUE(settle());
            }
            // Every section has its real pane, not the placeholder.
            EXPECT_STRNE(w.pane(MainWindow::Section(s))->metaObject()->className(), "pf::ui::Pane")
                << pf::ui::sectionTitle(s).toStdString();
            const QImage shot = w.grab().toImage();
            const QString file =
                u"%1/%2-%3.png"_s.arg(dir, pf::ui::sectionTitle(s).toLower(), themeName);
            ASSERT_TRUE(shot.save(file)) << file.toStdString();
            if (s == MainWindow::Jobs)
                lightness[theme == pf::ui::Theme::Dark ? 1 : 0] = meanLightness(shot);
        }
    }
    pf::ui::applyTheme(pf::ui::Theme::Light);
    // The dark theme reaches the whole window, not only its frame.
    EXPECT_LT(lightness[1] + 80, lightness[0]) << lightness[1] << " vs " << lightness[0];

    // The running job is stopped, so nothing outlives the test.
    const auto page =
        waitFor<api::Page<api::Job>>([&](auto d) { m_api->jobs(m_ws.projectId, {}, {}, 10, d); });
    for (const api::Job &j : page.value.results) {
        if (!api::isTerminal(j.status))
            waitFor<api::Job>([&](auto d) { m_api->terminateJob(m_ws.projectId, j.number, d); });
    }
}
