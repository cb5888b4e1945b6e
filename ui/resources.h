// The compiled-in icons (resources/resources.qrc). The library is static, so
// its resources are registered explicitly before the first use.
#pragma once

namespace ui {

/// Registers the icons; safe to call more than once.
void initResources();

} // namespace ui
