#include "notifier.h"

#include <QApplication>
#include <QSystemTrayIcon>
#include <QWidget>

namespace ui {

DesktopNotifier::DesktopNotifier(QWidget* window) : QObject(window), m_window(window)
{
}

void DesktopNotifier::notify(const QString& title, const QString& text, Kind kind)
{
    ++m_count;
    m_usedTray = false;
    if (QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(m_window->windowIcon(), this);
            m_tray->setToolTip(QApplication::applicationDisplayName());
            connect(m_tray, &QSystemTrayIcon::messageClicked, m_window, [this] {
                m_window->showNormal();
                m_window->raise();
                m_window->activateWindow();
            });
        }
        m_tray->show();
        const auto icon = kind == Kind::Critical  ? QSystemTrayIcon::Critical
                          : kind == Kind::Warning ? QSystemTrayIcon::Warning
                                                  : QSystemTrayIcon::Information;
        m_tray->showMessage(title, text, icon, 10000);
        m_usedTray = true;
    }
    if (!m_window->isActiveWindow())
        QApplication::alert(m_window);
}

} // namespace ui
