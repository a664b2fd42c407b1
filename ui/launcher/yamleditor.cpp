// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "yamleditor.h"

#include <QFontDatabase>
#include <QVBoxLayout>

#include "ui/launcher/qsci.h"
#include "ui/theme.h"

namespace pf::ui {

namespace {

constexpr int kErrorMarker = 1;
constexpr int kWarningMarker = 2;
constexpr int kPauseMs = 150;

} // namespace

void SpecChecker::check(int generation, const QByteArray &yaml)
{
    Q_EMIT done(generation, api::JobSpec::validateYaml(yaml));
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

bool YamlEditor::isValid() const
{
    if (!isChecked())
        return false;
    return std::none_of(m_issues.begin(), m_issues.end(), [](const api::SpecIssue &i) {
        return i.severity == api::SpecIssue::Error;
    });
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

void YamlEditor::showIssues(int generation, const QList<api::SpecIssue> &issues)
{
    if (generation != m_generation)
        return; // the text changed since; its own check follows
    m_checkedGeneration = generation;
    m_issues = issues;
    m_editor->markerDeleteAll(kErrorMarker);
    m_editor->markerDeleteAll(kWarningMarker);
    m_editor->clearAnnotations();
    // One annotation per line, holding every message of that line.
    QMap<int, QStringList> byLine;
    for (const api::SpecIssue &issue : issues) {
        const int line = qMax(0, issue.line - 1);
        const bool error = issue.severity == api::SpecIssue::Error;
        m_editor->markerAdd(line, error ? kErrorMarker : kWarningMarker);
        byLine[line].append((error ? QStringLiteral("✗ ") : QStringLiteral("⚠ ")) + issue.message);
    }
    for (auto it = byLine.cbegin(); it != byLine.cend(); ++it)
        m_editor->annotate(it.key(), it.value().join(u'\n'), m_annotationStyle);
    Q_EMIT checked(isValid());
}

} // namespace pf::ui
