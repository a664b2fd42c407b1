// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "filetreemodel.h"

#include <algorithm>

#include <QCoreApplication>
#include <QMimeDatabase>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

#include "models/humanize.h"

using namespace Qt::StringLiterals;

namespace pf::models {

namespace {

// The path with empty parts dropped; *folder is set when it ends in "/".
// Most paths are clean already, so the split is skipped for them.
QString normalizedPath(const QString &path, bool *folder)
{
    *folder = path.endsWith(u'/');
    if (!*folder && !path.startsWith(u'/') && !path.contains("//"_L1))
        return path;
    return path.split(u'/', Qt::SkipEmptyParts).join(u'/');
}

enum class Kind { Folder, Text, Image, Archive, Data, Code, Binary };

Kind kindOf(const QMimeType &mime)
{
    const QString name = mime.name();
    if (name.startsWith("image/"_L1))
        return Kind::Image;
    if (mime.inherits(u"application/zip"_s) || mime.inherits(u"application/x-tar"_s) ||
        mime.inherits(u"application/gzip"_s) || mime.inherits(u"application/x-xz"_s) ||
        mime.inherits(u"application/x-bzip2"_s) || mime.inherits(u"application/zstd"_s) ||
        mime.inherits(u"application/x-7z-compressed"_s))
        return Kind::Archive;
    if (mime.inherits(u"application/json"_s) || mime.inherits(u"text/csv"_s) ||
        mime.inherits(u"application/yaml"_s) || mime.inherits(u"application/xml"_s))
        return Kind::Data;
    if (mime.inherits(u"text/x-python"_s) || mime.inherits(u"text/x-csrc"_s) ||
        mime.inherits(u"application/x-shellscript"_s) || mime.inherits(u"text/x-c++src"_s))
        return Kind::Code;
    if (mime.inherits(u"text/plain"_s))
        return Kind::Text;
    return Kind::Binary;
}

// Drawn icons for when the icon theme has none (offscreen, minimal desktops):
// a folder, or a page with a folded corner tinted by kind.
QIcon drawnIcon(Kind kind)
{
    QIcon icon;
    for (const int size : {16, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / 16.0, size / 16.0);
        if (kind == Kind::Folder) {
            p.setPen(QPen(QColor(0xb0, 0x7d, 0x1c), 0.8));
            p.setBrush(QColor(0xf2, 0xbf, 0x50));
            QPainterPath path;
            path.moveTo(1.5, 3.5);
            path.lineTo(6, 3.5);
            path.lineTo(7.5, 5);
            path.lineTo(14.5, 5);
            path.lineTo(14.5, 13.5);
            path.lineTo(1.5, 13.5);
            path.closeSubpath();
            p.drawPath(path);
            p.setBrush(QColor(0xf8, 0xd3, 0x77));
            p.drawRect(QRectF(1.5, 6.5, 13, 7));
        } else {
            QColor tint;
            switch (kind) {
            case Kind::Image:
                tint = QColor(0x2e, 0x9e, 0x5b);
                break;
            case Kind::Archive:
                tint = QColor(0x9c, 0x6b, 0x3c);
                break;
            case Kind::Data:
                tint = QColor(0x14, 0x8f, 0x99);
                break;
            case Kind::Code:
                tint = QColor(0x81, 0x39, 0xc9);
                break;
            case Kind::Text:
                tint = QColor(0x3b, 0x6e, 0xc9);
                break;
            default:
                tint = QColor(0x7a, 0x80, 0x88);
                break;
            }
            QPainterPath page;
            page.moveTo(3, 1.5);
            page.lineTo(10, 1.5);
            page.lineTo(13, 4.5);
            page.lineTo(13, 14.5);
            page.lineTo(3, 14.5);
            page.closeSubpath();
            p.setPen(QPen(tint.darker(130), 0.8));
            p.setBrush(QColor(0xfa, 0xfa, 0xfa));
            p.drawPath(page);
            p.setBrush(tint);
            p.setPen(Qt::NoPen);
            p.drawRect(QRectF(3.4, 9, 9.2, 5.1));
            p.setPen(QPen(tint.darker(130), 0.8));
            p.setBrush(Qt::NoBrush);
            p.drawPolyline(QPolygonF({QPointF(10, 1.5), QPointF(10, 4.5), QPointF(13, 4.5)}));
        }
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace

FileTreeModel::FileTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
    m_root.folder = true;
}

FileTreeModel::~FileTreeModel() = default;

void FileTreeModel::setFiles(const QList<api::StoredFile> &files)
{
    beginResetModel();
    m_nodes.clear();
    m_root = Node{};
    m_root.folder = true;

    // Folder path -> node. Parents are always created before their children,
    // so the deque is in an order where a reverse walk visits children first.
    QHash<QString, Node *> folders;
    folders.reserve(files.size() / 8 + 16);
    folders.insert(QString(), &m_root);

    // Recursion over the missing ancestors only; the common case is one
    // hash hit for the file's folder.
    const auto folderFor = [&](const QString &path, const auto &self) -> Node * {
        if (Node *known = folders.value(path))
            return known;
        const qsizetype slash = path.lastIndexOf(u'/');
        Node *parent = slash < 0 ? &m_root : self(path.left(slash), self);
        Node &node = m_nodes.emplace_back();
        node.name = path.mid(slash + 1);
        node.parent = parent;
        node.folder = true;
        parent->children.push_back(&node);
        folders.insert(path, &node);
        return &node;
    };

    for (const api::StoredFile &file : files) {
        bool folderOnly = false;
        const QString path = normalizedPath(file.path, &folderOnly);
        if (path.isEmpty())
            continue;
        if (folderOnly) {
            folderFor(path, folderFor);
            continue;
        }
        const qsizetype slash = path.lastIndexOf(u'/');
        Node *parent = slash < 0 ? &m_root : folderFor(path.left(slash), folderFor);
        Node &node = m_nodes.emplace_back();
        node.name = path.mid(slash + 1);
        node.parent = parent;
        node.size = file.size;
        node.mtime = file.mtime;
        node.files = 1;
        parent->children.push_back(&node);
    }

    // Children before parents: sum sizes, counts and the latest change.
    for (auto it = m_nodes.rbegin(); it != m_nodes.rend(); ++it) {
        Node *parent = it->parent;
        parent->size += it->size;
        parent->files += it->files;
        if (it->mtime.isValid() && (!parent->mtime.isValid() || parent->mtime < it->mtime))
            parent->mtime = it->mtime;
    }

    const auto order = [](const Node *a, const Node *b) {
        if (a->folder != b->folder)
            return a->folder;
        const int c = a->name.compare(b->name, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a->name < b->name;
    };
    const auto sortChildren = [&](Node &folder) {
        std::sort(folder.children.begin(), folder.children.end(), order);
        for (size_t i = 0; i < folder.children.size(); ++i)
            folder.children[i]->row = int(i);
    };
    sortChildren(m_root);
    for (Node &node : m_nodes) {
        if (node.folder)
            sortChildren(node);
    }
    endResetModel();
}

void FileTreeModel::clear()
{
    setFiles({});
}

int FileTreeModel::fileCount() const
{
    return m_root.files;
}

qint64 FileTreeModel::totalSize() const
{
    return m_root.size;
}

QModelIndex FileTreeModel::indexOfPath(const QString &path) const
{
    bool folderOnly = false;
    const QStringList parts = normalizedPath(path, &folderOnly).split(u'/', Qt::SkipEmptyParts);
    const Node *node = &m_root;
    for (const QString &part : parts) {
        const auto it = std::find_if(node->children.begin(), node->children.end(),
                                     [&](const Node *c) { return c->name == part; });
        if (it == node->children.end())
            return {};
        node = *it;
    }
    if (node == &m_root)
        return {};
    return createIndex(node->row, 0, const_cast<Node *>(node));
}

FileTreeModel::Node *FileTreeModel::nodeOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return const_cast<Node *>(&m_root);
    return static_cast<Node *>(index.internalPointer());
}

QString FileTreeModel::pathOf(const Node *node) const
{
    QStringList parts;
    for (; node && node != &m_root; node = node->parent)
        parts.prepend(node->name);
    return parts.join(u'/');
}

QIcon FileTreeModel::iconOf(const Node *node) const
{
    if (node->folder) {
        if (m_folderIcon.isNull())
            m_folderIcon = QIcon::fromTheme(u"folder"_s, drawnIcon(Kind::Folder));
        return m_folderIcon;
    }
    const qsizetype dot = node->name.lastIndexOf(u'.');
    const QString suffix = dot > 0 ? node->name.mid(dot + 1).toLower() : QString();
    auto it = m_iconBySuffix.constFind(suffix);
    if (it == m_iconBySuffix.constEnd()) {
        static const QMimeDatabase mimes;
        const QMimeType mime = mimes.mimeTypeForFile(node->name, QMimeDatabase::MatchExtension);
        const QIcon icon = QIcon::fromTheme(
            mime.iconName(), QIcon::fromTheme(mime.genericIconName(), drawnIcon(kindOf(mime))));
        it = m_iconBySuffix.insert(suffix, icon);
    }
    return *it;
}

QModelIndex FileTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (parent.isValid() && parent.column() != 0)
        return {};
    const Node *folder = nodeOf(parent);
    if (size_t(row) >= folder->children.size())
        return {};
    return createIndex(row, column, folder->children[size_t(row)]);
}

QModelIndex FileTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *parent = nodeOf(child)->parent;
    if (!parent || parent == &m_root)
        return {};
    return createIndex(parent->row, 0, const_cast<Node *>(parent));
}

int FileTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int FileTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool FileTreeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QVariant FileTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *node = nodeOf(index);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return node->name;
        case SizeColumn:
            return formatBytes(node->size);
        case ModifiedColumn:
            return formatTime(node->mtime);
        }
        return {};
    case Qt::DecorationRole:
        return index.column() == NameColumn ? QVariant(iconOf(node)) : QVariant();
    case Qt::ToolTipRole:
        if (node->folder)
            return (node->files == 1
                        ? QCoreApplication::translate("pf::models", "%1 — 1 file, %2")
                        : QCoreApplication::translate("pf::models", "%1 — %3 files, %2"))
                .arg(pathOf(node), formatBytes(node->size), QString::number(node->files));
        return pathOf(node);
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case PathRole:
        return pathOf(node);
    case SizeRole:
        return node->size;
    case IsFolderRole:
        return node->folder;
    case FileCountRole:
        return node->files;
    }
    return {};
}

Qt::ItemFlags FileTreeModel::flags(const QModelIndex &index) const
{
    // Draggable, for views that let files be dragged out (the view decides
    // what a drag carries; the model makes no mime data).
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsDragEnabled;
}

QVariant FileTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return QCoreApplication::translate("pf::models", "Name");
    case SizeColumn:
        return QCoreApplication::translate("pf::models", "Size");
    case ModifiedColumn:
        return QCoreApplication::translate("pf::models", "Modified");
    }
    return {};
}

} // namespace pf::models
