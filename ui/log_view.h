// The log pane and the spdlog sink that feeds it.
//
// LogSink is an spdlog sink that any thread may log to (the engine's job,
// writer and worker threads, and the UI). It keeps the lines in a bounded
// buffer and posts at most one queued call at a time to the attached
// LogView, which takes every pending line at once: a burst of messages costs
// one event, and the UI thread never waits for the engine.
#pragma once

#include <spdlog/details/log_msg.h>
#include <spdlog/sinks/base_sink.h>

#include <QDateTime>
#include <QPlainTextEdit>
#include <QPointer>
#include <QWidget>

#include <deque>
#include <memory>
#include <mutex>
#include <vector>

class QPushButton;

namespace ui {

struct LogLine
{
    spdlog::level::level_enum level = spdlog::level::info;
    QDateTime time;
    QString logger;
    QString text;
};

class LogView;

class LogSink final : public spdlog::sinks::base_sink<std::mutex>
{
public:
    static constexpr std::size_t kMaxPending = 10000;

    /// UI thread: from now on, lines go to @p view (nullptr: keep them).
    void attach(LogView* view);
    /// Any thread: the lines logged since the last call (oldest first).
    std::vector<LogLine> takePending();

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override {}

private:
    // Guarded by base_sink::mutex_.
    std::deque<LogLine> m_pending;
    std::size_t m_dropped = 0;
    LogView* m_view = nullptr;
    bool m_posted = false;
};

class LogView : public QWidget
{
    Q_OBJECT

public:
    explicit LogView(QWidget* parent = nullptr);
    ~LogView() override;

    /// Feeds the view from @p sink (and detaches from it on destruction).
    void setSink(std::shared_ptr<LogSink> sink);
    /// Takes the sink's pending lines; called through the sink's queued call.
    void drain();
    void appendLines(const std::vector<LogLine>& lines);

    QString text() const;
    QPlainTextEdit* editor() const { return m_edit; }

Q_SIGNALS:
    /// A line at warning level or above arrived.
    void problemLogged(const ui::LogLine& line);

private:
    void saveAs();

    QPlainTextEdit* m_edit;
    QPushButton* m_save;
    QPushButton* m_clear;
    std::shared_ptr<LogSink> m_sink;
};

} // namespace ui

Q_DECLARE_METATYPE(ui::LogLine)
