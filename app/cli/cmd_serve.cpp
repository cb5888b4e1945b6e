// `serve`: an image or disk exported over NBD for another machine's
// client (a fleet pulling a golden image, the far end of a mirror), by
// qemu-nbd under engine::NbdServer; the rules of a source (read-only) or of a
// target (writable) apply first, as for a job.
#include "cli.h"
#include "command_args.h"
#include "commands.h"
#include "common.h"
#include "json_output.h"
#include "signals.h"
#include "text.h"

#include "nbd/nbd_server.h"
#include "protocol/serve_protocol.h"
#include "rules/job_setup.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

namespace cli {

namespace {

namespace key = protocol::serve::key;
namespace event = protocol::serve::event;

struct ServeArgs
{
    std::string path;
    std::string listen;
    std::optional<std::string> exportName;
    std::string tlsPsk;
    std::string overwrite;                     ///< the PATH --overwrite names
    std::optional<engine::ImageFormat> format; ///< --format; else by PATH's name
    bool readOnly = false;
    bool insecure = false;
    bool json = false;
    bool verbose = false;
};

// "--name VALUE" and "--name=VALUE", each option once, as `station` takes them.
std::optional<std::string> parseArgs(int argc, char** argv, ServeArgs& a)
{
    for (const CommandArg& arg : splitCommandArgs(
             argc, argv, {"--listen", "--export", "--tls-psk", "--overwrite", "--format"})) {
        const std::string& name = arg.name;
        const auto& value = arg.value;
        if (name.empty()) {
            if (!a.path.empty())
                return fill(Cli::tr("serve: one image or disk, not also %1"), {arg.text});
            a.path = arg.text;
            continue;
        }
        if (arg.repeated)
            return fill(Cli::tr("serve: %1 given twice"), {name});
        if (name == "--read-only" && !value) {
            a.readOnly = true;
        } else if (name == "--insecure" && !value) {
            a.insecure = true;
        } else if (name == "--json" && !value) {
            a.json = true;
        } else if ((name == "-v" || name == "--verbose") && !value) {
            a.verbose = true;
        } else if (name == "--listen" && value && !value->empty()) {
            a.listen = *value;
        } else if (name == "--export" && value) {
            a.exportName = *value;
        } else if (name == "--tls-psk" && value && !value->empty()) {
            a.tlsPsk = *value;
        } else if (name == "--overwrite" && value && !value->empty()) {
            a.overwrite = *value;
        } else if (name == "--format" && value) {
            a.format = engine::parseImageFormat(*value);
            if (!a.format)
                return fill(Cli::tr("%1: raw, qcow2, vmdk, vhdx or vdi, not '%2'"),
                            {"--format", *value});
        } else {
            return fill(Cli::tr("serve: unknown option or missing value: %1 (see --help)"),
                        {arg.text});
        }
    }
    if (a.path.empty())
        return fill(Cli::tr("serve needs an image or disk to export (see --help)"));
    if (!a.overwrite.empty() && a.overwrite != a.path)
        return fill(Cli::tr("serve: --overwrite %1 is not the disk served (%2)"),
                    {a.overwrite, a.path});
    if (a.readOnly && !a.overwrite.empty())
        return fill(Cli::tr("serve: --overwrite with --read-only: nothing is written"));
    if (a.exportName && a.exportName->find_first_of("/?#") != std::string::npos)
        return fill(Cli::tr("serve: --export %1: a name without /, ? or #"), {*a.exportName});
    return std::nullopt;
}

// The export's name when none is given: what the path ends in ("sdb",
// "golden.img"), so that the URI says what is served.
std::string defaultExportName(const std::string& path)
{
    return std::filesystem::path(path).filename().string();
}

// Where a unix socket goes when --listen is not given: the user's runtime
// directory, which only he can write to.
std::string defaultListen(const std::string& exportName)
{
    std::string dir;
    if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && *runtime)
        dir = runtime;
    else
        dir = ::geteuid() == 0 ? "/run" : "/tmp";
    return "unix:" + dir + "/drivemirror-serve-" + (exportName.empty() ? "disk" : exportName) +
           ".sock";
}

int refuse(const ServeArgs& a, const engine::Error& error)
{
    if (a.json)
        printError(error);
    return badInput(error.message);
}

void report(const ServeArgs& a, engine::NbdServer& server, const engine::NbdServeOptions& o,
            const engine::Result<std::uint64_t>& size)
{
    if (a.json) {
        printEvent(event::kServing, JsonObject()
                                        .add(key::kPath, o.path)
                                        .add(key::kSize, size ? *size : 0)
                                        .add(key::kReadOnly, o.readOnly)
                                        .add(key::kTls, !o.tlsPskFile.empty())
                                        .add(key::kUri, server.uri())
                                        .add(key::kExport, o.exportName)
                                        .add(key::kPid, static_cast<std::int64_t>(server.pid())));
        return;
    }
    std::printf("%s\n", server.uri().c_str());
    std::fflush(stdout);
    std::fprintf(stderr, "%s\n",
                 fill(o.readOnly ? Cli::tr("serving %1 (%2) read-only; Ctrl-C stops it")
                                 : Cli::tr("serving %1 (%2) writable; Ctrl-C stops it"),
                      {o.path, size ? sizeText(*size) : std::string("?")})
                     .c_str());
}

} // namespace

