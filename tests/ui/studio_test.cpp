// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
//
// Starting the studio: the embedded default from a clean home (a real local
// pfd, a local account, an org and a `default` project), a second instance
// reusing that pfd, and signing in to a loopback pfd through the welcome
// dialog, then switching org and project and creating a project. Tokens go
// to an in-memory store here; tests/network/tokenstore_test.cpp holds the
// keychain itself to the same contract against a real Secret Service.

#include <gtest/gtest.h>

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include "app/embeddedserver.h"
#include "app/localaccount.h"
#include "app/studiocontroller.h"
#include "network/tokenstore.h"
#include "tests/support/apiwait.h"
#include "tests/support/pfdprocess.h"
#include "ui/commandpalette.h"
#include "ui/mainwindow.h"
#include "ui/welcomedialog.h"
#include "ui/widgets/messagebox.h"

using namespace Qt::StringLiterals;
using pf::app::LocalAccount;
using pf::app::StudioController;
using pf::network::MemoryTokenStore;
using pf::test::PfdProcess;
using pf::test::waitFor;
using pf::ui::MainWindow;
namespace api = pf::api;

namespace {

std::optional<QString> readSecret(pf::network::TokenStore &store, const QString &key)
{
    std::optional<QString> out;
    bool answered = false;
    store.read(key, [&](std::optional<QString> s, const QString &) {
        out = std::move(s);
        answered = true;
    });
    EXPECT_TRUE(QTest::qWaitFor([&] { return answered; }, 5000));
    return out;
}

bool waitForWorkspace(const MainWindow &w, int ms = 60000)
{
    return QTest::qWaitFor([&] { return w.workspace().valid(); }, ms);
}

} // namespace

TEST(Studio, EmbeddedDefaultStartsFromACleanHomeAndASecondInstanceReusesIt)
{
    QTemporaryDir home;
    const QString dataDir = home.path() + u"/share/pfstudio/server"_s;
    QSettings settings(home.path() + u"/studio.ini"_s, QSettings::IniFormat);
    MemoryTokenStore keychain;

    auto window = std::make_unique<MainWindow>();
    auto controller = std::make_unique<StudioController>(window.get(), &keychain, &settings);
    controller->start({StudioController::Mode::Local, {}, dataDir});
    ASSERT_TRUE(waitForWorkspace(*window)) << "not signed in";
    EXPECT_EQ(window->workspace().orgName, u"Local"_s);
    EXPECT_EQ(window->workspace().projectName, u"default"_s);
    EXPECT_EQ(window->workspace().username, LocalAccount::username());
    EXPECT_TRUE(window->workspace().isOrgOwner());
    EXPECT_EQ(window->connection(), MainWindow::Connection::Connected);
    EXPECT_FALSE(controller->localServer()->reused());
    EXPECT_EQ(settings.value(u"connection/mode"_s).toString(), u"local"_s);
    // The password is in the keychain and nowhere in the settings.
    const std::optional<QString> password =
        readSecret(keychain, LocalAccount::keychainKey(dataDir));
    ASSERT_TRUE(password.has_value());
    EXPECT_GE(password->size(), 32);
    settings.sync();
    QFile ini(settings.fileName());
    ASSERT_TRUE(ini.open(QIODevice::ReadOnly));
    EXPECT_FALSE(ini.readAll().contains(password->toUtf8()));

    // A second instance on the same data dir: the same pfd, the same account.
    MainWindow second;
    StudioController secondController(&second, &keychain, &settings);
    secondController.start({StudioController::Mode::Local, {}, dataDir});
    ASSERT_TRUE(waitForWorkspace(second));
    EXPECT_TRUE(secondController.localServer()->reused());
    EXPECT_EQ(secondController.localServer()->baseUrl(), controller->localServer()->baseUrl());
    EXPECT_EQ(second.workspace().projectId, window->workspace().projectId);

    // The first quits and stops its pfd; the second notices, starts its own
    // on the same data and carries on with the same tokens.
    const QUrl before = controller->localServer()->baseUrl();
    controller.reset();
    window.reset();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return !secondController.localServer()->reused() &&
                   secondController.localServer()->baseUrl().isValid() &&
                   second.connection() == MainWindow::Connection::Connected;
        },
        60000));
    EXPECT_NE(secondController.localServer()->baseUrl(), before);
    const auto me = waitFor<api::UserInfo>([&](auto d) { secondController.api()->userInfo(d); });
    ASSERT_API_OK(me);
}

