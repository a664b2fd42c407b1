// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "pfignore.h"

#include <array>

#include <QList>

namespace pf::api {

namespace {

constexpr std::array<QStringView, 12> kClassNames = {u"alnum", u"alpha", u"blank", u"cntrl",
                                                     u"digit", u"graph", u"lower", u"print",
                                                     u"punct", u"space", u"upper", u"xdigit"};

bool namedMatches(int index, char16_t ch)
{
    const QChar c(ch);
    switch (index) {
    case 0:
        return c.isLetterOrNumber();
    case 1:
        return c.isLetter();
    case 2:
        return ch == u' ' || ch == u'\t';
    case 3:
        return c.category() == QChar::Other_Control;
    case 4:
        return ch >= u'0' && ch <= u'9';
    case 5:
        return c.isPrint() && !c.isSpace();
    case 6:
        return c.isLower();
    case 7:
        return c.isPrint();
    case 8:
        return c.isPunct() || c.isSymbol();
    case 9:
        return c.isSpace();
    case 10:
        return c.isUpper();
    case 11:
        return (ch >= u'0' && ch <= u'9') || (ch >= u'a' && ch <= u'f') ||
               (ch >= u'A' && ch <= u'F');
    default:
        return false;
    }
}

// Whether the character at `i` is escaped by an odd run of backslashes.
bool escaped(const QString &s, qsizetype i)
{
    qsizetype n = 0;
    while (i - 1 - n >= 0 && s.at(i - 1 - n) == u'\\')
        ++n;
    return n % 2 == 1;
}

} // namespace

PfIgnore PfIgnore::parse(const QByteArray &text)
{
    PfIgnore out;
    QByteArrayView rest(text);
    if (rest.startsWith("\xEF\xBB\xBF"))
        rest = rest.sliced(3);
    while (!rest.isEmpty()) {
        qsizetype end = rest.indexOf('\n');
        if (end < 0)
            end = rest.size();
        QByteArrayView raw = rest.first(end);
        rest = rest.sliced(std::min(end + 1, rest.size()));
        if (raw.endsWith('\r'))
            raw.chop(1);
        QString line = QString::fromUtf8(raw);
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        // Trailing spaces go, unless the last one is escaped.
        while (line.endsWith(u' ') && !escaped(line, line.size() - 1))
            line.chop(1);
        Rule rule;
        if (line.startsWith(u'!')) {
            rule.negated = true;
            line.remove(0, 1);
        }
        if (line.endsWith(u'/') && !escaped(line, line.size() - 1)) {
            rule.dirOnly = true;
            line.chop(1);
        }
        rule.anchored = line.contains(u'/');
        if (line.startsWith(u'/'))
            line.remove(0, 1);
        if (line.isEmpty())
            continue;
        if (compile(line, &rule))
            out.m_rules.push_back(std::move(rule));
    }
    return out;
}

bool PfIgnore::compile(const QString &p, Rule *rule)
{
    std::vector<Token> &tokens = rule->tokens;
    const qsizetype n = p.size();
    auto lastIs = [&tokens](Kind k) { return !tokens.empty() && tokens.back().kind == k; };
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t ch = p.at(i).unicode();
        if (ch == u'\\') {
            if (i + 1 >= n)
                return false; // git: a lone trailing backslash matches nothing
            tokens.push_back({Kind::Literal, p.at(++i).unicode(), 0});
        } else if (ch == u'?') {
            tokens.push_back({Kind::AnyChar, 0, 0});
        } else if (ch == u'*') {
            qsizetype run = 1;
            while (i + run < n && p.at(i + run) == u'*')
                ++run;
            const bool atStart = i == 0 || p.at(i - 1) == u'/';
            const qsizetype after = i + run;
            i = after - 1;
            if (run >= 2 && atStart && after < n && p.at(after) == u'/') {
                ++i; // the slash belongs to `**/`
                if (!lastIs(Kind::AnyDirs) && !lastIs(Kind::AnyAll))
                    tokens.push_back({Kind::AnyDirs, 0, 0});
            } else if (run >= 2 && atStart && after == n) {
                if (lastIs(Kind::AnyDirs))
                    tokens.pop_back();
                tokens.push_back({Kind::AnyAll, 0, 0});
            } else if (!lastIs(Kind::Star)) {
                tokens.push_back({Kind::Star, 0, 0});
            }
        } else if (ch == u'[') {
            CharClass cls;
            qsizetype j = i + 1;
            if (j < n && (p.at(j) == u'!' || p.at(j) == u'^')) {
                cls.negated = true;
                ++j;
            }
            bool closed = false;
            bool first = true;
            while (j < n) {
                char16_t c = p.at(j).unicode();
                if (c == u']' && !first) {
                    closed = true;
                    break;
                }
                first = false;
                if (c == u'[' && j + 1 < n && p.at(j + 1) == u':') {
                    const qsizetype close = p.indexOf(u":]", j + 2);
                    if (close < 0)
                        return false;
                    const QStringView name = QStringView(p).mid(j + 2, close - j - 2);
                    const auto it = std::find(kClassNames.begin(), kClassNames.end(), name);
                    if (it == kClassNames.end())
                        return false; // git: an unknown class name is malformed
                    cls.named.push_back(int(it - kClassNames.begin()));
                    j = close + 2;
                    continue;
                }
                if (c == u'\\') {
                    if (++j >= n)
                        return false;
                    c = p.at(j).unicode();
                }
                char16_t hi = c;
                if (j + 2 < n && p.at(j + 1) == u'-' && p.at(j + 2) != u']') {
                    j += 2;
                    hi = p.at(j).unicode();
                    if (hi == u'\\') {
                        if (++j >= n)
                            return false;
                        hi = p.at(j).unicode();
                    }
                }
                cls.ranges.emplace_back(c, hi);
                ++j;
            }
            if (!closed)
                return false; // git: an unterminated class matches nothing
            rule->classes.push_back(std::move(cls));
            tokens.push_back({Kind::Class, 0, int(rule->classes.size() - 1)});
            i = j;
        } else {
            tokens.push_back({Kind::Literal, ch, 0});
        }
    }
    return true;
}

