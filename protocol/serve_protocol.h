// `drivemirror-cli serve --json`'s protocol: the two events it writes, in
// the line shapes of helper_protocol.h, whose keys it shares.
//
//   SERVING       {path, size, read-only, tls, uri, export, pid}
//   SERVE_ENDED   {path, reason}: "signal SIGINT", or what ended qemu-nbd
#pragma once

#include "protocol/helper_protocol.h"

#include <string_view>

namespace protocol::serve {

namespace event {
inline constexpr std::string_view kServing = "SERVING";
inline constexpr std::string_view kEnded = "SERVE_ENDED";
} // namespace event

namespace key {
using protocol::key::kPath;
using protocol::key::kReadOnly;
using protocol::key::kReason;
using protocol::key::kSize;
inline constexpr std::string_view kUri = "uri";
inline constexpr std::string_view kExport = "export";
inline constexpr std::string_view kTls = "tls";
inline constexpr std::string_view kPid = "pid";
} // namespace key

} // namespace protocol::serve
