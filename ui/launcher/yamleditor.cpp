// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "yamleditor.h"

#include <algorithm>
#include <utility>

#include <QFontDatabase>
#include <QJsonValue>
#include <QKeyEvent>
#include <QListWidget>
#include <QMap>
#include <QVBoxLayout>

#include "api/jobschemainfo.h"
#include "api/yamlcontext.h"
#include "ui/launcher/qsci.h"
#include "ui/theme.h"

using namespace Qt::StringLiterals;

namespace pf::ui {

namespace {

constexpr int kErrorMarker = 1;
constexpr int kWarningMarker = 2;
constexpr int kPauseMs = 150;
constexpr int kDwellMs = 500;
// Hover help is wrapped to lines of about this many characters.
constexpr int kHelpWidth = 72;
// Between the items of a completion list, and before an item's image
// number: characters that neither keys nor values hold.
constexpr char16_t kSeparator = 0x1e;
constexpr char16_t kTypeSeparator = 0x1f;

long send(const QsciScintilla *e, unsigned int message, unsigned long wParam = 0, long lParam = 0)
{
    return e->SendScintilla(message, wParam, lParam);
}

QString join(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

bool startsWith(const QString &text, const QString &prefix)
{
    return text.startsWith(prefix, Qt::CaseInsensitive);
}

// `text` broken into lines of at most `width` characters at spaces.
QString wrapped(const QString &text, int width)
{
    QStringList lines;
    for (const QString &paragraph : text.split(u'\n')) {
        QString line;
        for (const QString &word : paragraph.split(u' ', Qt::SkipEmptyParts)) {
            if (!line.isEmpty() && line.size() + 1 + word.size() > width) {
                lines << line;
                line.clear();
            }
            line += line.isEmpty() ? word : u' ' + word;
        }
        lines << line;
    }
    return lines.join(u'\n');
}

} // namespace

void SpecChecker::check(int generation, const QByteArray &yaml)
{
    // Read once: the check and the launcher's form both use the document.
    const api::YamlDocument document = api::YamlDocument::parse(yaml);
    const QList<api::SpecIssue> issues = api::JobSpec::validateDocument(document);
    Q_EMIT done(generation, issues, document);
}

YamlEditor::YamlEditor(QWidget *parent)
    : QWidget(parent)
    , m_editor(new QsciScintilla(this))
    , m_checker(new SpecChecker)
{
    setObjectName(QStringLiteral("yamlEditor"));
    m_editor->setObjectName(QStringLiteral("yamlText"));
    m_editor->setUtf8(true);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    auto *lexer = new QsciLexerYAML(m_editor);
    lexer->setDefaultFont(mono);
    lexer->setFont(mono);
    // The lexer's colours are for a light background; follow the palette.
    const QPalette p = palette();
    lexer->setDefaultPaper(p.color(QPalette::Base));
    lexer->setPaper(p.color(QPalette::Base));
    lexer->setDefaultColor(p.color(QPalette::Text));
    if (isDark()) {
        lexer->setColor(p.color(QPalette::Text)); // every style, then the ones that stand out
        lexer->setColor(QColor(0x9a, 0xa0, 0xa6), QsciLexerYAML::Comment);
        lexer->setColor(QColor(0x8a, 0xb4, 0xf8), QsciLexerYAML::Identifier);
        lexer->setColor(QColor(0xf2, 0x8b, 0x82), QsciLexerYAML::Keyword);
        lexer->setColor(QColor(0x81, 0xc9, 0x95), QsciLexerYAML::Number);
        lexer->setColor(QColor(0xfd, 0xd6, 0x63), QsciLexerYAML::Reference);
        lexer->setColor(QColor(0xc5, 0x8a, 0xf9), QsciLexerYAML::DocumentDelimiter);
        lexer->setColor(p.color(QPalette::Text), QsciLexerYAML::TextBlockMarker);
        lexer->setColor(QColor(0xf2, 0x8b, 0x82), QsciLexerYAML::SyntaxErrorMarker);
        lexer->setColor(p.color(QPalette::Text), QsciLexerYAML::Operator);
    }
    m_editor->setLexer(lexer);
    m_editor->setCaretForegroundColor(p.color(QPalette::Text));
    m_editor->setSelectionBackgroundColor(p.color(QPalette::Highlight));
    m_editor->setSelectionForegroundColor(p.color(QPalette::HighlightedText));

    m_editor->setMarginType(0, QsciScintilla::NumberMargin);
    m_editor->setMarginWidth(0, QStringLiteral("00000"));
    m_editor->setMarginsFont(mono);
    m_editor->setMarginsBackgroundColor(p.color(QPalette::Window));
    m_editor->setMarginsForegroundColor(p.color(QPalette::PlaceholderText));
    m_editor->setMarginType(1, QsciScintilla::SymbolMargin);
    m_editor->setMarginWidth(1, 14);
    m_editor->setMarginMarkerMask(1, (1 << kErrorMarker) | (1 << kWarningMarker));
    m_editor->setFolding(QsciScintilla::BoxedTreeFoldStyle, 2);
    m_editor->setFoldMarginColors(p.color(QPalette::Window), p.color(QPalette::Window));
    m_editor->markerDefine(QsciScintilla::Circle, kErrorMarker);
    m_editor->setMarkerBackgroundColor(statusColor(api::SimplifiedStatus::Failed), kErrorMarker);
    m_editor->setMarkerForegroundColor(statusColor(api::SimplifiedStatus::Failed), kErrorMarker);
    m_editor->markerDefine(QsciScintilla::Circle, kWarningMarker);
    m_editor->setMarkerBackgroundColor(statusColor(api::SimplifiedStatus::Preparing),
                                       kWarningMarker);
    m_editor->setMarkerForegroundColor(statusColor(api::SimplifiedStatus::Preparing),
                                       kWarningMarker);
    m_editor->setAnnotationDisplay(QsciScintilla::AnnotationBoxed);
    m_annotationStyle =
        QsciStyle(-1, QStringLiteral("issue"), statusColor(api::SimplifiedStatus::Failed),
                  p.color(QPalette::AlternateBase), mono);
    m_editor->setIndentationsUseTabs(false);
    m_editor->setIndentationWidth(2);
    m_editor->setAutoIndent(true);
    m_editor->setTabWidth(2);

    // Completion lists: Scintilla's own, which follow the typing (selecting
    // the first item that starts with what is typed, closing when none
    // does), kept in the order given (the schema's, then the source's) and
    // matched without case. This class inserts the choice itself.
    send(m_editor, QsciScintillaBase::SCI_AUTOCSETORDER, QsciScintillaBase::SC_ORDER_CUSTOM);
    send(m_editor, QsciScintillaBase::SCI_AUTOCSETIGNORECASE, 1);
    send(m_editor, QsciScintillaBase::SCI_AUTOCSETMAXHEIGHT, 10);
    connect(m_editor, &QsciScintillaBase::SCN_CHARADDED, this, &YamlEditor::charAdded);
    connect(m_editor,
            qOverload<const char *, int, int, int>(&QsciScintillaBase::SCN_AUTOCSELECTION), this,
            &YamlEditor::listChosen);
    connect(m_editor, &QsciScintillaBase::SCN_AUTOCCANCELLED, this,
            [this] { m_list = List::None; });
    m_editor->installEventFilter(this);

    // Hover help, in the palette's tooltip colours with the first line (the
    // title) highlighted.
    send(m_editor, QsciScintillaBase::SCI_SETMOUSEDWELLTIME, kDwellMs);
    m_editor->setCallTipsBackgroundColor(p.color(QPalette::ToolTipBase));
    m_editor->setCallTipsForegroundColor(p.color(QPalette::ToolTipText));
    m_editor->setCallTipsHighlightColor(p.color(QPalette::Link));
    connect(m_editor, &QsciScintillaBase::SCN_DWELLSTART, this,
            [this](int position, int, int) { showHelp(position); });
    connect(m_editor, &QsciScintillaBase::SCN_DWELLEND, this, &YamlEditor::hideHelp);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_editor);

