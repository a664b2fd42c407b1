// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <deque>
#include <vector>

#include <QAbstractItemModel>
#include <QDateTime>
#include <QHash>
#include <QIcon>
#include <QList>

#include "api/dataset.h"

namespace pf::models {

// A read-only tree of folders and files built from the flat "/"-separated
// paths of a dataset or a checkpoint form. Folders come before files, each
// group sorted by name (case-insensitive); a folder's size is the sum of the
// files under it. Empty path parts are skipped ("a//b" is "a/b", "/a" is
// "a"); a path that ends in "/" names a folder, not a file.
//
//   FileTreeModel files;
//   files.setFiles(dataset.files); // one pass, one model reset
//   view->setModel(&files);
//
// Built in one pass with a hash of folder paths, so 100k files take a
// fraction of a second. Icons are looked up lazily, one per file suffix.
class FileTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileTreeModel)

public:
    enum Column { NameColumn, SizeColumn, ModifiedColumn, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole, // "a/b/c.txt"; a folder's path without the trailing "/"
        SizeRole,                // qint64 bytes (summed for folders)
        IsFolderRole,            // bool
        FileCountRole,           // files under a folder; 1 for a file
    };

    explicit FileTreeModel(QObject *parent = nullptr);
    ~FileTreeModel() override;

    void setFiles(const QList<api::StoredFile> &files);
    void clear();

    int fileCount() const;
    qint64 totalSize() const;
    // The index (column 0) of a file or folder path, invalid when absent.
    QModelIndex indexOfPath(const QString &path) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        QString name;
        Node *parent = nullptr;
        std::vector<Node *> children;
        QDateTime mtime;
        qint64 size = 0;
        int files = 0;
        int row = 0;
        bool folder = false;
    };

    Node *nodeOf(const QModelIndex &index) const;
    QString pathOf(const Node *node) const;
    QIcon iconOf(const Node *node) const;

    // Nodes live in a deque (stable addresses); m_root is the invisible top.
    std::deque<Node> m_nodes;
    Node m_root;
    mutable QHash<QString, QIcon> m_iconBySuffix;
    mutable QIcon m_folderIcon;
};

} // namespace pf::models
