// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <optional>
#include <utility>

#include <QDialog>
#include <QList>
#include <QString>

class QComboBox;
class QLabel;
class QLineEdit;

namespace pf::ui {

// Asks what a new USER checkpoint is before its files are uploaded: its
// name, its format (the form's `form_category`: MEGATRON, ORCA, HF, ETC) and
// its iteration. OK refuses, with the reason under the fields, an empty or
// over-long name (pfd takes 128 characters) and an iteration that is not a
// whole number from 0 to 2^52.
//
//   const auto answer = CheckpointUploadDialog::ask(
//       this, CheckpointUploadDialog::suggest(u"llama-7b"_s, files), summary);
//   if (answer) register(answer->name, answer->formCategory, answer->iteration);
//
// objectNames: "checkpointUploadDialog", "checkpointName", "checkpointFormat",
// "checkpointIteration", "checkpointUploadSummary", "checkpointUploadError",
// "uploadButton".
class CheckpointUploadDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CheckpointUploadDialog)

public:
    struct Answer
    {
        QString name;
        QString formCategory; // MEGATRON, ORCA, HF or ETC
        qint64 iteration = 0;
        friend bool operator==(const Answer &, const Answer &) = default;
    };

    // The formats pfd knows, in the order the picker lists them.
    static const QStringList &formCategories();

    // What to suggest for files about to be uploaded ({local, remote} as
    // TransferQueue::filesToUpload() answers them) named `name`:
    // MEGATRON when Megatron-LM's "latest_checkpointed_iteration.txt" or an
    // "iter_0000000" folder is there (the iteration that file or the
    // highest folder names), HF when a "config.json" is at the top (the
    // iteration of "checkpoint-N" in the name, or trainer_state.json's
    // global_step), ETC otherwise (iteration 0).
    static Answer suggest(const QString &name, const QList<std::pair<QString, QString>> &files);

    // `summary` says what is uploaded ("7 files, 3.2 MiB"), with notes.
    CheckpointUploadDialog(const Answer &suggested, const QString &summary,
                           QWidget *parent = nullptr);
    ~CheckpointUploadDialog() override;

    // The fields as they are (the name trimmed).
    Answer answer() const;
    void setAnswer(const Answer &answer);
    // Why OK would be refused; empty when the fields can be sent. `field`,
    // when given, is set to the field at fault.
    QString problem(QWidget **field = nullptr) const;

    // Accepts only without a problem(); otherwise shows it and stays open.
    void accept() override;

    // Shows the dialog modally; nullopt when cancelled. Test seam: with an
    // answer queued by setNextAnswer(), nothing is shown: the fields are set
    // to it and OK is pressed, so a refused answer gives nullopt (and
    // lastProblem() says why); a queued nullopt is Cancel.
    static std::optional<Answer> ask(QWidget *parent, const Answer &suggested,
                                     const QString &summary);
    static void setNextAnswer(std::optional<Answer> answer);
    // What the last ask() suggested and said, and why it refused (if it did).
    static Answer lastSuggestion();
    static QString lastSummary();
    static QString lastProblem();

private:
    void updateError();

    QLineEdit *m_name;
    QComboBox *m_format;
    QLineEdit *m_iteration;
    QLabel *m_summary;
    QLabel *m_error;
};

} // namespace pf::ui
