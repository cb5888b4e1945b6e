#include "resources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be used outside of any namespace.
static void registerDriveMirrorResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace ui {

void initResources()
{
    static const bool registered = [] {
        registerDriveMirrorResources();
        return true;
    }();
    (void)registered;
}

} // namespace ui