    m_pause.setSingleShot(true);
    m_pause.setInterval(kPauseMs);
    connect(&m_pause, &QTimer::timeout, this, &YamlEditor::checkNow);
    connect(m_editor, &QsciScintilla::textChanged, this, &YamlEditor::textEdited);

    m_checker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_checker, &QObject::deleteLater);
    connect(this, &YamlEditor::requestCheck, m_checker, &SpecChecker::check);
    connect(m_checker, &SpecChecker::done, this, &YamlEditor::showIssues);
    m_thread.setObjectName(QStringLiteral("pf-spec-check"));
    m_thread.start();
}

YamlEditor::~YamlEditor()
{
    m_thread.quit();
    m_thread.wait();
}

void YamlEditor::setText(const QString &text)
{
    m_editor->setText(text);
}

QString YamlEditor::text() const
{
    return m_editor->text();
}

void YamlEditor::replaceText(const QString &text)
{
    const QByteArray before = m_editor->text().toUtf8();
    const QByteArray after = text.toUtf8();
    if (before == after)
        return;
    // The common start and end, in bytes (Scintilla's positions), not
    // splitting a UTF-8 sequence.
    const auto continuation = [](const QByteArray &bytes, qsizetype i) {
        return i < bytes.size() && (uchar(bytes.at(i)) & 0xC0) == 0x80;
    };
    const qsizetype shorter = std::min(before.size(), after.size());
    qsizetype head = 0;
    while (head < shorter && before.at(head) == after.at(head))
        ++head;
    while (head > 0 && (continuation(before, head) || continuation(after, head)))
        --head;
    qsizetype tail = 0;
    while (tail < shorter - head &&
           before.at(before.size() - 1 - tail) == after.at(after.size() - 1 - tail))
        ++tail;
    while (tail > 0 && continuation(before, before.size() - tail))
        --tail;
    const QByteArray middle = after.mid(head, after.size() - head - tail);

    // Scintilla moves the cursor and the selection with the text around
    // them. The view stays on the same text: the line at its top when that
    // line is not replaced, else the cursor's line at its row.
    using Base = QsciScintillaBase;
    const long changeFrom = long(head);
    const long changeTo = long(before.size() - tail);
    const long firstVisible = send(m_editor, Base::SCI_GETFIRSTVISIBLELINE);
    const long topLine =
        send(m_editor, Base::SCI_DOCLINEFROMVISIBLE, static_cast<unsigned long>(firstVisible));
    const long topStart =
        send(m_editor, Base::SCI_POSITIONFROMLINE, static_cast<unsigned long>(topLine));
    const long caret = send(m_editor, Base::SCI_GETCURRENTPOS);
    const long caretRow =
        send(m_editor, Base::SCI_VISIBLEFROMDOCLINE,
             static_cast<unsigned long>(
                 send(m_editor, Base::SCI_LINEFROMPOSITION, static_cast<unsigned long>(caret)))) -
        firstVisible;
    const bool caretShown = caretRow >= 0 && caretRow < send(m_editor, Base::SCI_LINESONSCREEN);
    const bool caretKept = caret <= changeFrom || caret >= changeTo;
    const long xOffset = send(m_editor, Base::SCI_GETXOFFSET);
    const long linesBefore = send(m_editor, Base::SCI_GETLINECOUNT);

    send(m_editor, Base::SCI_BEGINUNDOACTION);
    send(m_editor, Base::SCI_SETTARGETRANGE, static_cast<unsigned long>(changeFrom), changeTo);
    m_editor->SendScintilla(Base::SCI_REPLACETARGET, uintptr_t(middle.size()), middle.constData());
    send(m_editor, Base::SCI_ENDUNDOACTION);

    long top = firstVisible;
    if (topStart >= changeTo) {
        const long added = send(m_editor, Base::SCI_GETLINECOUNT) - linesBefore;
        top = send(m_editor, Base::SCI_VISIBLEFROMDOCLINE,
                   static_cast<unsigned long>(topLine + added));
    } else if (topStart > changeFrom && caretShown && caretKept) {
        const long line = send(m_editor, Base::SCI_LINEFROMPOSITION,
                               static_cast<unsigned long>(send(m_editor, Base::SCI_GETCURRENTPOS)));
        top = send(m_editor, Base::SCI_VISIBLEFROMDOCLINE, static_cast<unsigned long>(line)) -
              caretRow;
    }
    send(m_editor, Base::SCI_SETFIRSTVISIBLELINE, static_cast<unsigned long>(std::max(0L, top)));
    send(m_editor, Base::SCI_SETXOFFSET, static_cast<unsigned long>(xOffset));
}