bool PfIgnore::classMatches(const CharClass &cls, char16_t ch)
{
    bool in = false;
    for (const auto &[lo, hi] : cls.ranges)
        in = in || (ch >= lo && ch <= hi);
    for (int named : cls.named)
        in = in || namedMatches(named, ch);
    return in != cls.negated;
}

bool PfIgnore::match(const Rule &rule, QStringView text)
{
    const std::vector<Token> &tokens = rule.tokens;
    const size_t n = tokens.size();
    // A rule without wildcards is a plain comparison.
    bool plain = true;
    for (const Token &t : tokens)
        plain = plain && t.kind == Kind::Literal;
    if (plain) {
        if (size_t(text.size()) != n)
            return false;
        for (size_t i = 0; i < n; ++i) {
            if (text[qsizetype(i)].unicode() != tokens[i].c)
                return false;
        }
        return true;
    }

    // The set of pattern positions the text read so far can be at, kept as
    // a list plus a generation mark per state: each step is linear in the
    // live states, so no pattern can make it exponential. A state is a
    // position times two, plus one when inside a `**/` that has consumed
    // characters (and so may only be left through a `/`).
    std::vector<size_t> current;
    std::vector<size_t> next;
    std::vector<unsigned> mark(2 * (n + 1), 0);
    unsigned generation = 1;
    auto add = [&](std::vector<size_t> &set, size_t pos) {
        // The wildcards may match nothing: their followers are live too.
        while (mark[2 * pos] != generation) {
            mark[2 * pos] = generation;
            set.push_back(2 * pos);
            if (pos == n)
                return;
            const Kind k = tokens[pos].kind;
            if (k != Kind::Star && k != Kind::AnyDirs && k != Kind::AnyAll)
                return;
            ++pos;
        }
    };
    auto addInside = [&](std::vector<size_t> &set, size_t pos) {
        if (mark[2 * pos + 1] != generation) {
            mark[2 * pos + 1] = generation;
            set.push_back(2 * pos + 1);
        }
    };
    add(current, 0);
    for (const QChar qc : text) {
        const char16_t ch = qc.unicode();
        ++generation;
        next.clear();
        for (const size_t state : current) {
            const size_t pos = state / 2;
            if (pos == n)
                continue;
            const Token &t = tokens[pos];
            switch (t.kind) {
            case Kind::Literal:
                if (t.c == ch)
                    add(next, pos + 1);
                break;
            case Kind::AnyChar:
                if (ch != u'/')
                    add(next, pos + 1);
                break;
            case Kind::Class:
                if (ch != u'/' && classMatches(rule.classes[size_t(t.index)], ch))
                    add(next, pos + 1);
                break;
            case Kind::Star:
                if (ch != u'/')
                    add(next, pos);
                break;
            case Kind::AnyDirs:
                addInside(next, pos);
                if (ch == u'/')
                    add(next, pos + 1);
                break;
            case Kind::AnyAll:
                add(next, pos);
                break;
            }
        }
        if (next.empty())
            return false;
        std::swap(current, next);
    }
    return mark[2 * n] == generation;
}

bool PfIgnore::matches(const QString &relativePath, bool isDir) const
{
    const QStringView path(relativePath);
    const QStringView name = path.mid(path.lastIndexOf(u'/') + 1);
    for (auto it = m_rules.rbegin(); it != m_rules.rend(); ++it) {
        if (it->dirOnly && !isDir)
            continue;
        if (match(*it, it->anchored ? path : name))
            return !it->negated;
    }
    return false;
}

bool PfIgnore::ignored(const QString &relativePath, bool isDir) const
{
    // Git never looks inside an ignored folder, so no rule can bring back
    // what lies under one.
    for (qsizetype slash = relativePath.indexOf(u'/'); slash > 0;
         slash = relativePath.indexOf(u'/', slash + 1)) {
        if (matches(relativePath.left(slash), true))
            return true;
    }
    return matches(relativePath, isDir);
}

} // namespace pf::api