TEST(Studio, ALostKeychainGetsTheLocalAccountANewPassword)
{
    QTemporaryDir home;
    const QString dataDir = home.path() + u"/server"_s;
    QSettings settings(home.path() + u"/studio.ini"_s, QSettings::IniFormat);
    {
        MemoryTokenStore keychain;
        MainWindow w;
        StudioController c(&w, &keychain, &settings);
        c.start({StudioController::Mode::Local, {}, dataDir});
        ASSERT_TRUE(waitForWorkspace(w));
    }
    MemoryTokenStore fresh; // a new keychain: the account exists, its password is gone
    MainWindow w;
    StudioController c(&w, &fresh, &settings);
    c.start({StudioController::Mode::Local, {}, dataDir});
    ASSERT_TRUE(waitForWorkspace(w));
    EXPECT_EQ(w.workspace().projectName, u"default"_s);
    EXPECT_TRUE(readSecret(fresh, LocalAccount::keychainKey(dataDir)).has_value());
}

class StudioServer : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_pfd = new PfdProcess();
        ASSERT_TRUE(s_pfd->start()) << s_pfd->lastError().toStdString();
    }
    static void TearDownTestSuite() { delete s_pfd; }
    static QUrl url() { return QUrl(u"http://127.0.0.1:%1"_s.arg(s_pfd->port())); }

    static inline PfdProcess *s_pfd = nullptr;
};

