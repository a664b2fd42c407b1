// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "checkpointuploaddialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

#include "ui/theme.h"

using namespace Qt::StringLiterals;

namespace pf::ui {

namespace {

// pfd's limits (server/handlers/bodyreader.cpp, registryhandlers.cpp).
constexpr qsizetype kMaxNameCharacters = 128;
constexpr qint64 kMaxIteration = qint64(1) << 52;

std::optional<std::optional<CheckpointUploadDialog::Answer>> s_nextAnswer;
CheckpointUploadDialog::Answer s_lastSuggestion;
QString s_lastSummary;
QString s_lastProblem;

// The whole of a small local file (nothing if larger than `limit`).
QByteArray smallFile(const QString &path, qint64 limit)
{
    if (path.isEmpty())
        return {};
    QFile f(path);
    if (f.size() > limit || !f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

std::optional<qint64> iterationOf(const QString &digits)
{
    bool ok = false;
    const qint64 n = digits.toLongLong(&ok);
    if (!ok || n < 0 || n > kMaxIteration)
        return std::nullopt;
    return n;
}

} // namespace

const QStringList &CheckpointUploadDialog::formCategories()
{
    static const QStringList categories{u"HF"_s, u"MEGATRON"_s, u"ORCA"_s, u"ETC"_s};
    return categories;
}

CheckpointUploadDialog::Answer
CheckpointUploadDialog::suggest(const QString &name,
                                const QList<std::pair<QString, QString>> &files)
{
    Answer out{name, u"ETC"_s, 0};
    static const QRegularExpression megatronIter(u"(?:^|/)iter_(\\d{7,})(?:/|$)"_s);
    QString latestFile; // Megatron-LM's latest_checkpointed_iteration.txt
    QString trainerState;
    bool hasConfig = false;
    std::optional<qint64> highestIter;
    for (const auto &[local, remote] : files) {
        if (remote == "latest_checkpointed_iteration.txt"_L1)
            latestFile = local;
        else if (remote == "config.json"_L1)
            hasConfig = true;
        else if (remote == "trainer_state.json"_L1)
            trainerState = local;
        if (const auto m = megatronIter.match(remote); m.hasMatch()) {
            if (const auto n = iterationOf(m.captured(1)); n && (!highestIter || *n > *highestIter))
                highestIter = n;
        }
    }
    if (!latestFile.isEmpty() || highestIter) {
        out.formCategory = u"MEGATRON"_s;
        // The file holds the number of the newest iter_ folder, or
        // "release" for a converted model.
        const QString latest = QString::fromUtf8(smallFile(latestFile, 64)).trimmed();
        if (const auto n = iterationOf(latest))
            out.iteration = *n;
        else if (highestIter)
            out.iteration = *highestIter;
        return out;
    }
    if (hasConfig) {
        out.formCategory = u"HF"_s;
        // The Trainer saves "checkpoint-500"; its trainer_state.json says
        // the step too, for a folder that was renamed.
        static const QRegularExpression step(u"(?:^|[-_])checkpoint[-_](\\d+)$"_s);
        if (const auto m = step.match(name); m.hasMatch()) {
            out.iteration = iterationOf(m.captured(1)).value_or(0);
        } else if (!trainerState.isEmpty()) {
            const QJsonObject state =
                QJsonDocument::fromJson(smallFile(trainerState, 16 * 1024 * 1024)).object();
            const qint64 n = state.value(u"global_step"_s).toInteger(-1);
            if (n >= 0 && n <= kMaxIteration)
                out.iteration = n;
        }
    }
    return out;
}

CheckpointUploadDialog::CheckpointUploadDialog(const Answer &suggested, const QString &summary,
                                               QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this))
    , m_format(new QComboBox(this))
    , m_iteration(new QLineEdit(this))
    , m_summary(new QLabel(summary, this))
    , m_error(new QLabel(this))
{
    setObjectName(u"checkpointUploadDialog"_s);
    setWindowTitle(tr("Upload Checkpoint"));
    m_name->setObjectName(u"checkpointName"_s);
    m_format->setObjectName(u"checkpointFormat"_s);
    m_iteration->setObjectName(u"checkpointIteration"_s);
    m_summary->setObjectName(u"checkpointUploadSummary"_s);
    m_error->setObjectName(u"checkpointUploadError"_s);

    m_name->setPlaceholderText(tr("up to 128 characters"));
    m_format->addItem(tr("Hugging Face (HF)"), u"HF"_s);
    m_format->addItem(tr("Megatron-LM (MEGATRON)"), u"MEGATRON"_s);
    m_format->addItem(tr("ORCA"), u"ORCA"_s);
    m_format->addItem(tr("Other (ETC)"), u"ETC"_s);
    // Digits only; the range is checked by problem(), with words.
    m_iteration->setValidator(
        new QRegularExpressionValidator(QRegularExpression(u"\\d{0,16}"_s), m_iteration));
    m_iteration->setPlaceholderText(tr("the training step, 0 if none"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setWordWrap(true);
    m_error->hide();
    QPalette red;
    red.setColor(QPalette::WindowText,
                 isDark() ? QColor(0xf2, 0x8b, 0x82) : QColor(0xc5, 0x22, 0x1f));
    m_error->setPalette(red);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *upload = buttons->addButton(tr("Upload"), QDialogButtonBox::AcceptRole);
    upload->setObjectName(u"uploadButton"_s);
    upload->setDefault(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("Iteration:"), m_iteration);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch();
    layout->addWidget(buttons);
    setMinimumWidth(460);

    connect(buttons, &QDialogButtonBox::accepted, this, &CheckpointUploadDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Once shown, a problem goes away as soon as it is fixed.
    connect(m_name, &QLineEdit::textChanged, this, &CheckpointUploadDialog::updateError);
    connect(m_iteration, &QLineEdit::textChanged, this, &CheckpointUploadDialog::updateError);
    setAnswer(suggested);
    m_name->selectAll();
}

CheckpointUploadDialog::~CheckpointUploadDialog() = default;

CheckpointUploadDialog::Answer CheckpointUploadDialog::answer() const
{
    return {m_name->text().trimmed(), m_format->currentData().toString(),
            m_iteration->text().toLongLong()};
}

void CheckpointUploadDialog::setAnswer(const Answer &answer)
{
    m_name->setText(answer.name);
    const int format = m_format->findData(answer.formCategory);
    m_format->setCurrentIndex(format >= 0 ? format : m_format->findData(u"ETC"_s));
    m_iteration->setText(QString::number(answer.iteration));
}

QString CheckpointUploadDialog::problem(QWidget **field) const
{
    const QString name = m_name->text().trimmed();
    if (field)
        *field = m_name;
    if (name.isEmpty())
        return tr("The checkpoint needs a name.");
    if (name.toUcs4().size() > kMaxNameCharacters)
        return tr("The name is too long: at most %1 characters.").arg(kMaxNameCharacters);
    if (field)
        *field = m_iteration;
    bool ok = false;
    const qint64 iteration = m_iteration->text().toLongLong(&ok);
    if (!ok || iteration < 0 || iteration > kMaxIteration)
        return tr("The iteration is a whole number from 0 to %1.").arg(kMaxIteration);
    return {};
}

void CheckpointUploadDialog::updateError()
{
    if (m_error->isHidden())
        return;
    const QString why = problem();
    m_error->setText(why);
    m_error->setVisible(!why.isEmpty());
}

void CheckpointUploadDialog::accept()
{
    QWidget *field = nullptr;
    const QString why = problem(&field);
    s_lastProblem = why;
    if (!why.isEmpty()) {
        m_error->setText(why);
        m_error->show();
        field->setFocus();
        return;
    }
    QDialog::accept();
}

std::optional<CheckpointUploadDialog::Answer>
CheckpointUploadDialog::ask(QWidget *parent, const Answer &suggested, const QString &summary)
{
    s_lastSuggestion = suggested;
    s_lastSummary = summary;
    s_lastProblem.clear();
    CheckpointUploadDialog dialog(suggested, summary, parent);
    if (s_nextAnswer) {
        const std::optional<Answer> queued = *s_nextAnswer;
        s_nextAnswer.reset();
        if (!queued)
            return std::nullopt;
        dialog.setAnswer(*queued);
        dialog.accept();
    } else {
        dialog.exec();
    }
    if (dialog.result() != QDialog::Accepted)
        return std::nullopt;
    return dialog.answer();
}

void CheckpointUploadDialog::setNextAnswer(std::optional<Answer> answer)
{
    s_nextAnswer = std::move(answer);
}

CheckpointUploadDialog::Answer CheckpointUploadDialog::lastSuggestion()
{
    return s_lastSuggestion;
}

QString CheckpointUploadDialog::lastSummary()
{
    return s_lastSummary;
}

QString CheckpointUploadDialog::lastProblem()
{
    return s_lastProblem;
}

} // namespace pf::ui
