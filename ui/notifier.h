// DesktopNotifier: tells the user about a moment that matters (READY, a job
// that ended) when the window may not be in view: a system tray message when
// a tray is available, otherwise the window asks for attention.
#pragma once

#include <QObject>
#include <QString>

class QSystemTrayIcon;
class QWidget;

namespace ui {

class DesktopNotifier : public QObject
{
    Q_OBJECT

public:
    explicit DesktopNotifier(QWidget* window);

    enum class Kind { Information, Warning, Critical };
    void notify(const QString& title, const QString& text, Kind kind = Kind::Information);
    /// Whether the last notification went to a system tray.
    bool usedTray() const { return m_usedTray; }
    int count() const { return m_count; }

private:
    QWidget* m_window;
    QSystemTrayIcon* m_tray = nullptr;
    bool m_usedTray = false;
    int m_count = 0;
};

} // namespace ui