void YamlEditor::setValueSource(std::function<QStringList(const QString &path)> source)
{
    m_valueSource = std::move(source);
}

bool YamlEditor::isValid() const
{
    if (!isChecked())
        return false;
    const auto error = [](const api::SpecIssue &i) { return i.severity == api::SpecIssue::Error; };
    return std::none_of(m_issues.begin(), m_issues.end(), error) &&
           std::none_of(m_extraIssues.begin(), m_extraIssues.end(), error);
}

void YamlEditor::setExtraIssues(const QList<api::SpecIssue> &issues)
{
    if (issues == m_extraIssues)
        return;
    m_extraIssues = issues;
    markIssues();
}

QList<api::SpecIssue> YamlEditor::allIssues() const
{
    QList<api::SpecIssue> all = m_issues + m_extraIssues;
    std::stable_sort(all.begin(), all.end(), [](const api::SpecIssue &a, const api::SpecIssue &b) {
        return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    return all;
}

void YamlEditor::goTo(int line, int column)
{
    line = std::clamp(line, 1, std::max(1, m_editor->lines()));
    send(m_editor, QsciScintillaBase::SCI_ENSUREVISIBLEENFORCEPOLICY,
         static_cast<unsigned long>(line - 1));
    send(m_editor, QsciScintillaBase::SCI_GOTOPOS,
         static_cast<unsigned long>(positionAt(line, column)));
    m_editor->setFocus(Qt::OtherFocusReason);
}

QString YamlEditor::helpAt(int line, int column) const
{
    const QString path = api::yamlPathAt(text(), line, column);
    if (path.isEmpty() || !api::JobSchemaInfo::contains(path))
        return {};
    const QString title = api::JobSchemaInfo::title(path);
    const QString type = api::JobSchemaInfo::typeName(path);
    QStringList help;
    help << (title.isEmpty() ? path : title) + u" ("_s + path +
                (type.isEmpty() ? QString() : u", "_s + type) + u')';
    if (const QString description = api::JobSchemaInfo::description(path); !description.isEmpty())
        help << description;
    if (const QStringList values = api::JobSchemaInfo::enumValues(path); !values.isEmpty())
        help << u"Allowed values: "_s + values.join(u", "_s);
    return help.join(u'\n');
}

bool YamlEditor::complete()
{
    return showCompletions(true);
}

void YamlEditor::textEdited()
{
    ++m_generation;
    m_pause.start();
}

void YamlEditor::checkNow()
{
    m_pause.stop();
    Q_EMIT requestCheck(m_generation, m_editor->text().toUtf8());
}

void YamlEditor::showIssues(int generation, const QList<api::SpecIssue> &issues,
                            const api::YamlDocument &document)
{
    if (generation != m_generation)
        return; // the text changed since; its own check follows
    m_checkedGeneration = generation;
    m_issues = issues;
    m_document = document;
    markIssues();
    Q_EMIT checked(isValid());
}

void YamlEditor::markIssues()
{
    m_editor->markerDeleteAll(kErrorMarker);
    m_editor->markerDeleteAll(kWarningMarker);
    m_editor->clearAnnotations();
    // One annotation per line, holding every message of that line.
    QMap<int, QStringList> byLine;
    const int last = std::max(0, m_editor->lines() - 1);
    for (const api::SpecIssue &issue : allIssues()) {
        // Extra issues may be of an older text, with fewer lines.
        const int line = std::clamp(issue.line - 1, 0, last);
        const bool error = issue.severity == api::SpecIssue::Error;
        m_editor->markerAdd(line, error ? kErrorMarker : kWarningMarker);
        byLine[line].append((error ? QStringLiteral("✗ ") : QStringLiteral("⚠ ")) + issue.message);
    }
    for (auto it = byLine.cbegin(); it != byLine.cend(); ++it)
        m_editor->annotate(it.key(), it.value().join(u'\n'), m_annotationStyle);
}

bool YamlEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor &&
        (event->type() == QEvent::KeyPress || event->type() == QEvent::ShortcutOverride)) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Space && key->modifiers() == Qt::ControlModifier) {
            // Claim the key before any shortcut (and QScintilla's own
            // completion from the document's words) does.
            event->accept();
            if (event->type() == QEvent::KeyPress)
                complete();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void YamlEditor::charAdded(int ch)
{
    // An open list follows the typing by itself.
    if (m_editor->isListActive() || send(m_editor, QsciScintillaBase::SCI_GETSELECTIONS) > 1)
        return;
    // Characters of keys and values (ch is a code point; any beyond ASCII counts).
    const bool word = ch >= 0x80 || QChar(ch).isLetterOrNumber() || ch == '_' || ch == '-' ||
                      ch == '.' || ch == '/';
    if (word)
        showCompletions(false);
}

bool YamlEditor::showCompletions(bool explicitly)
{
    const Cursor at = cursor();
    const api::YamlContext context = api::yamlContextAt(text(), at.line, at.column);
    QStringList items;
    List list = List::Keys;
    if (context.inScalarBlock || context.inSequence) {
        // Nothing to offer in text or in lists.
    } else if (!context.onValue) {
        QList<api::JobSchemaInfo::Property> offered;
        qsizetype width = 0;
        for (const api::JobSchemaInfo::Property &p :
             api::JobSchemaInfo::properties(context.mappingPath)) {
            if (p.clientFilled || context.siblings.contains(p.name) ||
                !startsWith(p.name, context.prefix))
                continue;
            offered.append(p);
            width = std::max(width, p.name.size());
        }
        // The title after the name, in a column of its own (the list uses
        // the editor's fixed-width font); only the name is inserted.
        for (const api::JobSchemaInfo::Property &p : std::as_const(offered))
            items << (p.title.isEmpty() ? p.name : p.name.leftJustified(width + 3) + p.title);
    } else {
        list = List::Values;
        const QString path = join(context.mappingPath, context.key);
        QStringList values = api::JobSchemaInfo::enumValues(path);
        if (m_valueSource)
            values += m_valueSource(path);
        for (const QString &value : std::as_const(values)) {
            if (!value.isEmpty() && !value.contains(kSeparator) &&
                startsWith(value, context.prefix) && !items.contains(value))
                items << value;
        }
        // What is typed is already the only choice.
        if (!explicitly && items == QStringList{context.prefix})
            items.clear();
    }
    if (items.isEmpty()) {
        if (m_editor->isListActive())
            m_editor->cancelList();
        return false;
    }
    // Items hold spaces (the titles); separate them by a character they
    // cannot hold. The list starts where the token does.
    send(m_editor, QsciScintillaBase::SCI_AUTOCSETSEPARATOR, kSeparator);
    send(m_editor, QsciScintillaBase::SCI_AUTOCSETTYPESEPARATOR, kTypeSeparator);
    const QByteArray bytes = items.join(QChar(kSeparator)).toUtf8();
    m_editor->SendScintilla(QsciScintillaBase::SCI_AUTOCSHOW,
                            uintptr_t(context.prefix.toUtf8().size()), bytes.constData());
    m_list = list;
    m_listItems = items;
    // QScintilla's list box has the palette's frame, which a dark editor
    // swallows; give it an edge that shows on either.
    for (QListWidget *box : m_editor->findChildren<QListWidget *>(Qt::FindDirectChildrenOnly)) {
        if (!box->isVisible())
            continue;
        box->setFrameStyle(QFrame::Box | QFrame::Plain);
        QPalette edge = box->palette();
        edge.setColor(QPalette::WindowText, palette().color(QPalette::Mid));
        box->setPalette(edge);
    }
    return m_editor->isListActive();
}

void YamlEditor::listChosen()
{
    const List list = std::exchange(m_list, List::None);
    const QString item =
        m_listItems.value(int(send(m_editor, QsciScintillaBase::SCI_AUTOCGETCURRENT)));
    if (list == List::None || item.isEmpty())
        return; // not a list of this class's
    // Scintilla would insert the item as shown (with its title), over only
    // the typed part of the token; this class inserts it instead.
    send(m_editor, QsciScintillaBase::SCI_AUTOCCANCEL);
    insertCompletion(list, item);
}

void YamlEditor::insertCompletion(List list, const QString &item)
{
    const Cursor at = cursor();
    const api::YamlContext context = api::yamlContextAt(text(), at.line, at.column);
    const int from = context.tokenStart > 0 ? context.tokenStart : at.column;
    const int to = context.tokenStart > 0 ? context.tokenEnd : at.column;
    const QString line = lineText(at.line);

    if (list == List::Keys) {
        const QString name = item.section(u' ', 0, 0);
        const QList<api::JobSchemaInfo::Property> properties =
            api::JobSchemaInfo::properties(context.mappingPath);
        const bool isObject = std::any_of(properties.cbegin(), properties.cend(),
                                          [&](auto &p) { return p.name == name && p.isObject; });
        // Renaming a key keeps its ':' and value; a new key gets them.
        if (line.mid(to - 1).trimmed().startsWith(u':')) {
            replaceOnLine(at.line, from, to, name);
            return;
        }
        QString eol = m_editor->text(at.line - 1).mid(line.size());
        if (eol.isEmpty())
            eol = m_editor->eolMode() == QsciScintilla::EolWindows ? u"\r\n"_s
                  : m_editor->eolMode() == QsciScintilla::EolMac   ? u"\r"_s
                                                                   : u"\n"_s;
        replaceOnLine(at.line, from, to,
                      isObject ? QString(name + u':' + eol + QString(context.childIndent, u' '))
                               : QString(name + u": "_s));
        // Its values, when it has any; once Scintilla is done with this list.
        if (!isObject)
            QMetaObject::invokeMethod(
                this, [this] { showCompletions(false); }, Qt::QueuedConnection);
        return;
    }
    // Text is written as YAML reads it back as that text (quoted when it
    // would read as a number, true, or has a ": " ...); other types as given.
    const QString path = join(context.mappingPath, context.key);
    const QString type = api::JobSchemaInfo::typeName(path);
    QString value = item;
    if (type.isEmpty() || type.contains(u"string"_s)) {
        const QString yaml = api::toYaml(QJsonValue(item)).chopped(1);
        if (!yaml.contains(u'\n'))
            value = yaml;
    }
    if (from > 1 && line.at(from - 2) == u':')
        value.prepend(u' ');
    replaceOnLine(at.line, from, to, value);
}

void YamlEditor::showHelp(int position)
{
    if (position < 0 || m_editor->isListActive())
        return;
    const Cursor at = cursorAt(position);
    const QString help = helpAt(at.line, at.column);
    if (help.isEmpty())
        return;
    const QByteArray tip = wrapped(help, kHelpWidth).toUtf8();
    m_editor->SendScintilla(QsciScintillaBase::SCI_CALLTIPSHOW, uintptr_t(position),
                            tip.constData());
    // The first line, the title, stands out.
    const qsizetype titleEnd = tip.indexOf('\n');
    send(m_editor, QsciScintillaBase::SCI_CALLTIPSETHLT, 0,
         long(titleEnd < 0 ? tip.size() : titleEnd));
}

void YamlEditor::hideHelp()
{
    send(m_editor, QsciScintillaBase::SCI_CALLTIPCANCEL);
}

YamlEditor::Cursor YamlEditor::cursor() const
{
    return cursorAt(int(send(m_editor, QsciScintillaBase::SCI_GETCURRENTPOS)));
}

YamlEditor::Cursor YamlEditor::cursorAt(int position) const
{
    const long line = send(m_editor, QsciScintillaBase::SCI_LINEFROMPOSITION,
                           static_cast<unsigned long>(position));
    const long start =
        send(m_editor, QsciScintillaBase::SCI_POSITIONFROMLINE, static_cast<unsigned long>(line));
    const QByteArray bytes = m_editor->text(int(line)).toUtf8();
    return Cursor{int(line) + 1, int(QString::fromUtf8(bytes.left(position - start)).size()) + 1};
}

int YamlEditor::positionAt(int line, int column) const
{
    const QString text = lineText(line);
    const qsizetype index = std::clamp<qsizetype>(column - 1, 0, text.size());
    return int(send(m_editor, QsciScintillaBase::SCI_POSITIONFROMLINE,
                    static_cast<unsigned long>(line - 1))) +
           int(text.left(index).toUtf8().size());
}

QString YamlEditor::lineText(int line) const
{
    QString text = m_editor->text(line - 1);
    while (text.endsWith(u'\n') || text.endsWith(u'\r'))
        text.chop(1);
    return text;
}

void YamlEditor::replaceOnLine(int line, int fromColumn, int toColumn, const QString &text)
{
    const long from = positionAt(line, fromColumn);
    const long to = positionAt(line, toColumn);
    const QByteArray bytes = text.toUtf8();
    send(m_editor, QsciScintillaBase::SCI_BEGINUNDOACTION);
    send(m_editor, QsciScintillaBase::SCI_SETTARGETRANGE, static_cast<unsigned long>(from), to);
    m_editor->SendScintilla(QsciScintillaBase::SCI_REPLACETARGET, uintptr_t(bytes.size()),
                            bytes.constData());
    send(m_editor, QsciScintillaBase::SCI_ENDUNDOACTION);
    send(m_editor, QsciScintillaBase::SCI_GOTOPOS, static_cast<unsigned long>(from + bytes.size()));
}

} // namespace pf::ui
