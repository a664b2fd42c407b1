// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QWidget>

#include "models/transfersmodel.h"

class QPushButton;
class QTableView;

namespace pf::ui {

// The Transfers dock: every upload with its files, bytes, speed, time left
// and state (a pause or failure says why), and Pause, Resume, Cancel and
// Remove for the selected one. objectName "transfersPanel".
class TransfersPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransfersPanel)

public:
    explicit TransfersPanel(QWidget *parent = nullptr);

    void setQueue(network::TransferQueue *queue);
    models::TransfersModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

private:
    QString currentId() const;
    void updateButtons();

    models::TransfersModel *m_model;
    QTableView *m_view;
    QPushButton *m_pause;
    QPushButton *m_resume;
    QPushButton *m_cancel;
    QPushButton *m_remove;
};

} // namespace pf::ui
