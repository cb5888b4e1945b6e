// Engine errors in the user's language: what happened and what to do.
//
// The engine's messages are precise but English and technical; they name the
// rule that refused something as "(rule: ...)" and carry the errno. This is
// the one place that turns them into translated text; the engine's message
// itself is kept as the details, for the log and for support.
#pragma once

#include "base/result.h"

#include <QCoreApplication>
#include <QString>

namespace ui {

struct UserMessage
{
    QString cause;   ///< one sentence: what is wrong
    QString advice;  ///< one sentence: what the user can do
    QString details; ///< the engine's own message
};

class ErrorText
{
    Q_DECLARE_TR_FUNCTIONS(ui::ErrorText)

public:
    static UserMessage describe(const engine::Error& error);
    /// cause + advice on two lines, for tooltips.
    static QString brief(const engine::Error& error);
};

} // namespace ui
