#include "result.h"

#include <cstring>

namespace engine {

std::string errnoText(int code)
{
    char buf[256];
    // GNU strerror_r may return a static string instead of filling buf.
    return ::strerror_r(code, buf, sizeof buf);
}

Error systemError(int code, const std::string& context)
{
    return Error{code, context + ": " + errnoText(code)};
}

} // namespace engine
