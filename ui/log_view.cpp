#include "log_view.h"

#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QTextBlock>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace ui {

void LogSink::attach(LogView* view)
{
    std::lock_guard lock(mutex_);
    m_view = view;
    m_posted = false;
    if (m_view && !m_pending.empty()) {
        m_posted = true;
        QMetaObject::invokeMethod(
            view, [view] { view->drain(); }, Qt::QueuedConnection);
    }
}

std::vector<LogLine> LogSink::takePending()
{
    std::lock_guard lock(mutex_);
    std::vector<LogLine> out;
    if (m_dropped > 0) {
        LogLine note;
        note.level = spdlog::level::warn;
        note.time = QDateTime::currentDateTime();
        note.logger = QStringLiteral("log");
        note.text =
            QStringLiteral("%1 earlier messages were dropped (too many at once)").arg(m_dropped);
        out.push_back(std::move(note));
        m_dropped = 0;
    }
    out.insert(out.end(), std::make_move_iterator(m_pending.begin()),
               std::make_move_iterator(m_pending.end()));
    m_pending.clear();
    m_posted = false;
    return out;
}

void LogSink::sink_it_(const spdlog::details::log_msg& msg)
{
    // base_sink holds mutex_ here. The view cannot go away meanwhile: its
    // destructor detaches under the same mutex.
    LogLine line;
    line.level = msg.level;
    line.time = QDateTime::fromMSecsSinceEpoch(
        std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count());
    line.logger =
        QString::fromUtf8(msg.logger_name.data(), static_cast<qsizetype>(msg.logger_name.size()));
    line.text = QString::fromUtf8(msg.payload.data(), static_cast<qsizetype>(msg.payload.size()));
    m_pending.push_back(std::move(line));
    if (m_pending.size() > kMaxPending) {
        m_pending.pop_front();
        ++m_dropped;
    }
    if (m_view && !m_posted) {
        m_posted = true;
        LogView* view = m_view;
        QMetaObject::invokeMethod(
            view, [view] { view->drain(); }, Qt::QueuedConnection);
    }
}

LogView::LogView(QWidget* parent)
    : QWidget(parent), m_edit(new QPlainTextEdit(this)),
      m_save(new QPushButton(tr("Save Log…"), this)), m_clear(new QPushButton(tr("Clear"), this))
{
    m_edit->setReadOnly(true);
    m_edit->setMaximumBlockCount(20000);
    m_edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setPlaceholderText(tr("Messages from the mirror appear here."));

    auto* buttons = new QVBoxLayout;
    buttons->addWidget(m_save);
    buttons->addWidget(m_clear);
    buttons->addStretch(1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addLayout(buttons);

    connect(m_save, &QPushButton::clicked, this, &LogView::saveAs);
    connect(m_clear, &QPushButton::clicked, m_edit, &QPlainTextEdit::clear);
}

LogView::~LogView()
{
    if (m_sink)
        m_sink->attach(nullptr);
}

void LogView::setSink(std::shared_ptr<LogSink> sink)
{
    if (m_sink)
        m_sink->attach(nullptr);
    m_sink = std::move(sink);
    if (m_sink)
        m_sink->attach(this);
}

void LogView::drain()
{
    if (m_sink)
        appendLines(m_sink->takePending());
}

void LogView::appendLines(const std::vector<LogLine>& lines)
{
    if (lines.empty())
        return;
    QScrollBar* bar = m_edit->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    QTextCursor cursor(m_edit->document());
    cursor.movePosition(QTextCursor::End);
    cursor.beginEditBlock();
    const QColor normal = palette().color(QPalette::Text);
    for (const LogLine& line : lines) {
        QTextCharFormat format;
        QString level;
        switch (line.level) {
        case spdlog::level::trace:
        case spdlog::level::debug:
            level = tr("debug");
            format.setForeground(palette().color(QPalette::PlaceholderText));
            break;
        case spdlog::level::info:
            level = tr("info");
            format.setForeground(normal);
            break;
        case spdlog::level::warn:
            level = tr("warning");
            format.setForeground(QColor(0xb3, 0x6b, 0x00));
            break;
        default:
            level = tr("error");
            format.setForeground(QColor(0xc6, 0x28, 0x28));
            format.setFontWeight(QFont::Bold);
            break;
        }
        if (!m_edit->document()->isEmpty())
            cursor.insertBlock();
        cursor.insertText(QStringLiteral("%1  %2  %3")
                              .arg(line.time.toString(QStringLiteral("HH:mm:ss.zzz")),
                                   level.leftJustified(7), line.text),
                          format);
        if (line.level >= spdlog::level::warn)
            Q_EMIT problemLogged(line);
    }
    cursor.endEditBlock();
    if (atEnd)
        bar->setValue(bar->maximum());
}

QString LogView::text() const
{
    return m_edit->toPlainText();
}

void LogView::saveAs()
{
    auto* dialog = new QFileDialog(this, tr("Save Log"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilter(tr("Log files (*.log *.txt)"));
    dialog->setDefaultSuffix(QStringLiteral("log"));
    dialog->selectFile(
        QStringLiteral("drivemirror-%1.log")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) {
        // Written on a worker: the UI thread never waits for a disk.
        const QByteArray bytes = (text() + u'\n').toUtf8();
        auto* watcher = new QFutureWatcher<QString>(this);
        connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path] {
            watcher->deleteLater();
            const QString error = watcher->result();
            if (error.isEmpty())
                return;
            auto* box = new QMessageBox(QMessageBox::Warning, tr("Log Not Saved"),
                                        tr("The log could not be saved to %1.").arg(path),
                                        QMessageBox::Ok, this);
            box->setInformativeText(tr("Choose another location and try again."));
            box->setDetailedText(error);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        });
        watcher->setFuture(QtConcurrent::run([path, bytes]() -> QString {
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly))
                return file.errorString();
            file.write(bytes);
            if (!file.commit())
                return file.errorString();
            return {};
        }));
    });
    dialog->open();
}

} // namespace ui
