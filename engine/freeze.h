// Freezing the file systems of a live source at Complete (FIFREEZE), so that
// the final copy sees a consistent, quiet disk; and thawing them on every
// path, including a crash of this process.
#pragma once

#include "logging.h"
#include "result.h"

#include <string>
#include <vector>

namespace engine {

class FreezeGuard
{
public:
    FreezeGuard() = default;
    /// Freezes every file system mounted from the block device @p devicePath
    /// or from its partitions (each file system once, however many times it
    /// is mounted). Nothing mounted: an empty guard, and nothing to do.
    /// On failure, what was already frozen is thawed again.
    static Result<FreezeGuard> freezeMountsOf(const std::string& devicePath, Logger log = {});

    FreezeGuard(FreezeGuard&& other) noexcept;
    FreezeGuard& operator=(FreezeGuard&& other) noexcept;
    FreezeGuard(const FreezeGuard&) = delete;
    FreezeGuard& operator=(const FreezeGuard&) = delete;
    ~FreezeGuard(); ///< thaws

    /// Thaws everything frozen; idempotent.
    void thaw();
    const std::vector<std::string>& mountPoints() const { return m_points; }

private:
    std::vector<int> m_fds;
    std::vector<std::string> m_points;
    Logger m_log;
};

} // namespace engine