TEST_F(StudioServer, SignInThroughTheWelcomeDialogThenSwitchOrgAndProject)
{
    PfdProcess::User alice = s_pfd->createUser(u"studio-alice"_s);
    // Two orgs, the second with two projects, made straight through the API.
    pf::network::ApiSession seedSession(url());
    seedSession.setTokens(alice.token, alice.refresh);
    pf::network::PfApi seed(&seedSession);
    const auto acme = waitFor<api::Org>([&](auto d) { seed.createOrg(u"acme"_s, d); });
    ASSERT_API_OK(acme);
    const auto zeta = waitFor<api::Org>([&](auto d) { seed.createOrg(u"zeta"_s, d); });
    ASSERT_API_OK(zeta);
    ASSERT_API_OK(
        waitFor<api::Project>([&](auto d) { seed.createProject(acme.value.id, u"vision"_s, d); }));
    ASSERT_API_OK(
        waitFor<api::Project>([&](auto d) { seed.createProject(zeta.value.id, u"nlp"_s, d); }));
    ASSERT_API_OK(
        waitFor<api::Project>([&](auto d) { seed.createProject(zeta.value.id, u"speech"_s, d); }));

    QTemporaryDir home;
    QSettings settings(home.path() + u"/studio.ini"_s, QSettings::IniFormat);
    MemoryTokenStore keychain;
    MainWindow w;
    w.show();
    StudioController c(&w, &keychain, &settings);
    c.start({StudioController::Mode::Server, url(), {}});
    ASSERT_TRUE(QTest::qWaitFor([&] { return c.welcomeDialog() != nullptr; }, 5000));
    pf::ui::WelcomeDialog *dialog = c.welcomeDialog();
    ASSERT_TRUE(QTest::qWaitFor([&] { return dialog->isVisible(); }, 5000));
    EXPECT_EQ(dialog->findChild<QLineEdit *>(u"serverUrl"_s)->text(), url().toString());

    // A wrong password: the server's words in the dialog, which stays.
    dialog->findChild<QLineEdit *>(u"username"_s)->setText(alice.username);
    dialog->findChild<QLineEdit *>(u"password"_s)->setText(u"not-the-password"_s);
    dialog->findChild<QPushButton *>(u"signIn"_s)->click();
    auto *error = dialog->findChild<QLabel *>(u"welcomeError"_s);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return error->isVisible() && error->text() != u"Connecting…"_s; }, 10000));
    EXPECT_FALSE(w.workspace().valid());

    dialog->findChild<QLineEdit *>(u"password"_s)->setText(alice.password);
    dialog->findChild<QPushButton *>(u"signIn"_s)->click();
    ASSERT_TRUE(waitForWorkspace(w, 20000));
    EXPECT_TRUE(QTest::qWaitFor([&] { return c.welcomeDialog() == nullptr; }, 5000));
    // Orgs in name order, the first one open.
    auto *orgs = w.findChild<QComboBox *>(u"orgSwitcher"_s);
    ASSERT_EQ(orgs->count(), 2);
    EXPECT_EQ(w.workspace().orgName, u"acme"_s);
    EXPECT_EQ(w.workspace().projectName, u"vision"_s);
    // The refresh token is in the keychain, the settings hold no secret.
    EXPECT_TRUE(readSecret(keychain, StudioController::refreshKey(url(), alice.username)));
    EXPECT_EQ(settings.value(u"connection/username"_s).toString(), alice.username);

    w.selectOrg(zeta.value.id);
    ASSERT_TRUE(QTest::qWaitFor([&] { return w.workspace().projectName == u"nlp"_s; }, 10000));
    auto *projects = w.findChild<QListView *>(u"projectList"_s);
    ASSERT_EQ(projects->model()->rowCount(), 2);
    projects->setCurrentIndex(projects->model()->index(1, 0));
    ASSERT_TRUE(QTest::qWaitFor([&] { return w.workspace().projectName == u"speech"_s; }, 10000));

    // New project: named through the (seamed) question, then selected.
    pf::ui::MessageBox::setNextText(u"audio"_s);
    w.findChild<QAction *>(u"actionNewProject"_s)->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return w.workspace().projectName == u"audio"_s; }, 10000));
    EXPECT_EQ(projects->model()->rowCount(), 3);

    // Ctrl+K: typing a project's name and Enter opens it.
    w.openCommandPalette();
    auto *input = w.findChild<QLineEdit *>(u"paletteInput"_s);
    ASSERT_NE(input, nullptr);
    QTest::keyClicks(input, u"nlp"_s);
    EXPECT_GE(w.commandPalette()->visibleCount(), 1);
    QTest::keyClick(input, Qt::Key_Return);
    ASSERT_TRUE(QTest::qWaitFor([&] { return w.workspace().projectName == u"nlp"_s; }, 10000));
    EXPECT_FALSE(w.commandPalette()->isVisible());

    // The next start signs in from the keychain's refresh token: no dialog,
    // the same org and project as before.
    MainWindow again;
    StudioController c2(&again, &keychain, &settings);
    c2.start({});
    ASSERT_TRUE(waitForWorkspace(again, 20000));
    EXPECT_EQ(c2.welcomeDialog(), nullptr);
    EXPECT_EQ(again.workspace().orgName, u"zeta"_s);
    EXPECT_EQ(again.workspace().projectName, u"nlp"_s);
}

