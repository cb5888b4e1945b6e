// The JSON the CLI prints for a program: QMP-style events, replies and
// refusals, one object per line, and the values several of them carry. Every
// key and name comes from protocol/helper_protocol.h, which the desktop app
// reads with.
#pragma once

#include "job/mirror_job.h"
#include "job/verify.h"
#include "json_writer.h"
#include "protocol/helper_protocol.h"

#include <string>
#include <string_view>
#include <vector>

namespace engine {
struct DeviceInfo;
}

namespace cli {

// The lines, without their newline.
// {"event": NAME, "data": DATA, "timestamp": {...}}
std::string eventLine(std::string_view name, const JsonObject& data);
// A refusal, in the form QMP answers a failed command; @p id is the
// command's own, when it gave one.
std::string errorLine(const engine::Error& error, const std::string& id = {});
// A command's answer: {"return": RETURNED, "id": ID}.
std::string returnLine(const std::string& returned, const std::string& id);

// Each of them as a line on stdout, flushed at once: the reader is waiting.
void printLine(const std::string& line);
void printEvent(std::string_view name, const JsonObject& data);
void printError(const engine::Error& error, const std::string& id = {});
void printReturn(const std::string& returned, const std::string& id);

std::string rangesJson(const std::vector<engine::ByteRange>& ranges);
// The dirty map as two hex digits per cell (00 clean .. ff all dirty): the
// form a front end in another process can paint from.
std::string hexCells(const std::vector<std::uint8_t>& cells);
std::string stringArray(const std::vector<std::string>& v);
protocol::Outcome toProtocol(engine::JobResult::Outcome o);
std::string verifyJson(const engine::VerifyReport& r);
// One device as `list --json` and `inspect --json` print it: every field a
// front end in another process needs to show and identify it.
JsonObject deviceJson(const engine::DeviceInfo& d);
// What every job event says about the job: device, type, len, offset, speed.
JsonObject jobJson(const std::string& device, const engine::JobSnapshot& s);

} // namespace cli