int cmdServe(int argc, char** argv)
{
    blockCancelSignals();
    ServeArgs a;
    if (auto e = parseArgs(argc, argv, a))
        return badInput(*e);
    auto log = makeLogger(a.verbose);
    if (!a.verbose)
        log->set_level(spdlog::level::warn);

    engine::NbdServeOptions o;
    o.path = a.path;
    o.readOnly = a.readOnly;
    o.exportName = a.exportName ? *a.exportName : defaultExportName(a.path);
    o.tlsPskFile = a.tlsPsk;
    auto listen = engine::parseNbdListen(a.listen.empty() ? defaultListen(o.exportName) : a.listen);
    if (!listen)
        return refuse(a, listen.error());
    o.listen = *listen;
    if (o.listen.kind == engine::NbdListen::Kind::Tcp && !o.readOnly && o.tlsPskFile.empty() &&
        !a.insecure)
        return refuse(a, engine::Error{EPERM, fill(Cli::tr("refusing to serve %1 writable over "
                                                           "TCP without TLS: anyone who reaches "
                                                           "port %2 could overwrite it (add "
                                                           "--tls-psk FILE, or --insecure on a "
                                                           "network you trust)"),
                                                   {o.path, std::to_string(o.listen.port)})});
    if (auto r = engine::checkServeCandidate(o.path, o.readOnly, !a.overwrite.empty()); !r)
        return refuse(a, r.error());
    // A virtual machine's image is served as the disk it holds.
    const engine::ImageFormat format = engine::formatOf(o.path, a.format);
    o.format = std::string(engine::toString(format));
    engine::Result<std::uint64_t> size = engine::storageSize(o.path);
    if (format != engine::ImageFormat::Raw) {
        const int fd = ::open(o.path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return refuse(a, engine::systemError(errno, o.path));
        auto magic = engine::checkImageMagic(fd, o.path, format);
        if (magic)
            size = engine::virtualSize(fd, o.path, format);
        ::close(fd);
        if (!magic)
            return refuse(a, magic.error());
    }

    const int sigFd = openCancelSignalFd();
    auto server = engine::NbdServer::start(o, log);
    if (!server)
        return refuse(a, engine::withContext("serve: ", server.error()));
    report(a, **server, o, size);

    std::string reason;
    int code = kExitOk;
    for (;;) {
        pollfd p{sigFd, POLLIN, 0};
        if (::poll(&p, sigFd >= 0 ? 1 : 0, 200) > 0 && (p.revents & POLLIN)) {
            reason = "signal " + readSignalName(sigFd);
            break;
        }
        if ((*server)->exited()) {
            reason = (*server)->exitMessage();
            code = kExitInternal;
            break;
        }
    }
    (*server)->stop();
    if (sigFd >= 0)
        ::close(sigFd);
    if (a.json)
        printEvent(event::kEnded, JsonObject().add(key::kPath, o.path).add(key::kReason, reason));
    else if (code != kExitOk)
        std::fprintf(stderr, "drivemirror-cli: %s\n",
                     fill(Cli::tr("serve %1 ended: %2"), {o.path, reason}).c_str());
    return code;
}

} // namespace cli