TEST_F(StudioServer, ALostServerShowsABannerAndTheWindowReconnectsByItself)
{
    QTemporaryDir home;
    QSettings settings(home.path() + u"/studio.ini"_s, QSettings::IniFormat);
    MemoryTokenStore keychain;
    PfdProcess own;
    ASSERT_TRUE(own.start()) << own.lastError().toStdString();
    PfdProcess::User carol = own.createUser(u"carol"_s);
    const QUrl ownUrl(u"http://127.0.0.1:%1"_s.arg(own.port()));
    // Signed in before: the settings name the server, the keychain holds a
    // refresh token.
    settings.setValue(u"connection/mode"_s, u"server"_s);
    settings.setValue(u"connection/url"_s, ownUrl);
    settings.setValue(u"connection/username"_s, carol.username);
    bool written = false;
    keychain.write(StudioController::refreshKey(ownUrl, carol.username), carol.refresh,
                   [&](const QString &) { written = true; });
    ASSERT_TRUE(QTest::qWaitFor([&] { return written; }, 5000));

    MainWindow w;
    StudioController c(&w, &keychain, &settings);
    c.start({});
    ASSERT_TRUE(QTest::qWaitFor([&] { return w.connection() == MainWindow::Connection::Connected; },
                                20000));
    EXPECT_EQ(c.welcomeDialog(), nullptr);

    // The server goes away: a banner, in words, over what was on screen.
    const quint16 port = own.port();
    ASSERT_EQ(own.stop(), 0);
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return w.connection() == MainWindow::Connection::Failed; }, 20000));
    auto *banner = w.findChild<QLabel *>(u"connectionBanner"_s);
    EXPECT_TRUE(banner->isVisibleTo(&w));
    EXPECT_TRUE(banner->text().contains(u"Lost the connection"_s)) << banner->text().toStdString();

    // It comes back where it was: the banner goes by itself.
    PfdProcess back(PfdProcess::defaultConfig(), own);
    back.setListenPort(port);
    ASSERT_TRUE(back.start()) << back.lastError().toStdString();
    ASSERT_TRUE(QTest::qWaitFor([&] { return w.connection() == MainWindow::Connection::Connected; },
                                20000));
    EXPECT_FALSE(banner->isVisibleTo(&w));
}

TEST_F(StudioServer, AnInviteeJoinsWithThePastedCode)
{
    PfdProcess::User owner = s_pfd->createUser(u"studio-owner"_s);
    PfdProcess::User invitee = s_pfd->createUser(u"studio-invitee"_s);
    pf::network::ApiSession ownerSession(url());
    ownerSession.setTokens(owner.token, owner.refresh);
    pf::network::PfApi ownerApi(&ownerSession);
    const auto org = waitFor<api::Org>([&](auto d) { ownerApi.createOrg(u"joinable"_s, d); });
    ASSERT_API_OK(org);
    const auto invite = waitFor<pf::network::Invitation>(
        [&](auto d) { ownerApi.inviteToOrg(org.value.id, invitee.email, {}, d); });
    ASSERT_API_OK(invite);

    pf::network::ApiSession session(url());
    session.setTokens(invitee.token, invitee.refresh);
    pf::network::PfApi inviteeApi(&session);
    const auto me = waitFor<api::UserInfo>([&](auto d) { inviteeApi.userInfo(d); });
    ASSERT_API_OK(me);
    QTemporaryDir home;
    QSettings settings(home.path() + u"/studio.ini"_s, QSettings::IniFormat);
    MainWindow w;
    w.setSession(&inviteeApi, me.value, &settings, url().toString());
    auto *hint = w.findChild<QLabel *>(u"projectsHint"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return hint->text().contains(u"no organization"_s); }, 10000))
        << hint->text().toStdString();

    // Not a code: said so, nothing sent.
    pf::ui::MessageBox::setNextText(u"hello"_s);
    pf::ui::MessageBox::setNextAnswer(true); // dismisses the error box
    w.findChild<QAction *>(u"actionJoinOrg"_s)->trigger();
    EXPECT_TRUE(pf::ui::MessageBox::lastQuestion().contains(u"not an invitation code"_s));

    pf::ui::MessageBox::setNextText(
        u"email_token=%1 key=%2"_s.arg(invite.value.emailToken, invite.value.key));
    w.findChild<QAction *>(u"actionJoinOrg"_s)->trigger();
    auto *orgs = w.findChild<QComboBox *>(u"orgSwitcher"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return orgs->count() == 1; }, 10000));
    EXPECT_EQ(orgs->currentText(), u"joinable"_s);
    EXPECT_EQ(w.workspace().orgId, org.value.id);
    EXPECT_FALSE(w.workspace().isOrgOwner());
}
